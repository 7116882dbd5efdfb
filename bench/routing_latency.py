"""What routing by meaning adds to an answer (issue 15 target: 5 ms p95, nothing embedded twice).

    python bench/routing_latency.py                 # the own and dev questions, built index in ./data

For each question it times, in the real pipeline: the embedding of the message (which retrieval
reuses, so it is not added by routing), the routing decision (safeguarding, jurisdiction, the
other labels) and the tool decision, and counts the texts given to the model for the whole
answer, to check none is embedded twice. Not a test: figures vary with the machine's load.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import get_settings  # noqa: E402
from assistant.services import build_services  # noqa: E402


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    services = build_services(get_settings())
    pipeline = services.ensure_ready()
    questions = []
    for path in (ROOT / "evals" / "questions.jsonl", ROOT.parent.parent / "shared" / "evals" / "dev_questions.jsonl",
                 Path("/work/shared/evals/dev_questions.jsonl")):
        if path.exists():
            questions += [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]
    embedder = services.embedder
    seen: list[str] = []
    original = type(embedder)._encode

    def counting(self, texts):  # type: ignore[no-untyped-def]
        seen.extend(texts)
        return original(self, texts)

    type(embedder)._encode = counting  # type: ignore[method-assign]
    decision, tools, embed, twice = [], [], [], 0
    for question in questions:
        embedder._cache.clear()
        seen.clear()
        started = time.perf_counter()
        pipeline.route_only(question)
        total = (time.perf_counter() - started) * 1000
        ctx = pipeline.route_only(question)  # timings of a warm run
        decision.append(ctx.timings.get("routing_decision", 0.0))
        embed.append(total)
        embedder._cache.clear()
        seen.clear()
        answer_ctx = pipeline.answer(question)
        twice += len(seen) != len(set(seen))
        del answer_ctx
    for question in questions[:40]:
        from assistant.routing.normalise import meaning_text

        vector = pipeline.retriever.question_vectors(meaning_text(question))[0]
        started = time.perf_counter()
        pipeline.router.tool(vector)
        pipeline.router.appeal_decision(vector)
        tools.append((time.perf_counter() - started) * 1000)
    print(f"{len(questions)} questions")
    print(f"routing decision: p50 {statistics.median(decision):.2f} ms, p95 {_p(decision, 0.95):.2f} ms")
    print(f"tool decision:    p50 {statistics.median(tools):.2f} ms, p95 {_p(tools, 0.95):.2f} ms")
    print(f"routing added (decision + tool) p95: {_p(decision, 0.95) + _p(tools, 0.95):.2f} ms")
    print(f"screen + embed + route (embedding shared with retrieval): p50 {statistics.median(embed):.1f} ms")
    print(f"answers where a text was embedded twice: {twice}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
