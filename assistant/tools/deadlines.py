"""The deadline engine: from the events you know to every statutory time limit that follows.

Each `Deadline` says what must happen, who must act, by when (the last day on which the step
is in time), the provisions it rests on, the statutory exceptions that can displace it, and
whether it is a hard legal limit or guidance. The rules live in `deadline_rules/`, one module
per stage (assessment, reviews, disputes); the nouns are in `deadline_types.py`;
this module is the entry point.

>>> from datetime import date
>>> from assistant.tools.events import KnownEvents
>>> found = compute_deadlines(KnownEvents(request_received=date(2026, 3, 3)), today=date(2026, 11, 23))
>>> [(d.key, d.date.isoformat()) for d in found]
[('assessment_decision', '2026-04-14'), ('no_plan_decision', '2026-06-23'), ('final_plan', '2026-07-21')]
>>> sen_appeal_deadline(decision_sent=date(2026, 10, 1), certificate_issued=date(2026, 11, 27))
datetime.date(2027, 1, 4)
"""

from __future__ import annotations

from datetime import date

from assistant.tools.deadline_rules import assessment, disputes, reviews
from assistant.tools.deadline_types import (
    COUNCIL_SIDE,
    Actor,
    Deadline,
    DeadlineState,
    fmt,
    sen_appeal_deadline,
    tribunal_time_adjust,
)
from assistant.tools.events import KnownEvents, validate_events

__all__ = [
    "COUNCIL_SIDE", "Actor", "Deadline", "DeadlineState", "compute_deadlines", "fmt", "sen_appeal_deadline",
    "tribunal_time_adjust",
]


def compute_deadlines(events: KnownEvents, *, today: date) -> list[Deadline]:
    """Every deadline that follows from `events`, earliest first.

    Raises `InvalidInput` for impossible events (see `validate_events`).
    """
    validate_events(events, today=today)
    found: list[Deadline] = []
    for module in (assessment, reviews, disputes):
        found.extend(module.deadlines(events))
    return sorted(found, key=lambda d: (d.date, d.key))
