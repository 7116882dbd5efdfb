"""Deadlines from a request for an EHC needs assessment to the final plan.

>>> from datetime import date
>>> from assistant.tools.events import KnownEvents
>>> [d.date.isoformat() for d in deadlines(KnownEvents(draft_plan_served=date(2026, 11, 10)))]
['2026-11-24']
"""

from __future__ import annotations

from assistant.tools import calendar as cal
from assistant.tools import law as L
from assistant.tools.deadline_types import Actor, Deadline, fmt
from assistant.tools.events import KnownEvents

_ASSESS_EXCEPTIONS = (
    "Reg 5(4): the 6 weeks can be missed lawfully only where meeting it is impractical because "
    "advice was sought from a school or college around a closure of 4 weeks or more, because of "
    "exceptional personal circumstances, or because the family was away from the area for 4 weeks or more."
)
_PLAN_EXCEPTIONS = (
    "Reg 10(4)(a)-(d) (applied to the 20 weeks by reg 13(3)): only where meeting the limit is "
    "impractical because advice was sought from a school, college or early years provider around a "
    "closure of 4 weeks or more, exceptional personal circumstances affect the child, parent or young "
    "person, or they were away from the area for 4 weeks or more."
)


def deadlines(events: KnownEvents) -> list[Deadline]:
    found: list[Deadline] = []
    if (request := events.request_received) is not None:
        basis = f"from {fmt(request)}, when the council received the request"
        found += [
            Deadline(
                key="assessment_decision", date=cal.add_weeks(request, 6), actor=Actor.LOCAL_AUTHORITY,
                action="Tell you whether it will carry out an EHC needs assessment (with appeal and mediation rights if it refuses).",
                cites=(L.REG_5_1, L.REG_5_3, L.REG_5_4), trigger="request_received",
                basis=f"6 weeks {basis}", exceptions=_ASSESS_EXCEPTIONS,
                done_by=("assessment_decision",), implied_by=("draft_plan_served", "final_plan_issued"),
            ),
            Deadline(
                key="no_plan_decision", date=cal.add_weeks(request, 16), actor=Actor.LOCAL_AUTHORITY,
                action="If, after assessing, it decides not to issue an EHC plan, tell you so (with appeal and mediation rights).",
                cites=(L.REG_10_1, L.REG_10_4), trigger="request_received",
                basis=f"16 weeks {basis}", exceptions=_PLAN_EXCEPTIONS,
                implied_by=("draft_plan_served", "final_plan_issued"),
            ),
            Deadline(
                key="final_plan", date=cal.add_weeks(request, 20), actor=Actor.LOCAL_AUTHORITY,
                action="Send the final EHC plan (if it decided to issue one).",
                cites=(L.REG_13_2, L.REG_13_3), trigger="request_received",
                basis=f"20 weeks {basis}", exceptions=_PLAN_EXCEPTIONS,
                done_by=("final_plan_issued",),
            ),
        ]
    if (asked := events.advice_requested) is not None:
        found.append(Deadline(
            key="advice", date=cal.add_weeks(asked, 6), actor=Actor.OTHER_BODY,
            action="Answer the council's request to co-operate in the assessment (for example health or social care advice).",
            cites=(L.REG_8,), trigger="advice_requested",
            basis=f"6 weeks from {fmt(asked)}, when the body received the request",
            exceptions="Reg 8(2): exceptional circumstances, the family's absence from the area for 4 weeks or more, or a missed appointment.",
        ))
    if (served := events.draft_plan_served) is not None:
        found.append(Deadline(
            key="draft_comments", date=cal.period_beginning_with(served, days=15), actor=Actor.FAMILY,
            action="Send your comments on the draft plan, ask for a particular school or college to be named, and ask for a meeting if you want one. The council must allow at least this long.",
            cites=(L.REG_13_1, L.S38, L.S39), trigger="draft_plan_served",
            basis=f"15 days beginning with {fmt(served)}, the day the draft was served (day one)",
        ))
    return found
