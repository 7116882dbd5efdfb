"""`send-assistant ingest`: load a deployment's own documents, then refresh the index.

    send-assistant ingest directory.json --status local --local-authority "North Lincolnshire"
    send-assistant ingest cop.pdf --source "SEND Code of Practice 2015" --status statutory_guidance

Imports only the readers and the indexing path: nothing of the answer stack.
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from assistant.config import Settings

if TYPE_CHECKING:
    from assistant.index import BuildSummary
    from assistant.ingest.dispatch import Ingested

NAME = "ingest"


def configure(p: argparse.ArgumentParser) -> None:
    from assistant.ingest.dispatch import KINDS
    from assistant.models import LegalStatus

    p.add_argument("path_or_url", help="a file (.json, .pdf, .docx, .xml, .html, .txt list of URLs) or a URL")
    p.add_argument("--status", required=True, choices=[s.value for s in LegalStatus], help="the legal force of this source")
    p.add_argument("--source", default=None, help='how citations name it, e.g. "SEND Code of Practice 2015"')
    p.add_argument("--local-authority", default=None, help='the council this belongs to, e.g. "North Lincolnshire"')
    p.add_argument("--kind", choices=KINDS, default=None, help="the parser to use (default: detected from the file or URL)")
    p.add_argument("--url", default=None, help="the public address of a local file, used as its citation link")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one web site (default 1)")
    p.add_argument("--no-index", action="store_true", help="only store the documents; run `send-assistant index` later")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest a source (ORUK directory, PDF, legislation, web pages, Word file) and update the index.

    Only a successful parse replaces the source's previous documents, so a bad file or a failed
    download changes nothing. Examples:

      send-assistant ingest north-lincs.json --status local --local-authority "North Lincolnshire"
      send-assistant ingest https://directory.example/api --status local --local-authority Demoshire
      send-assistant ingest cop.pdf --source "SEND Code of Practice 2015" --status statutory_guidance
      send-assistant ingest https://www.legislation.gov.uk/uksi/2014/1530/data.xml --status law
      send-assistant ingest https://example.org/local-offer/sitemap.xml --status local --local-authority Demoshire
    """
    from rich.console import Console

    from assistant.cli.progress import progress_bars
    from assistant.indexing import refresh
    from assistant.ingest.common import Request
    from assistant.ingest.dispatch import ingest
    from assistant.models import LegalStatus

    console = Console(stderr=True)
    request = Request(
        path_or_url=args.path_or_url,
        status=LegalStatus(args.status),
        source=args.source,
        local_authority=args.local_authority,
        kind=args.kind,
        url=args.url,
        delay=args.delay,
    )
    started = time.perf_counter()
    with progress_bars(console) as report:
        done = ingest(settings, request, progress=report)
    print(describe(done))
    if args.no_index:
        print("Not indexed yet: run `send-assistant index`.")
        return 0
    with progress_bars(console) as report:
        refreshed = refresh(settings, progress=report)
    print(describe_index(refreshed.summary, time.perf_counter() - started))
    for made in refreshed.made:
        print(f"Made {made}.")
    return 0


def describe(done: Ingested) -> str:
    result = done.result
    la = f" ({done.result.documents[0].local_authority})" if result.documents and result.documents[0].local_authority else ""
    lines = [
        f"Ingested {len(result.documents)} documents ({done.kind}) as \"{done.source}\"{la}; "
        f"replaced {done.previous} earlier documents of this source. Stored in {done.path}.",
        f"Records skipped: {result.skipped}." + (f" ({'; '.join(result.skipped_reasons[:3])}{' ...' if result.skipped > 3 else ''})" if result.skipped else ""),
    ]
    lines.extend(f"Note: {w}" for w in result.warnings[:5])
    lines.append(f"Errors: {len(result.errors)}." + (f" {'; '.join(result.errors[:5])}" if result.errors else ""))
    return "\n".join(lines)


def describe_index(summary: BuildSummary, seconds: float) -> str:
    rate = summary.texts_embedded / summary.seconds if summary.seconds else 0.0
    return (
        f"Index: {summary.documents} documents, {summary.chunks} chunks; {summary.skipped_unchanged} skipped unchanged, "
        f"{summary.added} added, {summary.replaced} replaced, {summary.removed} removed; {summary.embedded} chunks embedded "
        f"({summary.texts_embedded} texts) in {summary.seconds:.1f}s ({rate:.1f} texts/s). Build {summary.build}. Total {seconds:.1f}s."
    )
