"""`send-assistant index`: ingest the sources file, then refresh the index, with a progress bar and a summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.config import Settings
from assistant.indexing import refresh

ProgressFn = Callable[[str, int, "int | None"], None]


def run_index_command(settings: Settings, *, rebuild: bool = False, if_stale: bool = False) -> int:
    from assistant.ingest.sources_file import ingest_listed_sources  # the sources file is ingested first

    console = Console(stderr=True)
    failures = ingest_listed_sources(settings, console)
    with progress_bars(console) as report:
        done = refresh(settings, rebuild=rebuild, force=not if_stale, progress=report)
    summary = done.summary
    if done.up_to_date:
        console.print(f"Index is up to date ({summary.documents} documents).")
    else:
        console.print(
            f"Indexed {summary.documents} documents as {summary.chunks} chunks in {summary.seconds:.1f}s: "
            f"{summary.skipped_unchanged} unchanged (skipped), {summary.added} added, {summary.replaced} replaced, "
            f"{summary.removed} removed; {summary.embedded} chunks embedded ({summary.texts_embedded} texts). Build {summary.build}."
        )
    for made in done.made:  # so no server start-up has to
        console.print(f"Made {made}.")
    return 1 if failures else 0


@contextmanager
def progress_bars(console: Console) -> Iterator[ProgressFn]:
    """A `(stage, done, total)` callback drawing one rich bar per stage."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True) as bars:
        tasks: dict[str, int] = {}

        def report(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(stage.capitalize(), total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield report
