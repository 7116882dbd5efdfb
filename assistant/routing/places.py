"""Which nations a message names: the places and system names in jurisdiction.yaml, as whole words.

A lookup of facts, not a rule set: the message's words are matched against each nation's list
of phrases ("cardiff", "additional learning needs", "co ordinated support plan").

    >>> nations_named("We live in Cardiff and the ALNCo refused an IDP")
    ['wales']
    >>> nations_named("we moved from Glasgow to Leeds")
    ['scotland', 'england']
    >>> nations_named("can the LA refuse to assess?")
    []
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.routing.data import load_decisions

__all__ = ["nations_named", "words"]

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes dropped ("Wales's" -> "waless" is not a concern: "wales" is matched first)."""
    return _WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))


@lru_cache(maxsize=1)
def _phrases() -> dict[tuple[str, ...], str]:
    nations = load_decisions()["jurisdiction"].extra["nations"]
    out: dict[tuple[str, ...], str] = {}
    for nation, spec in nations.items():
        for phrase in [*spec.get("places", []), *spec.get("systems", [])]:
            out[tuple(words(str(phrase)))] = nation
    return out


def nations_named(text: str) -> list[str]:
    """Every nation whose places or system names appear in ``text``, ordered by where it is last named."""
    tokens = words(text)
    phrases = _phrases()
    longest = max((len(p) for p in phrases), default=1)
    last: dict[str, int] = {}
    for start in range(len(tokens)):
        for size in range(min(longest, len(tokens) - start), 0, -1):
            nation = phrases.get(tuple(tokens[start:start + size]))
            if nation:
                last[nation] = start
                break
    return sorted(last, key=lambda n: last[n])
