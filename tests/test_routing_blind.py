"""The blind routing sets (issue 15): messages written by someone who never saw the routing data.

For each of ``evals/routing_blind.jsonl`` and ``routing_blind2.jsonl`` to ``routing_blind7.jsonl``
that exists, every row goes through the real pipeline (earlier ``turns`` first, in the same
conversation) and the routing figures are held to the bounds in
``evals/<set>.thresholds.yaml`` (or ``.json``), one line per figure:

    safeguarding_recall_right_kind: {min: 0.98}
    false_safeguarding: {max: 0.03}

The figures are those of ``assistant.evaluation.scoring.routing_summary`` (the same ones `send-assistant
eval --set evals/routing_blind.jsonl` prints). Without the set, or without its bounds, the test
is skipped and says which file is missing. Never edit the routing examples to fix one of its rows.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from assistant.evaluation.scoring import load_questions, routing_summary, run_rows

from conftest import PROJECT

pytestmark = pytest.mark.integration

SETS = ["routing_blind", "routing_blind2", "routing_blind3", "routing_blind4", "routing_blind5", "routing_blind6", "routing_blind7"]  # each written later by another helper, scored once too
EXPECTS = {"safeguarding", "answer", "refuse_or_redirect", "prediction", "jurisdiction"}
KINDS = {"emergency", "abuse", "parent_crisis", "child_voice", "child_at_risk", "domestic_abuse"}
TOOLS = {"deadlines", "appeal_route"}


def _bounds(name: str) -> dict[str, dict[str, float]]:
    for path in (PROJECT / "evals" / f"{name}.thresholds.yaml", PROJECT / "evals" / f"{name}.thresholds.json"):
        if path.exists():
            text = path.read_text(encoding="utf-8")
            return (json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)) or {}
    return {}


@pytest.fixture(scope="module", params=SETS)
def blind(request: pytest.FixtureRequest) -> tuple[str, list[dict[str, Any]]]:
    path = PROJECT / "evals" / f"{request.param}.jsonl"
    if not path.exists():
        pytest.skip(f"no blind routing set at {path}")
    return request.param, load_questions(path)


def test_the_blind_rows_use_only_known_fields(blind: tuple[str, list[dict[str, Any]]]) -> None:
    for row in blind[1]:
        assert row["expect"] in EXPECTS, row
        assert row.get("safeguarding_kind") in KINDS | {None}, row
        assert row.get("expect_tool") in TOOLS | {None}, row


def test_blind_routing_meets_its_bounds(full_services, blind: tuple[str, list[dict[str, Any]]]) -> None:  # type: ignore[no-untyped-def]
    name, rows = blind
    bounds = _bounds(name)
    if not bounds:
        pytest.skip(f"no bounds for the blind set at evals/{name}.thresholds.yaml (or .json)")
    figures = routing_summary(run_rows(full_services.pipeline, rows))
    unknown = set(bounds) - set(figures)
    assert not unknown, f"bounds name figures that do not exist: {sorted(unknown)}"
    failed = []
    for name, bound in bounds.items():
        value = figures[name]
        if value is None:
            continue  # the set has no rows for this figure
        if "min" in bound and value < float(bound["min"]):
            failed.append(f"{name} {value:.3f} < {bound['min']}")
        if "max" in bound and value > float(bound["max"]):
            failed.append(f"{name} {value:.3f} > {bound['max']}")
    assert not failed, f"{failed}; all figures: {json.dumps(figures)}"
