"""Who may frame the assistant and call its API from a browser: settings.embed_allowed_origins.

    SEND_ASSISTANT_EMBED_ALLOWED_ORIGINS='["https://www.northlincs.gov.uk"]'

Every page carries `Content-Security-Policy: ... frame-ancestors 'self' <origins>` (only
'self' by default), so a page on any other site cannot show the chat in a frame. CORS is
allowed for the same origins only. `assistant.api.security` writes the full CSP with
`frame_ancestors(settings)`; `FrameAncestorsMiddleware` fills in when nothing else does.

    >>> from assistant.config import Settings
    >>> frame_ancestors(Settings(embed_allowed_origins=["https://council.example/"]))
    "frame-ancestors 'self' https://council.example"
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.config import ORIGIN, Settings
from assistant.errors import ConfigError


def allowed_origins(settings: Settings) -> list[str]:
    """The configured origins, normalised (lower case, no trailing slash); a bad one is a ConfigError."""
    origins = []
    for raw in settings.embed_allowed_origins:
        origin = raw.strip().rstrip("/").lower()
        if not ORIGIN.match(origin):
            raise ConfigError(
                f"embed_allowed_origins must hold origins like https://www.council.gov.uk "
                f"(https, a host and an optional port; no path, no wildcard); got {raw!r}"
            )
        if origin not in origins:
            origins.append(origin)
    return origins


def frame_ancestors(settings: Settings) -> str:
    """The CSP frame-ancestors directive for these settings."""
    return " ".join(["frame-ancestors", "'self'", *allowed_origins(settings)])


def merge_csp(existing: str | None, directive: str) -> str:
    """`existing` CSP with its frame-ancestors directive replaced by (or extended with) `directive`.

    >>> merge_csp("default-src 'self'; frame-ancestors 'none'", "frame-ancestors 'self'")
    "default-src 'self'; frame-ancestors 'self'"
    """
    kept = [d.strip() for d in (existing or "").split(";") if d.strip() and not d.strip().lower().startswith("frame-ancestors")]
    return "; ".join([*kept, directive])


class FrameAncestorsMiddleware:
    """Makes every HTTP response say who may frame it (pure ASGI, so streaming is untouched).

    A CSP already on the response gets its frame-ancestors directive replaced by ours. A
    response with no CSP gets one with only that directive, unless a middleware outside this
    one writes the CSP itself (`assistant.api.security.SecurityHeadersMiddleware` builds the
    whole policy with `frame_ancestors(settings)`; setting ours first would make it stand aside).
    """

    CSP_OWNERS = ("SecurityHeadersMiddleware",)

    def __init__(self, app: ASGIApp, *, directive: str) -> None:
        self.app = app
        self.directive = directive
        self._owner_outside: bool | None = None

    def _csp_owned_outside(self, scope: Scope) -> bool:
        if self._owner_outside is None:
            stack = [m.cls for m in getattr(scope.get("app"), "user_middleware", [])]  # outermost first
            mine = next((i for i, cls in enumerate(stack) if cls is type(self)), len(stack))
            self._owner_outside = any(getattr(cls, "__name__", "") in self.CSP_OWNERS for cls in stack[:mine])
        return self._owner_outside

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        owned_outside = self._csp_owned_outside(scope)

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                existing = next((v.decode("latin-1") for k, v in raw if k.lower() == b"content-security-policy"), None)
                if existing is not None or not owned_outside:
                    headers = [(k, v) for k, v in raw if k.lower() != b"content-security-policy"]
                    headers.append((b"content-security-policy", merge_csp(existing, self.directive).encode("latin-1")))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_policy)


def install_embed_policy(app: FastAPI, settings: Settings) -> None:
    """Add the frame-ancestors header and, when origins are configured, CORS for them."""
    origins = allowed_origins(settings)
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
            allow_credentials=False,
            max_age=600,
        )
    app.add_middleware(FrameAncestorsMiddleware, directive=frame_ancestors(settings))
