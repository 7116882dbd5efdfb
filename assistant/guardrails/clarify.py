"""A follow-up with nothing to follow: "what about mine?", "and that?", "is it the same?".

With no conversation history and no SEND content, a short message that points back at
something ("it", "that", "mine", "the same", "what about...") cannot be answered; ask a
specific question back instead of guessing. With history, the pipeline's follow-up step
rewrites it, so this check stands aside.

    >>> check(fold("what about mine?"), history=())
    'no_context'
    >>> check(fold("what about mine?"), history=("Can the LA refuse to assess?",)) is None
    True
    >>> check(fold("how long does the LA have to issue the plan?"), history=()) is None
    True
    >>> question(fold("can I appeal it?")).startswith("Which decision")
    True
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant import messages
from assistant.guardrails._text import any_of, fold, has_send_terms
from assistant.sources import find_refs

__all__ = ["check", "fold", "question"]

MAX_WORDS = 8
POINTING = re.compile(any_of(
    r"it|its|that|thats|this|those|these|them|they|theyve|mine|ours|theirs|one|same|similar|"
    r"different|what about|and then|what now|what next|what then|what happens|what do i do|"
    r"what should i do|what can i do|why|really|how come"))
GREETING = re.compile(r"^\W*(?:hi|hello|hey|hiya|help|morning|evening|afternoon|anyone there)\W*$")
_APPEAL = re.compile(any_of(r"appeal\w*|challenge\w*|complain\w*|disagree\w*|fight|overturn"))
_TIME = re.compile(any_of(r"how long|when|deadline\w*|time limits?|weeks?|days?|timescales?"))
_SAME = re.compile(any_of(r"same|similar|different|apply|applies|too|also|mine|ours"))


def check(folded: str, *, history: Sequence[str] = ()) -> str | None:
    """``"no_context"`` if the folded message cannot be answered without earlier turns."""
    if any(turn.strip() for turn in history) or has_send_terms(folded) or find_refs(folded):
        return None
    if GREETING.match(folded):
        return "no_context"
    words = re.findall(r"[a-z0-9]+", folded)
    if not words or len(words) > MAX_WORDS:
        return None
    return "no_context" if POINTING.search(folded) or len(words) <= 2 else None


def question(folded: str) -> str:
    """The specific question to ask back, chosen from what the message seems to be about."""
    if _APPEAL.search(folded):
        return messages.CLARIFY_APPEAL
    if _TIME.search(folded):
        return messages.CLARIFY_TIME
    if _SAME.search(folded):
        return messages.CLARIFY_SAME
    return messages.CLARIFY_GENERAL
