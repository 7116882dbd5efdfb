""""Can I appeal this?": the route, the mediation rule, the deadline and whose right it is.

>>> from datetime import date
>>> route = route_for(AppealQuery(DecisionType.PLAN_CONTENTS, sections=frozenset({"I"}),
...                               decision_date=date(2026, 10, 20)), today=date(2026, 11, 23))
>>> route.routes[0].value, route.mediation_required, route.deadline
('First-tier Tribunal (SEND)', False, datetime.date(2026, 12, 21))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from assistant.errors import InvalidInput
from assistant.tools import calendar as cal
from assistant.tools import law as L
from assistant.tools.appeal_table import TABLE, DeadlineKind, DecisionType, Route, Step
from assistant.tools.deadlines import fmt, sen_appeal_deadline, tribunal_time_adjust

SECTIONS = frozenset({"B", "F", "I"})
_SECTION_REFS = {"B": "s.51(2)(c)(i)", "F": "s.51(2)(c)(ii)", "I": "s.51(2)(c)(iii)"}


@dataclass(frozen=True)
class AppealQuery:
    decision: DecisionType
    sections: frozenset[str] = frozenset()   # for plan contents: any of B, F, I
    decision_date: date | None = None        # decision sent; conduct date for discrimination
    certificate_date: date | None = None     # mediation certificate issued
    young_person: bool = False               # over compulsory school age


@dataclass
class AppealRoute:
    decision: DecisionType
    summary: str
    routes: list[Route]
    tribunal: bool
    mediation_required: bool
    mediation_note: str
    right_holder: str
    deadline: date | None
    deadline_basis: str
    steps: list[Step]
    cites: list[L.Cite] = field(default_factory=list)


def _check(query: AppealQuery, today: date) -> None:
    for name in ("decision_date", "certificate_date"):
        value = getattr(query, name)
        if value is not None and value > today:
            raise InvalidInput(f"{name.replace('_', ' ')} ({value.isoformat()}) is after today ({today.isoformat()}).")
    if query.certificate_date and query.decision_date and query.certificate_date < query.decision_date:
        raise InvalidInput(
            f"The mediation certificate ({query.certificate_date.isoformat()}) cannot come before the "
            f"decision ({query.decision_date.isoformat()})."
        )
    unknown = {s.upper() for s in query.sections} - SECTIONS
    if unknown:
        raise InvalidInput(
            f"sections must be B, F or I; got {', '.join(sorted(unknown))}. For health or social care "
            "sections use health_social_care_with_education or health_social_care_only."
        )
    if query.sections and query.decision is not DecisionType.PLAN_CONTENTS:
        raise InvalidInput("sections apply only to decision 'plan_contents'.")


def _mediation(query: AppealQuery, required: bool, note: str) -> tuple[bool, str]:
    sections = {s.upper() for s in query.sections}
    if query.decision is DecisionType.PLAN_CONTENTS:
        if sections == {"I"}:
            return False, "No mediation certificate is needed for an appeal only about the school or placement named in section I."
        if not sections:
            return True, note + " (If your appeal is only about section I, no certificate is needed.)"
    return required, note


def _right_holder(query: AppealQuery) -> str:
    if query.decision is DecisionType.DISABILITY_DISCRIMINATION_SCHOOL:
        return ("The pupil, now over compulsory school age, can bring the claim (a parent can help)."
                if query.young_person else "The child's parent brings the claim.")
    if query.decision is DecisionType.TRANSPORT:
        return "The parent or carer asks for the review."
    if query.young_person:
        return ("The young person: from the end of compulsory school age the right to appeal is theirs, "
                "not their parent's (a parent can still help or represent them).")
    return "The child's parent (the right passes to the young person at the end of compulsory school age)."


def _deadline(kind: DeadlineKind, query: AppealQuery) -> tuple[date | None, str, tuple[L.Cite, ...]]:
    start, cert = query.decision_date, query.certificate_date
    if kind is DeadlineKind.SEN_APPEAL:
        if start is None and cert is None:
            return None, "Give the date the decision letter was sent (the date on the letter, not the date the decision takes effect) to work out the deadline: 2 months from it, or 1 month after a mediation certificate if later.", (L.RULE_20,)
        if start is None:
            assert cert is not None
            return tribunal_time_adjust(cal.add_months(cert, 1)), (
                f"1 month after the certificate of {fmt(cert)}; 2 months from the decision letter may be later."), (L.RULE_20, L.RULE_12)
        basis = (f"the later of 2 months after the decision of {fmt(start)} and 1 month after the certificate of {fmt(cert)}"
                 if cert else f"2 months after the decision of {fmt(start)}, or 1 month after a mediation certificate if that is later")
        return sen_appeal_deadline(decision_sent=start, certificate_issued=cert), basis, (L.RULE_20, L.RULE_12)
    if start is None:
        return None, "Give the date of the decision or conduct to work out the deadline.", ()
    if kind is DeadlineKind.DISCRIMINATION:
        return cal.months_starting_with(start, 6), f"6 months starting with the conduct on {fmt(start)}", (L.EQA_SCH17_4,)
    if kind is DeadlineKind.TRANSPORT_REVIEW:
        return cal.add_working_days(start, 20), f"20 working days after receiving the decision of {fmt(start)} (guidance)", (L.TRAVEL_REVIEW,)
    if kind is DeadlineKind.OMBUDSMAN:
        return cal.months_starting_with(start, 12), f"12 months starting with {fmt(start)}, when you knew of the problem", (L.LGA_26B,)
    return None, "", ()


def route_for(query: AppealQuery, *, today: date) -> AppealRoute:
    """The appeal or complaint route for `query`; raises `InvalidInput` for impossible input."""
    _check(query, today)
    row = TABLE[query.decision]
    mediation_required, note = _mediation(query, row.mediation_required, row.mediation_note)
    deadline, basis, deadline_cites = _deadline(row.deadline, query)
    steps = list(row.steps)
    if not mediation_required:
        steps = [s for s in steps if L.S55 not in s.cites or L.REG_33 not in s.cites]
    cites = list(row.cites) + [c for step in steps for c in step.cites] + list(deadline_cites)
    if query.young_person and Route.TRIBUNAL in row.routes:
        cites.append(L.S83_2)
    if query.decision is DecisionType.PLAN_CONTENTS and query.sections:
        named = ", ".join(f"section {s} ({_SECTION_REFS[s]})" for s in sorted({x.upper() for x in query.sections}))
        summary = f"{row.summary} You are appealing {named}."
    else:
        summary = row.summary
    return AppealRoute(
        decision=query.decision, summary=summary, routes=list(row.routes),
        tribunal=Route.TRIBUNAL in row.routes, mediation_required=mediation_required,
        mediation_note=note, right_holder=_right_holder(query), deadline=deadline,
        deadline_basis=basis, steps=steps, cites=list(dict.fromkeys(cites)),
    )
