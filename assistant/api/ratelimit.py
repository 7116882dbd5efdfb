"""Per-client rate limiting for the answer routes: a token bucket per client address.

Applied as ASGI middleware by path prefix, so routes other modules add under the prefixes
(`/api/chat/stream`, `/v1/chat/completions`) are limited without knowing about it. A client
over its limit gets a 429 with a JSON body and a `Retry-After` header:

    >>> limiter = TokenBuckets.from_spec("2/minute")
    >>> [limiter.take("1.2.3.4", now=0.0) for _ in range(3)]
    [0.0, 0.0, 30.0]
    >>> limiter.take("1.2.3.4", now=31.0)
    0.0

The key is the client address uvicorn reports. Behind a reverse proxy, run uvicorn with
`--proxy-headers --forwarded-allow-ips=<proxy>` so that address is the visitor's, not the
proxy's. Buckets live in process memory: with N workers each allows the rate, so a
deployment with several workers or machines should also limit at its proxy.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

LIMITED_PREFIXES = ("/api/chat", "/v1/")
_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)
_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_DISABLED = {"", "0", "none", "off", "unlimited"}


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """`capacity` requests at once, refilled at `capacity / period` per second, per key."""

    def __init__(self, capacity: int, period: float, *, max_keys: int = 50_000) -> None:
        if capacity <= 0 or period <= 0:
            raise ValueError(f"a rate limit needs a positive count and period; got {capacity}/{period}s")
        self.capacity = capacity
        self.rate = capacity / period
        self.max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}

    @classmethod
    def from_spec(cls, spec: str) -> TokenBuckets | None:
        """Parse "60/minute", "5/second", "1000/hour" or "10/5minutes"; "none" turns limiting off."""
        if spec.strip().lower() in _DISABLED:
            return None
        match = _SPEC.match(spec)
        if not match:
            raise ValueError(f'rate_limit must look like "60/minute" or "none"; got {spec!r}')
        count, multiple, unit = int(match[1]), int(match[2] or 1), match[3].lower()
        if count == 0:
            return None
        return cls(count, multiple * _SECONDS[unit])

    def take(self, key: str, *, now: float | None = None) -> float:
        """Spend one token for `key`: 0.0 when allowed, else the seconds until one is free."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(self.capacity), now)
        bucket.tokens = min(float(self.capacity), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled (they hold no state worth keeping); bounds memory."""
        full = [k for k, b in self._buckets.items() if b.tokens + (now - b.updated) * self.rate >= self.capacity]
        for key in full or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[key]


class RateLimitMiddleware:
    """Answers 429 to a client that exceeds the limit on any path under `prefixes`."""

    def __init__(self, app: ASGIApp, *, limit: str, prefixes: Sequence[str] = LIMITED_PREFIXES) -> None:
        self.app = app
        self.buckets = TokenBuckets.from_spec(limit)
        self.prefixes = tuple(prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.buckets is None or scope["type"] != "http" or not str(scope["path"]).startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.buckets.take(client[0] if client else "unknown")
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        seconds = max(1, math.ceil(wait))
        body = json.dumps(
            {"error": "rate_limited", "detail": f"Too many questions from this address: try again in {seconds} seconds."}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(seconds).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
