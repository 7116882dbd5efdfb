"""The vector store: ChromaDB, embedded (PersistentClient) or a server (HttpClient).

The only module that imports chromadb. Every collection is opened with our own embedding
function, so Chroma can never fall back to its default one (which would download a model).
Vectors are computed by our embedder at index time and passed in; at question time only
the question is embedded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import BackendUnavailable
from assistant.ports import Embedder
from assistant.retrieval.dense import NATIONAL  # Chroma metadata cannot hold None: national passages have local_authority ""



class _OurEmbeddingFunction:
    """Adapter so Chroma embeds (if it ever must) with our model, never its default."""

    def __init__(self, embedder: Embedder | None) -> None:
        self._embedder = embedder

    def __call__(self, input: Sequence[str]) -> list[np.ndarray]:  # noqa: A002 - Chroma's name
        if self._embedder is None:
            raise BackendUnavailable("no embedder was given to the vector store; pass vectors instead")
        return list(self._embedder.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "send-assistant-minilm"

    def is_legacy(self) -> bool:
        return False

    def embed_query(self, input: Sequence[str]) -> list[np.ndarray]:  # noqa: A002
        return self(input)

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _OurEmbeddingFunction:
        return _OurEmbeddingFunction(None)

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]

    def validate_config(self, config: dict[str, Any]) -> None:
        return None

    def validate_config_update(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        return None


def make_client(*, path: Path | None = None, host: str | None = None, port: int = 8000) -> Any:
    """An embedded client at `path`, or a client of the Chroma server at host:port."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if host:
            return chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
        assert path is not None, "an embedded Chroma needs a path"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:  # chromadb raises plain exceptions for connection failures
        raise BackendUnavailable(f"the vector store could not be opened: {exc}") from exc


class ChromaChunkStore:
    """Dense vectors for passages (and their example questions), keyed to chunk ids.

    Each row's metadata holds `chunk_id` (rows for example questions point at their chunk)
    and `local_authority` ("" for national material), which the query filters on.
    """

    def __init__(self, client: Any, collection: str, *, embedder: Embedder | None = None) -> None:
        self._client = client
        self._name = collection
        self._ef = _OurEmbeddingFunction(embedder)
        self._collection: Any = None

    @property
    def collection_name(self) -> str:
        return self._name

    def _open(self) -> Any:
        if self._collection is None:
            try:
                self._collection = self._client.get_or_create_collection(
                    self._name, embedding_function=self._ef, metadata={"hnsw:space": "cosine"}
                )
            except Exception as exc:
                raise BackendUnavailable(f"the vector store is unavailable: {exc}") from exc
        return self._collection

    def replace_all(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict[str, str]]) -> None:
        """Fill a fresh collection (the index builder always writes a new one)."""
        collection = self._open()
        batch = 2000
        for start in range(0, len(ids), batch):
            collection.add(
                ids=list(ids[start : start + batch]),
                embeddings=vectors[start : start + batch],
                metadatas=list(metadatas[start : start + batch]),
            )

    def query(self, vector: np.ndarray, *, top_k: int, local_authority: str | None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) pairs, best first, one per chunk."""
        allowed = [NATIONAL] + ([local_authority] if local_authority else [])
        where: dict[str, Any] = {"local_authority": {"$in": allowed}}
        try:
            result = self._open().query(
                query_embeddings=[vector], n_results=top_k, where=where, include=["metadatas", "distances"]
            )
        except BackendUnavailable:
            raise
        except Exception as exc:
            self._collection = None
            raise BackendUnavailable(f"the vector store did not answer: {exc}") from exc
        best: dict[str, float] = {}
        for meta, distance in zip(result["metadatas"][0], result["distances"][0], strict=True):
            chunk_id = str(meta["chunk_id"])
            best[chunk_id] = max(best.get(chunk_id, -1.0), 1.0 - float(distance))
        return sorted(best.items(), key=lambda item: -item[1])

    def count(self) -> int:
        try:
            return int(self._open().count())
        except BackendUnavailable:
            raise
        except Exception as exc:
            self._collection = None
            raise BackendUnavailable(f"the vector store did not answer: {exc}") from exc

    def drop(self) -> None:
        try:
            self._client.delete_collection(self._name)
        except Exception:  # already gone: nothing to drop
            pass
        self._collection = None
