"""Spot chat messages that a deterministic tool should answer, and answer them.

`detect_tool_request` returns None when the message is not a date or appeal question, so the
pipeline falls back to retrieval. Otherwise it returns a `ToolResult`: markdown with [n]
markers and the matching `Citation` objects.

>>> from datetime import date
>>> result = detect_tool_request("I got the draft plan on 10/11/2026, how long do I have to comment?",
...                              today=date(2026, 11, 23))
>>> result.tool, "24 November 2026" in result.text
('deadlines', True)
>>> detect_tool_request("What is an EHC plan?", today=date(2026, 11, 23)) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.errors import InvalidInput
from assistant.models import Citation
from assistant.tools.appeal_table import DecisionType
from assistant.tools.appeals import AppealQuery, route_for
from assistant.tools.dateparse import FoundDate, find_dates
from assistant.tools.events import KnownEvents, OrderType
from assistant.tools.lateness import check_late
from assistant.tools.render import appeal_markdown, deadlines_markdown


@dataclass
class ToolResult:
    tool: str                                  # deadlines | appeal_route | clarify
    text: str
    citations: list[Citation] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def _has(text: str, pattern: str) -> bool:
    return re.search(pattern, text) is not None


_QUESTION = r"\b(when|how long|how many|deadline|by when|time limit|due|late|overdue|decide by|have to|still|yet)\b"
_APPEAL_ASK = r"\b(can|could|should|how) (i|we|my \w+)\b.*\b(appeal|challenge|complain)|\bright to appeal\b|\bappealable\b"
# An appeal already under way that someone wants to end, settle or withdraw: not "can I appeal?".
_ENDING_APPEAL = (
    r"\b(end|ending|withdraw\w*|settl\w*|conced\w*|concession|drop|dropping)\b[\w\s']{0,25}\b(the|an|this|our|my|her|his|their) appeal\b"
    r"|\bappeal\b[\w\s']{0,25}\b(withdrawn|settled|conceded)\b"
)

# (pattern, decision) in priority order: the first match wins.
_DECISIONS: tuple[tuple[str, DecisionType], ...] = (
    (r"discriminat", DecisionType.DISABILITY_DISCRIMINATION_SCHOOL),
    (r"\b(transport|travel|taxi|bus pass|minibus)\b", DecisionType.TRANSPORT),
    (r"re-?assess", DecisionType.REFUSE_REASSESSMENT),
    (r"\b(refus\w*|declin\w*|won'?t|not|turned down)\b[\w\s]{0,30}\bassess", DecisionType.REFUSE_ASSESSMENT),
    (r"\bassess\w*\b[\w\s]{0,30}\b(refus\w*|declin\w*|turned down|rejected)", DecisionType.REFUSE_ASSESSMENT),
    (r"\b(ceas\w*|stop\w* the plan|end\w* the plan|taking away the plan)", DecisionType.CEASE_PLAN),
    (r"\b(refus\w*|won'?t|not)\b[\w\s]{0,20}\bamend", DecisionType.REFUSE_AMEND_AFTER_REVIEW),
    (r"\b(refus\w*|won'?t|not)\b[\w\s]{0,20}\b(issue|give|make)\b[\w\s]{0,15}\bplan", DecisionType.REFUSE_PLAN),
    (r"\b(no school|not named a school|without a school|section i is (blank|empty))", DecisionType.NO_SCHOOL_NAMED),
    (r"\b(health|social care)\b.*\b(section [bf]|education|provision)\b", DecisionType.HEALTH_SOCIAL_CARE_WITH_EDUCATION),
    (r"\b(health|social care)\b", DecisionType.HEALTH_SOCIAL_CARE_ONLY),
    (r"\b(section [bfi]|school named|placement|provision in the plan|contents?|wording|final plan)\b", DecisionType.PLAN_CONTENTS),
    (r"\b(not (being )?(delivered|provided|put in place)|not getting the (support|provision))", DecisionType.PLAN_NOT_DELIVERED),
    (r"\b(delay\w*|taking too long|missed the deadline)\b", DecisionType.DELAY),
)


def detect_tool_request(message: str, *, today: date) -> ToolResult | None:
    """A deterministic answer for a deadline or appeal question, or None."""
    text = message.lower()
    dates = find_dates(message, today=today)
    if _has(text, r"\b(appeal|challenge)") and (_has(text, _APPEAL_ASK) or "?" in text) and not _has(text, _ENDING_APPEAL):
        route = _appeal(text, dates, today)
        if route is not None:
            return route
    if dates and (_has(text, _QUESTION) or "?" in text):
        events = _events(text, dates)
        if events is not None:
            return _deadlines(events, today)
    return None


def _appeal(text: str, dates: list[FoundDate], today: date) -> ToolResult | None:
    decision = next((d for pattern, d in _DECISIONS if _has(text, pattern)), None)
    if decision is None:
        return None
    sections = frozenset(s.upper() for s in re.findall(r"section ([bfi])\b", text))
    if decision is DecisionType.PLAN_CONTENTS and not sections and _has(text, r"school named|placement"):
        sections = frozenset({"I"})
    certificate = next((d.day for d in dates if "certificate" in text[max(0, d.start - 40):d.end + 10]), None)
    decision_date = next((d.day for d in dates if d.day != certificate), None)
    young = _has(text, r"\b(i am|i'm) (1[6-9]|2[0-4])\b|\byoung person\b|\bmy own appeal\b")
    try:
        route = route_for(AppealQuery(decision, sections, decision_date, certificate, young), today=today)
    except InvalidInput as exc:
        return ToolResult("clarify", str(exc))
    markdown, citations = appeal_markdown(route)
    return ToolResult("appeal_route", markdown, citations, {"decision": decision.value})


_EVENT_WORDS = (
    ("certificate_issued", r"certificate"),
    ("draft_plan_served", r"\bdraft\b"),
    ("amendment_notice", r"proposed amendment|amendment notice|amendments? (were|was) (sent|proposed)"),
    ("review_meeting", r"annual review|review meeting"),
    ("tribunal_order", r"tribunal (order|ordered|decision)|won (the|our) appeal"),
    ("discrimination_conduct", r"discriminat|excluded|exclusion"),
    ("cease_notice", r"ceas|stop the plan|end the plan"),
    ("mediation_requested", r"(want|asked for|requested) mediation"),
    ("decision_notice", r"decision|refus|letter|final plan|appeal"),
    ("request_received", r"\b(asked|request\w*|applied|application|assess\w*)\b"),
)
_WINDOW = 60


_CLAUSE_BREAK = re.compile(r"[.;,?!]|\b(and|but|then)\b")


def _distance(text: str, found: FoundDate, match: re.Match[str]) -> int:
    """Characters between a date and a keyword; words after the date or across a clause count more."""
    if match.end() <= found.start:
        between, distance = text[match.end():found.start], found.start - match.end()
    else:
        between, distance = text[found.end:match.start()], max(match.start() - found.end, 0) * 2 + 5
    return distance + (_WINDOW if _CLAUSE_BREAK.search(between) else 0)


def _events(text: str, dates: list[FoundDate]) -> KnownEvents | None:
    """Map each date to the event named by the closest words around it."""
    values: dict[str, Any] = {}
    for found in dates:
        best: tuple[int, int, str] | None = None
        for rank, (name, pattern) in enumerate(_EVENT_WORDS):
            if name in values:
                continue
            for match in re.finditer(pattern, text):
                distance = _distance(text, found, match)
                if distance <= 2 * _WINDOW and (best is None or (distance, rank) < best[:2]):
                    best = (distance, rank, name)
        if best is not None:
            values[best[2]] = found.day
    if "tribunal_order" in values:
        values["order_type"] = (OrderType.ASSESS if "assess" in text else OrderType.AMEND_SCHOOL_ONLY
                                if _has(text, r"\bschool\b") and "provision" not in text else
                                OrderType.AMEND_PROVISION if "amend" in text else OrderType.MAKE_PLAN)
    if not values:
        return None
    return KnownEvents(**values)


def _deadlines(events: KnownEvents, today: date) -> ToolResult:
    try:
        report = check_late(events, today=today)
    except InvalidInput as exc:
        return ToolResult("clarify", f"I could not work out the dates: {exc}")
    if not report.tracked:
        return ToolResult("clarify", "I found a date but not what it was the date of. What happened on that day?")
    markdown, citations = deadlines_markdown(report)
    return ToolResult("deadlines", markdown, citations,
                      {"events": {k: v.isoformat() for k, v in events.given().items()},
                       "overdue": [d.key for d in report.overdue]})
