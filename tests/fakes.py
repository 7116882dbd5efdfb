"""Test doubles for the core's ports: a deterministic embedder and an in-memory search index.

`FakeEmbedder` turns a text into a unit vector from its words (each word hashed to one of
`dimension` coordinates), so texts that share words are near and the same text always gets
the same vector. It records what it was asked to embed. Core tests built on it need no model.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from assistant.models import Chunk, Document
from assistant.ports import Embedder
from assistant.retrieval.chunking import chunk_document
from assistant.retrieval.dense import NATIONAL, VectorSearch
from assistant.retrieval.keyword import KeywordIndex
from assistant.text import split_sentences

_WORD = re.compile(r"[a-z0-9]+")


class FakeEmbedder:
    """A bag-of-words embedder: fast, deterministic, and near for texts that share words.

    >>> e = FakeEmbedder()
    >>> v = e.embed(["EHC needs assessment", "needs assessment", "school transport"])
    >>> bool(v[0] @ v[1] > v[0] @ v[2])
    True
    """

    name = "fake-embedder"

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension
        self.calls: list[list[str]] = []

    @property
    def texts(self) -> int:
        """How many texts it has embedded."""
        return sum(len(c) for c in self.calls)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                out[row, int(hashlib.blake2b(word.encode(), digest_size=4).hexdigest(), 16) % self.dimension] += 1.0
            if not out[row].any():
                out[row, 0] = 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


class MemoryIndex:
    """A `SearchIndex` held in memory, built from documents the way a build on disk is
    (same chunking, sentences, keyword index and exact dense search), with no files and no store.

    >>> from assistant.models import Document, LegalStatus
    >>> index = MemoryIndex.build([Document("d", "One idea. Another idea.", "S", "r", "T", LegalStatus.GUIDANCE)], FakeEmbedder())
    >>> index.sentences, index.sentence_vectors_of(0).shape
    ([['One idea.', 'Another idea.']], (2, 64))
    """

    def __init__(
        self, chunks: list[Chunk], sentences: list[list[str]], chunk_vectors: np.ndarray, sentence_vectors: list[np.ndarray],
        question_vectors: np.ndarray, question_chunk: np.ndarray,
    ) -> None:
        self.build = "memory"
        self.chunks = chunks
        self.sentences = sentences
        self.position = {c.chunk_id: i for i, c in enumerate(chunks)}
        self._sentence_vectors = sentence_vectors
        self.question_vectors = question_vectors
        self.question_chunk = question_chunk
        self.chunk_vectors = chunk_vectors
        owners = [*range(len(chunks)), *question_chunk.tolist()]
        rows = np.concatenate([chunk_vectors, question_vectors]) if len(question_vectors) else chunk_vectors
        self.dense = VectorSearch(rows, [chunks[i].chunk_id for i in owners], [chunks[i].local_authority or NATIONAL for i in owners])
        self.keyword = KeywordIndex.build([" ".join([c.title, c.ref, c.text, *c.questions]) for c in chunks])

    @classmethod
    def build(cls, documents: Sequence[Document], embedder: Embedder) -> MemoryIndex:  # type: ignore[override]
        chunks = [chunk for doc in documents for chunk in chunk_document(doc)]
        sentences = [split_sentences(c.text) for c in chunks]
        chunk_vectors = embedder.embed([f"{c.title}. {c.text}" for c in chunks])
        sentence_vectors = [embedder.embed(s) if s else np.zeros((0, embedder.dimension), np.float32) for s in sentences]
        questions = [(pos, q) for pos, c in enumerate(chunks) for q in c.questions]
        question_vectors = embedder.embed([q for _, q in questions]) if questions else np.zeros((0, embedder.dimension), np.float32)
        return cls(chunks, sentences, chunk_vectors, sentence_vectors, question_vectors, np.array([p for p, _ in questions], dtype=np.int64))

    def sentence_vectors_of(self, pos: int) -> np.ndarray:
        return self._sentence_vectors[pos]

    def mask(self, local_authority: str | None) -> np.ndarray:
        return np.array([c.local_authority in (None, local_authority) for c in self.chunks], dtype=bool)


class MemoryConversations:
    """A `ConversationStore` in a dict: what the pipeline stored, readable by the test."""

    def __init__(self) -> None:
        self.turns: dict[str, list[Any]] = {}

    def history(self, conversation_id: str, *, limit: int = 6) -> list[Any]:
        return self.turns.get(conversation_id, [])[-limit:]

    def append(self, conversation_id: str, turn: Any) -> None:
        self.turns.setdefault(conversation_id, []).append(turn)
