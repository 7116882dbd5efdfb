"""Rates such as "60/minute", and a token bucket per client that enforces one.

Plain Python: the settings validate a rate with `parse_rate`, and the API's middleware
(`assistant.api.ratelimit`) keeps one `TokenBuckets` per policy.

    >>> parse_rate("60/minute"), parse_rate("10/5minutes"), parse_rate("none")
    ((60, 60.0), (10, 300.0), None)
    >>> limiter = TokenBuckets(2, 60)
    >>> [limiter.take("1.2.3.4", now=0.0) for _ in range(3)]
    [0.0, 0.0, 30.0]
    >>> limiter.take("1.2.3.4", now=31.0)
    0.0
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

_SPEC = re.compile(r"^\s*(\d{1,9})\s*/\s*(\d{0,6})\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)
_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_DISABLED = {"none", "off", "unlimited"}


def parse_rate(spec: str) -> tuple[int, float] | None:
    """(requests, period in seconds) from "60/minute", "5/second", "1000/hour" or "10/5minutes";
    None for "none" (no limit). Anything else is a ValueError that quotes it."""
    if spec.strip().lower() in _DISABLED:
        return None
    match = _SPEC.match(spec)
    count, multiple = (int(match[1]), int(match[2] or 1)) if match else (0, 0)
    if not match or count == 0 or multiple == 0:
        raise ValueError(f'must look like "60/minute", "5/second", "1000/hour" or "none"; got {spec!r}')
    return count, float(multiple * _SECONDS[match[3].lower()])


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
        """Buckets for a rate such as "60/minute"; None when the rate is "none"."""
        rate = parse_rate(spec)
        return None if rate is None else cls(*rate)

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
