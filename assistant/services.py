"""The composition root: the one place that builds concrete objects from settings.

It only wires: building and refreshing the index, and preparing for serving, are
`assistant.indexing`'s.

    >>> services = build_services(Settings())          # doctest: +SKIP
    >>> services.pipeline.answer("reg 13?").status      # doctest: +SKIP
    <AnswerStatus.ANSWERED: 'answered'>
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.answer.extractive import ExtractiveComposer
from assistant.answer.pipeline import Pipeline
from assistant.config import Settings
from assistant.errors import BackendUnavailable, IndexMissing
from assistant.retrieval.layout import current_build
from assistant.retrieval.load import LoadedIndex, load_index
from assistant.storage.conversations import SqlConversationStore
from assistant.indexing import (  # the indexing names callers used to find here stay importable from here
    all_documents,
    routing_cache,
    make_embedder,
    model_name,
    prepare_serving,
    run_index,
    serving_ready,
    store_factory,
)
from assistant.ports import Embedder
from assistant.retrieval.retriever import Retriever
from assistant.routing.router import Router

__all__ = [
    "Services", "all_documents", "build_pipeline", "build_services", "routing_cache", "router", "front_door",
    "limit_threads", "make_embedder", "model_name", "prepare_serving", "run_index", "serving_ready",
    "store_factory",
]


@dataclass
class Services:
    settings: Settings
    embedder: Embedder
    conversations: SqlConversationStore
    index: LoadedIndex | None = None
    pipeline: Pipeline | None = None
    index_error: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def ensure_ready(self) -> Pipeline:
        """The pipeline, loading (or reloading) the index when a new build has been swapped in."""
        build = current_build(self.settings.index_dir)
        if self.pipeline is not None and self.index is not None and build is not None and build.name == self.index.build:
            return self.pipeline
        with self._lock:
            try:
                self.index = load_index(self.settings.index_dir, store_factory(self.settings, self.embedder))
            except IndexMissing as exc:
                self.index_error = str(exc)
                if self.pipeline is not None:
                    return self.pipeline  # keep serving what we have
                raise
            self.index_error = None
            self.pipeline = build_pipeline(self.settings, self.index, self.embedder, self.conversations)
            return self.pipeline

    def health(self) -> dict[str, Any]:
        report: dict[str, Any] = {"status": "ok", "index": None, "vector_store": "unknown"}
        try:
            self.ensure_ready()
        except IndexMissing as exc:
            return {"status": "unavailable", "index": None, "vector_store": "unknown", "detail": str(exc)}
        assert self.index is not None
        report["index"] = {"build": self.index.build, "chunks": len(self.index.chunks)}
        try:
            self.index.store.count()
            report["vector_store"] = "ok"
        except BackendUnavailable as exc:
            report.update(status="degraded", vector_store="unavailable", detail=str(exc))
        return report


def front_door(index: LoadedIndex) -> Callable[[str | None], str | None]:
    """The selected council's children's social care front door, as one line of Markdown, when its
    Local Offer lists one (a page marked `service: childrens_social_care` with a `phone`)."""
    doors: dict[str, str] = {}
    for chunk in index.chunks:
        if chunk.local_authority and chunk.extra.get("service") == "childrens_social_care":
            phone = chunk.extra.get("phone")
            line = f"**{chunk.title}**" + (f": **{phone}**" if phone else "")
            doors.setdefault(chunk.local_authority.casefold(), line + (f" ({chunk.url})" if chunk.url else ""))
    return lambda local_authority: doors.get(local_authority.casefold()) if local_authority else None


@lru_cache(maxsize=4)
def router(embedder: Embedder, cache: Path | None = None, model: str = "") -> Router:
    """Routing by meaning; its examples are embedded once per embedder, or read from `cache`."""
    return Router.build(embedder, cache=cache, model=model)


def build_pipeline(settings: Settings, index: LoadedIndex, embedder: Embedder, conversations: Any) -> Pipeline:
    from assistant.guardrails import screen

    try:
        from assistant.tools.intent import answer_with_tool
    except ImportError:  # the tools package is optional in a trimmed deployment
        answer_with_tool = None
    generator = None
    if settings.llm_backend != "none":
        from assistant.adapters.llm import LangChainGenerator

        generator = LangChainGenerator.from_settings(settings)
    return Pipeline(
        retriever=Retriever(index, embedder, top_k=settings.top_k),
        composer=ExtractiveComposer(index),
        conversations=conversations,
        screen=screen,
        router=router(embedder, routing_cache(settings), model_name(settings)).with_front_door(front_door(index)),
        answer_with_tool=answer_with_tool,
        generator=generator,
        min_relevance=settings.min_relevance,
    )


def limit_threads(threads: int) -> None:
    """Cap numpy's BLAS at `threads` per process. Its small matrix products (a question against
    a few thousand vectors) take a tenth of a millisecond on one thread, but several ms when
    its threads spin against other busy threads on the same cores."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads, user_api="blas")


def build_services(settings: Settings, *, embedder: Embedder | None = None, load: bool = True) -> Services:
    from assistant.screening.redact import redact

    if settings.compute_threads:
        limit_threads(settings.compute_threads)

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    conversations = SqlConversationStore(settings.sqlalchemy_url, redact=lambda text: redact(text).text)
    services = Services(settings=settings, embedder=embedder or make_embedder(settings), conversations=conversations)
    if load:
        try:
            services.ensure_ready()
        except IndexMissing as exc:
            services.index_error = str(exc)
    return services
