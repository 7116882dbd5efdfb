"""A second safeguarding check by meaning: catches risk the keyword rules have no pattern for.

The rules in ``safety`` recognise risk phrased the ways we anticipated. This check embeds the
message once and compares it with two sets of hand-written exemplars (``data/``): messages
that need urgent help (grouped by reason) and ordinary SEND questions that merely mention
anxiety, meltdowns, restraint, exclusion or a history of self-harm. It flags a message when

* its ``k`` nearest risk exemplars are, on average, at least ``threshold`` similar (cosine), and
* that beats the average of its ``k`` nearest safe exemplars by at least ``margin``.

Averaging two neighbours rather than taking one keeps a single odd exemplar from deciding.
The verdict is the same urgent-help verdict the rules give, with the reason ("suicide",
"missing_child", ...) of the nearest risk exemplar. Run it only when the rules returned no
verdict. Threshold and margin were set on ``tests/data/safety_calibration.jsonl`` only;
``tests/test_semantic_safety.py`` holds the figures measured on the other sets.

    >>> checker = SemanticSafety.from_files(embedder)                        # doctest: +SKIP
    >>> checker.check("everyone would be better off if I just wasn't around").status  # doctest: +SKIP
    <AnswerStatus.SAFEGUARDING: 'safeguarding'>
    >>> checker.check("can the EHCP mention his self-harm history?") is None   # doctest: +SKIP
    True

Embedding the 342 exemplars takes seconds, so their vectors are kept in a cache file (an
``.npz`` beside the index, written when the index is built): ``from_files(embedder,
cache=path, model=name)`` loads it when its key (a hash of both exemplar files, the model
name and the embedder's model name and dimension) still matches, and otherwise embeds the
exemplars and writes the file again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
import weakref
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from assistant.guardrails import safeguarding
from assistant.guardrails.verdict import Verdict
from assistant.ports import Embedder

__all__ = ["Exemplar", "Match", "SemanticSafety", "exemplar_vectors", "load_exemplars", "parse_exemplars"]

THRESHOLD = 0.38
MARGIN = 0.06
NEIGHBOURS = 2
DEFAULT_REASON = "semantic_risk"
RISK_FILE = "risk_exemplars.txt"
SAFE_FILE = "safe_exemplars.txt"


@dataclass(frozen=True)
class Exemplar:
    """One hand-written example message; ``reason`` is its safeguarding tag (risk set only)."""

    text: str
    reason: str = DEFAULT_REASON


@dataclass(frozen=True)
class Match:
    """How close a message came: mean similarity to its nearest risk and safe exemplars."""

    risk: float
    safe: float
    reason: str

    @property
    def gap(self) -> float:
        return self.risk - self.safe


def _exemplar_file(name: str) -> str:
    return resources.files("assistant.guardrails").joinpath("data", name).read_text(encoding="utf-8")


def load_exemplars(name: str) -> list[Exemplar]:
    """Read ``data/<name>``: one message a line, ``#`` comments, ``[reason]`` starting a group.

    >>> [e.reason for e in load_exemplars("risk_exemplars.txt")][:1]
    ['suicide']
    """
    return list(parse_exemplars(_exemplar_file(name).splitlines()))


def parse_exemplars(lines: Iterable[str]) -> Iterable[Exemplar]:
    """The exemplars in lines of an exemplar file; lines before any ``[reason]`` get DEFAULT_REASON."""
    reason = DEFAULT_REASON
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            reason = line[1:-1].strip()
            continue
        yield Exemplar(line, reason)


class SemanticSafety:
    """Flags a message whose meaning is nearer urgent-risk exemplars than ordinary SEND ones.

    Exemplar vectors are computed once, here; each ``check`` embeds one text.
    """

    def __init__(
        self,
        embedder: Embedder,
        exemplars_risk: Sequence[Exemplar | str],
        exemplars_safe: Sequence[Exemplar | str],
        *,
        threshold: float = THRESHOLD,
        margin: float = MARGIN,
        k: int = NEIGHBOURS,
        vectors: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """``vectors``: the risk and safe exemplars' vectors, already computed (row i of each is
        exemplar i); when given, the exemplars are not embedded again."""
        if k < 1 or len(exemplars_risk) < k or len(exemplars_safe) < k:
            raise ValueError(f"need at least k={k} risk and safe exemplars, "
                             f"got {len(exemplars_risk)} risk and {len(exemplars_safe)} safe")
        if not -1.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be a cosine similarity in [-1, 1], got {threshold}")
        self.embedder = embedder
        self.threshold = threshold
        self.margin = margin
        self.k = k
        self.risk = [e if isinstance(e, Exemplar) else Exemplar(e) for e in exemplars_risk]
        self.safe = [e if isinstance(e, Exemplar) else Exemplar(e, "") for e in exemplars_safe]
        if vectors is not None:
            risk_vectors, safe_vectors = vectors
            if risk_vectors.shape[0] != len(self.risk) or safe_vectors.shape[0] != len(self.safe):
                raise ValueError(f"got {risk_vectors.shape[0]} risk and {safe_vectors.shape[0]} safe vectors for "
                                 f"{len(self.risk)} risk and {len(self.safe)} safe exemplars")
            self._risk_vectors = np.asarray(risk_vectors, dtype=np.float32)
            self._safe_vectors = np.asarray(safe_vectors, dtype=np.float32)
        else:
            self._risk_vectors = embedder.embed([e.text for e in self.risk])
            self._safe_vectors = embedder.embed([e.text for e in self.safe])

    @property
    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """The risk and safe exemplars' vectors, in exemplar order."""
        return self._risk_vectors, self._safe_vectors

    @classmethod
    def from_files(
        cls,
        embedder: Embedder,
        *,
        threshold: float = THRESHOLD,
        margin: float = MARGIN,
        k: int = NEIGHBOURS,
        cache: Path | None = None,
        model: str = "",
    ) -> SemanticSafety:
        """The checker over the exemplars shipped in ``assistant/guardrails/data``.

        With ``cache``, the exemplar vectors come from that file when it was written for these
        exemplar files and this model; otherwise they are embedded and the file is (re)written.
        """
        risk, safe = load_exemplars(RISK_FILE), load_exemplars(SAFE_FILE)
        vectors = exemplar_vectors(embedder, cache, model=model, risk=risk, safe=safe) if cache else None
        return cls(embedder, risk, safe, threshold=threshold, margin=margin, k=k, vectors=vectors)

    def match(self, text: str) -> Match:
        """Embed ``text`` (one call, one vector) and compare it with both exemplar sets."""
        return self.match_vector(self.embedder.embed([text])[0])

    def match_vector(self, vector: np.ndarray) -> Match:
        """Compare an already-embedded unit vector with both exemplar sets."""
        risk = self._risk_vectors @ vector
        nearest = np.argsort(-risk)[: self.k]
        safe = np.sort(self._safe_vectors @ vector)[-self.k:]
        return Match(float(risk[nearest].mean()), float(safe.mean()), self.risk[int(nearest[0])].reason)

    def flags(self, found: Match) -> bool:
        """Near enough to the risk exemplars, and nearer to them than to the safe ones."""
        return found.risk >= self.threshold and found.gap >= self.margin

    def check(self, text: str) -> Verdict | None:
        """The urgent-help verdict if ``text`` reads as a risk message, else None."""
        if not text.strip():
            return None
        found = self.match(text)
        return safeguarding(found.reason) if self.flags(found) else None


# --- the exemplar vectors, kept in a file -----------------------------------------------------


def exemplar_key(embedder: Embedder, model: str) -> str:
    """What the cached vectors depend on: both exemplar files, the model, and the embedder's
    model name (its class name when it has none) and size. The torch and ONNX runs of one
    model share a key: their vectors agree to about 1e-7."""
    digest = hashlib.sha256()
    for part in (_exemplar_file(RISK_FILE), _exemplar_file(SAFE_FILE), model,
                 str(getattr(embedder, "name", type(embedder).__qualname__)), str(getattr(embedder, "dimension", ""))):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def exemplar_vectors(
    embedder: Embedder,
    cache: Path,
    *,
    model: str,
    risk: Sequence[Exemplar] | None = None,
    safe: Sequence[Exemplar] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The risk and safe exemplar vectors: read from ``cache`` when its key matches, else
    embedded and written there (atomically, so workers starting together never read half a file).

    One process embeds them at most once per embedder, whatever the cache path. A cache that
    cannot be written (a read-only data folder) only costs embedding at each start-up.
    """
    risk = list(risk) if risk is not None else load_exemplars(RISK_FILE)
    safe = list(safe) if safe is not None else load_exemplars(SAFE_FILE)
    key = exemplar_key(embedder, model)
    cached = _read_cache(cache, key, len(risk), len(safe))
    if cached is not None:
        return cached
    vectors = _remembered(embedder, key)
    if vectors is None:
        vectors = (embedder.embed([e.text for e in risk]), embedder.embed([e.text for e in safe]))
        _remember(embedder, key, vectors)
    _write_cache(cache, key, vectors)
    return vectors


_MEMO: weakref.WeakKeyDictionary[Embedder, dict[str, tuple[np.ndarray, np.ndarray]]] = weakref.WeakKeyDictionary()


def _remembered(embedder: Embedder, key: str) -> tuple[np.ndarray, np.ndarray] | None:
    try:
        return _MEMO.get(embedder, {}).get(key)
    except TypeError:  # an embedder that cannot be weakly referenced is never remembered
        return None


def _remember(embedder: Embedder, key: str, vectors: tuple[np.ndarray, np.ndarray]) -> None:
    try:
        _MEMO.setdefault(embedder, {})[key] = vectors
    except TypeError:
        pass


def _write_cache(cache: Path, key: str, vectors: tuple[np.ndarray, np.ndarray]) -> None:
    tmp = cache.with_name(f"{cache.name}.{uuid.uuid4().hex}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as out:
            np.savez(out, key=np.array(key), risk=vectors[0].astype(np.float32), safe=vectors[1].astype(np.float32))
        os.replace(tmp, cache)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _read_cache(cache: Path, key: str, n_risk: int, n_safe: int) -> tuple[np.ndarray, np.ndarray] | None:
    try:
        with np.load(cache) as npz:
            if str(npz["key"]) != key:
                return None
            risk, safe = npz["risk"], npz["safe"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None  # missing or damaged: embed again
    if risk.shape[0] != n_risk or safe.shape[0] != n_safe:
        return None
    return risk, safe
