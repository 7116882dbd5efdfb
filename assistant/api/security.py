"""Security middleware: response headers and a request body size limit.

`SecurityHeadersMiddleware` adds to every response (never replacing a header a route set):

- `X-Content-Type-Options: nosniff` and `Referrer-Policy: strict-origin-when-cross-origin`;
- `Cache-Control: no-store` (answers, letters and conversations must not be kept by a shared
  computer's cache or shown again by its back button), except on static files, which get
  `no-cache` (kept, but checked against their ETag before each use, so a new release is seen
  at once); a route that sets its own (the embed's theme.css) keeps it;
- `Permissions-Policy` turning off camera, microphone, location, payment and sensors;
- `Content-Security-Policy`: for HTML, `default-src 'self'` with no inline script except
  scripts whose SHA-256 hash is listed (computed from the page itself); `frame-ancestors`
  comes from `assistant.api.embedding_policy.frame_ancestors(settings)` when that module
  exists, else `'self'`. Other responses get `default-src 'none'`.

`BodySizeLimitMiddleware` answers 413 to a body over the limit before anything parses it:
from `Content-Length` at once, or by counting a chunked body as it arrives.

    >>> inline_script_hashes('<script>go()</script><script src="/x.js"></script>')
    ["'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='"]
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024
CACHEABLE_PATHS = ("/static/",)  # the same for everyone: no-cache; every other response is no-store
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
# The API docs pages (Swagger UI, ReDoc) load their scripts and styles from a CDN.
DOCS_PATHS = ("/docs", "/redoc")
_DOCS_SOURCES = "https://cdn.jsdelivr.net"
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions allowing exactly the inline scripts in `html`."""
    hashes = []
    for body in _INLINE_SCRIPT.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return sorted(set(hashes))


def resolve_frame_ancestors(settings: Any) -> str:
    """The CSP frame-ancestors sources: the embedding policy's when it exists, else 'self'."""
    try:
        from assistant.api.embedding_policy import frame_ancestors  # type: ignore[import-not-found]
    except ImportError as exc:
        if exc.name not in ("assistant.api.embedding_policy", None):
            raise
        return "'self'"
    value = frame_ancestors(settings)
    text = value if isinstance(value, str) else " ".join(value)
    return text.removeprefix("frame-ancestors").strip().rstrip(";") or "'none'"


def page_policy(*, frame_ancestors: str, script_hashes: Iterable[str] = (), docs: bool = False) -> str:
    scripts = " ".join(["'self'", *([_DOCS_SOURCES] if docs else []), *script_hashes])
    styles = f"'self' {_DOCS_SOURCES} https://fonts.googleapis.com 'unsafe-inline'" if docs else "'self'"
    parts = [
        "default-src 'self'",
        f"script-src {scripts}",
        f"style-src {styles}",
        "img-src 'self' data:" + (" https://fastapi.tiangolo.com https://cdn.redoc.ly" if docs else ""),
        "font-src 'self'" + (" https://fonts.gstatic.com" if docs else ""),
        "connect-src 'self'",
        *(["worker-src blob:"] if docs else []),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ]
    return "; ".join(parts)


API_POLICY = "default-src 'none'; frame-ancestors 'none'"
# What every response carries, whatever it is; the middleware adds them, and so does uvicorn's own
# 400 (`assistant.api.server_protocol`), which the middleware never sees.
EVERY_RESPONSE: tuple[tuple[str, str], ...] = (
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("permissions-policy", PERMISSIONS_POLICY),
)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, frame_ancestors: str = "'self'") -> None:
        self.app = app
        self.frame_ancestors = frame_ancestors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = str(scope["path"]).startswith(DOCS_PATHS)
        held: list[Message] = []  # an HTML response's start and body, held to hash its scripts

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = _Headers(message["headers"])
                for name, value in EVERY_RESPONSE:
                    headers.setdefault(name, value)
                static = str(scope["path"]).startswith(CACHEABLE_PATHS) and message["status"] in (200, 304)
                headers.setdefault("cache-control", "no-cache" if static else "no-store")
                message["headers"] = headers.raw
                html = headers.get("content-type", "").startswith("text/html")
                if "content-security-policy" in headers:
                    await send(message)
                elif html and "content-length" in headers:
                    held.append(message)
                else:
                    policy = page_policy(frame_ancestors=self.frame_ancestors, docs=docs) if html else API_POLICY
                    headers.set("content-security-policy", policy)
                    await send(message)
                return
            if held and message["type"] == "http.response.body":
                held.append(message)
                if message.get("more_body", False):
                    return
                await self._send_html(held, send, docs=docs)
                held.clear()
                return
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _send_html(self, held: list[Message], send: Send, *, docs: bool) -> None:
        start, bodies = held[0], held[1:]
        body = b"".join(m.get("body", b"") for m in bodies)
        hashes = inline_script_hashes(body.decode("utf-8", errors="replace"))
        headers = _Headers(start["headers"])
        headers.set("content-security-policy", page_policy(frame_ancestors=self.frame_ancestors, script_hashes=hashes, docs=docs))
        start["headers"] = headers.raw
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})


class _Headers:
    """Just enough of a mutable, case-insensitive view over ASGI's raw header list."""

    def __init__(self, raw: Iterable[tuple[bytes, bytes]]) -> None:
        self.raw = list(raw)

    def __contains__(self, name: str) -> bool:
        key = name.encode()
        return any(k.lower() == key for k, _ in self.raw)

    def get(self, name: str, default: str = "") -> str:
        key = name.encode()
        return next((v.decode("latin-1") for k, v in self.raw if k.lower() == key), default)

    def set(self, name: str, value: str) -> None:
        key = name.encode()
        self.raw[:] = [(k, v) for k, v in self.raw if k.lower() != key] + [(key, value.encode("latin-1"))]

    def setdefault(self, name: str, value: str) -> None:
        if name not in self:
            self.raw.append((name.encode(), value.encode("latin-1")))


class BodySizeLimitMiddleware:
    """Refuses request bodies over `max_bytes` with 413, before the app reads them."""

    def __init__(self, app: ASGIApp, *, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _Headers(scope.get("headers", []))
        length = headers.get("content-length")
        if length.isdigit() and int(length) > self.max_bytes:
            await self._too_large(send, str(scope["path"]))
            return
        if "chunked" not in headers.get("transfer-encoding").lower():
            await self.app(scope, receive, send)
            return
        # A chunked body has no length up front: read it (bounded), then replay it.
        received, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                received.append(message)
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._too_large(send, str(scope["path"]))
                return
            received.append(message)
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return received.pop(0) if received else await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send, path: str) -> None:
        from assistant.api.errors import error_body

        detail = f"The request body is larger than the limit of {self.max_bytes // 1024} KB."
        body = json.dumps(error_body(path, 413, "too_large", detail)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"connection", b"close")],
            }
        )
        await send({"type": "http.response.body", "body": body})


def install(app: Any, settings: Any) -> None:
    """Add the protective middleware to `app` (outermost last: headers wrap every response)."""
    from assistant.api.ratelimit import RateLimitMiddleware

    limits = {"answers": settings.rate_limit, "writes": settings.write_rate_limit, "admin": settings.admin_rate_limit}
    app.add_middleware(RateLimitMiddleware, limits=limits)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeadersMiddleware, frame_ancestors=resolve_frame_ancestors(settings))
