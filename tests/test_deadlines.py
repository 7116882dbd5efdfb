"""Worked deadline examples, each date counted by hand from the rule it tests.

Calendars used: 2026 bank holidays in England include Good Friday 3 April, Easter Monday
6 April, 4 May, 31 August, Christmas Day (Fri) and Boxing Day observed Mon 28 December;
2027: New Year's Day Fri 1 January, Good Friday 26 March, Easter Monday 29 March, and
Christmas/Boxing Day observed Mon 27 and Tue 28 December; 2028 is a leap year.
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant import sources as S
from assistant.errors import InvalidInput
from assistant.models import LegalStatus
from assistant.tools import calendar as cal
from assistant.tools.deadlines import Actor, DeadlineState, compute_deadlines, sen_appeal_deadline
from assistant.tools.events import KnownEvents, OrderType, TransferKind, UnopposedType
from assistant.tools.lateness import check_late

TODAY = date(2026, 11, 23)
D = date


# --- calendar arithmetic ----------------------------------------------------------------------
@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),     # 31 January + 1 month: clamp to month end
    (D(2028, 1, 31), 1, D(2028, 2, 29)),     # leap year
    (D(2028, 2, 29), 12, D(2029, 2, 28)),
    (D(2026, 3, 31), -1, D(2026, 2, 28)),
    (D(2026, 8, 31), 6, D(2027, 2, 28)),
    (D(2026, 10, 1), 2, D(2026, 12, 1)),
    (D(2026, 12, 31), 2, D(2027, 2, 28)),
])
def test_add_months(start: date, months: int, expected: date) -> None:
    assert cal.add_months(start, months) == expected


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2026, 3, 10), 6, D(2026, 9, 9)),
    (D(2026, 1, 31), 1, D(2026, 2, 28)),     # no 31 February: the month's last day
    (D(2028, 2, 29), 12, D(2029, 2, 28)),
    (D(2027, 3, 1), 12, D(2028, 2, 29)),     # ends on the leap day
    (D(2026, 8, 31), 6, D(2027, 2, 28)),
])
def test_months_starting_with(start: date, months: int, expected: date) -> None:
    assert cal.months_starting_with(start, months) == expected


@pytest.mark.parametrize(("start", "count", "expected"), [
    (D(2026, 12, 24), 3, D(2026, 12, 31)),   # Christmas Day and Boxing Day (observed) skipped
    (D(2026, 12, 30), 3, D(2027, 1, 5)),     # New Year's Day 2027 skipped
    (D(2026, 4, 2), 3, D(2026, 4, 9)),       # Good Friday and Easter Monday 2026
    (D(2027, 3, 24), 3, D(2027, 3, 31)),     # Good Friday and Easter Monday 2027
    (D(2027, 12, 23), 3, D(2027, 12, 30)),   # Christmas 2027 on a weekend: Mon and Tue off
    (D(2026, 5, 1), 1, D(2026, 5, 5)),       # early May bank holiday
    (D(2026, 11, 20), 3, D(2026, 11, 25)),   # ordinary weekend only
])
def test_add_working_days(start: date, count: int, expected: date) -> None:
    assert cal.add_working_days(start, count) == expected


def test_working_day_facts() -> None:
    assert not cal.is_working_day(D(2026, 8, 31))
    assert cal.is_working_day(D(2026, 12, 24))
    assert cal.next_working_day(D(2026, 12, 26)) == D(2026, 12, 29)
    assert cal.working_days_between(D(2026, 12, 24), D(2026, 12, 31)) == 3
    assert cal.period_beginning_with(D(2026, 11, 10), days=15) == D(2026, 11, 24)
    with pytest.raises(ValueError):
        cal.add_working_days(D(2026, 1, 1), 0)


# --- worked examples through the engine -------------------------------------------------------
CASES = [
    # assessment (regs 5, 10, 13)
    ({"request_received": D(2026, 3, 3)}, "assessment_decision", D(2026, 4, 14)),
    ({"request_received": D(2026, 3, 3)}, "no_plan_decision", D(2026, 6, 23)),
    ({"request_received": D(2026, 3, 3)}, "final_plan", D(2026, 7, 21)),
    ({"request_received": D(2026, 9, 1)}, "assessment_decision", D(2026, 10, 13)),
    ({"request_received": D(2026, 9, 1)}, "final_plan", D(2027, 1, 19)),
    ({"request_received": D(2026, 1, 20)}, "assessment_decision", D(2026, 3, 3)),
    ({"request_received": D(2025, 12, 20)}, "assessment_decision", D(2026, 1, 31)),
    ({"advice_requested": D(2026, 10, 5)}, "advice", D(2026, 11, 16)),
    ({"draft_plan_served": D(2026, 11, 10)}, "draft_comments", D(2026, 11, 24)),
    ({"draft_plan_served": D(2025, 12, 20)}, "draft_comments", D(2026, 1, 3)),
    # reviews (s.44(1), reg 20, Devon) and amendments (reg 22)
    ({"plan_made": D(2026, 3, 10)}, "annual_review", D(2027, 3, 9)),
    ({"plan_made": D(2026, 1, 31)}, "annual_review", D(2027, 1, 30)),
    ({"last_review": D(2025, 12, 1)}, "annual_review", D(2026, 11, 30)),
    ({"review_meeting": D(2027, 1, 15)}, "review_notice", D(2027, 1, 1)),
    ({"review_meeting": D(2027, 1, 15)}, "review_report", D(2027, 1, 29)),
    ({"review_meeting": D(2027, 1, 15)}, "review_decision", D(2027, 2, 12)),
    ({"review_meeting": D(2027, 1, 15)}, "review_amended_plan", D(2027, 4, 9)),
    ({"review_meeting": D(2026, 9, 2)}, "review_decision", D(2026, 9, 30)),
    ({"amendment_notice": D(2026, 10, 1)}, "amendment_comments", D(2026, 10, 15)),
    ({"amendment_notice": D(2026, 10, 1)}, "amended_plan", D(2026, 11, 26)),
    # phase transfers (reg 18): "before 15 February / 31 March", so the day before is the last day
    ({"transfer_year": 2027}, "phase_transfer", D(2027, 2, 14)),
    ({"transfer_year": 2027, "transfer_kind": TransferKind.POST16}, "phase_transfer", D(2027, 3, 30)),
    ({"post16_transfer_date": D(2027, 9, 1)}, "post16_transfer", D(2027, 4, 1)),
    ({"post16_transfer_date": D(2027, 7, 31)}, "post16_transfer", D(2027, 2, 28)),
    # appeals (HESC rules 20 and 12)
    ({"decision_notice": D(2026, 1, 31)}, "appeal", D(2026, 3, 31)),
    ({"decision_notice": D(2026, 1, 31)}, "contact_mediation_adviser", D(2026, 3, 31)),
    ({"decision_notice": D(2025, 12, 31)}, "appeal", D(2026, 3, 2)),        # 28 Feb is a Saturday
    ({"decision_notice": D(2026, 10, 1), "certificate_issued": D(2026, 11, 20)}, "appeal", D(2026, 12, 21)),
    ({"decision_notice": D(2026, 10, 1), "certificate_issued": D(2026, 10, 5)}, "appeal", D(2026, 12, 1)),
    ({"decision_notice": D(2026, 9, 20), "certificate_issued": D(2026, 11, 3)}, "appeal", D(2026, 12, 3)),
    ({"decision_notice": D(2026, 2, 3)}, "appeal", D(2026, 4, 7)),          # Good Friday, Easter Monday
    ({"decision_notice": D(2026, 6, 2)}, "appeal", D(2026, 9, 1)),          # ends in August
    ({"decision_notice": D(2026, 10, 20)}, "appeal", D(2026, 12, 21)),      # ends on a Sunday
    ({"certificate_issued": D(2026, 11, 20)}, "appeal", D(2026, 12, 21)),
    ({"cease_notice": D(2026, 1, 31)}, "appeal_cease", D(2026, 3, 31)),
    ({"cease_notice": D(2026, 1, 31)}, "plan_kept_pending_appeal", D(2026, 3, 31)),
    # mediation (regs 33-42)
    ({"decision_notice": D(2026, 3, 1), "mediation_declined": D(2026, 4, 2)}, "certificate_no_mediation", D(2026, 4, 9)),
    ({"decision_notice": D(2026, 10, 1), "mediation_requested": D(2026, 10, 20)}, "mediation_arranged", D(2026, 11, 19)),
    ({"mediation_requested": D(2026, 9, 1), "mediation_held": D(2026, 9, 25)}, "certificate_after_mediation", D(2026, 9, 30)),
    ({"mediation_requested": D(2026, 4, 1), "mediation_agreement": D(2026, 11, 10)}, "mediation_agreement", D(2026, 11, 24)),
    # Tribunal orders (reg 44) and unopposed appeals (reg 45)
    ({"tribunal_order": D(2026, 11, 2), "order_type": OrderType.ASSESS}, "order_assess_notice", D(2026, 11, 16)),
    ({"tribunal_order": D(2026, 11, 2), "order_type": OrderType.ASSESS}, "order_assess_no_plan", D(2027, 1, 11)),
    ({"tribunal_order": D(2026, 11, 2), "order_type": OrderType.ASSESS}, "order_assess_final_plan", D(2027, 2, 8)),
    ({"tribunal_order": D(2026, 11, 2), "order_type": OrderType.MAKE_PLAN}, "order_draft_plan", D(2026, 12, 7)),
    ({"tribunal_order": D(2026, 11, 2), "order_type": OrderType.MAKE_PLAN}, "order_final_plan", D(2027, 1, 18)),
    ({"tribunal_order": D(2026, 11, 2), "order_type": OrderType.AMEND_PROVISION}, "order_amended_plan", D(2026, 12, 7)),
    ({"tribunal_order": D(2026, 11, 2), "order_type": OrderType.AMEND_SCHOOL_ONLY}, "order_amended_plan", D(2026, 11, 16)),
    ({"tribunal_order": D(2026, 11, 2), "order_type": OrderType.CONTINUE_PLAN}, "order_continue", D(2026, 11, 2)),
    ({"tribunal_order": D(2026, 11, 2), "order_type": OrderType.CEASE_PLAN}, "order_cease", D(2026, 11, 2)),
    ({"la_not_opposing": D(2026, 10, 1), "unopposed_type": UnopposedType.ASSESSMENT}, "unopposed_assess_notice", D(2026, 10, 15)),
    ({"la_not_opposing": D(2026, 10, 1), "unopposed_type": UnopposedType.ASSESSMENT}, "unopposed_no_plan", D(2026, 12, 10)),
    ({"la_not_opposing": D(2026, 10, 1), "unopposed_type": UnopposedType.ASSESSMENT}, "unopposed_final_plan", D(2027, 1, 7)),
    ({"la_not_opposing": D(2026, 10, 1), "unopposed_type": UnopposedType.PLAN_CONTENTS}, "unopposed_amended_plan", D(2026, 11, 5)),
    # disability discrimination (EqA 2010 Sch 17 para 4): 6 months starting with the conduct
    ({"discrimination_conduct": D(2026, 3, 10)}, "discrimination_claim", D(2026, 9, 9)),
    ({"discrimination_conduct": D(2026, 8, 31)}, "discrimination_claim", D(2027, 2, 28)),
    ({"discrimination_conduct": D(2025, 12, 1)}, "discrimination_claim", D(2026, 5, 31)),
]


@pytest.mark.parametrize(("events", "key", "expected"), CASES)
def test_worked_examples(events: dict, key: str, expected: date) -> None:
    found = {d.key: d.date for d in compute_deadlines(KnownEvents(**events), today=TODAY)}
    assert found[key] == expected


# Examples whose dates lie after today: computed with a later "today".
FUTURE_CASES = [
    ({"request_received": D(2028, 2, 29)}, "assessment_decision", D(2028, 4, 11)),   # leap day
    ({"request_received": D(2028, 2, 29)}, "final_plan", D(2028, 7, 18)),
    ({"draft_plan_served": D(2028, 2, 15)}, "draft_comments", D(2028, 2, 29)),
    ({"amendment_notice": D(2028, 1, 31)}, "amendment_comments", D(2028, 2, 14)),
    ({"amendment_notice": D(2028, 1, 31)}, "amended_plan", D(2028, 3, 27)),
    ({"last_review": D(2028, 2, 29)}, "annual_review", D(2029, 2, 28)),
    ({"plan_made": D(2027, 3, 1)}, "annual_review", D(2028, 2, 29)),
    ({"decision_notice": D(2027, 12, 31)}, "appeal", D(2028, 2, 29)),
    ({"decision_notice": D(2027, 1, 26)}, "appeal", D(2027, 3, 30)),            # Good Friday 2027
    ({"decision_notice": D(2027, 6, 15)}, "appeal", D(2027, 9, 1)),             # August
    ({"decision_notice": D(2027, 10, 1), "certificate_issued": D(2027, 11, 27)}, "appeal", D(2028, 1, 4)),
    ({"decision_notice": D(2027, 3, 1), "mediation_declined": D(2027, 3, 24)}, "certificate_no_mediation", D(2027, 3, 31)),
    ({"decision_notice": D(2027, 12, 1), "mediation_declined": D(2027, 12, 23)}, "certificate_no_mediation", D(2027, 12, 30)),
    ({"mediation_requested": D(2028, 1, 31)}, "mediation_arranged", D(2028, 3, 1)),
    ({"decision_notice": D(2026, 12, 1), "mediation_declined": D(2026, 12, 24)}, "certificate_no_mediation", D(2026, 12, 31)),
]


@pytest.mark.parametrize(("events", "key", "expected"), FUTURE_CASES)
def test_worked_examples_later(events: dict, key: str, expected: date) -> None:
    found = {d.key: d.date for d in compute_deadlines(KnownEvents(**events), today=D(2029, 6, 1))}
    assert found[key] == expected


# --- the "whichever is later" rule and the holiday moves, directly ------------------------------
def test_appeal_whichever_is_later_both_ways() -> None:
    decision = D(2026, 10, 1)
    assert sen_appeal_deadline(decision_sent=decision) == D(2026, 12, 1)
    # certificate + 1 month (27 Dec) beats decision + 2 months (1 Dec), then Christmas moves it
    assert sen_appeal_deadline(decision_sent=decision, certificate_issued=D(2026, 11, 27)) == D(2027, 1, 4)
    # certificate + 1 month (15 Nov) is earlier, so the 2-month date stands
    assert sen_appeal_deadline(decision_sent=decision, certificate_issued=D(2026, 10, 15)) == D(2026, 12, 1)


@pytest.mark.parametrize(("decision", "expected"), [
    (D(2026, 10, 25), D(2027, 1, 4)),   # 25 December
    (D(2026, 11, 1), D(2027, 1, 4)),    # 1 January
    (D(2026, 10, 24), D(2026, 12, 24)), # 24 December is an ordinary working day
    (D(2026, 6, 30), D(2026, 9, 1)),    # 30 August
])
def test_tribunal_holiday_windows(decision: date, expected: date) -> None:
    assert sen_appeal_deadline(decision_sent=decision) == expected


def test_each_deadline_carries_its_law_and_force() -> None:
    events = KnownEvents(request_received=D(2026, 3, 3), decision_notice=D(2026, 4, 10),
                         draft_plan_served=D(2026, 6, 1), discrimination_conduct=D(2026, 6, 1))
    found = {d.key: d for d in compute_deadlines(events, today=TODAY)}
    first = found["assessment_decision"].cites[0]
    assert (first.source, first.ref) == (S.SEND_REGS, "reg 5(1)")
    assert "reg 5(4)" in (found["assessment_decision"].exceptions or "").lower()
    assert "10(4)" in (found["final_plan"].exceptions or "")
    assert found["appeal"].cites[0].source == S.TRIBUNAL_RULES
    assert found["discrimination_claim"].cites[0].source == S.EQUALITY_ACT
    assert found["draft_comments"].actor is Actor.FAMILY
    assert found["final_plan"].actor is Actor.LOCAL_AUTHORITY
    assert all(d.status is LegalStatus.LAW and d.hard_limit for d in found.values())
    assert [d.date for d in compute_deadlines(events, today=TODAY)] == sorted(d.date for d in found.values())


# --- "is the council late?" -------------------------------------------------------------------
def test_council_late_on_assessment_with_remedies() -> None:
    report = check_late(KnownEvents(request_received=D(2026, 3, 3)), today=TODAY)
    assert report.is_late
    assert [d.key for d in report.overdue] == ["assessment_decision", "no_plan_decision", "final_plan"]
    remedies = {r.key: r for r in report.remedies}
    assert list(remedies) == ["chase", "complain", "ombudsman", "pre_action_letter"]
    assert remedies["chase"].letter == "chase_deadline"
    assert remedies["ombudsman"].by == D(2027, 4, 14)        # 12 months starting with 15 April 2026
    assert remedies["pre_action_letter"].by == D(2026, 7, 15)  # 3 months after 15 April 2026
    assert remedies["ombudsman"].cites[0].ref == "s.26B"


@pytest.mark.parametrize(("decided", "state"), [
    (D(2026, 4, 1), DeadlineState.MET),
    (D(2026, 4, 14), DeadlineState.MET),
    (D(2026, 4, 20), DeadlineState.MET_LATE),
])
def test_met_and_met_late(decided: date, state: DeadlineState) -> None:
    events = KnownEvents(request_received=D(2026, 3, 3), assessment_decision=decided)
    deadline = next(d for d in compute_deadlines(events, today=TODAY) if d.key == "assessment_decision")
    assert deadline.state(events, today=TODAY) is state


def test_a_later_draft_shows_the_decision_happened_but_not_when() -> None:
    events = KnownEvents(request_received=D(2026, 6, 1), draft_plan_served=D(2026, 10, 20))
    states = {t.deadline.key: t.state for t in check_late(events, today=TODAY).tracked}
    assert states["assessment_decision"] is DeadlineState.DONE
    assert states["no_plan_decision"] is DeadlineState.DONE
    assert states["final_plan"] is DeadlineState.PASSED        # due 19 October 2026, no final plan


def test_due_today_upcoming_and_family_windows() -> None:
    report = check_late(KnownEvents(draft_plan_served=D(2026, 11, 9)), today=TODAY)
    assert report.tracked[0].state is DeadlineState.DUE_TODAY
    report = check_late(KnownEvents(decision_notice=D(2026, 8, 1)), today=TODAY)
    assert not report.is_late
    assert {d.key for d in report.family_windows_closed} == {"appeal", "contact_mediation_adviser"}


def test_unverifiable_dates_are_not_called_late() -> None:
    report = check_late(KnownEvents(review_meeting=D(2026, 9, 2)), today=TODAY)
    assert [d.key for d in report.overdue] == ["review_decision"]
    assert {d.key for d in report.unverified} == {"review_notice", "review_report"}


def test_late_mediation_certificate_points_to_the_adviser() -> None:
    events = KnownEvents(decision_notice=D(2026, 10, 1), mediation_declined=D(2026, 11, 2))
    report = check_late(events, today=TODAY)
    assert [d.key for d in report.overdue] == ["certificate_no_mediation"]
    assert report.remedies[0].letter == "mediation_certificate"


# --- impossible input -------------------------------------------------------------------------
@pytest.mark.parametrize(("events", "message"), [
    ({"decision_notice": D(2026, 12, 1)}, "after today"),
    ({"request_received": D(2026, 5, 1), "draft_plan_served": D(2026, 4, 1)}, "before request received"),
    ({"decision_notice": D(2026, 10, 1), "certificate_issued": D(2026, 9, 1)}, "before decision notice"),
    ({"amendment_notice": D(2026, 10, 1), "amended_plan_issued": D(2026, 9, 1)}, "before amendment notice"),
    ({"mediation_requested": D(2026, 10, 1), "mediation_held": D(2026, 9, 1)}, "before mediation requested"),
    ({"tribunal_order": D(2026, 10, 1)}, "order_type"),
    ({"la_not_opposing": D(2026, 10, 1)}, "unopposed_type"),
    ({"transfer_year": 2001}, "transfer_year"),
])
def test_impossible_input_is_rejected(events: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        compute_deadlines(KnownEvents(**events), today=TODAY)


def test_planned_meeting_may_be_in_the_future() -> None:
    found = compute_deadlines(KnownEvents(review_meeting=D(2027, 1, 15)), today=TODAY)
    assert len(found) == 4


# --- the docstring examples in the tools package run as written ------------------------------
@pytest.mark.parametrize("module", [
    "calendar", "law", "events", "deadlines", "lateness", "appeals", "letters", "dateparse", "render", "intent",
    "deadline_rules.assessment", "deadline_rules.reviews", "deadline_rules.disputes",
])
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"assistant.tools.{module}"))
    assert result.attempted > 0 and result.failed == 0
