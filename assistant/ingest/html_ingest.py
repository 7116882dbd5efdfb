"""Web pages into a source: one page, a list of URLs, a sitemap, or a saved .html file.

    >>> from assistant.ingest.common import Request                            # doctest: +SKIP
    >>> source, result = ingest_html(settings, Request("https://example.org/sitemap.xml",
    ...     LegalStatus.LOCAL, local_authority="Demoshire"))                    # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.errors import IngestError
from assistant.ingest.common import IngestResult, Progress, Request, is_url, source_key
from assistant.ingest.html import default_source, parse_page
from assistant.ingest.html_crawl import Crawler, read_sitemap, read_url_list
from assistant.models import Document

STATE_DIR = "ingest-state"


def ingest_html(settings: Settings, request: Request, *, progress: Progress | None = None, delay: float = 1.0) -> tuple[str, IngestResult]:
    target = request.path_or_url
    if not is_url(target) and Path(target).suffix.lower() in (".html", ".htm"):
        source = request.source or default_source(request.url, request.local_authority)
        docs = parse_page(Path(target).read_bytes(), url=request.url, source=source, status=request.status, local_authority=request.local_authority, name=target)
        return source, IngestResult(documents=docs)
    urls = _urls(target)
    source = request.source or default_source(urls[0] if urls else target, request.local_authority)
    state = settings.data_dir / STATE_DIR / f"{source_key(source, request.local_authority)}.json"
    crawler = Crawler(state_path=state, delay=delay)
    if is_url(target) and target.lower().rstrip("/").endswith(".xml"):
        urls = crawler.sitemap_pages(target)
    if not urls:
        raise IngestError(f"{target} lists no pages")

    def parse(content: bytes, url: str) -> list[Document]:
        return parse_page(content, url=url, source=source, status=request.status, local_authority=request.local_authority)

    return source, crawler.crawl(urls, parse, progress=progress)


def _urls(target: str) -> list[str]:
    if is_url(target):
        return [] if target.lower().rstrip("/").endswith(".xml") else [target]
    path = Path(target)
    data = path.read_bytes()
    if path.suffix.lower() == ".xml":
        pages, nested = read_sitemap(data, origin=target)
        return pages + nested
    return read_url_list(data.decode("utf-8", errors="replace"))
