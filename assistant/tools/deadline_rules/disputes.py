"""Deadlines for mediation, appeals, Tribunal orders and disability discrimination claims.

>>> from datetime import date
>>> from assistant.tools.events import KnownEvents
>>> found = deadlines(KnownEvents(decision_notice=date(2026, 1, 31)))
>>> [(d.key, d.date.isoformat()) for d in found]
[('contact_mediation_adviser', '2026-03-31'), ('appeal', '2026-03-31')]
"""

from __future__ import annotations

from datetime import date

from assistant.tools import calendar as cal
from assistant.tools import law as L
from assistant.tools.deadline_types import Actor, Deadline, fmt, sen_appeal_deadline, tribunal_time_adjust
from assistant.tools.events import KnownEvents, OrderType, UnopposedType

_LATE_APPEAL = (
    "The Tribunal can extend time in some cases, for example where the decision letter did not "
    "set out the appeal rights and time limits it had to."
)


def deadlines(events: KnownEvents) -> list[Deadline]:
    return _appeals(events) + _mediation(events) + _orders(events) + _discrimination(events)


def _appeal(key: str, decision: date, certificate: date | None, trigger: str, what: str) -> Deadline:
    two = cal.add_months(decision, 2)
    basis = f"2 months after {fmt(decision)}, when {what} was sent"
    if certificate is not None:
        one = cal.add_months(certificate, 1)
        later = "this is the later date" if one > two else "the 2-month date is later"
        basis = (f"the later of 2 months after {fmt(decision)} ({fmt(two)}) and 1 month after the "
                 f"certificate of {fmt(certificate)} ({fmt(one)}): {later}")
    final = sen_appeal_deadline(decision_sent=decision, certificate_issued=certificate)
    if final != max(two, cal.add_months(certificate, 1) if certificate else two):
        basis += f"; moved to {fmt(final)} because the period ends on a holiday, weekend or in August"
    return Deadline(
        key=key, date=final, actor=Actor.FAMILY,
        action="Make sure your appeal reaches the First-tier Tribunal (SEND), with the mediation certificate unless the appeal is only about the school or placement named.",
        cites=(L.RULE_20, L.RULE_12, L.S51_2, L.S55), trigger=trigger, basis=basis,
        exceptions=_LATE_APPEAL,
    )


def _appeals(events: KnownEvents) -> list[Deadline]:
    found: list[Deadline] = []
    cert = events.certificate_issued
    if (sent := events.decision_notice) is not None:
        found.append(Deadline(
            key="contact_mediation_adviser", date=cal.add_months(sent, 2), actor=Actor.FAMILY,
            action="If you may appeal, contact the mediation adviser named in the decision letter and say whether you want mediation (not needed for an appeal only about the school or placement named).",
            cites=(L.REG_33, L.S55), trigger="decision_notice",
            basis=f"2 months after {fmt(sent)}, when the decision was sent",
        ))
        found.append(_appeal("appeal", sent, cert, "decision_notice", "the decision"))
    if (cease := events.cease_notice) is not None:
        deadline = _appeal("appeal_cease", cease, cert, "cease_notice", "the decision to cease")
        found.append(deadline)
        found.append(Deadline(
            key="plan_kept_pending_appeal", date=deadline.date, actor=Actor.LOCAL_AUTHORITY,
            action="Keep maintaining the plan (and securing its provision) at least until this date, and until any appeal is decided.",
            cites=(L.S45, L.REG_31, L.S42_2), trigger="cease_notice",
            basis="the plan continues until the time for appealing has passed or an appeal is decided",
        ))
    if cert is not None and events.decision_notice is None and events.cease_notice is None:
        found.append(Deadline(
            key="appeal", date=tribunal_time_adjust(cal.add_months(cert, 1)),
            actor=Actor.FAMILY,
            action="Make sure your appeal reaches the Tribunal. Add the date of the decision letter: if 2 months from it ends later, that later date applies.",
            cites=(L.RULE_20, L.RULE_12, L.S55), trigger="certificate_issued",
            basis=f"at least 1 month after the certificate of {fmt(cert)}", exceptions=_LATE_APPEAL,
        ))
    return found


def _mediation(events: KnownEvents) -> list[Deadline]:
    found: list[Deadline] = []
    if (declined := events.mediation_declined) is not None:
        found.append(Deadline(
            key="certificate_no_mediation", date=cal.add_working_days(declined, 3), actor=Actor.MEDIATION_ADVISER,
            action="Issue the mediation certificate, because you said you do not want mediation.",
            cites=(L.REG_34_1, L.S55), trigger="mediation_declined",
            basis=f"3 working days after {fmt(declined)} (weekends and bank holidays not counted)",
            done_by=("certificate_issued",),
        ))
    if (asked := events.mediation_requested) is not None:
        found.append(Deadline(
            key="mediation_arranged", date=cal.add_days(asked, 30), actor=Actor.LOCAL_AUTHORITY,
            action="Arrange the mediation. If it cannot, the mediation adviser must issue you a certificate within 3 working days of being told, so you can appeal.",
            cites=(L.REG_MEDIATION, L.S52_54), trigger="mediation_requested",
            basis=f"30 days after {fmt(asked)}, when you told the council you want mediation",
            done_by=("mediation_held",),
        ))
    if (held := events.mediation_held) is not None:
        found.append(Deadline(
            key="certificate_after_mediation", date=cal.add_working_days(held, 3), actor=Actor.MEDIATOR,
            action="Issue the mediation certificate after the mediation.",
            cites=(L.REG_MEDIATION, L.S55), trigger="mediation_held",
            basis=f"3 working days after the mediation on {fmt(held)}",
            done_by=("certificate_issued",),
        ))
    if (agreed := events.mediation_agreement) is not None:
        found.append(Deadline(
            key="mediation_agreement", date=cal.add_weeks(agreed, 2), actor=Actor.LOCAL_AUTHORITY,
            action="Do what was agreed at mediation on matters that cannot be appealed. Agreed matters that could be appealed follow the Tribunal-order time limits in reg 44.",
            cites=(L.REG_42_3, L.REG_42_2), trigger="mediation_agreement",
            basis=f"2 weeks after the agreement of {fmt(agreed)}",
            exceptions="Reg 42(5): the parties may agree a different timescale in writing.",
        ))
    return found


# order type -> (key, weeks, action, cite); weeks 0 means immediately.
_ORDER_STEPS: dict[OrderType, tuple[tuple[str, int, str, L.Cite], ...]] = {
    OrderType.ASSESS: (
        ("order_assess_notice", 2, "Tell you that it will carry out the assessment or re-assessment.", L.REG_44_2_B),
        ("order_assess_no_plan", 10, "If it then decides not to issue a plan, tell you with reasons.", L.REG_44_2_B),
        ("order_assess_final_plan", 14, "If it decides to issue a plan, send the final plan.", L.REG_44_2_B),
    ),
    OrderType.MAKE_PLAN: (
        ("order_draft_plan", 5, "Issue a draft EHC plan.", L.REG_44_2_C),
        ("order_final_plan", 11, "Send the final EHC plan.", L.REG_44_2_C),
    ),
    OrderType.AMEND_PROVISION: (("order_amended_plan", 5, "Issue the plan amended as ordered.", L.REG_44_2_E),),
    OrderType.AMEND_SCHOOL_ONLY: (("order_amended_plan", 2, "Issue the plan naming the school or type of school ordered.", L.REG_44_2_F),),
    OrderType.CONTINUE_PLAN: (("order_continue", 0, "Continue to maintain the plan, with immediate effect.", L.REG_44_2),),
    OrderType.CEASE_PLAN: (("order_cease", 0, "Cease to maintain the plan, with immediate effect.", L.REG_44_2),),
}


def _orders(events: KnownEvents) -> list[Deadline]:
    found: list[Deadline] = []
    if events.tribunal_order is not None and events.order_type is not None:
        made = events.tribunal_order
        for key, weeks, action, cite in _ORDER_STEPS[events.order_type]:
            found.append(Deadline(
                key=key, date=cal.add_weeks(made, weeks), actor=Actor.LOCAL_AUTHORITY, action=action,
                cites=(cite, L.REG_44_3), trigger="tribunal_order",
                basis=f"{weeks} weeks after the order of {fmt(made)}" if weeks else f"immediately on the order of {fmt(made)}",
                exceptions="Reg 44(3) lists limited exceptions, such as exceptional personal circumstances or the family's absence from the area.",
                done_by=("amended_plan_issued",) if key == "order_amended_plan" else (),
            ))
    if events.la_not_opposing is not None and events.unopposed_type is not None:
        told = events.la_not_opposing
        steps = ((("unopposed_assess_notice", 2, "Tell you it will carry out the assessment or re-assessment."),
                  ("unopposed_no_plan", 10, "If it then decides not to issue a plan, tell you with reasons."),
                  ("unopposed_final_plan", 14, "If it decides to issue a plan, send the final plan."))
                 if events.unopposed_type is UnopposedType.ASSESSMENT else
                 (("unopposed_amended_plan", 5, "Issue the amended plan."),))
        for key, weeks, action in steps:
            found.append(Deadline(
                key=key, date=cal.add_weeks(told, weeks), actor=Actor.LOCAL_AUTHORITY, action=action,
                cites=(L.REG_45,), trigger="la_not_opposing",
                basis=f"{weeks} weeks after {fmt(told)}, when the council told the Tribunal it would not oppose",
            ))
    return found


def _discrimination(events: KnownEvents) -> list[Deadline]:
    if (conduct := events.discrimination_conduct) is None:
        return []
    return [Deadline(
        key="discrimination_claim", date=cal.months_starting_with(conduct, 6), actor=Actor.FAMILY,
        action="Bring a disability discrimination claim against the school to the First-tier Tribunal (SEND). No mediation certificate is needed.",
        cites=(L.EQA_SCH17_4, L.EQA_SCH17_3), trigger="discrimination_conduct",
        basis=f"6 months starting with {fmt(conduct)}, the date of the conduct (continuing conduct counts from its end)",
        exceptions="Sch 17 para 4: 3 more months if conciliation starts in time; the Tribunal may also hear a late claim.",
    )]
