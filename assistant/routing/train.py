"""Training the routing classifiers from their example vectors, and scoring them out of fold.

scikit-learn is imported here only, and only when a logistic model is trained (at
``send-assistant index``, when the cached weights are missing or stale, and by the
calibration script); answering a question needs numpy alone.

    >>> import numpy as np
    >>> X = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32)
    >>> model = fit("nearest", X, np.array([0, 0, 1, 1]), ["a", "b"], {"k": 1})
    >>> int(model.scores(X[:1]).argmax())
    0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from assistant.routing.classify import LinearModel, Model, NearestExemplars

__all__ = ["fit", "oof_scores", "repeated_oof_scores"]


def fit(kind: str, X: np.ndarray, y: np.ndarray, labels: list[str], params: dict[str, Any]) -> Model:
    """A model of ``kind`` ("logistic" or "nearest") trained on unit vectors ``X`` with label indices ``y``."""
    if kind == "nearest":
        return NearestExemplars(list(labels), X.astype(np.float32), y.astype(np.int64), k=int(params.get("k", 3)))
    if kind != "logistic":
        raise ValueError(f"kind must be 'logistic' or 'nearest', got {kind!r}")
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=float(params.get("C", 8.0)), max_iter=5000, class_weight="balanced")
    model.fit(X, y)
    coef = np.zeros((len(labels), X.shape[1]), dtype=np.float32)
    intercept = np.full(len(labels), -1e4, dtype=np.float32)  # a label with no examples is never chosen
    if len(model.classes_) == 2 and len(labels) >= 2:  # sklearn keeps one row for two classes
        a, b = (int(c) for c in model.classes_)
        coef[b], intercept[b] = model.coef_[0], model.intercept_[0]
        coef[a], intercept[a] = 0.0, 0.0
    else:
        for row, cls in enumerate(model.classes_):
            coef[int(cls)], intercept[int(cls)] = model.coef_[row], model.intercept_[row]
    return LinearModel(list(labels), coef, intercept)


def oof_scores(kind: str, X: np.ndarray, y: np.ndarray, labels: list[str], params: dict[str, Any],
               *, folds: int = 5, seed: int = 0) -> np.ndarray:
    """Scores for every example from a model that never saw it (stratified ``folds``-fold)."""
    from sklearn.model_selection import StratifiedKFold

    out = np.zeros((len(y), len(labels)), dtype=np.float32)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(X, y):
        out[test] = fit(kind, X[train], y[train], labels, params).scores(X[test])
    return out


def repeated_oof_scores(kind: str, X: np.ndarray, y: np.ndarray, labels: list[str], params: dict[str, Any],
                        *, folds: int = 5, repeats: int = 5, seed: int = 0, jobs: int = 1) -> np.ndarray:
    """Out-of-fold scores ``repeats`` times over, shape (repeats, examples, labels).

    Each repeat is a stratified ``folds``-fold split with its own fixed shuffle (repeat r uses
    seed ``seed + r``), so every example is scored once per repeat by a model that never saw it,
    and two calls with the same arguments split alike: the logistic and the nearest-example scores
    of one repeat come from the same folds and can be combined row by row. ``jobs`` fits folds in
    parallel (joblib processes); the result does not depend on it.
    """
    from joblib import Parallel, delayed
    from sklearn.model_selection import StratifiedKFold

    splits = [(r, train, test) for r in range(repeats)
              for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed + r).split(X, y)]

    def one(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        return fit(kind, X[train], y[train], labels, params).scores(X[test])

    if kind == "nearest" or jobs <= 1:  # nearest examples cost less than starting a worker
        scored = [one(train, test) for _, train, test in splits]
    else:
        scored = Parallel(n_jobs=jobs)(delayed(one)(train, test) for _, train, test in splits)
    out = np.zeros((repeats, len(y), len(labels)), dtype=np.float32)
    for (r, _, test), scores in zip(splits, scored, strict=True):
        out[r, test] = scores
    return out
