"""Live Open Referral UK endpoints: page through `/services` politely and robustly.

A timeout, a connection failure, a 429 or a 5xx is retried with exponential backoff; a page
that is not JSON, or one that still fails after the retries, raises IngestError naming the
page. Nothing is returned half-way, so the caller saves nothing and the index keeps serving
what it had.

    >>> services_url("https://directory.example/api/v3")
    'https://directory.example/api/v3/services'
    >>> records = fetch_services("https://directory.example/api/v3")   # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from assistant.errors import IngestError
from assistant.ingest.common import USER_AGENT, Progress
from assistant.ingest.oruk import Record, service_records


def services_url(url: str) -> str:
    """`https://x/api` -> `https://x/api/services`; a URL already naming services is kept."""
    path = httpx.URL(url).path.rstrip("/")
    return url if path.endswith("services") else url.rstrip("/") + "/services"


def fetch_services(
    url: str,
    *,
    per_page: int = 100,
    timeout: float = 20.0,
    retries: int = 3,
    backoff: float = 1.0,
    max_pages: int = 2000,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Record]:
    """Every service from a live endpoint, page by page. Raises IngestError naming the failed page."""
    endpoint = services_url(url)
    own = client is None
    http = client or httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=True)
    records: list[Record] = []
    seen: set[str] = set()
    try:
        for page in range(1, max_pages + 1):
            data = _get_page(http, endpoint, page, per_page, retries=retries, backoff=backoff, sleep=sleep, fetched=len(records))
            batch = service_records(data, origin=f"page {page} of {endpoint}")
            ids = [str(r.get("id")) for r in batch if r.get("id")]
            if ids and all(i in seen for i in ids):
                break  # the endpoint ignores ?page= and sent the same services again
            seen.update(ids)
            records.extend(batch)
            total = _int(data, "total_items", "totalElements") if isinstance(data, dict) else None
            if progress:
                progress("fetching services", len(records), total)
            if not isinstance(data, dict) or not batch or _last(data, page):
                break
    finally:
        if own:
            http.close()
    return records


def _get_page(http: httpx.Client, endpoint: str, page: int, per_page: int, *, retries: int, backoff: float, sleep: Callable[[float], None], fetched: int) -> Any:
    problem = ""
    for attempt in range(retries + 1):
        try:
            response = http.get(endpoint, params={"page": page, "per_page": per_page})
        except httpx.TimeoutException:
            problem = "the request timed out"
        except httpx.TransportError as exc:
            problem = f"the connection failed ({exc.__class__.__name__}: {exc})"
        else:
            if response.status_code < 400:
                try:
                    return response.json()
                except ValueError as exc:
                    raise IngestError(f"page {page} of {endpoint} is not valid JSON ({exc}); {fetched} services fetched before it were not saved") from exc
            problem = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                break
        if attempt < retries:
            sleep(backoff * 2**attempt)
    raise IngestError(f"page {page} of {endpoint} failed ({problem}) after {attempt + 1} attempt(s); {fetched} services fetched before it were not saved")


def _int(data: dict[str, Any], *keys: str) -> int | None:
    for key in keys:
        if isinstance(data.get(key), int):
            return int(data[key])
    return None


def _last(data: dict[str, Any], page: int) -> bool:
    if data.get("last_page") is True or data.get("last") is True or data.get("empty") is True:
        return True
    pages = _int(data, "total_pages", "totalPages")
    return pages is not None and page >= pages
