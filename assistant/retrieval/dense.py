"""Exact dense search over a build's own vectors, in process: what the embedded store answers, sooner.

An embedded build keeps every vector the vector store holds (one per chunk and one per example
question) in its vectors.npz as well. Searching those rows with one matrix product gives the
same (chunk_id, cosine similarity) pairs as the store's query, exactly rather than through an
approximate graph, in well under a millisecond instead of several, and with no store round trip.
A build on a Chroma server keeps querying the server (`ChromaChunkStore`).

    >>> import numpy as np
    >>> rows = np.array([[1, 0], [0, 1], [0.6, 0.8]], dtype=np.float32)
    >>> search = VectorSearch(rows, ["a", "b", "b"], ["", "", "Leeds"])
    >>> search.query(np.array([0, 1], dtype=np.float32), top_k=2, local_authority=None)
    [('b', 1.0), ('a', 0.0)]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

NATIONAL = ""  # as in the store's metadata: national rows have local_authority ""


class VectorSearch:
    """Rows of unit vectors, each owned by a chunk and tagged with its local authority ("" national)."""

    def __init__(self, vectors: np.ndarray, chunk_ids: Sequence[str], local_authorities: Sequence[str]) -> None:
        if not len(vectors) == len(chunk_ids) == len(local_authorities):
            raise ValueError(f"{len(vectors)} vectors, {len(chunk_ids)} chunk ids and {len(local_authorities)} authorities")
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self._chunk_ids = np.asarray(list(chunk_ids), dtype=object)
        self._authorities = np.asarray(list(local_authorities), dtype=object)
        # each authority's row numbers and those rows' vectors, copied out once
        self._allowed_rows: dict[str | None, tuple[np.ndarray, np.ndarray]] = {}
        self._known = set(self._authorities.tolist()) - {NATIONAL}

    def __len__(self) -> int:
        return len(self._vectors)

    def _allowed(self, local_authority: str | None) -> tuple[np.ndarray, np.ndarray]:
        """Row numbers a question for `local_authority` may see (national, and that authority's),
        and those rows' vectors: gathered on the first question, not copied out on every one.
        An authority with no rows of its own sees the national rows, and shares their entry."""
        if local_authority not in self._known:
            local_authority = None
        if local_authority not in self._allowed_rows:
            allowed = (self._authorities == NATIONAL) | (self._authorities == (local_authority or NATIONAL))
            rows = np.flatnonzero(allowed)
            matrix = self._vectors if len(rows) == len(self._vectors) else self._vectors[rows]
            self._allowed_rows[local_authority] = (rows, matrix)
        return self._allowed_rows[local_authority]

    def query(self, vector: np.ndarray, *, top_k: int, local_authority: str | None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) pairs, best first, one per chunk, from the `top_k` nearest rows."""
        rows, matrix = self._allowed(local_authority)
        if not len(rows) or top_k <= 0:
            return []
        similarity = matrix @ np.asarray(vector, dtype=np.float32)
        take = min(top_k, len(rows))
        nearest = np.argpartition(-similarity, take - 1)[:take] if take < len(rows) else np.arange(len(rows))
        nearest = nearest[np.argsort(-similarity[nearest], kind="stable")]
        best: dict[str, float] = {}
        for i in nearest.tolist():
            chunk_id = self._chunk_ids[rows[i]]
            if chunk_id not in best:
                best[chunk_id] = float(similarity[i])
        return list(best.items())
