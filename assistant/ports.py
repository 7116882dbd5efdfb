"""The seams between the domain core and its vendors: each asks for as little as it can."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from assistant.models import Chunk, Passage


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
