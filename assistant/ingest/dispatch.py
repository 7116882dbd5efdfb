"""One ingest, whatever the kind: detect the kind, parse, then save the source's documents.

Parsing happens first and completely; only a successful parse replaces the source's stored
documents (one JSONL file per source + local authority, swapped atomically). A bad file, a
failed download or a crash half-way therefore leaves everything already ingested and indexed
as it was. Indexing is the caller's next step (`indexing.refresh`).

Between parsing and saving, every record is screened (`assistant.ingest.screen`): a record
holding an instruction aimed at the assistant is quarantined (`assistant.storage.quarantine`) instead
of stored, and links to hosts outside the record's organisation, the public sector and the
deployer's allow-list are withheld.

    >>> detect_kind("https://www.legislation.gov.uk/uksi/2014/1530/data.xml")
    'legislation'
    >>> source_key("North Lincolnshire Local Offer directory", "North Lincolnshire")
    'north-lincolnshire-local-offer-directory--north-lincolnshire'
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

import httpx

from assistant.config import Settings
from assistant.errors import IngestError
from assistant.ingest.common import USER_AGENT, IngestResult, Progress, Request, is_url, source_key
from assistant.ingest.screen import LinkPolicy, host_of, screen_documents
from assistant.models import LegalStatus
from assistant.storage.documents import save_documents, slug, sources_dir
from assistant.storage.quarantine import Item, Quarantine, fingerprint

KINDS = ("oruk", "pdf", "legislation", "html", "docx")
SUPPORTED = ".json (ORUK), .pdf, .docx, .xml or .html (legislation.gov.uk or a web page), .txt (a list of URLs), or a URL"


@dataclass
class Ingested:
    source: str
    key: str
    kind: str
    result: IngestResult
    previous: int = 0  # documents this source had before
    path: Path = field(default_factory=Path)
    quarantined: list[Item] = field(default_factory=list)  # held back for an officer, not stored
    links_withheld: list[str] = field(default_factory=list)  # "title: host" for each link dropped


def detect_kind(target: str) -> str:
    """The kind of a path or URL, from its address, extension and first bytes."""
    if is_url(target):
        parts = urlparse(target)
        path = parts.path.lower()
        if (parts.hostname or "").endswith("legislation.gov.uk"):
            return "legislation"
        for suffix, kind in ((".pdf", "pdf"), (".docx", "docx"), (".json", "oruk")):
            if path.endswith(suffix):
                return kind
        if re.search(r"/h?services/?$", path) or "servicedirectory" in path or "openreferral" in path:
            return "oruk"
        return "html"
    path = Path(target)
    if not path.exists():
        raise IngestError(f"{target}: no such file")
    if path.is_dir():
        raise IngestError(f"{target} is a folder: give one file, or list several in a sources file")
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(4096)
    if suffix == ".pdf" or head.startswith(b"%PDF"):
        return "pdf"
    if suffix == ".docx":
        return "docx"
    if suffix == ".doc":
        raise IngestError(f"{target} is an old Word .doc file: save it as .docx and ingest that")
    if suffix == ".json" or head.lstrip()[:1] in (b"[", b"{"):
        return "oruk"
    if suffix in (".xml", ".html", ".htm"):
        legislation = b"legislation.gov.uk" in head or b"<Legislation" in head or b"viewLegContents" in path.read_bytes()
        return "legislation" if legislation else "html"
    if suffix in (".txt", ".urls"):
        return "html"
    raise IngestError(f"unsupported file type {suffix or '(no extension)'} for {target}: use {SUPPORTED}, or give --kind")


def ingest(settings: Settings, request: Request, *, progress: Progress | None = None) -> Ingested:
    """Parse `request` and, only if that worked, replace the source's stored documents."""
    kind = request.kind or detect_kind(request.path_or_url)
    if kind not in KINDS:
        raise IngestError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    if request.status is LegalStatus.LOCAL and not request.local_authority:
        raise IngestError("local information needs --local-authority (e.g. \"North Lincolnshire\")")
    source, result = _parse(settings, request, kind, progress)
    if not result.documents:
        why = f": all {result.skipped} record(s) were skipped ({'; '.join(result.skipped_reasons[:3])}{' ...' if result.skipped > 3 else ''})" if result.skipped else ""
        raise IngestError(f"{request.path_or_url} gave no documents{why}; nothing was changed")
    key = source_key(source, request.local_authority)
    box = Quarantine(settings.data_dir)
    own = {host_of(request.path_or_url) if is_url(request.path_or_url) else None, host_of(request.url)}
    screened = screen_documents(result.documents, policy=LinkPolicy(settings.link_allowed_hosts),
                                own_hosts=[h for h in own if h], released=box.released(), fingerprint=fingerprint)
    held = box.replace_source(key, [(f.document, f.reason) for f in screened.quarantined])
    if not screened.kept:
        raise IngestError(
            f"{request.path_or_url}: all {len(held)} record(s) were quarantined (they hold instructions aimed at the "
            f"assistant); nothing was changed. Review them with `send-assistant ingest --quarantined`"
        )
    result.documents = screened.kept
    previous = _count(sources_dir(settings.data_dir) / f"{slug(key)}.jsonl")
    path = save_documents(settings.data_dir, key, result.documents)
    return Ingested(source=source, key=key, kind=kind, result=result, previous=previous, path=path,
                    quarantined=held, links_withheld=screened.links_withheld)


def _parse(settings: Settings, request: Request, kind: str, progress: Progress | None) -> tuple[str, IngestResult]:
    target, la, status = request.path_or_url, request.local_authority, request.status
    if kind == "oruk":
        from assistant.ingest import oruk

        if status is not LegalStatus.LOCAL:
            raise IngestError(f"ORUK services are local information: use --status local, not {status.value}")
        source = request.source or oruk.default_source(la)
        if is_url(target):
            from assistant.ingest.oruk_live import fetch_services

            records = fetch_services(target, progress=progress)
            return source, oruk.parse_services(records, local_authority=la, source=source)
        return source, oruk.load_file(Path(target), local_authority=la, source=source)
    if kind == "html":
        from assistant.ingest.html_ingest import ingest_html

        return ingest_html(settings, request, progress=progress, delay=request.delay)
    with _local_copy(target, kind) as path:
        if kind == "pdf":
            from assistant.ingest.pdf import load_pdf

            if not request.source:
                raise IngestError('give --source for a PDF, e.g. --source "SEND Code of Practice 2015"')
            result = load_pdf(path, source=request.source, status=status, url=request.url or (target if is_url(target) else None), local_authority=la, progress=progress)
        elif kind == "legislation":
            from assistant.ingest.legislation import load_legislation

            result = load_legislation(path, status=status, source=request.source, url=target if is_url(target) else request.url)
        else:
            from assistant.ingest.docx import load_docx

            result = load_docx(path, source=request.source, status=status, url=request.url, local_authority=la)
    if la:
        result.documents = [d if d.local_authority == la else replace(d, local_authority=la) for d in result.documents]
    return result.documents[0].source, result


class _local_copy:
    """A local path for a file, downloading a URL to a temporary file first."""

    def __init__(self, target: str, kind: str) -> None:
        self.target, self.kind = target, kind
        self.tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Path:
        if not is_url(self.target):
            return Path(self.target)
        self.tmp = tempfile.TemporaryDirectory(prefix="send-ingest-")
        path = Path(self.tmp.name) / (Path(urlparse(self.target).path).name or "download")
        path.write_bytes(download(self.target))
        return path

    def __exit__(self, *exc: object) -> None:
        if self.tmp is not None:
            self.tmp.cleanup()


def download(url: str, *, timeout: float = 60.0, retries: int = 2) -> bytes:
    """GET a whole file, retrying timeouts and 5xx; IngestError with the reason otherwise."""
    problem = ""
    with httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=True) as client:
        for _ in range(retries + 1):
            try:
                response = client.get(url)
            except httpx.HTTPError as exc:
                problem = f"{exc.__class__.__name__}: {exc}"
                continue
            if response.status_code < 400:
                return response.content
            problem = f"HTTP {response.status_code}"
            if response.status_code < 500:
                break
    raise IngestError(f"could not download {url} ({problem}); nothing was changed")


def _count(path: Path) -> int:
    try:
        return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    except OSError:
        return 0
