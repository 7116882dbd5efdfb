"""`send-assistant eval`: run question sets through the same pipeline as the API and report."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from assistant.config import PROJECT_ROOT, Settings

NAME = "eval"
DEV_SET = PROJECT_ROOT.parent / "shared" / "evals" / "dev_questions.jsonl"
OWN_SETS = [PROJECT_ROOT / "evals" / "questions.jsonl", PROJECT_ROOT / "evals" / "answer_first.jsonl",
            PROJECT_ROOT / "evals" / "routing.jsonl"]
REPORTS = PROJECT_ROOT / "evals" / "reports"


def default_sets() -> list[Path]:
    return [p for p in [DEV_SET, *OWN_SETS] if p.exists()]


def _shown(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary to print: rounded, without the per-expect table, routing figures only where present."""
    out: dict[str, Any] = {}
    for key, value in summary.items():
        if key == "status_accuracy_by_expect":
            continue
        if key == "routing":
            value = {k: round(v, 3) for k, v in value.items() if v is not None}
        out[key] = round(value, 3) if isinstance(value, float) else value
    return out


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", dest="sets", action="append", type=Path, help="a JSONL question set (repeatable); default: the dev set and evals/*.jsonl")
    p.add_argument("--baseline", action="store_true", help="also score a naive LangChain RAG retriever on source recall")
    p.add_argument("--limit", type=int, default=None, help="only the first N questions of each set")
    p.add_argument("--report", type=Path, default=None, help="where to write the Markdown report")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the eval question sets and write a Markdown report to evals/reports/.

    Example: send-assistant eval --set ../shared/evals/dev_questions.jsonl --baseline
    """
    from assistant.evaluation.scoring import Result, by_category, load_questions, markdown_report, run_rows, sources_recall, summarise
    from assistant.services import build_services

    services = build_services(settings)
    pipeline = services.ensure_ready()
    sets = args.sets or default_sets()
    sections = []
    overall: list[Result] = []
    for path in sets:
        rows = load_questions(path)[: args.limit] if args.limit else load_questions(path)
        results = run_rows(pipeline, rows)
        overall.extend(results)
        summary = summarise(results)
        baseline = None
        if args.baseline:
            from assistant.evaluation.baseline import NaiveRag

            naive = NaiveRag.build(settings, services.embedder)
            baseline = {"source_recall_at_5": sources_recall(rows, naive.cited)}
        sections.append(markdown_report(f"{path.name}", summary, by_category(results), results, baseline))
        print(f"{path.name}: " + json.dumps(_shown(summary)))
    total = summarise(overall)
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = args.report or REPORTS / f"eval-{time.strftime('%Y%m%d-%H%M%S')}.md"
    report.write_text(markdown_report("All sets", total, by_category(overall), []) + "\n" + "\n".join(sections))
    print("overall: " + json.dumps(_shown(total)))
    print(f"report: {report}")
    return 0
