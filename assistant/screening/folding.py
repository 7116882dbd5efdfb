"""Text helpers for the injection guard: folding for matching and clause splitting.

Every guardrail matches regexes against *folded* text: lower case, apostrophes dropped
(so "can't", "cant" and "can’t" are all ``cant``), hyphens between words turned into
spaces ("self-harm" -> ``self harm``) and common text-speak expanded.

    >>> fold("I’m gonna hurt my-self 2nite")
    'im going to hurt my self tonight'
    >>> [text for text in clauses("Ignore that. Is s.36(8) relevant?Yes; ok")]
    ['Ignore that.', 'Is s.36(8) relevant?', 'Yes;', 'ok']
"""

from __future__ import annotations

import re

_APOSTROPHES = re.compile(r"[’‘`´ʼ']")
_WORD_HYPHEN = re.compile(r"(?<=\w)[-‐‑–—](?=\w)")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_SLANG = {
    "u": "you", "ur": "your", "r": "are", "wanna": "want to", "gonna": "going to",
    "gunna": "going to", "imma": "im going to", "ima": "im going to", "kms": "kill myself",
    "kys": "kill yourself", "unalive": "kill", "unaliving": "killing", "sewerslide": "suicide",
    "tonite": "tonight", "2nite": "tonight", "2day": "today", "rn": "right now",
    "idk": "i dont know", "dunno": "dont know", "cuz": "because", "coz": "because",
    "cos": "because", "bc": "because", "pls": "please", "plz": "please", "ppl": "people",
}
_SLANG_RE = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in _SLANG) + r")\b")


def fold(text: str) -> str:
    """Lower-case, drop apostrophes, unhyphenate words, expand text-speak, squeeze spaces."""
    text = _APOSTROPHES.sub("", text.lower())
    text = _WORD_HYPHEN.sub(" ", text)
    text = _SLANG_RE.sub(lambda m: _SLANG[m.group(0)], text)
    return _SPACES.sub(" ", text).strip()


# A clause ends at . ! ? ; or a newline. A full stop only counts before a space or a capital,
# so "s.36(8)", "reg. 5" kept together is not needed but "9.14" and "e.g." survive.
_BOUNDARY = re.compile(r"(?:[!?]+|\.(?=[\"”’)\]]*(?:\s|$)|[A-Z])|;)[\"”’)\]]*\s*|\n+\s*")


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of each clause of ``text`` (punctuation stays with its clause)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def clauses(text: str) -> list[str]:
    """The clauses of ``text``, stripped."""
    return [text[a:b].strip() for a, b in clause_spans(text)]


def any_of(words: str) -> str:
    """A non-capturing regex group for a ``|``-separated word list, whole words only."""
    return r"\b(?:" + words + r")\b"
