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
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from assistant.guardrails import safeguarding
from assistant.guardrails.verdict import Verdict
from assistant.ports import Embedder

__all__ = ["Exemplar", "Match", "SemanticSafety", "load_exemplars", "parse_exemplars"]

THRESHOLD = 0.38
MARGIN = 0.06
NEIGHBOURS = 2
DEFAULT_REASON = "semantic_risk"


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


def load_exemplars(name: str) -> list[Exemplar]:
    """Read ``data/<name>``: one message a line, ``#`` comments, ``[reason]`` starting a group.

    >>> [e.reason for e in load_exemplars("risk_exemplars.txt")][:1]
    ['suicide']
    """
    text = resources.files("assistant.guardrails").joinpath("data", name).read_text(encoding="utf-8")
    return list(parse_exemplars(text.splitlines()))


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
    ) -> None:
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
        self._risk_vectors = embedder.embed([e.text for e in self.risk])
        self._safe_vectors = embedder.embed([e.text for e in self.safe])

    @classmethod
    def from_files(
        cls, embedder: Embedder, *, threshold: float = THRESHOLD, margin: float = MARGIN, k: int = NEIGHBOURS
    ) -> SemanticSafety:
        """The checker over the exemplars shipped in ``assistant/guardrails/data``."""
        return cls(embedder, load_exemplars("risk_exemplars.txt"), load_exemplars("safe_exemplars.txt"),
                   threshold=threshold, margin=margin, k=k)

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
