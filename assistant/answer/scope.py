"""Questions the sources cannot answer by their nature: local figures, predictions, named
staff contacts and school rankings. Saying so beats answering a neighbouring question.

    >>> unanswerable("will i win my tribunal appeal next month??")
    'prediction'
    >>> unanswerable("how many weeks does the council have to decide?") is None
    True
"""

from __future__ import annotations

import re

_FIGURES = re.compile(
    r"\b(what percentage|what proportion|what share|statistics|stats|figures|allocation|high needs block|"
    r"hourly rate|rate (?:do|does|did) .{0,30}\bpay|top-?up (?:value|rate|funding)|banding matrix|band \d+|"
    r"average wait|waiting list at|league table|how much (?:did|does|do) (?:we|our|the council) spend|"
    r"how many (?:\w+ ){0,3}(?:appeals|plans|ehcps|ehc plans|children|pupils|places|requests|tribunals|cases|complaints))\b",
    re.IGNORECASE,
)
_PREDICTION = re.compile(
    r"\b(will (?:i|we|they|he|she|my \w+) (?:win|lose|get in|get a place|be accepted)|"
    r"chances? of (?:winning|success|getting)|likely (?:to win|outcome)|predict)\b",
    re.IGNORECASE,
)
_NAMED_CONTACT = re.compile(
    r"\b(direct[- ]dial|(?:phone|mobile|telephone) number (?:for|of) [A-Z]|email (?:address )?(?:for|of) [A-Z]|"
    r"name of the (?:senco|sendco|head|headteacher|head teacher|caseworker)|who is the senco at)",
    re.IGNORECASE,
)
_RANKING = re.compile(
    r"\b(?:which|what) (?:school|secondary|primary|college|nursery|special school)\b.{0,60}\b(?:best|good|top)\b|"
    r"\bbest (?:school|secondary|primary|college|autism (?:base|unit|resource))\b",
    re.IGNORECASE,
)


def unanswerable(question: str) -> str | None:
    """The kind of question the law and Local Offer cannot answer, or None."""
    if _PREDICTION.search(question):
        return "prediction"
    if _NAMED_CONTACT.search(question):
        return "named_contact"
    if _RANKING.search(question):
        return "school_ranking"
    if _FIGURES.search(question):
        return "local_figures"
    return None
