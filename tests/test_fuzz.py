"""Fuzz every operation in the OpenAPI schema with schemathesis, in-process against a real index.

For each operation, Hypothesis generates requests from the schema (valid and invalid ones);
every response must be no 5xx and must match the status codes, content types and bodies the
schema declares. Bounded: a few examples per operation, the whole file in well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="pip install schemathesis to fuzz the API")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from assistant.api.app import create_app  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TOKEN = "fuzz-admin-token"
EXAMPLES = 20
# Checks other than "no 5xx, and the response matches the schema". positive_data_acceptance
# fails while ChatRequest.message's limits live only in a validator (the schema allows ""): see
# the proposed `Field(min_length=1, max_length=4000, pattern=r"\S")` in assistant/api/schemas.py.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]
# The tools routes answer a bad combination of fields with 422 {"detail": "<sentence>"}, while
# their schema promises FastAPI's validation shape ({"detail": [{"loc": ..., "msg": ...}]}).
# Fix: declare `responses={422: {"model": ToolProblem}}` (detail: str) on those routes.
_TOOLS_422 = "tools_routes.py: 422 body {detail: str} is not the declared HTTPValidationError"
_OPENAI_422 = "openai_compat.py: 422 body {detail: str} is not the declared HTTPValidationError"
KNOWN_MISMATCHES = {
    "POST /api/deadlines": _TOOLS_422,
    "POST /api/appeal-route": _TOOLS_422,
    "POST /api/letters": _TOOLS_422,
    "POST /v1/chat/completions": _OPENAI_422,
}


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


def _operations() -> list[str]:
    """The operations to fuzz, read from a schema built without any index (paths only)."""
    from assistant.config import Settings
    from assistant.services import Services

    class _Nothing:
        pass

    services = Services(settings=Settings(admin_token=TOKEN), embedder=_Nothing(), conversations=_Nothing())  # type: ignore[arg-type]
    paths = create_app(services=services).openapi()["paths"]
    return [f"{method.upper()} {path}" for path, item in paths.items() for method in item]


def _fuzz(schema: Any, label: str, **checks: Any) -> None:
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, **checks)

    run()


@pytest.mark.parametrize("label", [label for label in _operations() if label not in KNOWN_MISMATCHES])
def test_no_server_error_and_every_response_matches_the_schema(fuzzed: Any, label: str) -> None:
    _fuzz(fuzzed, label, excluded_checks=EXCLUDED)


@pytest.mark.parametrize("label", [label for label in _operations() if label in KNOWN_MISMATCHES])
def test_no_server_error_where_the_schema_is_known_to_be_off(fuzzed: Any, label: str) -> None:
    _fuzz(fuzzed, label, checks=[schemathesis.checks.not_a_server_error])


@pytest.mark.parametrize(
    "label",
    [
        pytest.param(label, marks=pytest.mark.xfail(reason=KNOWN_MISMATCHES[label], strict=False))
        for label in _operations()
        if label in KNOWN_MISMATCHES
    ],
)
def test_known_schema_mismatches(fuzzed: Any, label: str) -> None:
    _fuzz(fuzzed, label, excluded_checks=EXCLUDED)
