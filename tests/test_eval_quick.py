"""A quick eval in CI: the dev questions and the project's own sets through the real pipeline.

Thresholds sit a little below the measured figures (see the closing notes / evals/reports),
so a change that makes answers worse fails here. The full run is `send-assistant eval`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation.scoring import load_questions, run_rows, summarise

from conftest import PROJECT, SHARED

pytestmark = pytest.mark.integration

DEV = SHARED / "evals" / "dev_questions.jsonl"


def _summary(services, path: Path, limit: int | None = None) -> dict:  # type: ignore[no-untyped-def]
    rows = load_questions(path)[:limit] if limit else load_questions(path)
    return summarise(run_rows(services.pipeline, rows))


def test_dev_questions(full_services) -> None:  # type: ignore[no-untyped-def]
    if not DEV.exists():
        pytest.skip(f"the shared dev set is not at {DEV}")
    summary = _summary(full_services, DEV)
    assert summary["status_accuracy_by_expect"]["safeguarding"] == 1.0
    assert summary["status_accuracy"] >= 0.95
    assert summary["must_not_include_hits"] == 0
    assert summary["source_recall_at_5"] >= 0.75
    assert summary["must_include_pass"] >= 0.45


def test_own_questions(full_services) -> None:  # type: ignore[no-untyped-def]
    path = PROJECT / "evals" / "questions.jsonl"
    if not path.exists():
        pytest.skip("evals/questions.jsonl is not written yet")
    summary = _summary(full_services, path)
    assert summary["status_accuracy"] >= 0.9
    assert summary["must_not_include_hits"] <= 1
    assert summary["source_recall_at_5"] >= 0.6
