"""The seams between the domain core and its vendors: each asks for as little as it can.

The core types against these, never against the classes behind them: `SearchIndex` is
`index.LoadedIndex` in production and `tests/fakes.py MemoryIndex` in the core tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from assistant.models import Chunk, Feedback, Passage, Turn


class Embedder(Protocol):
    """Turns texts into unit-length vectors (rows of a float32 matrix)."""

    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class VectorStore(Protocol):
    """Stores precomputed vectors with their chunk ids and finds the nearest ones."""

    @property
    def collection_name(self) -> str: ...

    def replace_all(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict[str, str]]) -> None: ...

    def query(self, vector: np.ndarray, *, top_k: int, local_authority: str | None) -> list[tuple[str, float]]: ...

    def count(self) -> int: ...


class Composer(Protocol):
    """Writes an answer text from retrieved passages. Returns (markdown, citations used)."""

    name: str

    def compose(self, question: str, passages: Sequence[Passage], *, persona: str) -> tuple[str, list[Chunk]]: ...


class DenseSearch(Protocol):
    """Nearest rows to a query vector, one per chunk: (chunk_id, cosine similarity), best first."""

    def query(self, vector: np.ndarray, *, top_k: int, local_authority: str | None) -> list[tuple[str, float]]: ...


class KeywordSearch(Protocol):
    """A keyword (BM25) score for every chunk, in index order; 0 where `mask` is False."""

    def scores(self, question: str, mask: np.ndarray) -> np.ndarray: ...


class SearchIndex(Protocol):
    """What the core reads from a built index: the chunks, their sentences and vectors, which
    chunks a local authority may see, and dense and keyword search over them.

    `LoadedIndex` (a build on disk) is the real one; tests use an in-memory one. Chunk number
    `pos` is the chunk's place in `chunks`; `position[chunk_id]` gives it back.
    """

    build: str
    chunks: list[Chunk]
    sentences: list[list[str]]  # each chunk's sentences, in order
    position: dict[str, int]
    dense: DenseSearch
    keyword: KeywordSearch
    question_vectors: np.ndarray | None  # the example questions' vectors (the answer bank matches these)
    chunk_vectors: np.ndarray | None  # each chunk's own vector, row = chunk number (the answer bank reads its entries')
    question_chunk: np.ndarray | None  # the chunk number each example question belongs to

    def sentence_vectors_of(self, pos: int) -> np.ndarray: ...

    def mask(self, local_authority: str | None) -> np.ndarray: ...


class ConversationStore(Protocol):
    def history(self, conversation_id: str, *, limit: int = 6) -> list[Turn]: ...

    def append(self, conversation_id: str, turn: Turn) -> None: ...

    def delete(self, conversation_id: str) -> bool: ...

    def add_feedback(self, feedback: Feedback) -> str: ...

    def purge(self, *, older_than_days: int) -> int: ...
