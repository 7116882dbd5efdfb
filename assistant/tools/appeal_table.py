"""The facts behind the appeal navigator: one row per kind of decision, each citing its law.

`appeals.route_for` reads this table; nothing here computes dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from assistant.tools import law as L


class DecisionType(StrEnum):
    REFUSE_ASSESSMENT = "refuse_assessment"
    REFUSE_PLAN = "refuse_plan"
    PLAN_CONTENTS = "plan_contents"
    NO_SCHOOL_NAMED = "no_school_named"
    REFUSE_AMEND_AFTER_REVIEW = "refuse_amend_after_review"
    REFUSE_REASSESSMENT = "refuse_reassessment"
    CEASE_PLAN = "cease_plan"
    HEALTH_SOCIAL_CARE_ONLY = "health_social_care_only"
    HEALTH_SOCIAL_CARE_WITH_EDUCATION = "health_social_care_with_education"
    DISABILITY_DISCRIMINATION_SCHOOL = "disability_discrimination_school"
    TRANSPORT = "transport"
    DELAY = "delay"
    PLAN_NOT_DELIVERED = "plan_not_delivered"
    OTHER = "other"


class Route(StrEnum):
    TRIBUNAL = "First-tier Tribunal (SEND)"
    COMPLAINT = "Complaint to the school or local authority"
    HEALTH_COMPLAINT = "Complaint to the health body (NHS complaints procedure)"
    TRANSPORT_REVIEW = "Local authority travel review"
    LGSCO = "Local Government and Social Care Ombudsman"
    JUDICIAL_REVIEW = "Judicial review"


class DeadlineKind(StrEnum):
    SEN_APPEAL = "sen_appeal"              # 2 months / 1 month after certificate (rule 20)
    DISCRIMINATION = "discrimination"      # 6 months starting with the conduct (EqA Sch 17)
    TRANSPORT_REVIEW = "transport_review"  # 20 working days (guidance)
    OMBUDSMAN = "ombudsman"                # 12 months of knowing (LGA 1974 s.26B)
    NONE = "none"


# Each time limit in words, for a card asked "how long do I have?" before any date is known.
TIME_LIMIT: dict[DeadlineKind, str] = {
    DeadlineKind.SEN_APPEAL: "2 months from the date the decision letter was sent, or 1 month after a mediation certificate if that is later",
    DeadlineKind.DISCRIMINATION: "6 months starting with the discrimination",
    DeadlineKind.TRANSPORT_REVIEW: "20 working days after you receive the decision, under the statutory guidance",
    DeadlineKind.OMBUDSMAN: "12 months from when you knew of the problem",
}


@dataclass(frozen=True)
class Step:
    text: str
    cites: tuple[L.Cite, ...] = ()


@dataclass(frozen=True)
class Row:
    summary: str
    routes: tuple[Route, ...]
    deadline: DeadlineKind
    mediation_required: bool
    mediation_note: str
    cites: tuple[L.Cite, ...]
    steps: tuple[Step, ...]
    recommendations: bool = False          # health and social care recommendations possible


_MEDIATION_STEP = Step(
    "Before appealing, contact the mediation adviser named in the decision letter within 2 months "
    "of the decision. You can say no to mediation: the adviser must then issue a certificate within "
    "3 working days.", (L.S55, L.REG_33, L.REG_34_1))
_REGISTER_STEP = Step(
    "Register the appeal with the First-tier Tribunal (SEND) so that it arrives by the deadline, "
    "with the decision letter and the mediation certificate where one is needed.", (L.RULE_20, L.S51_1))
_ADVICE_STEP = Step(
    "Get free, independent advice: your local SENDIASS, or a national SEND legal charity.")
_CHASE_STEP = Step(
    "Write to the council, quote the duty and the date it was due, and ask when it will act.")
_COMPLAIN_STEP = Step(
    "Make a formal complaint through the council's complaints procedure.", (L.LGA_26_5,))
_OMBUDSMAN_STEP = Step(
    "If the complaint does not resolve it, complain to the Local Government and Social Care "
    "Ombudsman within 12 months of knowing of the problem.", (L.LGA_26B,))
_JR_STEP = Step(
    "Where a legal duty is being breached, a solicitor can send a judicial review pre-action "
    "letter; a claim must be brought promptly and within 3 months.", (L.CPR_54_5,))

_NEEDED = "A mediation certificate is needed before appealing (you need only hear about mediation, not take part)."
_SEN_ROUTES = (Route.TRIBUNAL,)


def _appeal_row(summary: str, extra: tuple[Step, ...] = (), *, recommendations: bool = True,
                cites: tuple[L.Cite, ...] = ()) -> Row:
    steps = (_MEDIATION_STEP, _REGISTER_STEP, *extra, _ADVICE_STEP)
    if recommendations:
        steps = (*steps[:2], Step(
            "You can also ask the Tribunal to make recommendations about the health and social care "
            "parts of the plan in the same appeal.", (L.RECS_REGS_4_5,)), *steps[2:])
    return Row(summary, _SEN_ROUTES, DeadlineKind.SEN_APPEAL, True, _NEEDED,
               (L.S51_1, L.S51_2, *cites, L.S55, L.RULE_20), steps, recommendations)


TABLE: dict[DecisionType, Row] = {
    DecisionType.REFUSE_ASSESSMENT: _appeal_row(
        "A refusal to carry out an EHC needs assessment can be appealed to the Tribunal (s.51(2)(a)).",
        (Step("You can also send new evidence and ask the council to reconsider, or make a new request.", (L.S36_1,)),),
        recommendations=False, cites=(L.REG_5_3,)),
    DecisionType.REFUSE_PLAN: _appeal_row(
        "A decision not to issue an EHC plan after an assessment can be appealed (s.51(2)(b)).", cites=(L.REG_10_1,)),
    DecisionType.REFUSE_REASSESSMENT: _appeal_row(
        "A refusal to re-assess after a request can be appealed (s.51(2)(d))."),
    DecisionType.REFUSE_AMEND_AFTER_REVIEW: _appeal_row(
        "A decision not to amend the plan after a review or re-assessment can be appealed (s.51(2)(e)).",
        cites=(L.REG_20_REPORT,)),
    DecisionType.CEASE_PLAN: _appeal_row(
        "A decision to cease the plan can be appealed (s.51(2)(f)); the plan stays in place while you appeal.",
        (Step("The council must keep the plan and its provision until the time to appeal has passed or the appeal is decided.", (L.S45, L.S42_2)),),
        cites=(L.REG_31,)),
    DecisionType.PLAN_CONTENTS: _appeal_row(
        "The needs (section B), provision (section F) and school or placement (section I) in a final or amended plan can be appealed (s.51(2)(c), s.51(3)).",
        cites=(L.S51_3,)),
    DecisionType.NO_SCHOOL_NAMED: Row(
        "That no school or institution is named in the plan can be appealed (s.51(2)(c)(iv)).",
        _SEN_ROUTES, DeadlineKind.SEN_APPEAL, False,
        "No mediation certificate is needed for an appeal only about the placement or that none is named.",
        (L.S51_1, L.S51_2, L.S55, L.RULE_20), (_REGISTER_STEP, _ADVICE_STEP)),
    DecisionType.HEALTH_SOCIAL_CARE_WITH_EDUCATION: _appeal_row(
        "Appeal the education parts to the Tribunal and ask it to make recommendations on health and social care in the same appeal (not available for a refusal to assess).",
        cites=(L.RECS_REGS_4_5, L.S52_54)),
    DecisionType.HEALTH_SOCIAL_CARE_ONLY: Row(
        "The Tribunal cannot hear an appeal about health or social care alone. In an appeal that also covers the "
        "education parts of the plan (sections B, F or I) or another decision under s.51(2)(b) to (f), though not a "
        "refusal to assess, you can ask it to make recommendations about health and social care; these are not "
        "binding, but the council or health body must respond within 5 weeks. Otherwise use the complaints routes; "
        "mediation is available.",
        (Route.COMPLAINT, Route.HEALTH_COMPLAINT, Route.LGSCO, Route.JUDICIAL_REVIEW), DeadlineKind.OMBUDSMAN, False,
        "Mediation about health and social care is available but not required.",
        (L.RECS_REGS_4_5, L.S51_2, L.S52_54),
        (Step("Ask for mediation about the health or social care parts of the plan if you want it.", (L.S52_54,)),
         Step("Complain to the council (social care) or the NHS body that commissions the health care."),
         _OMBUDSMAN_STEP, _JR_STEP, _ADVICE_STEP)),
    DecisionType.DISABILITY_DISCRIMINATION_SCHOOL: Row(
        "A claim that a school discriminated against a disabled pupil goes to the Tribunal (a refused admission goes to an admission appeal panel instead; a permanent exclusion can also go to an independent review panel).",
        _SEN_ROUTES, DeadlineKind.DISCRIMINATION, False,
        "No mediation certificate is needed for a disability discrimination claim.",
        (L.EQA_SCH17_3, L.EQA_SCH17_4),
        (Step("You may first raise it through the school's complaints procedure, but that does not stop the 6-month clock.", (L.EQA_SCH17_4,)),
         Step("Bring the claim to the First-tier Tribunal (SEND) within 6 months of the conduct.", (L.EQA_SCH17_3, L.EQA_SCH17_4)),
         _ADVICE_STEP)),
    DecisionType.TRANSPORT: Row(
        "Home-to-school travel is not a SEND Tribunal matter: ask the council for a review, then go to the Ombudsman.",
        (Route.TRANSPORT_REVIEW, Route.LGSCO, Route.JUDICIAL_REVIEW), DeadlineKind.TRANSPORT_REVIEW, False,
        "Mediation and the Tribunal do not apply to travel decisions.",
        (L.EA_508B, L.TRAVEL_REVIEW, L.LGA_26B),
        (Step("Ask in writing for a stage one review within 20 working days of receiving the decision; a second-stage independent panel follows if needed.", (L.TRAVEL_REVIEW,)),
         Step("If the review process does not put it right, complain to the Local Government and Social Care Ombudsman.", (L.LGA_26B,)),
         _JR_STEP, _ADVICE_STEP)),
    DecisionType.DELAY: Row(
        "Delay is not something the Tribunal hears; chase, complain, then go to the Ombudsman, with judicial review where a duty is breached.",
        (Route.COMPLAINT, Route.LGSCO, Route.JUDICIAL_REVIEW), DeadlineKind.OMBUDSMAN, False,
        "Mediation and the Tribunal do not apply to delay.",
        (L.REG_5_1, L.REG_13_2, L.LGA_26_5, L.LGA_26B, L.CPR_54_5),
        (_CHASE_STEP, _COMPLAIN_STEP, _OMBUDSMAN_STEP, _JR_STEP, _ADVICE_STEP)),
    DecisionType.PLAN_NOT_DELIVERED: Row(
        "The council must secure the provision in section F; failure to deliver it is a complaint and Ombudsman matter, with judicial review where needed.",
        (Route.COMPLAINT, Route.LGSCO, Route.JUDICIAL_REVIEW), DeadlineKind.OMBUDSMAN, False,
        "Mediation and the Tribunal do not apply to a failure to deliver provision.",
        (L.S42_2, L.LGA_26_5, L.LGA_26B, L.CPR_54_5),
        (Step("Write to the council: the duty to secure the provision in section F rests with it, even when a school delivers it.", (L.S42_2,)),
         _COMPLAIN_STEP, _OMBUDSMAN_STEP, _JR_STEP, _ADVICE_STEP)),
    DecisionType.OTHER: Row(
        "No single route applies; start with the complaints procedure of the school or council and get advice.",
        (Route.COMPLAINT, Route.LGSCO), DeadlineKind.OMBUDSMAN, False,
        "Mediation is only required before a Tribunal appeal.",
        (L.LGA_26_5, L.LGA_26B),
        (_COMPLAIN_STEP, _OMBUDSMAN_STEP, _ADVICE_STEP)),
}
