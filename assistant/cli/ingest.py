"""`send-assistant ingest`: load a deployment's own documents, then refresh the index.

    send-assistant ingest directory.json --status local --local-authority "North Lincolnshire"
    send-assistant ingest cop.pdf --source "SEND Code of Practice 2015" --status statutory_guidance
    send-assistant ingest --quarantined          the records held back by the screen, with why
    send-assistant ingest --release 3f9a0c2b71de clear one, then re-index

Imports only the readers and the indexing path: nothing of the answer stack.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from typing import TYPE_CHECKING

from assistant.config import Settings

if TYPE_CHECKING:
    from rich.console import Console

    from assistant.retrieval.build import BuildSummary
    from assistant.ingest.dispatch import Ingested

NAME = "ingest"


def configure(p: argparse.ArgumentParser) -> None:
    from assistant.ingest.dispatch import KINDS
    from assistant.models import LegalStatus

    p.add_argument("path_or_url", nargs="?", help="a file (.json, .pdf, .docx, .xml, .html, .txt list of URLs) or a URL")
    p.add_argument("--status", choices=[s.value for s in LegalStatus], help="the legal force of this source (required to ingest)")
    p.add_argument("--source", default=None, help='how citations name it, e.g. "SEND Code of Practice 2015"')
    p.add_argument("--local-authority", default=None, help='the council this belongs to, e.g. "North Lincolnshire"')
    p.add_argument("--kind", choices=KINDS, default=None, help="the parser to use (default: detected from the file or URL)")
    p.add_argument("--url", default=None, help="the public address of a local file, used as its citation link")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one web site (default 1)")
    p.add_argument("--no-index", action="store_true", help="only store the documents; run `send-assistant index` later")
    p.add_argument("--quarantined", action="store_true", help="list the records held back by the screen, with why, and stop")
    p.add_argument("--release", metavar="ID", default=None,
                   help="clear a quarantined record (its id from --quarantined): it is stored and indexed")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest a source (ORUK directory, PDF, legislation, web pages, Word file) and update the index.

    Only a successful parse replaces the source's previous documents, so a bad file or a failed
    download changes nothing. Every record is screened first: one that holds an instruction
    aimed at the assistant is quarantined (not stored, not indexed) and listed with the reason;
    links outside the record's organisation, the public sector and
    SEND_ASSISTANT_LINK_ALLOWED_HOSTS are withheld. Examples:

      send-assistant ingest north-lincs.json --status local --local-authority "North Lincolnshire"
      send-assistant ingest https://directory.example/api --status local --local-authority Demoshire
      send-assistant ingest cop.pdf --source "SEND Code of Practice 2015" --status statutory_guidance
      send-assistant ingest https://www.legislation.gov.uk/uksi/2014/1530/data.xml --status law
      send-assistant ingest https://example.org/local-offer/sitemap.xml --status local --local-authority Demoshire
      send-assistant ingest --quarantined
      send-assistant ingest --release 3f9a0c2b71de
    """
    from rich.console import Console

    from assistant.cli.progress import progress_bars
    from assistant.errors import IngestError
    from assistant.ingest.common import Request
    from assistant.ingest.dispatch import ingest
    from assistant.models import LegalStatus

    if args.quarantined or args.release:
        return quarantine_command(args, settings)
    if not args.path_or_url or not args.status:
        raise IngestError("give a file or URL and its --status (or --quarantined, or --release ID)")
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
    index_now(settings, console, started)
    return 0


def quarantine_command(args: argparse.Namespace, settings: Settings) -> int:
    """List the quarantined records, or release one and re-index."""
    from rich.console import Console

    from assistant.storage.quarantine import Quarantine

    box = Quarantine(settings.data_dir)
    if args.release:
        doc = box.release(args.release)
        print(f"Released {args.release}: \"{doc.title}\" ({doc.source}) is stored with its source.")
        if args.no_index:
            print("Not indexed yet: run `send-assistant index`.")
            return 0
        index_now(settings, Console(stderr=True), time.perf_counter())
        return 0
    items = box.items()
    print(f"{len(items)} quarantined record(s).")
    for item in items:
        d = item.document
        print(f"- {item.id}  {d.title!r} from {d.source!r}" + (f" ({d.local_authority})" if d.local_authority else "")
              + f", held back on {item.found[:10]}: {item.reason}")
    if items:
        print("Release one with `send-assistant ingest --release ID` once an officer has checked it.")
    return 0


def index_now(settings: Settings, console: Console, started: float) -> None:
    """Refresh the index (and whatever indexing prepares), saying what it did."""
    from assistant.cli.progress import progress_bars
    from assistant.indexing import refresh

    with progress_bars(console) as report:
        refreshed = refresh(settings, progress=report)
    print(describe_index(refreshed.summary, time.perf_counter() - started))
    for made in refreshed.made:
        print(f"Made {made}.")


def describe(done: Ingested) -> str:
    result = done.result
    la = f" ({done.result.documents[0].local_authority})" if result.documents and result.documents[0].local_authority else ""
    lines = [
        f"Ingested {len(result.documents)} documents ({done.kind}) as \"{done.source}\"{la}; "
        f"replaced {done.previous} earlier documents of this source. Stored in {done.path}.",
        f"Records skipped: {result.skipped}." + (f" ({'; '.join(result.skipped_reasons[:3])}{' ...' if result.skipped > 3 else ''})" if result.skipped else ""),
    ]
    lines.extend(f"Note: {w}" for w in result.warnings[:5])
    lines.append(f"Quarantined: {len(done.quarantined)} (not stored, not indexed)." + "".join(
        f"\n  - {item.id} {item.document.title!r}: {item.reason}" for item in done.quarantined[:20]))
    if done.quarantined:
        lines.append("  Review with `send-assistant ingest --quarantined`; clear one with `send-assistant ingest --release ID`.")
    if done.links_withheld:
        hosts = Counter(entry.rsplit(": ", 1)[-1] for entry in done.links_withheld)
        top = ", ".join(f"{host} ({n})" for host, n in hosts.most_common(8))
        lines.append(f"Links withheld (not https, or not the record's own organisation, the public sector or "
                     f"SEND_ASSISTANT_LINK_ALLOWED_HOSTS): {len(done.links_withheld)}; hosts: {top}.")
    lines.append(f"Errors: {len(result.errors)}." + (f" {'; '.join(result.errors[:5])}" if result.errors else ""))
    return "\n".join(lines)


def describe_index(summary: BuildSummary, seconds: float) -> str:
    rate = summary.texts_embedded / summary.seconds if summary.seconds else 0.0
    return (
        f"Index: {summary.documents} documents, {summary.chunks} chunks; {summary.skipped_unchanged} skipped unchanged, "
        f"{summary.added} added, {summary.replaced} replaced, {summary.removed} removed; {summary.embedded} chunks embedded "
        f"({summary.texts_embedded} texts) in {summary.seconds:.1f}s ({rate:.1f} texts/s). Build {summary.build}. Total {seconds:.1f}s."
    )
