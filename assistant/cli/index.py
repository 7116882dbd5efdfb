"""`send-assistant index`: ingest the sources file, then refresh the index, with a progress bar and a summary."""

from __future__ import annotations

import argparse

from assistant.config import Settings

NAME = "index"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rebuild", action="store_true", help="embed everything again, ignoring the previous build")
    p.add_argument("--if-stale", action="store_true", help="do nothing when the index is already up to date")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Build the search index from corpus/ and every ingested source (only changed documents are embedded).

    Example: send-assistant index
    """
    from rich.console import Console

    from assistant.cli.progress import progress_bars
    from assistant.indexing import refresh
    from assistant.ingest.sources_file import ingest_listed_sources

    console = Console(stderr=True)
    failures = ingest_listed_sources(settings, console)  # the sources file is ingested first
    with progress_bars(console) as report:
        done = refresh(settings, rebuild=args.rebuild, force=not args.if_stale, progress=report)
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
