"""Where the time goes when /api/chat answers: per pipeline step, per component, and a profile.

    python bench/profile_answer.py --data-dir data              (needs a built index)
    python bench/profile_answer.py --data-dir data --html profile.html

In-process, no HTTP: the answer path only. Prints the mean time of each pipeline step, how
many texts reach the embedding model per answer (the question must be embedded once, however
many steps need its vector), the mean time of the main components called alone (question
embedding, Chroma query, BM25, sentence rerank, the conversation store), and a pyinstrument
profile of `--rounds` answers (cProfile if pyinstrument is not installed).

Questions are distinct variants (see run.variant), so the embedder's cache of recent query
vectors only saves what it saves in production: the second embedding of the same question.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CLOSINGS, OPENINGS, QUESTIONS, variant  # noqa: E402


def mean_ms(fn: Callable[[], Any], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.mean(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("SEND_ASSISTANT_DATA_DIR", "data")))
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--threads", type=int, default=None, help="threads for the model and numpy (default 1, as serve)")
    parser.add_argument("--backend", choices=["auto", "onnx", "torch"], default="auto", help="the embedder (auto: as serve)")
    parser.add_argument("--html", type=Path, default=None, help="also write pyinstrument's HTML profile here")
    args = parser.parse_args(argv)

    import assistant.answer.pipeline as pipeline_module
    from assistant.config import Settings
    from assistant.storage.conversations import Turn
    from assistant.services import build_services

    settings = Settings(data_dir=args.data_dir.resolve(), database_url=f"sqlite:///{Path('/tmp') / f'profile-{uuid.uuid4().hex}.db'}",
                        compute_threads=args.threads or 1, embedding_backend=args.backend)
    started = time.perf_counter()
    services = build_services(settings)
    pipeline = services.ensure_ready()
    print(f"services built and index loaded in {time.perf_counter() - started:.1f} s; {len(services.index.chunks)} chunks")  # type: ignore[union-attr]

    step_times: dict[str, list[float]] = defaultdict(list)

    def timed(step: Callable[..., None]) -> Callable[..., None]:
        def run(pipe: Any, ctx: Any) -> None:
            began = time.perf_counter()
            step(pipe, ctx)
            step_times[step.__name__].append((time.perf_counter() - began) * 1000)

        run.__name__ = step.__name__
        return run

    for q in QUESTIONS:  # warm
        pipeline.answer(q)
    cycle = len(QUESTIONS) * len(OPENINGS) * len(CLOSINGS)
    questions = [variant(QUESTIONS, len(QUESTIONS) + i % (cycle - len(QUESTIONS))) for i in range(args.rounds)]
    print(f"embedder: {type(services.embedder).__name__}")
    model = services.embedder if hasattr(services.embedder, "_encode") else None
    encoded: list[str] = []
    if model is not None:  # count what reaches the model itself (torch or ONNX), under the cache of query vectors
        encode = model._encode

        def counting_encode(texts: Any, *a: Any, **k: Any) -> Any:
            encoded.extend(texts)
            return encode(texts, *a, **k)

        model._encode = counting_encode
    original = pipeline_module.STEPS
    pipeline_module.STEPS = tuple(timed(s) for s in original)
    total = []
    try:
        for question in questions:
            began = time.perf_counter()
            pipeline.answer(question)
            total.append((time.perf_counter() - began) * 1000)
    finally:
        pipeline_module.STEPS = original
        if model is not None:
            del model._encode  # the class's own method again
    print(f"\npipeline.answer: mean {statistics.mean(total):.1f} ms, median {statistics.median(total):.1f} ms, "
          f"p95 {sorted(total)[int(0.95 * (len(total) - 1))]:.1f} ms over {args.rounds}")
    if model is not None:
        most = max(encoded.count(q) for q in set(questions))
        print(f"texts embedded per answer: {len(encoded) / len(questions):.2f} (a question that asks several things "
              f"adds its parts); most times one question was embedded: {most}")
    for name, values in step_times.items():
        print(f"  {name:<22} mean {statistics.mean(values):7.2f} ms   max {max(values):7.2f} ms")

    index, embedder, retriever = services.index, services.embedder, pipeline.retriever
    encode = getattr(embedder, "_encode", embedder.embed)  # the model itself, past the cache of query vectors
    assert index is not None
    question = QUESTIONS[0]
    vector = embedder.embed([question])[0]
    mask = index.mask(None)
    conversations = services.conversations
    rounds = max(20, args.rounds // 2)
    print("\ncomponents called alone (mean):")
    components: list[tuple[str, Callable[[], Any]]] = [
        ("embed one question (MiniLM, no cache)", lambda: encode([question])),
        ("embed question + 2 parts (no cache)", lambda: encode([question, "who decides", "how long does it take"])),
        ("embed one question (a cache hit)", lambda: embedder.embed([question])),
        ("dense search, 40 candidates (as served)", lambda: index.dense.query(vector, top_k=40, local_authority=None)),
        ("Chroma query, 40 candidates", lambda: index.store.query(vector, top_k=40, local_authority=None)),
        ("BM25 scores", lambda: index.keyword.scores(question, mask)),
        ("sentence rerank (24 chunks)", lambda: retriever._best_sentences(list(range(24)), vector)),
        ("retriever.retrieve (all)", lambda: retriever.retrieve(question)),
        ("conversation history read", lambda: conversations.history("c-profile")),
        ("conversation turn write", lambda: conversations.append("c-profile", Turn(question="q", query="q", status="answered"))),
        ("services.ensure_ready (per request)", services.ensure_ready),
    ]
    for name, fn in components:
        print(f"  {name:<38} {mean_ms(fn, rounds):8.2f} ms")

    later = [variant(QUESTIONS, len(QUESTIONS) + (args.rounds + i) % (cycle - len(QUESTIONS))) for i in range(args.rounds)]
    try:
        from pyinstrument import Profiler
    except ImportError:
        profile = cProfile.Profile()
        profile.enable()
        for i in range(args.rounds):
            pipeline.answer(later[i])
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        return 0
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for i in range(args.rounds):
        pipeline.answer(later[i])
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=True) if _has_short_mode() else profiler.output_text(unicode=False, color=False))
    if args.html:
        args.html.write_text(profiler.output_html())
    return 0


def _has_short_mode() -> bool:
    import inspect

    from pyinstrument import Profiler

    return "short_mode" in inspect.signature(Profiler.output_text).parameters


if __name__ == "__main__":
    sys.exit(main())
