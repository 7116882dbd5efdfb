"""Fuzz every operation in the OpenAPI schema with schemathesis, in-process against a real index.

For each operation, Hypothesis generates requests from the schema (valid and invalid ones);
every response must be no 5xx and must match the status codes, content types and bodies the
schema declares. Bounded: a few examples per operation, the whole file in well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="pip install schemathesis to fuzz the API")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from assistant.api.app import create_app  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TOKEN = "fuzz-admin-token-0123456789-abcdefgh"
EXAMPLES = 20
# Checks other than "no 5xx, and the response matches the schema". positive_data_acceptance is
# left to the full run against a server (see the README's "Fuzzing the API"), where
# schemathesis.toml says which tools answer 422 to well-formed but impossible input.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]
# Input the schema allows but a tool refuses, with the tool's own 422 sentence: random data
# rarely reaches these, so each is also sent on purpose and checked against the schema.
IMPOSSIBLE = [
    ("POST /api/deadlines", {"events": {"decision_notice": "2026-12-01"}, "today": "2026-11-23"}, "after today"),
    ("POST /api/deadlines", {"events": {"request_received": "2026-05-01", "draft_plan_served": "2026-04-01"}},
     "draft plan served (2026-04-01) is before request received"),
    ("POST /api/appeal-route", {"decision": "refuse_plan", "decision_date": "2026-12-01", "today": "2026-11-23"}, "after today"),
    ("POST /api/appeal-route", {"decision": "parking_fine"}, "decision: Input should be"),
    ("POST /api/letters", {"template": "nope"}, "template: must be one of"),
    ("POST /v1/chat/completions", {"messages": [{"role": "assistant", "content": "hello"}]}, "the user's question"),
]


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[Any]:
    from assistant.config import Settings
    from assistant.services import build_services, run_index
    from conftest import SMALL_CORPUS, write_corpus

    root = tmp_path_factory.mktemp("fuzz")
    corpus = write_corpus(root / "corpus", SMALL_CORPUS)
    config = Settings(data_dir=root / "data", corpus_dir=corpus, admin_token=TOKEN, rate_limit="none")
    run_index(config, embedder)
    services = build_services(config, embedder=embedder)
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app(services=services))


@contextmanager
def _admin_listed() -> Iterator[None]:
    """Build apps whose OpenAPI document lists the admin routes (the public one hides them), to fuzz them too."""
    from fastapi import APIRouter

    from assistant.api import admin

    def listed(*args: Any, **kwargs: Any) -> APIRouter:
        return APIRouter(*args, **{**kwargs, "include_in_schema": True})

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(admin, "APIRouter", listed)
        yield


@pytest.fixture(scope="module")
def fuzzed_admin(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[Any]:
    from assistant.config import Settings
    from assistant.services import build_services, run_index
    from conftest import SMALL_CORPUS, write_corpus

    root = tmp_path_factory.mktemp("fuzz-admin")
    corpus = write_corpus(root / "corpus", SMALL_CORPUS)
    config = Settings(data_dir=root / "data", corpus_dir=corpus, admin_token=TOKEN, rate_limit="none",
                      write_rate_limit="none", admin_rate_limit="none")
    run_index(config, embedder)
    services = build_services(config, embedder=embedder)
    with _admin_listed():
        app = create_app(services=services)
        app.openapi()
    yield schemathesis.openapi.from_asgi("/openapi.json", app)


def _operations(*, admin: bool = False) -> list[str]:
    """The operations to fuzz, read from a schema built without any index (paths only): the public
    ones, or (admin=True) the admin ones, which the public document leaves out."""
    from assistant.config import Settings
    from assistant.services import Services

    class _Nothing:
        pass

    services = Services(settings=Settings(admin_token=TOKEN), embedder=_Nothing(), conversations=_Nothing())  # type: ignore[arg-type]
    if admin:
        with _admin_listed():
            paths = create_app(services=services).openapi()["paths"]
    else:
        paths = create_app(services=services).openapi()["paths"]
    return [f"{method.upper()} {path}" for path, item in paths.items() for method in item
            if path.startswith("/api/admin") == admin]


def _fuzz(schema: Any, label: str, **checks: Any) -> None:
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, **checks)

    run()


@pytest.mark.parametrize("label", _operations())
def test_no_server_error_and_every_response_matches_the_schema(fuzzed: Any, label: str) -> None:
    _fuzz(fuzzed, label, excluded_checks=EXCLUDED)


@pytest.mark.parametrize("label", _operations(admin=True))
def test_the_admin_routes_answer_as_they_document(fuzzed_admin: Any, label: str) -> None:
    _fuzz(fuzzed_admin, label, excluded_checks=EXCLUDED)


def test_the_admin_routes_are_fuzzed_too() -> None:
    assert len(_operations(admin=True)) >= 6 and not [o for o in _operations() if "/api/admin" in o]


@pytest.mark.parametrize(("label", "body", "message"), IMPOSSIBLE)
def test_a_refused_request_gets_a_clear_422_that_matches_the_schema(fuzzed: Any, label: str, body: Any, message: str) -> None:
    operation = fuzzed.find_operation_by_label(label)
    assert operation is not None, label
    response = operation.Case(body=body, media_type="application/json").call_and_validate(excluded_checks=EXCLUDED)
    assert response.status_code == 422
    body = response.json()
    assert message in (body["error"]["message"] if label.startswith("POST /v1") else body["detail"])
