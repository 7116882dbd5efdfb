"""Answer a chat message with a deterministic tool, once routing has chosen the tool by meaning.

Which tool (if any) answers a message, and which decision an appeal question is about, is
decided by meaning in ``assistant.routing`` (``Router.tool``, ``Router.appeal_decision``).
This module does the rest with certainty: it finds the dates in the message (``dateparse``),
works out what each date is the date *of* from the words nearest it, adds the dates given
earlier in the conversation, and runs the deadline engine or the appeal navigator.

An appeal deadline runs from the date the decision letter was sent: a date on which a decision
*takes effect* ("the plan ends on 31 July") is recognised and never used as that date, and when
the letter's date is missing the answer asks for it.

>>> from datetime import date
>>> result = answer_with_tool("deadlines", "I got the draft plan on 10/11/2026, how long do I have to comment?",
...                           today=date(2026, 11, 23))
>>> result.tool, "24 November 2026" in result.text
('deadlines', True)
>>> events_in("I sent the request on 3 March", today=date(2026, 11, 23))
{'request_received': datetime.date(2026, 3, 3)}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.errors import InvalidInput
from assistant.models import Citation
from assistant.tools.appeal_table import TABLE, TIME_LIMIT, DecisionType
from assistant.tools.appeals import AppealQuery, AppealRoute, route_for
from assistant.tools.deadlines import fmt
from assistant.tools.dateparse import FoundDate, find_dates
from assistant.tools.events import KnownEvents, OrderType
from assistant.tools.lateness import check_late
from assistant.tools.render import appeal_markdown, deadlines_markdown

__all__ = ["ToolResult", "answer_with_tool", "events_in"]

ASK_LETTER_DATE = (
    "To work out the appeal deadline I need the date the decision letter was sent (the date on the letter "
    "or email), not the date the decision takes effect. The deadline is 2 months from that date, or 1 month "
    "from a mediation certificate if that is later. What date is on the letter?"
)
ASK_WHAT_DATE = "I found a date but not what it was the date of. What happened on that day (for example, the council received your request, or the draft plan arrived)?"


@dataclass
class ToolResult:
    tool: str                                  # deadlines | appeal_route | clarify
    text: str
    citations: list[Citation] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


# The words that say what a date is the date of. A date belongs to the event named nearest it
# (words after a date, or across a clause break, count as further away). "effective" dates are
# recognised so they are never taken for the date a decision was sent.
EVENT_WORDS = (
    ("effective", r"takes? effect|comes? into effect|ends? on|will end|ending on|stops? on|will stop|finish\w* on|last day"),
    ("certificate_issued", r"certificate"),
    ("draft_plan_served", r"\bdraft\b"),
    ("amendment_notice", r"proposed amendment|amendment notice|amendments? (were|was) (sent|proposed)"),
    ("review_meeting", r"annual review|review meeting"),
    ("tribunal_order", r"tribunal (order|ordered|decision)|won (the|our) appeal"),
    ("discrimination_conduct", r"discriminat|excluded|exclusion"),
    ("cease_notice", r"ceas|stop the plan|end the plan"),
    ("mediation_requested", r"(want|asked for|requested) mediation"),
    ("decision_notice", r"decision|refus|letter|final plan|appeal"),
    ("request_received", r"\b(asked|request\w*|applied|application|assess\w*|sent it|emailed)\b"),
)
_WINDOW = 60
_CLAUSE_BREAK = re.compile(r"[.;,?!]|\b(and|but|then)\b")
_SECTION = re.compile(r"\bsection ([bfi])\b")
_WRITER_AGE = re.compile(r"\b(?:i am|i'm|im) (1[6-9]|2[0-5])\b")


def _distance(text: str, found: FoundDate, match: re.Match[str]) -> int:
    """Characters between a date and a keyword; words after the date or across a clause count more."""
    if match.end() <= found.start:
        between, distance = text[match.end():found.start], found.start - match.end()
    else:
        between, distance = text[found.end:match.start()], max(match.start() - found.end, 0) * 2 + 5
    return distance + (_WINDOW if _CLAUSE_BREAK.search(between) else 0)


def _dated(text: str, dates: list[FoundDate]) -> dict[str, date]:
    """Each date mapped to the event named by the closest words around it (one date per event)."""
    values: dict[str, date] = {}
    for found in dates:
        best: tuple[int, int, str] | None = None
        for rank, (name, pattern) in enumerate(EVENT_WORDS):
            if name in values:
                continue
            for match in re.finditer(pattern, text):
                distance = _distance(text, found, match)
                if distance <= 2 * _WINDOW and (best is None or (distance, rank) < best[:2]):
                    best = (distance, rank, name)
        if best is not None:
            values[best[2]] = found.day
    return values


def events_in(message: str, *, today: date) -> dict[str, date]:
    """The dated events a message states, by KnownEvents field ("effective" dates left out)."""
    text = message.lower()
    values = _dated(text, find_dates(message, today=today))
    values.pop("effective", None)
    return values


def _known(values: dict[str, date], text: str) -> KnownEvents | None:
    values = dict(values)
    extra: dict[str, Any] = {}
    if "tribunal_order" in values:
        extra["order_type"] = (OrderType.ASSESS if "assess" in text else OrderType.AMEND_SCHOOL_ONLY
                               if re.search(r"\bschool\b", text) and "provision" not in text else
                               OrderType.AMEND_PROVISION if "amend" in text else OrderType.MAKE_PLAN)
    return KnownEvents(**values, **extra) if values else None


def answer_with_tool(tool: str, message: str, *, today: date, decision: str | None = None,
                     earlier: dict[str, date] | None = None, ask: str | None = None) -> ToolResult | None:
    """The tool's answer ("deadlines" or "appeal_route"), a clarifying question, or None to let
    the answer engine reply. ``earlier``: dated events given earlier in the conversation.
    ``ask``: the form of the question ("yes_no", "time"...), so the card's first line answers it."""
    text = message.lower()
    dated = _dated(text, find_dates(message, today=today))
    effective = dated.pop("effective", None)
    events = {**(earlier or {}), **dated}
    if tool == "appeal_route":
        return _appeal(DecisionType(decision or DecisionType.OTHER.value), text, events, today, stated=dated, ask=ask)
    if tool != "deadlines":
        raise ValueError(f"tool must be 'deadlines' or 'appeal_route', got {tool!r}")
    appeal_asked = any(w in text for w in ("appeal", "tribunal", "challenge"))
    if appeal_asked and not ({"decision_notice", "cease_notice", "certificate_issued"} & events.keys()):
        return ToolResult("clarify", ASK_LETTER_DATE) if (effective or dated or "letter" in text or "decision" in text) else None
    known = _known(events, text)
    if known is None:
        return ToolResult("clarify", ASK_WHAT_DATE) if effective or find_dates(message, today=today) else None
    return _deadlines(known, today)


def _appeal(decision: DecisionType, text: str, events: dict[str, date], today: date, *,
            stated: dict[str, date], ask: str | None = None) -> ToolResult:
    """The appeal card. The decision's date is the notice's date; failing that, a date this message
    gives for something else ("they refused to assess on 1 October"), but never a date the
    decision takes effect, which was dropped before."""
    sections = frozenset(s.upper() for s in _SECTION.findall(text))
    if decision is not DecisionType.PLAN_CONTENTS:
        sections = frozenset()
    elif not sections and any(w in text for w in ("school named", "named school", "placement")):
        sections = frozenset({"I"})  # the school or placement named is section I
    decision_date = (events.get("cease_notice") or events.get("decision_notice") or events.get("discrimination_conduct")
                     or next((day for name, day in stated.items() if name != "certificate_issued"), None))
    young = bool(_WRITER_AGE.search(text)) or "young person" in text or "my own appeal" in text
    try:
        route = route_for(AppealQuery(decision, sections, decision_date, events.get("certificate_issued"), young), today=today)
    except InvalidInput as exc:
        return ToolResult("clarify", str(exc))
    markdown, citations = appeal_markdown(route, lead=_direct(route, text, ask))
    return ToolResult("appeal_route", markdown, citations, {"decision": decision.value})


# "can I appeal?", "can I take it to the tribunal?", "can I bring a claim?"
_ASKS_TO_APPEAL = re.compile(r"\b(appeal\w*|tribunal|challenge|claim|sendist|take (?:it|them|this|that) to)\b")


def _direct(route: AppealRoute, text: str, ask: str | None) -> str:
    """The card's first words when they answer the question asked: the yes to "can I appeal?"
    when the Tribunal hears it, the time limit to "how long do I have?"."""
    if ask == "time":
        if route.deadline is not None:
            return f"Your deadline is {fmt(route.deadline)}: {route.deadline_basis}."
        limit = TIME_LIMIT.get(TABLE[route.decision].deadline)
        return f"You have {limit}." if limit else ""
    if ask == "yes_no" and route.tribunal and _ASKS_TO_APPEAL.search(text):
        return "Yes."
    return ""


def _deadlines(events: KnownEvents, today: date) -> ToolResult:
    try:
        report = check_late(events, today=today)
    except InvalidInput as exc:
        return ToolResult("clarify", f"I could not work out the dates: {exc}")
    if not report.tracked:
        return ToolResult("clarify", ASK_WHAT_DATE)
    markdown, citations = deadlines_markdown(report)
    return ToolResult("deadlines", markdown, citations,
                      {"events": {k: v.isoformat() for k, v in events.given().items()},
                       "overdue": [d.key for d in report.overdue]})
