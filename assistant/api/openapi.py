"""The OpenAPI document, made to say what the server really answers.

FastAPI lists each route's own responses. This adds the answers the middleware and the
error handlers give, read from the same rules they follow:

- 400 and 413 on every operation with a request body (unreadable JSON, over 64 KB);
- 422 in the shape the handler sends (`InvalidRequestOut`, not FastAPI's `HTTPValidationError`);
- 429, with `Retry-After`, on exactly the operations `assistant.api.ratelimit.bucket_for`
  limits (and only when that bucket's rate is not "none");
- under /v1/, every error in OpenAI's shape (`OpenAIErrorOut`).

The admin routes are not in this document (they are registered with include_in_schema=False).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from assistant.api.ratelimit import bucket_for
from assistant.api.schemas import ErrorOut, InvalidRequestOut, OpenAIErrorOut
from assistant.config import Settings
from assistant.rate_limits import parse_rate

_METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}


def install(app: FastAPI, settings: Settings) -> None:
    limits = {"answers": settings.rate_limit, "writes": settings.write_rate_limit, "admin": settings.admin_rate_limit}
    limited = {name for name, spec in limits.items() if parse_rate(spec) is not None}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            app.openapi_schema = refine(schema, limited_buckets=limited)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def refine(schema: dict[str, Any], *, limited_buckets: set[str]) -> dict[str, Any]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, InvalidRequestOut, OpenAIErrorOut):
        found = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(found.pop("$defs", {}))
        components[model.__name__] = found
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method in _METHODS:
                _refine_operation(path, method, operation, limited_buckets)
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


def _refine_operation(path: str, method: str, operation: dict[str, Any], limited_buckets: set[str]) -> None:
    openai = path.startswith("/v1/")
    error = _ref("OpenAIErrorOut" if openai else "ErrorOut")
    responses = operation.setdefault("responses", {})
    has_input = "requestBody" in operation or bool(operation.get("parameters"))
    if "422" in responses or has_input:
        shape = "OpenAIErrorOut" if openai else "InvalidRequestOut"
        responses["422"] = {"description": "The request does not fit the schema, or asks the impossible",
                            "content": {"application/json": {"schema": _ref(shape)}}}
    if "requestBody" in operation:
        responses.setdefault("400", {"description": "The body could not be read (not UTF-8 JSON, or nested too deep)",
                                     "content": {"application/json": {"schema": error}}})
        responses.setdefault("413", {"description": "The body is larger than 64 KB",
                                     "content": {"application/json": {"schema": error}}})
    bucket = bucket_for(method, path)
    if bucket in limited_buckets:
        responses["429"] = {"description": f"Too many requests from this address ({bucket}): try again after Retry-After seconds",
                            "headers": _RETRY_AFTER, "content": {"application/json": {"schema": error}}}
    for status, response in responses.items():
        if openai and status[:1] in "45":
            response["content"] = {"application/json": {"schema": _ref("OpenAIErrorOut")}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}
