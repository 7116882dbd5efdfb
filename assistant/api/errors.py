"""Every error the API sends, in one shape, and a boundary so that none escapes as a bare 500.

The JSON API answers `{"error": "<code>", "detail": "<a sentence>"}` (422s add `problems`,
one per field). Under `/v1/` the same errors take OpenAI's shape, so an OpenAI client shows
the reason and not just the status:

    >>> error_body("/v1/chat/completions", 422, "invalid_request", "messages: too long", param="messages")
    {'error': {'message': 'messages: too long', 'type': 'invalid_request_error', 'param': 'messages', 'code': 'invalid_request'}}
    >>> error_body("/api/chat", 503, "index_missing", "no index")
    {'error': 'index_missing', 'detail': 'no index'}

`ErrorBoundary` sits inside the security-headers middleware: an exception no handler caught
becomes a 500 in this shape, with the security headers like any other response, and is logged
(through the redacting log filter) with its traceback.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.access import NOT_FOUND, ConversationNotFound
from assistant.errors import BackendUnavailable, IndexMissing

log = logging.getLogger(__name__)

_OPENAI_TYPES = {401: "authentication_error", 403: "permission_error", 429: "rate_limit_error", 500: "server_error",
                 503: "server_error"}
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "busy", 413: "too_large", 422: "invalid_request", 429: "rate_limited", 500: "server_error",
          503: "unavailable"}
SERVER_ERROR = "Something went wrong on our side. Please try again; if it keeps happening, tell the service's owner."
_PARSE_ERROR = "The request body could not be read: send JSON in UTF-8, nested no more than a few hundred levels deep."


def error_body(path: str, status: int, error: str, detail: str, *, problems: list[dict[str, str]] | None = None,
               param: str | None = None) -> dict[str, Any]:
    """The body of an error response for `path` (OpenAI's shape under /v1/)."""
    if path.startswith("/v1/"):
        kind = _OPENAI_TYPES.get(status, "invalid_request_error")
        return {"error": {"message": detail, "type": kind, "param": param, "code": error}}
    body: dict[str, Any] = {"error": error, "detail": detail}
    if problems is not None:
        body["problems"] = problems
    return body


def error_response(request_or_path: Request | str, status: int, error: str, detail: str, *,
                   problems: list[dict[str, str]] | None = None, param: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    path = request_or_path if isinstance(request_or_path, str) else request_or_path.url.path
    content = error_body(path, status, error, detail, problems=problems, param=param)
    return JSONResponse(status_code=status, content=content, headers=headers)


def install(app: FastAPI) -> None:
    """The handlers for validation errors, HTTP errors and the domain's errors, and the boundary."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error.get("loc", ()) if part != "body") or "body"
            message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
            if error.get("type") == "json_invalid":
                message = f"the body is not valid JSON ({message})"
            elif error.get("type") in ("union_tag_invalid", "union_tag_not_found"):
                ctx = error.get("ctx", {})
                name = str(ctx.get("discriminator", "")).strip("'")
                field = ".".join(p for p in (field if field != "body" else "", name) if p)
                got = f"; got {ctx['tag']!r}" if "tag" in ctx else ""
                message = f"must be one of {ctx.get('expected_tags', 'the listed values')}{got}"
            problems.append({"field": field, "message": message})
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        param = problems[0]["field"] if problems else None
        return error_response(request, 422, "invalid_request", summary, problems=problems, param=param)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 400 and detail == "There was an error parsing the body":
            detail = _PARSE_ERROR
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed(request) or headers.get("Allow", "")
            detail = f"{request.method} is not allowed here; allowed: {headers['Allow'] or 'none'}"
        code = _CODES.get(exc.status_code, "error")
        return error_response(request, exc.status_code, code, detail, headers=headers)

    @app.exception_handler(ConversationNotFound)
    async def not_found(request: Request, exc: ConversationNotFound) -> JSONResponse:
        return error_response(request, 404, "not_found", NOT_FOUND)

    @app.exception_handler(IndexMissing)
    async def index_missing(request: Request, exc: IndexMissing) -> JSONResponse:
        return error_response(request, 503, "index_missing", str(exc))

    @app.exception_handler(BackendUnavailable)
    async def backend_down(request: Request, exc: BackendUnavailable) -> JSONResponse:
        return error_response(request, 503, "backend_unavailable", str(exc))

    app.add_middleware(ErrorBoundary)


def _allowed(request: Request) -> str | None:
    """Every method the API documents for this path (a path served by several routes, such as
    GET and POST /api/letters, would otherwise name only the first route's)."""
    for template, item in request.app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, request.url.path):
            return ", ".join(m.upper() for m in item if m in _HTTP_METHODS)
    return None


_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


class ErrorBoundary:
    """Turns an exception that reached it into a logged 500 in the API's error shape.

    A response that has already begun (a stream) cannot be replaced: then the exception goes
    on to the server, which closes the connection.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            log.exception("unhandled error answering %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = error_response(str(scope["path"]), 500, "server_error", SERVER_ERROR)
            await response(scope, receive, send)
