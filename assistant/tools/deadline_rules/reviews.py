"""Deadlines for annual reviews, amendments and phase transfers.

>>> from datetime import date
>>> from assistant.tools.events import KnownEvents
>>> [(d.key, d.date.isoformat()) for d in deadlines(KnownEvents(plan_made=date(2026, 3, 10)))]
[('annual_review', '2027-03-09')]
"""

from __future__ import annotations

from datetime import date

from assistant.tools import calendar as cal
from assistant.tools import law as L
from assistant.tools.deadline_types import Actor, Deadline, fmt
from assistant.tools.events import KnownEvents, TransferKind


def deadlines(events: KnownEvents) -> list[Deadline]:
    return _annual(events) + _meeting(events) + _amendment(events) + _transfer(events)


def _annual(events: KnownEvents) -> list[Deadline]:
    start = events.last_review or events.plan_made
    if start is None:
        return []
    trigger = "last_review" if events.last_review else "plan_made"
    what = "the last review" if events.last_review else "the plan was first made"
    return [Deadline(
        key="annual_review", date=cal.months_starting_with(start, 12), actor=Actor.LOCAL_AUTHORITY,
        action="Complete the review of the EHC plan (meeting held and decision made).",
        cites=(L.S44_1,), trigger=trigger,
        basis=f"the 12 months starting with {fmt(start)}, when {what}",
        done_by=("review_decision",),
    )]


def _meeting(events: KnownEvents) -> list[Deadline]:
    meeting = events.review_meeting
    if meeting is None:
        return []
    on = f"the review meeting on {fmt(meeting)}"
    return [
        Deadline(
            key="review_notice", date=cal.add_weeks(meeting, -2), actor=Actor.REVIEW_ORGANISER,
            action="Give at least two weeks' notice of the review meeting and circulate the advice and information gathered to everyone invited.",
            cites=(L.REG_20_3_4,), trigger="review_meeting", basis=f"at least 2 weeks before {on}",
        ),
        Deadline(
            key="review_report", date=cal.add_weeks(meeting, 2), actor=Actor.REVIEW_ORGANISER,
            action="Prepare the review report (with any recommended amendments) and send it to everyone invited.",
            cites=(L.REG_20_REPORT,), trigger="review_meeting", basis=f"2 weeks after {on}",
        ),
        Deadline(
            key="review_decision", date=cal.add_weeks(meeting, 4), actor=Actor.LOCAL_AUTHORITY,
            action="Decide whether to keep, amend or cease the plan and tell you; a decision to amend must come with the proposed amendments.",
            cites=(L.REG_20_REPORT, L.DEVON), trigger="review_meeting", basis=f"4 weeks after {on}",
            done_by=("review_decision", "amendment_notice"),
        ),
        Deadline(
            key="review_amended_plan", date=cal.add_weeks(meeting, 12), actor=Actor.LOCAL_AUTHORITY,
            action="If the council decided to amend the plan after the review, issue the final amended plan.",
            cites=(L.DEVON, L.REG_22_3_4), trigger="review_meeting",
            basis=f"12 weeks after {on} (4 weeks to decide and propose, then 8 weeks)",
            done_by=("amended_plan_issued",),
        ),
    ]


def _amendment(events: KnownEvents) -> list[Deadline]:
    notice = events.amendment_notice
    if notice is None:
        return []
    return [
        Deadline(
            key="amendment_comments", date=cal.period_beginning_with(notice, days=15), actor=Actor.FAMILY,
            action="Send your comments on the proposed amendments and any request for a school or college. The council must allow at least this long.",
            cites=(L.REG_22_2, L.S39), trigger="amendment_notice",
            basis=f"15 days beginning with {fmt(notice)}, the day the notice was served (day one)",
        ),
        Deadline(
            key="amended_plan", date=cal.add_weeks(notice, 8), actor=Actor.LOCAL_AUTHORITY,
            action="Issue the final amended plan, or tell you with reasons that it will not amend after all.",
            cites=(L.REG_22_3_4,), trigger="amendment_notice",
            basis=f"8 weeks from {fmt(notice)}, when the proposed amendments were sent",
            done_by=("amended_plan_issued",),
        ),
    ]


def _transfer(events: KnownEvents) -> list[Deadline]:
    found: list[Deadline] = []
    if (year := events.transfer_year) is not None:
        post16 = events.transfer_kind is TransferKind.POST16
        limit = date(year, 3, 31) if post16 else date(year, 2, 15)
        move = "from secondary school to a post-16 institution" if post16 else "to a new school or phase"
        found.append(Deadline(
            key="phase_transfer", date=cal.add_days(limit, -1), actor=Actor.LOCAL_AUTHORITY,
            action=f"Review the plan and issue it amended to name the school or institution for the move {move}.",
            cites=(L.REG_18_1,), trigger="transfer_year",
            basis=f"the regulation says before {fmt(limit)}, so {fmt(cal.add_days(limit, -1))} is the last day",
        ))
    if (move_date := events.post16_transfer_date) is not None:
        found.append(Deadline(
            key="post16_transfer", date=cal.add_months(move_date, -5), actor=Actor.LOCAL_AUTHORITY,
            action="Review and amend the plan to name the new post-16 institution.",
            cites=(L.REG_18_2,), trigger="post16_transfer_date",
            basis=f"at least 5 months before the move on {fmt(move_date)}",
        ))
    return found

