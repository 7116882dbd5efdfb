"""The "Can I appeal this?" navigator, scenario by scenario."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from assistant import sources as S
from assistant.errors import InvalidInput
from assistant.tools import law as L
from assistant.tools.appeal_table import TABLE, DecisionType, Route
from assistant.tools.appeals import AppealQuery, route_for

TODAY = date(2026, 11, 23)
T = DecisionType
TRIBUNAL, COMPLAINT, LGSCO, JR, TRAVEL = (Route.TRIBUNAL, Route.COMPLAINT, Route.LGSCO,
                                          Route.JUDICIAL_REVIEW, Route.TRANSPORT_REVIEW)


@dataclass(frozen=True)
class Case:
    name: str
    decision: DecisionType
    first_route: Route
    tribunal: bool
    mediation: bool
    deadline: date | None = None
    decision_date: date | None = None
    certificate: date | None = None
    sections: frozenset[str] = frozenset()
    young: bool = False
    must_cite: tuple[str, str] = ("", "")     # (source, ref) that must be among the citations
    holder: str = "parent"


CASES = [
    # SEN appeals under s.51(2): mediation advice needed, 2 months / 1 month after certificate
    Case("refuse assessment, no date", T.REFUSE_ASSESSMENT, TRIBUNAL, True, True, must_cite=(S.CAFA, "s.55")),
    Case("refuse assessment, dated", T.REFUSE_ASSESSMENT, TRIBUNAL, True, True, date(2026, 12, 1), date(2026, 10, 1)),
    Case("refuse assessment, later certificate", T.REFUSE_ASSESSMENT, TRIBUNAL, True, True, date(2026, 12, 21),
         date(2026, 10, 1), date(2026, 11, 20), must_cite=(S.TRIBUNAL_RULES, "rule 12")),
    Case("refuse assessment, earlier certificate", T.REFUSE_ASSESSMENT, TRIBUNAL, True, True, date(2026, 12, 1),
         date(2026, 10, 1), date(2026, 10, 5)),
    Case("refuse assessment, young person", T.REFUSE_ASSESSMENT, TRIBUNAL, True, True, young=True,
         must_cite=(S.CAFA, "s.83(2)"), holder="young person"),
    Case("refuse plan", T.REFUSE_PLAN, TRIBUNAL, True, True, date(2026, 3, 31), date(2026, 1, 31),
         must_cite=(S.SEND_REGS, "reg 10(1)")),
    Case("refuse plan, month end into February", T.REFUSE_PLAN, TRIBUNAL, True, True, date(2026, 3, 2), date(2025, 12, 31)),
    Case("refuse plan, young person", T.REFUSE_PLAN, TRIBUNAL, True, True, young=True, holder="young person"),
    Case("refuse re-assessment", T.REFUSE_REASSESSMENT, TRIBUNAL, True, True, date(2026, 9, 1), date(2026, 6, 30)),
    Case("refuse re-assessment, young person", T.REFUSE_REASSESSMENT, TRIBUNAL, True, True, young=True, holder="young person"),
    Case("refuse to amend after review", T.REFUSE_AMEND_AFTER_REVIEW, TRIBUNAL, True, True, date(2026, 12, 21),
         date(2026, 10, 20)),
    Case("refuse to amend, Easter", T.REFUSE_AMEND_AFTER_REVIEW, TRIBUNAL, True, True, date(2026, 4, 7), date(2026, 2, 3)),
    Case("cease plan", T.CEASE_PLAN, TRIBUNAL, True, True, date(2026, 3, 31), date(2026, 1, 31),
         must_cite=(S.CAFA, "s.45")),
    Case("cease plan, young person", T.CEASE_PLAN, TRIBUNAL, True, True, young=True, holder="young person"),
    Case("cease plan, certificate later", T.CEASE_PLAN, TRIBUNAL, True, True, date(2026, 12, 21),
         date(2026, 10, 1), date(2026, 11, 20)),
    # plan contents: section I alone is exempt from mediation advice
    Case("contents B", T.PLAN_CONTENTS, TRIBUNAL, True, True, sections=frozenset("B")),
    Case("contents F", T.PLAN_CONTENTS, TRIBUNAL, True, True, sections=frozenset("F")),
    Case("contents B and F", T.PLAN_CONTENTS, TRIBUNAL, True, True, sections=frozenset("BF")),
    Case("contents I only", T.PLAN_CONTENTS, TRIBUNAL, True, False, sections=frozenset("I")),
    Case("contents I only, lower case", T.PLAN_CONTENTS, TRIBUNAL, True, False, sections=frozenset("i")),
    Case("contents F and I", T.PLAN_CONTENTS, TRIBUNAL, True, True, sections=frozenset("FI")),
    Case("contents B, F and I", T.PLAN_CONTENTS, TRIBUNAL, True, True, sections=frozenset("BFI")),
    Case("contents unspecified", T.PLAN_CONTENTS, TRIBUNAL, True, True, must_cite=(S.CAFA, "s.51(3)")),
    Case("contents I, dated", T.PLAN_CONTENTS, TRIBUNAL, True, False, date(2026, 12, 21), date(2026, 10, 20),
         sections=frozenset("I")),
    Case("contents I, August", T.PLAN_CONTENTS, TRIBUNAL, True, False, date(2026, 9, 1), date(2026, 6, 2),
         sections=frozenset("I")),
    Case("contents, young person", T.PLAN_CONTENTS, TRIBUNAL, True, True, young=True, sections=frozenset("F"),
         holder="young person"),
    Case("no school named", T.NO_SCHOOL_NAMED, TRIBUNAL, True, False, date(2026, 12, 21), date(2026, 10, 20)),
    Case("no school named, young person", T.NO_SCHOOL_NAMED, TRIBUNAL, True, False, young=True, holder="young person"),
    # health and social care: recommendations only alongside an education appeal
    Case("health and care with education", T.HEALTH_SOCIAL_CARE_WITH_EDUCATION, TRIBUNAL, True, True,
         must_cite=(S.RECS_REGS, "regs 4-5")),
    Case("health and care with education, dated", T.HEALTH_SOCIAL_CARE_WITH_EDUCATION, TRIBUNAL, True, True,
         date(2026, 12, 1), date(2026, 10, 1)),
    Case("health and care only", T.HEALTH_SOCIAL_CARE_ONLY, COMPLAINT, False, False, must_cite=(S.RECS_REGS, "regs 4-5")),
    Case("health and care only, ombudsman date", T.HEALTH_SOCIAL_CARE_ONLY, COMPLAINT, False, False,
         date(2027, 10, 19), date(2026, 10, 20)),
    # disability discrimination: 6 months, no mediation
    Case("discrimination", T.DISABILITY_DISCRIMINATION_SCHOOL, TRIBUNAL, True, False, date(2026, 9, 9),
         date(2026, 3, 10), must_cite=(S.EQUALITY_ACT, "Sch 17 para 4")),
    Case("discrimination, month end", T.DISABILITY_DISCRIMINATION_SCHOOL, TRIBUNAL, True, False, date(2027, 2, 28),
         date(2026, 8, 31)),
    Case("discrimination, older pupil", T.DISABILITY_DISCRIMINATION_SCHOOL, TRIBUNAL, True, False, young=True,
         holder="pupil"),
    Case("discrimination, no date", T.DISABILITY_DISCRIMINATION_SCHOOL, TRIBUNAL, True, False,
         must_cite=(S.EQUALITY_ACT, "Sch 17 para 3")),
    # transport is not a Tribunal matter
    Case("transport", T.TRANSPORT, TRAVEL, False, False, must_cite=(S.EDUCATION_ACT, "s.508B"), holder="carer"),
    Case("transport, 20 working days over Christmas", T.TRANSPORT, TRAVEL, False, False, date(2026, 1, 5),
         date(2025, 12, 3), holder="carer"),
    Case("transport, young person still a family review", T.TRANSPORT, TRAVEL, False, False, young=True, holder="carer"),
    # delay, non-delivery, other: complaints, Ombudsman, judicial review
    Case("delay", T.DELAY, COMPLAINT, False, False, date(2027, 7, 13), date(2026, 7, 14),
         must_cite=(L.CPR, "r 54.5(1)")),
    Case("delay, young person", T.DELAY, COMPLAINT, False, False, young=True, holder="young person"),
    Case("plan not delivered", T.PLAN_NOT_DELIVERED, COMPLAINT, False, False, must_cite=(S.CAFA, "s.42(2)")),
    Case("plan not delivered, dated", T.PLAN_NOT_DELIVERED, COMPLAINT, False, False, date(2027, 9, 30), date(2026, 10, 1)),
    Case("other", T.OTHER, COMPLAINT, False, False, must_cite=(L.LGA_1974, "s.26B")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_scenario(case: Case) -> None:
    route = route_for(AppealQuery(case.decision, case.sections, case.decision_date, case.certificate, case.young),
                      today=TODAY)
    assert route.routes[0] is case.first_route
    assert route.tribunal is case.tribunal
    assert route.mediation_required is case.mediation
    assert route.deadline == case.deadline
    assert case.holder in route.right_holder.lower()
    if case.must_cite[0]:
        assert case.must_cite in {(c.source, c.ref) for c in route.cites}
    assert route.steps and all(step.text for step in route.steps)


def test_christmas_certificate_moves_the_deadline_into_january() -> None:
    query = AppealQuery(T.REFUSE_ASSESSMENT, decision_date=date(2026, 10, 1), certificate_date=date(2026, 11, 27))
    assert route_for(query, today=date(2026, 12, 1)).deadline == date(2027, 1, 4)


def test_there_are_at_least_forty_scenarios() -> None:
    assert len(CASES) >= 40


def test_every_decision_type_has_a_row() -> None:
    assert set(TABLE) == set(DecisionType)


def test_mediation_step_dropped_when_not_required() -> None:
    route = route_for(AppealQuery(T.NO_SCHOOL_NAMED), today=TODAY)
    assert not any(L.REG_33 in step.cites for step in route.steps)
    route = route_for(AppealQuery(T.PLAN_CONTENTS, frozenset("I")), today=TODAY)
    assert not any(L.REG_33 in step.cites for step in route.steps)
    route = route_for(AppealQuery(T.REFUSE_PLAN), today=TODAY)
    assert any(L.REG_33 in step.cites for step in route.steps)


def test_recommendations_not_offered_on_refusal_to_assess() -> None:
    refuse = route_for(AppealQuery(T.REFUSE_ASSESSMENT), today=TODAY)
    plan = route_for(AppealQuery(T.REFUSE_PLAN), today=TODAY)
    assert not any(L.RECS_REGS_4_5 in s.cites for s in refuse.steps)
    assert any(L.RECS_REGS_4_5 in s.cites for s in plan.steps)


def test_health_or_care_alone_explains_the_recommendations_route() -> None:
    """'Can I appeal only the social care part?' is answered with what the Tribunal can do: no appeal
    alone, but non-binding recommendations in an appeal that also covers B, F or I (not a refusal to assess)."""
    summary = route_for(AppealQuery(T.HEALTH_SOCIAL_CARE_ONLY), today=TODAY).summary
    for words in ("cannot hear an appeal about health or social care alone", "sections B, F or I",
                  "s.51(2)(b) to (f)", "not a refusal to assess", "not binding", "5 weeks"):
        assert words in summary


def test_transport_and_delay_never_route_to_the_tribunal() -> None:
    for decision in (T.TRANSPORT, T.DELAY, T.PLAN_NOT_DELIVERED, T.HEALTH_SOCIAL_CARE_ONLY):
        assert Route.TRIBUNAL not in route_for(AppealQuery(decision), today=TODAY).routes
    assert route_for(AppealQuery(T.TRANSPORT), today=TODAY).routes[:2] == [TRAVEL, LGSCO]
    assert JR in route_for(AppealQuery(T.DELAY), today=TODAY).routes


def test_sections_are_named_in_the_summary() -> None:
    route = route_for(AppealQuery(T.PLAN_CONTENTS, frozenset("BI")), today=TODAY)
    assert "section B (s.51(2)(c)(i))" in route.summary and "section I (s.51(2)(c)(iii))" in route.summary


@pytest.mark.parametrize(("query", "message"), [
    (AppealQuery(T.REFUSE_PLAN, decision_date=date(2026, 12, 1)), "after today"),
    (AppealQuery(T.REFUSE_PLAN, decision_date=date(2026, 10, 1), certificate_date=date(2026, 9, 1)), "cannot come before"),
    (AppealQuery(T.PLAN_CONTENTS, frozenset("C")), "sections must be B, F or I"),
    (AppealQuery(T.CEASE_PLAN, frozenset("B")), "only to decision 'plan_contents'"),
])
def test_impossible_queries(query: AppealQuery, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        route_for(query, today=TODAY)
