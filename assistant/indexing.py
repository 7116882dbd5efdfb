"""The one indexing path: build, refresh, and prepare what serving needs.

`send-assistant index`, `send-assistant ingest` (after it stores a source), the sources file
(read by `index`) and the admin re-index all come here:

    refresh(settings)                    embed only what changed; keep the serving build when nothing did
    refresh(settings, force=True)        always swap a new build in (`send-assistant index`)
    refresh(settings, rebuild=True)      embed everything again (`send-assistant index --rebuild`)

A build embeds with the ONNX export of the model, made first when it is missing, or with torch
when there can be no export. The model is loaded only when there is something to embed, so a
refresh that finds nothing new takes well under a second. After a build, `prepare_serving`
leaves what a server needs to start fast: the ONNX export and the routing examples' vectors and weights.

Imports nothing of the answer stack (pipeline, retrieval, composers, guardrail rules): the
`ingest` command loads only the readers, this module and the index writer.

    >>> done = refresh(Settings())                                  # doctest: +SKIP
    >>> done.summary.embedded, done.up_to_date                      # doctest: +SKIP
    (0, True)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.ingest.markdown import load_corpus
from assistant.models import Document
from assistant.ports import Embedder, VectorStore
from assistant.retrieval.build import BuildSummary, build_index, is_up_to_date, unchanged_summary
from assistant.storage.documents import load_ingested

Progress = Callable[[str, int, "int | None"], None]


# --- embedders ------------------------------------------------------------------------------


def model_name(settings: Settings) -> str:
    """The name recorded in an index build; a different model means everything is embedded again."""
    path = settings.embedding_model_path
    return path.name if path else "all-MiniLM-L6-v2"


def make_embedder(settings: Settings, *, backend: str | None = None) -> Embedder:
    """The query-time embedder: the ONNX export when there is one (no torch in the process),
    else sentence-transformers on torch. `backend` overrides settings.embedding_backend."""
    from assistant.adapters.embedding import OnnxEmbedder, SentenceTransformerEmbedder, onnx_file

    choice = backend or settings.embedding_backend
    threads = settings.compute_threads
    if choice != "torch":
        exported = onnx_file(settings.embedding_model_path, settings.models_dir)
        if exported.is_file():
            return OnnxEmbedder(exported, settings.embedding_model_path, threads=threads)
        if choice == "onnx":
            raise ConfigError(f"embedding_backend is onnx but there is no export at {exported}: run `send-assistant index`")
    return SentenceTransformerEmbedder(settings.embedding_model_path, threads=threads)


class LazyEmbedder:
    """An embedder made by `make` on first use; `notes` says what making it did (an export)."""

    def __init__(self, make: Callable[[LazyEmbedder], Embedder]) -> None:
        self._make = make
        self._embedder: Embedder | None = None
        self.notes: list[str] = []

    @property
    def loaded(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._make(self)
        return self._embedder

    @property
    def dimension(self) -> int:  # type: ignore[override]
        return self.loaded.dimension

    @property
    def name(self) -> str:
        return str(getattr(self.loaded, "name", type(self.loaded).__qualname__))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.loaded.embed(texts)


def index_embedder(settings: Settings) -> Embedder:
    """The embedder an index build uses: the ONNX export (several times faster than torch on a
    build's batches), exported first when it is missing, as serving needs it anyway; torch
    when there can be no export. Nothing is loaded until a text is embedded."""

    def make(lazy: LazyEmbedder) -> Embedder:
        if settings.embedding_backend != "torch":
            exported = ensure_onnx_export(settings)
            if exported:
                lazy.notes.append(exported)
        return make_embedder(settings)

    return LazyEmbedder(make)


def ensure_onnx_export(settings: Settings) -> str | None:
    """Export the model to ONNX into settings.models_dir unless it is there. Returns what was
    done (None when it was there); an export that cannot be made leaves embedding on torch."""
    from assistant.adapters.embedding import export_onnx, onnx_file

    target = onnx_file(settings.embedding_model_path, settings.models_dir)
    if target.is_file():
        return None
    try:
        export_onnx(settings.embedding_model_path, target)
    except (ImportError, ConfigError, RuntimeError, OSError) as exc:  # the export is an optimisation
        return f"no ONNX export ({exc}); the server embeds with torch"
    for old in settings.models_dir.glob("*.onnx"):
        if old != target:
            old.unlink(missing_ok=True)
    return f"ONNX export of the embedding model ({target.name})"


# --- the vector store -----------------------------------------------------------------------


def store_factory(settings: Settings, embedder: Embedder | None) -> Callable[[Path, str], VectorStore]:
    """How a build's vector store is opened: embedded per build, or one collection per build on a server."""
    from assistant.storage.chroma import ChromaChunkStore, make_client

    clients: dict[str, Any] = {}

    def factory(build: Path, name: str) -> VectorStore:
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


# --- building and refreshing ----------------------------------------------------------------


def all_documents(settings: Settings) -> list[Document]:
    """The project corpus plus every document ingested into this deployment."""
    return load_corpus(settings.corpus_dir) + load_ingested(settings.data_dir)


@dataclass
class Refreshed:
    summary: BuildSummary
    up_to_date: bool = False  # nothing had changed: the serving build was kept
    made: list[str] = field(default_factory=list)  # what was prepared for serving


def refresh(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    rebuild: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    prepare: bool = True,
) -> Refreshed:
    """Bring the index up to date with the corpus and the ingested sources.

    Only new or changed documents are embedded (`rebuild` embeds everything again). When
    nothing has changed the serving build is kept, unless `force` asks for a new one. With
    `prepare`, what a server needs (the ONNX export, the exemplar vectors) is made when it is
    missing, and brought up to date on a forced build (`send-assistant index`).
    """
    documents = all_documents(settings)
    embedder = embedder or index_embedder(settings)
    if not (rebuild or force) and is_up_to_date(settings.index_dir, documents, model_name(settings)):
        done = Refreshed(unchanged_summary(settings.index_dir, documents), up_to_date=True)
    else:
        done = Refreshed(
            build_index(
                documents,
                index_dir=settings.index_dir,
                embedder=embedder,
                model_name=model_name(settings),
                store_factory=store_factory(settings, embedder),
                progress=progress,
                reuse=not rebuild,
            )
        )
    if prepare and (force or rebuild or not serving_ready(settings)):
        done.made = prepare_serving(settings, embedder)
    done.made[:0] = getattr(embedder, "notes", [])
    return done


def run_index(settings: Settings, embedder: Embedder, *, progress: Progress | None = None) -> BuildSummary:
    """`refresh` with this embedder, leaving serving preparation aside (tests, the admin re-index)."""
    return refresh(settings, embedder=embedder, progress=progress, prepare=False).summary


# --- preparing for serving ------------------------------------------------------------------


def routing_cache(settings: Settings) -> Path:
    """Where the routing examples' vectors and trained weights are kept: beside the ONNX export in
    the models folder, since they depend on the model and the routing data files, never on the
    corpus (so rebuilding the index, or building it for another corpus, does not embed them again).
    Written by `send-assistant index` (or by the first start-up that finds it missing or stale)."""
    return settings.models_dir / "routing-exemplars.npz"


def prepare_serving(settings: Settings, embedder: Embedder) -> list[str]:
    """What `send-assistant index` leaves beside the index so a server starts fast: the
    safeguarding exemplars' vectors and the ONNX export of the model. Returns what it made;
    an export that cannot be made (no onnx package) leaves serving on torch."""
    made = []
    from assistant.routing.cache import load_or_build  # only when preparing: not on every ingest

    cache = routing_cache(settings)
    before = cache.stat().st_mtime_ns if cache.exists() else None
    load_or_build(embedder, cache=cache, model=model_name(settings))
    if not cache.exists() or cache.stat().st_mtime_ns != before:
        made.append(f"routing example vectors and weights ({cache.name})")
    if settings.embedding_backend != "torch":
        exported = ensure_onnx_export(settings)
        if exported:
            made.append(exported)
    return made


def serving_ready(settings: Settings) -> bool:
    """Whether what `prepare_serving` makes is there (it is rebuilt by start-up if stale)."""
    from assistant.adapters.embedding import onnx_file

    if not routing_cache(settings).is_file():
        return False
    return settings.embedding_backend == "torch" or onnx_file(settings.embedding_model_path, settings.models_dir).is_file()
