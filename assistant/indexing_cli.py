"""`send-assistant index`: build the index with a progress bar and a summary."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from assistant.config import Settings
from assistant.index import build_index, is_up_to_date
from assistant.services import all_documents, index_embedder, model_name, prepare_serving, serving_ready, store_factory


def run_index_command(settings: Settings, *, rebuild: bool = False, if_stale: bool = False) -> int:
    console = Console(stderr=True)
    from assistant.ingest.sources_file import ingest_listed_sources  # the sources file is ingested first

    failures = ingest_listed_sources(settings, console)
    documents = all_documents(settings)
    if if_stale and not rebuild and is_up_to_date(settings.index_dir, documents, model_name(settings)):
        console.print(f"Index is up to date ({len(documents)} documents).")
        if not serving_ready(settings):
            for made in prepare_serving(settings, index_embedder(settings)):
                console.print(f"Made {made}.")
        return 1 if failures else 0
    embedder = index_embedder(settings)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeRemainingColumn(), console=console) as progress:
        task = progress.add_task("Embedding", total=None)

        def report(stage: str, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        summary = build_index(
            documents,
            index_dir=settings.index_dir,
            embedder=embedder,
            model_name=model_name(settings),
            store_factory=store_factory(settings, embedder),
            progress=report,
            reuse=not rebuild,
        )
    console.print(
        f"Indexed {summary.documents} documents as {summary.chunks} chunks in {summary.seconds:.1f}s: "
        f"{summary.skipped_unchanged} unchanged (skipped), {summary.added} added, {summary.replaced} replaced, "
        f"{summary.removed} removed; {summary.embedded} chunks embedded. Build {summary.build}."
    )
    for made in prepare_serving(settings, embedder):  # so no server start-up has to
        console.print(f"Made {made}.")
    return 1 if failures else 0
