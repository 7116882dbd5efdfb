"""Two ways to classify a message vector against labelled example vectors. Plain numpy.

* ``LinearModel``: multinomial logistic regression (trained by ``train.py`` with
  scikit-learn; here only its weights are used), ``scores`` are label probabilities.
* ``NearestExemplars``: for each label, the mean cosine similarity of the ``k`` nearest
  examples of that label; ``scores`` are those similarities.

Both take unit vectors (rows) and return one row of scores per vector, one column per label.

    >>> import numpy as np
    >>> model = NearestExemplars(["a", "b"], np.eye(2, dtype=np.float32), np.array([0, 1]), k=1)
    >>> model.scores(np.array([[0.9, 0.1]], dtype=np.float32)).astype(float).round(2).tolist()
    [[0.9, 0.1]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["LinearModel", "Model", "NearestExemplars", "grouped", "safeguarding_score"]


@dataclass(frozen=True)
class LinearModel:
    labels: list[str]
    coef: np.ndarray       # (labels, dimension)
    intercept: np.ndarray  # (labels,)
    kind: str = "logistic"

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        logits = vectors @ self.coef.T + self.intercept
        logits = logits - logits.max(axis=1, keepdims=True)
        weights = np.exp(logits)
        return weights / weights.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class NearestExemplars:
    labels: list[str]
    vectors: np.ndarray    # (examples, dimension)
    label_of: np.ndarray   # (examples,) index into labels
    k: int = 3
    kind: str = "nearest"

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        similarity = vectors @ self.vectors.T  # (n, examples)
        out = np.empty((vectors.shape[0], len(self.labels)), dtype=np.float32)
        for j in range(len(self.labels)):
            column = similarity[:, self.label_of == j]
            k = min(self.k, column.shape[1])
            out[:, j] = np.sort(column, axis=1)[:, -k:].mean(axis=1) if k else -1.0
        return out

    def nearest(self, vector: np.ndarray, among: Sequence[int]) -> int:
        """The index of the example nearest ``vector`` among the example indices ``among``."""
        rows = np.asarray(among)
        return int(rows[int(np.argmax(self.vectors[rows] @ vector))])


Model = LinearModel | NearestExemplars


def safeguarding_score(kind: str, scores: np.ndarray, safeguarding: np.ndarray) -> np.ndarray:
    """How strongly each row reads as a safeguarding message: the summed probability of every
    safeguarding label (logistic), or the margin of the nearest safeguarding label over the
    nearest other one (nearest examples). ``safeguarding`` is a boolean mask over the labels."""
    if kind == "logistic":
        return scores[:, safeguarding].sum(axis=1)
    return scores[:, safeguarding].max(axis=1) - scores[:, ~safeguarding].max(axis=1)


def grouped(kind: str, scores: np.ndarray, members: np.ndarray) -> np.ndarray:
    """One score for a group of labels (the ordinary ones, split by register and topic into
    coherent sets): their summed probability, or the best similarity among them."""
    return scores[:, members].sum(axis=1) if kind == "logistic" else scores[:, members].max(axis=1)
