"""The composition root: the one place that builds concrete objects from settings.

    >>> services = build_services(Settings())          # doctest: +SKIP
    >>> services.pipeline.answer("reg 13?").status      # doctest: +SKIP
    <AnswerStatus.ANSWERED: 'answered'>
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from collections.abc import Callable
from typing import Any

from assistant.answer.extractive import ExtractiveComposer
from assistant.answer.pipeline import Pipeline
from assistant.config import Settings
from assistant.conversations import SqlConversationStore
from assistant.errors import BackendUnavailable, ConfigError, IndexMissing
from assistant.index import BuildSummary, LoadedIndex, build_index, current_build, load_index
from assistant.ingest.markdown import load_corpus
from assistant.models import Document
from assistant.ports import Embedder
from assistant.retrieve import Retriever
from assistant.routing.cache import load_or_build
from assistant.routing.router import Router
from assistant.store import ChromaChunkStore, make_client


def store_factory(settings: Settings, embedder: Embedder | None) -> Any:
    """How a build's vector store is opened: embedded per build, or one collection per build on a server."""
    clients: dict[str, Any] = {}

    def factory(build: Path, name: str) -> ChromaChunkStore:
        if settings.chroma_host:
            key = "server"
            if key not in clients:
                clients[key] = make_client(host=settings.chroma_host, port=settings.chroma_port)
            return ChromaChunkStore(clients[key], name.replace("build-", "send-"), embedder=embedder)
        key = str(build)
        if key not in clients:
            clients[key] = make_client(path=build / "chroma")
        return ChromaChunkStore(clients[key], "chunks", embedder=embedder)

    return factory


def model_name(settings: Settings) -> str:
    """The name recorded in an index build; a different model means everything is embedded again."""
    path = settings.embedding_model_path
    return path.name if path else "all-MiniLM-L6-v2"


def make_embedder(settings: Settings, *, backend: str | None = None) -> Embedder:
    """The query-time embedder: the ONNX export when there is one (no torch in the process),
    else sentence-transformers on torch. `backend` overrides settings.embedding_backend."""
    from assistant.embedding import OnnxEmbedder, SentenceTransformerEmbedder, onnx_file

    choice = backend or settings.embedding_backend
    threads = settings.compute_threads
    if choice != "torch":
        exported = onnx_file(settings.embedding_model_path, settings.models_dir)
        if exported.is_file():
            return OnnxEmbedder(exported, settings.embedding_model_path, threads=threads)
        if choice == "onnx":
            raise ConfigError(f"embedding_backend is onnx but there is no export at {exported}: run `send-assistant index`")
    return SentenceTransformerEmbedder(settings.embedding_model_path, threads=threads)


def prepare_serving(settings: Settings, embedder: Embedder) -> list[str]:
    """What `send-assistant index` leaves beside the index so a server starts fast: the routing
    examples' vectors and trained weights, and the ONNX export of the model. Returns what it
    made; an export that cannot be made (no onnx package) leaves serving on torch."""
    from assistant.embedding import export_onnx, onnx_file

    made = []
    cache = routing_cache(settings)
    before = cache.stat().st_mtime_ns if cache.exists() else None
    load_or_build(embedder, cache=cache, model=model_name(settings))
    if not cache.exists() or cache.stat().st_mtime_ns != before:
        made.append(f"routing example vectors and weights ({cache.name})")
    if settings.embedding_backend != "torch":
        target = onnx_file(settings.embedding_model_path, settings.models_dir)
        if not target.is_file():
            try:
                export_onnx(settings.embedding_model_path, target)
                made.append(f"ONNX export of the embedding model ({target.name})")
                for old in settings.models_dir.glob("*.onnx"):
                    if old != target:
                        old.unlink(missing_ok=True)
            except (ImportError, ConfigError, RuntimeError, OSError) as exc:  # the export is an optimisation
                made.append(f"no ONNX export ({exc}); the server embeds with torch")
    return made


def serving_ready(settings: Settings) -> bool:
    """Whether what `prepare_serving` makes is there (it is rebuilt by start-up if stale)."""
    from assistant.embedding import onnx_file

    if not routing_cache(settings).is_file():
        return False
    return settings.embedding_backend == "torch" or onnx_file(settings.embedding_model_path, settings.models_dir).is_file()


def all_documents(settings: Settings) -> list[Document]:
    """The project corpus plus every document ingested into this deployment."""
    from assistant.docstore import load_ingested

    return load_corpus(settings.corpus_dir) + load_ingested(settings.data_dir)


def run_index(settings: Settings, embedder: Embedder, *, progress: Any = None) -> BuildSummary:
    return build_index(
        all_documents(settings),
        index_dir=settings.index_dir,
        embedder=embedder,
        model_name=model_name(settings),
        store_factory=store_factory(settings, embedder),
        progress=progress,
    )


def routing_cache(settings: Settings) -> Path:
    """Where the routing examples' vectors and trained weights are kept, beside the index builds:
    written by `send-assistant index` (or by the first start-up that finds it missing or stale)."""
    return settings.index_dir / "routing-exemplars.npz"


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
        from assistant.answer.llm import LangChainGenerator

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
    from assistant.redact import redact

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
