"""One rate-limit policy for every route that answers or writes: a token bucket per client address.

`bucket_for(method, path)` is the whole policy, and the OpenAPI document's 429s are read
from it, so the two cannot disagree:

- **answers** (`SEND_ASSISTANT_RATE_LIMIT`, default 60/minute): `POST /api/chat`,
  `/api/chat/stream`, `/v1/chat/completions`, and the chat forms without JavaScript
  (`POST /` and `POST /embed`), which run the same pipeline and share the same bucket;
- **admin** (`SEND_ASSISTANT_ADMIN_RATE_LIMIT`, default 30/minute): every `/api/admin/...`
  request, refused ones included, so a token cannot be guessed at speed;
- **writes** (`SEND_ASSISTANT_WRITE_RATE_LIMIT`, default 120/minute): every other request that
  is not a GET, HEAD or OPTIONS: feedback, letters, deadlines, appeal route, the tools forms, DELETE.

    >>> bucket_for("POST", "/embed"), bucket_for("DELETE", "/api/conversations/x"), bucket_for("GET", "/v1/models")
    ('answers', 'writes', None)

A client over a limit gets 429 with `Retry-After`: JSON for the API (in OpenAI's error shape
under /v1), and for a page a short HTML page that says when to try again. The key is the
client address uvicorn reports: behind a reverse proxy, run uvicorn with
`--proxy-headers --forwarded-allow-ips=<proxy>`. Buckets live in process memory, so with N
workers each allows the rate: limit at the proxy too.
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.rate_limits import TokenBuckets

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_ANSWER_ROUTES = ("/api/chat", "/api/chat/stream", "/v1/chat/completions", "/", "/embed")


def bucket_for(method: str, path: str) -> str | None:
    """Which bucket a request spends from: "answers", "admin", "writes", or None (not limited)."""
    if path == "/api/admin" or path.startswith("/api/admin/"):
        return "admin"
    if method.upper() in SAFE_METHODS:
        return None
    if method.upper() == "POST" and path.rstrip("/") in {p.rstrip("/") for p in _ANSWER_ROUTES}:
        return "answers"
    return "writes"


def wait_words(seconds: int) -> str:
    """ "30 seconds", "1 minute", "3 minutes": how long to wait, as a person would say it.

    >>> wait_words(1), wait_words(59), wait_words(61), wait_words(3600)
    ('1 second', '59 seconds', '2 minutes', '60 minutes')
    """
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class RateLimitMiddleware:
    """Answers 429 to a client that has spent its bucket for this kind of request."""

    def __init__(self, app: ASGIApp, *, limits: dict[str, str]) -> None:
        self.app = app
        self.buckets = {name: TokenBuckets.from_spec(spec) for name, spec in limits.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        name = bucket_for(scope["method"], scope["path"])
        buckets = self.buckets.get(name) if name else None
        client = scope.get("client")
        wait = buckets.take(client[0] if client else "unknown") if buckets else 0.0
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        seconds = max(1, math.ceil(wait))
        response = _too_many(scope, seconds, answers=name == "answers")
        await response(scope, receive, send)


def _too_many(scope: Scope, seconds: int, *, answers: bool) -> Response:
    path = str(scope["path"])
    what = "questions" if answers else "requests"
    detail = f"Too many {what} from this address: try again in {wait_words(seconds)}."
    headers = {"Retry-After": str(seconds), "Cache-Control": "no-store"}
    if path.startswith("/v1/"):
        error = {"message": detail, "type": "rate_limit_error", "param": None, "code": "rate_limit_exceeded"}
        return Response(json.dumps({"error": error}), 429, headers, media_type="application/json")
    if path.startswith("/api/"):
        return Response(json.dumps({"error": "rate_limited", "detail": detail}), 429, headers, media_type="application/json")
    request = Request(scope)
    templates: Any = getattr(request.app.state, "templates", None)
    if templates is None:
        return Response(detail, 429, headers, media_type="text/plain")
    layout = "embed" if path.rstrip("/") == "/embed" else "full"
    context = {"layout": layout, "colour": "", "theme_css": "", "wait": wait_words(seconds), "answers": answers,
               "back": _back_link(request, layout)}
    return templates.TemplateResponse(request, "too_many.html", context, status_code=429, headers=headers)


def _back_link(request: Request, layout: str) -> str:
    """The page the visitor came from on this site (the embed keeps its council), else the chat."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path in ("/", "/embed", "/tools/letters",
                                                                  "/tools/deadlines", "/tools/appeal"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/embed" if layout == "embed" else "/"
