"""The routing examples' vectors and trained weights, kept in one file beside the ONNX export (the models folder).

Embedding some 1,800 example messages takes a while, so ``send-assistant index`` writes their
vectors, and the logistic weights trained on them, to ``routing-exemplars.npz``. A server reads
it at start-up when its key (a hash of the routing data files, the model name and the
embedder's name and size) still matches, and otherwise embeds and trains again and rewrites
the file (atomically, so workers starting together never read half of it).

    >>> trained = load_or_build(embedder, cache=path, model="all-MiniLM-L6-v2")   # doctest: +SKIP
    >>> trained.vectors["message"].shape                                          # doctest: +SKIP
    (836, 384)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.ports import Embedder
from assistant.routing.classify import LinearModel
from assistant.routing.data import DecisionSet, data_digest, load_decisions
from assistant.routing.thresholds import load_thresholds

__all__ = ["Trained", "cache_key", "load_or_build", "train_all"]


@dataclass
class Trained:
    """Per classifier: the example vectors (rows in example order) and the logistic weights."""

    vectors: dict[str, np.ndarray]
    logistic: dict[str, LinearModel]


def cache_key(embedder: Embedder, model: str) -> str:
    """What the example vectors depend on: the data files, the model and the embedder."""
    digest = hashlib.sha256()
    for part in (data_digest(), model, str(getattr(embedder, "name", type(embedder).__qualname__)),
                 str(getattr(embedder, "dimension", ""))):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def weights_key(vectors_key: str) -> str:
    """What the trained weights depend on besides the vectors: the training parameters."""
    return hashlib.sha256(f"{vectors_key}|{sorted(load_thresholds().params().items())!r}".encode()).hexdigest()


def embed_examples(embedder: Embedder, decisions: dict[str, DecisionSet]) -> dict[str, np.ndarray]:
    return {name: np.asarray(embedder.embed(d.texts()), dtype=np.float32) for name, d in decisions.items()}


def train_all(decisions: dict[str, DecisionSet], vectors: dict[str, np.ndarray]) -> dict[str, LinearModel]:
    """The logistic model of every classifier, with the parameters in thresholds.yaml."""
    from assistant.routing.train import fit

    params = load_thresholds().params()
    out: dict[str, LinearModel] = {}
    for name, decision in decisions.items():
        labels = decision.label_names()
        y = np.array([labels.index(e.label) for e in decision.examples])
        model = fit("logistic", vectors[name], y, labels, params.get(name, {}))
        assert isinstance(model, LinearModel)
        out[name] = model
    return out


# Vectors and weights this process has already made, by their keys. The keys name the model and
# the embedder, so two embedders of the same model (torch and ONNX: their vectors agree to about
# 1e-7) share them, and one process embeds the examples at most once, whatever the cache path.
_MEMO: dict[str, Trained] = {}


def load_or_build(embedder: Embedder, *, cache: Path | None, model: str) -> Trained:
    """The trained routing data: from ``cache`` when current, else embedded and/or trained, and written there.

    Changed data files mean embedding again; changed training parameters (a new calibration)
    only mean training again, which takes a second or two.
    """
    decisions = load_decisions()
    key = cache_key(embedder, model)
    vectors, logistic = _read(cache, key, decisions) if cache is not None else (None, None)
    if vectors is not None and logistic is not None:
        return Trained(vectors, logistic)
    trained = _MEMO.get(weights_key(key))
    if trained is None:
        vectors = vectors if vectors is not None else embed_examples(embedder, decisions)
        trained = Trained(vectors, train_all(decisions, vectors))
        _MEMO[weights_key(key)] = trained
    if cache is not None:
        _write(cache, key, trained)
    return trained


def _write(cache: Path, key: str, trained: Trained) -> None:
    arrays: dict[str, np.ndarray] = {"key": np.array(key), "weights_key": np.array(weights_key(key))}
    for name, vectors in trained.vectors.items():
        arrays[f"vectors/{name}"] = vectors.astype(np.float32)
    for name, linear in trained.logistic.items():
        arrays[f"coef/{name}"] = linear.coef.astype(np.float32)
        arrays[f"intercept/{name}"] = linear.intercept.astype(np.float32)
    tmp = cache.with_name(f"{cache.name}.{uuid.uuid4().hex}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as out:
            np.savez(out, **arrays)  # type: ignore[arg-type]
        os.replace(tmp, cache)
    except OSError:  # a read-only data folder only costs embedding at each start-up
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _read(cache: Path, key: str, decisions: dict[str, DecisionSet]
          ) -> tuple[dict[str, np.ndarray] | None, dict[str, LinearModel] | None]:
    """(vectors, weights) from the file, each None when missing or stale."""
    try:
        with np.load(cache) as npz:
            if str(npz["key"]) != key:
                return None, None
            vectors = {name: npz[f"vectors/{name}"] for name in decisions}
            logistic = None
            if str(npz["weights_key"]) == weights_key(key):
                logistic = {name: LinearModel(decisions[name].label_names(), npz[f"coef/{name}"], npz[f"intercept/{name}"])
                            for name in decisions}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None, None  # missing or damaged: embed again
    if any(vectors[name].shape[0] != len(d.examples) for name, d in decisions.items()):
        return None, None
    return vectors, logistic
