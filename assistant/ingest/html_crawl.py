"""Fetching a list of pages politely and resumably: robots.txt, a rate limit, a User-Agent.

The state file (`<data_dir>/ingest-state/<key>.json`) records each page done with its content
hash and its documents. A run that stops half-way (killed, network down) resumes where it
stopped: pages already done are not fetched again. A later full run fetches every page but
re-parses only those whose content changed.

    >>> crawler = Crawler(state_path=Path("data/ingest-state/demo.json"), delay=1.0)  # doctest: +SKIP
    >>> result = crawler.crawl(["https://example.org/local-offer/short-breaks"], parse)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib import robotparser
from urllib.parse import urljoin, urlparse

import httpx
from lxml import etree

from assistant.errors import IngestError
from assistant.ingest.common import USER_AGENT, IngestResult, Progress
from assistant.models import Document, LegalStatus, PassageKind

Parse = Callable[[bytes, str], list[Document]]


def read_sitemap(data: bytes, *, origin: str = "the sitemap") -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) listed in a sitemap.xml or sitemap index."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"{origin} is not a valid sitemap ({exc})") from exc
    locs = [(e.getparent(), (e.text or "").strip()) for e in root.iter("{*}loc")]
    pages = [loc for parent, loc in locs if loc and etree.QName(parent).localname == "url"]
    nested = [loc for parent, loc in locs if loc and etree.QName(parent).localname == "sitemap"]
    return pages, nested


def read_url_list(text: str) -> list[str]:
    """URLs from a text file, one a line; blank lines and # comments are ignored."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


class Crawler:
    def __init__(
        self,
        *,
        state_path: Path,
        delay: float = 1.0,
        timeout: float = 20.0,
        user_agent: str = USER_AGENT,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.state_path = state_path
        self.delay = delay
        self.user_agent = user_agent
        self.client = client or httpx.Client(timeout=timeout, headers={"User-Agent": user_agent}, follow_redirects=True)
        self.sleep = sleep
        self._robots: dict[str, robotparser.RobotFileParser] = {}
        self._last_request: dict[str, float] = {}

    def get(self, url: str) -> httpx.Response:
        """One polite GET: waits out the rate limit for the URL's host first."""
        host = urlparse(url).netloc
        wait = self._delay_for(url) - (time.monotonic() - self._last_request.get(host, -1e9))
        if wait > 0:
            self.sleep(wait)
        try:
            return self.client.get(url)
        except httpx.HTTPError as exc:
            raise IngestError(f"could not fetch {url} ({exc.__class__.__name__}: {exc})") from exc
        finally:
            self._last_request[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        return self._robots_for(url).can_fetch(self.user_agent, url)

    def sitemap_pages(self, url: str, *, depth: int = 2) -> list[str]:
        response = self.get(url)
        if response.status_code >= 400:
            raise IngestError(f"the sitemap {url} returned HTTP {response.status_code}")
        pages, nested = read_sitemap(response.content, origin=url)
        for inner in nested if depth > 0 else []:
            pages.extend(self.sitemap_pages(urljoin(url, inner), depth=depth - 1))
        return list(dict.fromkeys(pages))

    def crawl(self, urls: Sequence[str], parse: Parse, *, progress: Progress | None = None) -> IngestResult:
        """Fetch and parse every URL; pages that fail are listed in result.errors, not fatal."""
        state = self._load_state()
        resuming = not state.get("complete", True)
        pages: dict[str, Any] = dict(state.get("pages") or {})
        self._save_state(pages, complete=False)
        result = IngestResult()
        for n, url in enumerate(urls, start=1):
            if progress:
                progress("fetching pages", n - 1, len(urls))
            done = pages.get(url)
            if resuming and done:
                result.documents.extend(_documents(done["documents"]))
                continue
            try:
                documents = self._page(url, parse, done, result)
            except IngestError as exc:
                result.errors.append(str(exc))
                continue
            if documents is not None:
                pages[url] = {"hash": documents[0], "documents": [_record(d) for d in documents[1]]}
                result.documents.extend(documents[1])
                self._save_state(pages, complete=False)
        self._save_state({u: p for u, p in pages.items() if u in set(urls)}, complete=True)
        if progress:
            progress("fetching pages", len(urls), len(urls))
        if not result.documents:
            raise IngestError("no page gave any content: " + "; ".join(result.errors or ["no URLs"]))
        return result

    def _page(self, url: str, parse: Parse, done: dict[str, Any] | None, result: IngestResult) -> tuple[str, list[Document]] | None:
        if not self.allowed(url):
            result.skip(f"{url} is disallowed by robots.txt")
            return None
        response = self.get(url)
        if response.status_code >= 400:
            raise IngestError(f"{url} returned HTTP {response.status_code}")
        kind = response.headers.get("content-type", "text/html")
        if "html" not in kind:
            result.skip(f"{url} is {kind.split(';')[0]}, not an HTML page")
            return None
        digest = hashlib.sha256(response.content).hexdigest()
        if done and done.get("hash") == digest:
            return digest, _documents(done["documents"])  # unchanged since the last run
        return digest, parse(response.content, str(response.url))

    def _robots_for(self, url: str) -> robotparser.RobotFileParser:
        parts = urlparse(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            parser = robotparser.RobotFileParser(root + "/robots.txt")
            try:
                response = self.client.get(root + "/robots.txt")
                status = response.status_code
            except httpx.HTTPError:
                status, response = 503, None
            if status in (401, 403) or status >= 500:
                parser.disallow_all = True
            elif status >= 400 or response is None:
                parser.allow_all = True
            else:
                parser.parse(response.text.splitlines())
            self._robots[root] = parser
        return self._robots[root]

    def _delay_for(self, url: str) -> float:
        robots = self._robots.get(f"{urlparse(url).scheme}://{urlparse(url).netloc}")
        crawl_delay = robots.crawl_delay(self.user_agent) if robots else None
        return max(self.delay, float(crawl_delay or 0))

    def _load_state(self) -> dict[str, Any]:
        try:
            return dict(json.loads(self.state_path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}

    def _save_state(self, pages: dict[str, Any], *, complete: bool) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"complete": complete, "pages": pages}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.state_path)


def _record(doc: Document) -> dict[str, Any]:
    record = asdict(doc)
    record["status"] = doc.status.value
    record["questions"] = list(doc.questions)
    return record


def _documents(records: list[dict[str, Any]]) -> list[Document]:
    return [
        Document(**{
            **r,
            "status": LegalStatus(r["status"]),
            "questions": tuple(r.get("questions") or ()),
            "kind": PassageKind(r.get("kind") or PassageKind.OFFICIAL.value),
            "basis": tuple(r.get("basis") or ()),
            "next_steps": tuple(r.get("next_steps") or ()),
        })
        for r in records
    ]
