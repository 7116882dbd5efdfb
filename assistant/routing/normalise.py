"""The text that is embedded for a message: its words, with crisis text-speak written out.

MiniLM knows "kill myself" but not "kms", so a few abbreviations are expanded before the one
embedding that both routing and retrieval use. Nothing else changes.

    >>> meaning_text("wanna kms rn")
    'want to kill myself right now'
    >>> meaning_text("Can the LA refuse? s.36(8)")
    'Can the LA refuse? s.36(8)'
"""

from __future__ import annotations

import re

__all__ = ["meaning_text"]

TEXT_SPEAK = {
    "kms": "kill myself", "kys": "kill yourself", "unalive": "kill", "unaliving": "killing", "unalived": "killed",
    "sewerslide": "suicide", "wanna": "want to", "gonna": "going to", "tonite": "tonight", "2nite": "tonight",
    "rn": "right now", "idk": "i don't know", "ngl": "not going to lie", "tbh": "to be honest", "pls": "please",
    "plz": "please", "bc": "because", "cos": "because", "coz": "because", "cuz": "because", "ppl": "people",
    "ur": "your", "u": "you",
}
_WORD = re.compile(r"(?<![\w.])[A-Za-z0-9]+(?![\w.])")


def meaning_text(text: str) -> str:
    return _WORD.sub(lambda m: TEXT_SPEAK.get(m.group(0).lower(), m.group(0)), text)
