"""The deadline engine's nouns: who acts, a deadline and its state, and the dates every rule shares.

`deadlines.py` holds the entry points and `deadline_rules/` the rules, one module per stage;
both import these, so neither needs the other at import time.

>>> sen_appeal_deadline(decision_sent=date(2026, 10, 1), certificate_issued=date(2026, 11, 27))
datetime.date(2027, 1, 4)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from assistant.models import LegalStatus
from assistant.tools import calendar as cal
from assistant.tools.events import KnownEvents
from assistant.tools.law import Cite


class Actor(StrEnum):
    LOCAL_AUTHORITY = "local authority"
    FAMILY = "parent or young person"
    OTHER_BODY = "body asked to co-operate (for example health or social care)"
    REVIEW_ORGANISER = "person arranging the review (the council or the head teacher)"
    MEDIATION_ADVISER = "mediation adviser"
    MEDIATOR = "mediator"


class DeadlineState(StrEnum):
    UPCOMING = "upcoming"
    DUE_TODAY = "due_today"
    PASSED = "passed"        # the date has gone and nothing given shows the step was taken
    MET = "met"              # an event shows the step was taken in time
    MET_LATE = "met_late"    # an event shows the step was taken, but after the deadline
    DONE = "done"            # a later event shows the step happened, but not when


# Actors whose missed deadlines mean "the council side is late".
COUNCIL_SIDE = frozenset({Actor.LOCAL_AUTHORITY, Actor.OTHER_BODY, Actor.REVIEW_ORGANISER,
                          Actor.MEDIATION_ADVISER, Actor.MEDIATOR})


@dataclass(frozen=True)
class Deadline:
    key: str
    date: date
    action: str
    actor: Actor
    cites: tuple[Cite, ...]
    trigger: str                      # the event the period runs from
    basis: str                        # how the date was counted, in words
    status: LegalStatus = LegalStatus.LAW
    hard_limit: bool = True           # False for guidance and "aim for" dates
    exceptions: str | None = None     # statutory exceptions that may displace the date
    done_by: tuple[str, ...] = ()     # events that are the step itself
    implied_by: tuple[str, ...] = ()  # later events that show the step happened (or no longer applies)

    def state(self, events: KnownEvents, *, today: date) -> DeadlineState:
        """Where this deadline stands on `today`, given the events known."""
        given = events.given()
        start = given.get(self.trigger)

        def after_start(names: tuple[str, ...]) -> list[date]:
            return [given[n] for n in names if n in given and (start is None or given[n] >= start)]

        if done := after_start(self.done_by):
            return DeadlineState.MET if min(done) <= self.date else DeadlineState.MET_LATE
        if implied := after_start(self.implied_by):
            return DeadlineState.MET if min(implied) <= self.date else DeadlineState.DONE
        if today > self.date:
            return DeadlineState.PASSED
        return DeadlineState.DUE_TODAY if today == self.date else DeadlineState.UPCOMING


def fmt(day: date) -> str:
    """A date the way UK readers write it: 3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def tribunal_time_adjust(day: date) -> date:
    """Move the last day for lodging an SEN appeal under HESC rule 12.

    A day from 25 December to 1 January moves to the first working day after 1 January; a
    day in August to the first working day after 31 August; any other non-working day to
    the next working day.

    >>> tribunal_time_adjust(date(2027, 8, 2))
    datetime.date(2027, 9, 1)
    """
    if (day.month == 12 and day.day >= 25) or (day.month == 1 and day.day == 1):
        year = day.year + 1 if day.month == 12 else day.year
        return cal.next_working_day(date(year, 1, 2))
    if day.month == 8:
        return cal.next_working_day(date(day.year, 9, 1))
    return cal.next_working_day(day)


def sen_appeal_deadline(*, decision_sent: date, certificate_issued: date | None = None) -> date:
    """Last day for an SEN appeal to reach the Tribunal (HESC rules 20(1)(c) and 12).

    The later of 2 months after the decision was sent and 1 month after the mediation
    certificate was issued, then moved off holidays, weekends and August.
    """
    latest = cal.add_months(decision_sent, 2)
    if certificate_issued is not None:
        latest = max(latest, cal.add_months(certificate_issued, 1))
    return tribunal_time_adjust(latest)
