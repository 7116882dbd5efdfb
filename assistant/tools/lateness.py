""""Is the council late?": which deadlines have passed on the council's side, and what to do.

>>> from datetime import date
>>> from assistant.tools.events import KnownEvents
>>> report = check_late(KnownEvents(request_received=date(2026, 3, 3)), today=date(2026, 11, 23))
>>> [d.key for d in report.overdue]
['assessment_decision', 'no_plan_decision', 'final_plan']
>>> [r.key for r in report.remedies]
['chase', 'complain', 'ombudsman', 'pre_action_letter']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from assistant.tools import calendar as cal
from assistant.tools import law as L
from assistant.tools.deadlines import COUNCIL_SIDE, Actor, Deadline, DeadlineState, compute_deadlines, fmt
from assistant.tools.events import KnownEvents


@dataclass(frozen=True)
class TrackedDeadline:
    deadline: Deadline
    state: DeadlineState


@dataclass(frozen=True)
class Remedy:
    key: str
    action: str
    cites: tuple[L.Cite, ...]
    by: date | None = None
    letter: str | None = None     # id of a letter template that helps


@dataclass
class LatenessReport:
    today: date
    tracked: list[TrackedDeadline]
    remedies: list[Remedy] = field(default_factory=list)

    def _with(self, *states: DeadlineState, council: bool) -> list[Deadline]:
        return [t.deadline for t in self.tracked
                if t.state in states and (t.deadline.actor in COUNCIL_SIDE) == council]

    @property
    def overdue(self) -> list[Deadline]:
        """Council-side deadlines that have passed with nothing given to show they were met.

        Only deadlines whose completion an event can show (`done_by`) count; the others are
        in `unverified`, because we cannot tell whether they happened.
        """
        return [d for d in self._with(DeadlineState.PASSED, council=True) if d.done_by or d.implied_by]

    @property
    def unverified(self) -> list[Deadline]:
        """Council-side dates that have passed where no event could show whether they were met."""
        return [d for d in self._with(DeadlineState.PASSED, council=True) if not (d.done_by or d.implied_by)]

    @property
    def met_late(self) -> list[Deadline]:
        return self._with(DeadlineState.MET_LATE, council=True)

    @property
    def family_windows_closed(self) -> list[Deadline]:
        """The family's own deadlines that have passed (for example the time to appeal)."""
        return self._with(DeadlineState.PASSED, council=False)

    @property
    def upcoming(self) -> list[Deadline]:
        return [t.deadline for t in self.tracked if t.state in (DeadlineState.UPCOMING, DeadlineState.DUE_TODAY)]

    @property
    def is_late(self) -> bool:
        return bool(self.overdue)


def check_late(events: KnownEvents, *, today: date) -> LatenessReport:
    """Classify every deadline on `today` and, if the council side is late, list remedies."""
    tracked = [TrackedDeadline(d, d.state(events, today=today)) for d in compute_deadlines(events, today=today)]
    report = LatenessReport(today=today, tracked=tracked)
    if report.overdue:
        report.remedies = remedies_for(report.overdue[0])
    return report


def remedies_for(missed: Deadline) -> list[Remedy]:
    """What a family can do about a missed council-side deadline, earliest step first."""
    first_late_day = cal.add_days(missed.date, 1)
    if missed.actor in (Actor.MEDIATION_ADVISER, Actor.MEDIATOR):
        return [Remedy(
            key="chase", letter="mediation_certificate",
            action=f"Ask the mediation adviser in writing for the certificate that was due by {fmt(missed.date)}, and copy the council.",
            cites=missed.cites,
        )]
    return [
        Remedy(
            key="chase", letter="chase_deadline",
            action=(f"Write to the council (keep a copy): say what was due by {fmt(missed.date)}, cite the "
                    "law, and ask for a date by which it will act."),
            cites=missed.cites,
        ),
        Remedy(
            key="complain",
            action="If that does not work, make a formal complaint through the council's complaints procedure; the Ombudsman usually expects this first.",
            cites=(L.LGA_26_5,),
        ),
        Remedy(
            key="ombudsman", by=cal.months_starting_with(first_late_day, 12),
            action="Then complain to the Local Government and Social Care Ombudsman about the delay.",
            cites=(L.LGA_26B, L.LGA_26_5),
        ),
        Remedy(
            key="pre_action_letter", by=cal.add_months(first_late_day, 3),
            action=("Where a statutory duty is still not met and the delay is causing harm, a solicitor can "
                    "send a judicial review pre-action letter; act promptly."),
            cites=(L.CPR_54_5,),
        ),
    ]
