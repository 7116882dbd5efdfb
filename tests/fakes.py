"""Test doubles for the core's ports: a deterministic embedder and an in-memory search index.

`FakeEmbedder` turns a text into a unit vector from its words (each word hashed to one of
`dimension` coordinates), so texts that share words are near and the same text always gets
the same vector. It records what it was asked to embed. Core tests built on it need no model.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

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
