"""Keyword search: BM25 (bm25s) over the same chunks as the dense index.

Users type paragraph numbers, acronyms (EHCP, SENCO, LGSCO) and exact terms that dense
search misses. Acronyms are expanded on both sides, and words are lightly stemmed, so
"EHCP reviews" finds "review of an education, health and care plan".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.text import STOPWORDS, tokens

# Acronyms and the words a passage would use for them (both directions are indexed).
EXPANSIONS: dict[str, str] = {
    "ehcp": "ehc plan education health care plan",
    "ehcps": "ehc plan education health care plan",
    "ehc": "education health care",
    "ehcna": "ehc needs assessment",
    "ehna": "ehc needs assessment",
    "senco": "special educational needs co-ordinator coordinator",
    "sendco": "senco special educational needs co-ordinator",
    "sendiass": "information advice support service iass",
    "iass": "sendiass information advice support service",
    "sendist": "first-tier tribunal send tribunal appeal",
    "ftt": "first-tier tribunal",
    "lgsco": "local government social care ombudsman",
    "lgo": "local government ombudsman lgsco",
    "la": "local authority council",
    "las": "local authority council",
    "yp": "young person",
    "cyp": "children young people",
    "salt": "speech language therapy",
    "slt": "speech language therapy",
    "ot": "occupational therapy",
    "ap": "alternative provision",
    "pfa": "preparing for adulthood",
    "sen": "special educational needs",
    "send": "special educational needs disability",
    "eotas": "education otherwise than at school",
    "ehe": "elective home education",
    "camhs": "child adolescent mental health services",
    "icb": "integrated care board health commissioning",
    "dco": "designated clinical officer",
    "isp": "individual support plan",
    "isps": "individual support plan",
    "cop": "code of practice",
    "npq": "national professional qualification senco",
    "nasenco": "national award sen co-ordination",
    "jr": "judicial review",
    "pb": "personal budget",
    "dp": "direct payment",
}
_REF_TOKEN = re.compile(r"^(?:s|reg|r)\.?\d")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light English stemmer: plurals and a few suffixes. Numbers and refs are kept.

    Remembered per word: the composer stems every word of every candidate sentence per answer."""
    if any(ch.isdigit() for ch in word) or len(word) <= 3:
        return word
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + replacement
    return word


def analyse(text: str) -> list[str]:
    """Text -> BM25 terms: lower-case, stop words dropped, acronyms expanded, stemmed."""
    terms: list[str] = []
    for token in tokens(text):
        token = token.replace("'", "")
        if token in STOPWORDS and token not in EXPANSIONS:
            continue
        terms.append(stem(token))
        if token in EXPANSIONS:
            terms.extend(stem(t) for t in EXPANSIONS[token].split() if t not in STOPWORDS)
        if _REF_TOKEN.match(token):
            terms.append(token.replace(".", ""))
    return terms


class KeywordIndex:
    """BM25 over chunk texts; scores are masked to the chunks a question may see."""

    def __init__(self, retriever: object, size: int) -> None:
        self._bm25 = retriever
        self.size = size

    @classmethod
    def build(cls, texts: Sequence[str]) -> KeywordIndex:
        import bm25s

        retriever = bm25s.BM25()
        corpus = [analyse(text) or ["empty"] for text in texts]
        retriever.index(corpus, show_progress=False)
        return cls(retriever, len(texts))

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder))  # type: ignore[attr-defined]
        (folder / "size.txt").write_text(str(self.size))

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        import bm25s

        size = int((folder / "size.txt").read_text())
        return cls(bm25s.BM25.load(str(folder)), size)

    def scores(self, query: str, mask: np.ndarray | None = None) -> np.ndarray:
        terms = analyse(query)
        if not terms:
            return np.zeros(self.size, dtype=np.float32)
        scores = np.asarray(self._bm25.get_scores(terms), dtype=np.float32)  # type: ignore[attr-defined]
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        return scores
