"""The events a family or caseworker knows, and the checks that reject impossible ones.

Every field is optional: give what you know and the deadline engine works out what follows.
Dates are the day something happened (a request received, a letter sent, a meeting held).
Only a planned review meeting and a planned post-16 move may lie in the future.

>>> from datetime import date
>>> events = KnownEvents(request_received=date(2026, 3, 3))
>>> validate_events(events, today=date(2026, 11, 23))
>>> validate_events(KnownEvents(request_received=date(2027, 1, 1)), today=date(2026, 11, 23))
Traceback (most recent call last):
...
assistant.errors.InvalidInput: request received (2027-01-01) is after today (2026-11-23): a time limit cannot start from a date that has not happened yet.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum

from assistant.errors import InvalidInput


class TransferKind(StrEnum):
    """Which phase transfer a plan must be reviewed for (reg 18)."""

    SCHOOL = "school"            # early years to school, infant to junior, primary to secondary...
    POST16 = "post16"            # secondary school to a post-16 institution


class OrderType(StrEnum):
    """What a First-tier Tribunal order requires the council to do (reg 44(2))."""

    ASSESS = "assess"
    MAKE_PLAN = "make_plan"
    AMEND_PROVISION = "amend_provision"
    AMEND_SCHOOL_ONLY = "amend_school_only"
    CONTINUE_PLAN = "continue_plan"
    CEASE_PLAN = "cease_plan"


class UnopposedType(StrEnum):
    """The kind of appeal the council has told the Tribunal it will not oppose (reg 45)."""

    ASSESSMENT = "assessment"          # refusal to assess or re-assess
    PLAN_CONTENTS = "plan_contents"    # needs/provision, or refusal to amend


@dataclass(frozen=True, kw_only=True)
class KnownEvents:
    request_received: date | None = None       # council received the EHC needs assessment request
    assessment_decision: date | None = None    # council said whether it would assess
    advice_requested: date | None = None       # a body received the council's request to co-operate
    draft_plan_served: date | None = None
    final_plan_issued: date | None = None
    decision_notice: date | None = None        # written notice of an appealable decision was sent
    plan_made: date | None = None              # date the plan was first made
    last_review: date | None = None
    review_meeting: date | None = None         # may be a planned, future meeting
    review_decision: date | None = None        # council told you its decision after the review
    amendment_notice: date | None = None       # notice of proposed amendments served
    amended_plan_issued: date | None = None
    transfer_year: int | None = None           # calendar year of a phase transfer
    transfer_kind: TransferKind = TransferKind.SCHOOL
    post16_transfer_date: date | None = None   # planned move between post-16 institutions
    mediation_declined: date | None = None     # told the mediation adviser you do not want mediation
    mediation_requested: date | None = None    # told the council you want mediation
    mediation_held: date | None = None         # mediation concluded
    mediation_agreement: date | None = None    # written agreement reached at mediation
    certificate_issued: date | None = None     # mediation certificate issued
    cease_notice: date | None = None           # notice of the decision to cease the plan
    tribunal_order: date | None = None
    order_type: OrderType | None = None
    la_not_opposing: date | None = None        # council told the Tribunal it will not oppose
    unopposed_type: UnopposedType | None = None
    discrimination_conduct: date | None = None  # the school conduct complained of

    def given(self) -> dict[str, date]:
        """The date events that were given, by field name."""
        return {f.name: v for f in fields(self) if isinstance(v := getattr(self, f.name), date)}


FUTURE_ALLOWED = frozenset({"review_meeting", "post16_transfer_date"})

# (later, earlier): the later event cannot come before the earlier one.
_ORDER = (
    ("assessment_decision", "request_received"),
    ("draft_plan_served", "request_received"),
    ("final_plan_issued", "request_received"),
    ("final_plan_issued", "draft_plan_served"),
    ("last_review", "plan_made"),
    ("review_decision", "review_meeting"),
    ("amended_plan_issued", "amendment_notice"),
    ("certificate_issued", "decision_notice"),
    ("certificate_issued", "cease_notice"),
    ("mediation_declined", "decision_notice"),
    ("mediation_requested", "decision_notice"),
    ("mediation_held", "mediation_requested"),
    ("mediation_agreement", "mediation_requested"),
    ("mediation_held", "decision_notice"),
)


def label(name: str) -> str:
    return name.replace("_", " ")


def validate_events(events: KnownEvents, *, today: date) -> None:
    """Raise `InvalidInput` naming the first impossible date or combination."""
    given = events.given()
    for name, value in given.items():
        if value > today and name not in FUTURE_ALLOWED:
            raise InvalidInput(
                f"{label(name)} ({value.isoformat()}) is after today ({today.isoformat()}): "
                "a time limit cannot start from a date that has not happened yet."
            )
    for later, earlier in _ORDER:
        if later in given and earlier in given and given[later] < given[earlier]:
            raise InvalidInput(
                f"{label(later)} ({given[later].isoformat()}) is before {label(earlier)} "
                f"({given[earlier].isoformat()}), which is impossible: please check both dates."
            )
    if (events.tribunal_order is None) != (events.order_type is None):
        raise InvalidInput("A tribunal order needs both its date (tribunal_order) and what it requires (order_type).")
    if (events.la_not_opposing is None) != (events.unopposed_type is None):
        raise InvalidInput("An unopposed appeal needs both the date (la_not_opposing) and the appeal type (unopposed_type).")
    if events.transfer_year is not None and not 2014 <= events.transfer_year <= today.year + 3:
        raise InvalidInput(
            f"transfer_year must be between 2014 and {today.year + 3}; got {events.transfer_year}."
        )
