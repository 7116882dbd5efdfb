"""What the deadlines page asks: one situation first, then only the dates that situation's rules need.

A parent who chose "You asked the council for an EHC needs assessment" sees one date (and an
optional second), not 25 fields in 6 groups. "all" shows every field, grouped, for advisers.

    >>> [name for name, _, _ in situation_fields("assessment")]
    ['request_received', 'assessment_decision']
    >>> len(situation_fields("all")) == len(FIELD_LABELS)
    True
"""

from __future__ import annotations

from assistant.tools.events import OrderType, TransferKind, UnopposedType

# (heading, open?, [(field, label, kind)]) — kind: date | year | choice name
EVENT_GROUPS: list[tuple[str, bool, list[tuple[str, str, str]]]] = [
    ("Asking for an assessment and getting a plan", True, [
        ("request_received", "The council got the request for an EHC needs assessment", "date"),
        ("assessment_decision", "The council told you whether it would assess", "date"),
        ("advice_requested", "A service (for example health) got the council's request for advice", "date"),
        ("draft_plan_served", "The council sent you the draft EHC plan", "date"),
        ("final_plan_issued", "The council sent you the final EHC plan", "date"),
    ]),
    ("Reviews and changes to a plan", False, [
        ("plan_made", "The EHC plan was first made", "date"),
        ("last_review", "The last annual review", "date"),
        ("review_meeting", "The annual review meeting (this can be a date to come)", "date"),
        ("review_decision", "The council told you its decision after the review", "date"),
        ("amendment_notice", "The council sent you the changes it wants to make to the plan", "date"),
        ("amended_plan_issued", "The council sent you the changed plan", "date"),
    ]),
    ("Decisions, mediation and appeals", False, [
        ("decision_notice", "The council sent you a decision you can appeal", "date"),
        ("mediation_declined", "You told the mediation adviser you do not want mediation", "date"),
        ("mediation_requested", "You told the council you want mediation", "date"),
        ("mediation_held", "Mediation finished", "date"),
        ("mediation_agreement", "You made a written agreement at mediation", "date"),
        ("certificate_issued", "You got a mediation certificate", "date"),
        ("cease_notice", "The council told you it will stop (cease) the plan", "date"),
    ]),
    ("After an appeal to the tribunal", False, [
        ("tribunal_order", "The tribunal made its order", "date"),
        ("order_type", "What the tribunal ordered", "order_type"),
        ("la_not_opposing", "The council told the tribunal it will not fight the appeal", "date"),
        ("unopposed_type", "What that appeal was about", "unopposed_type"),
    ]),
    ("Moving to a new school or college", False, [
        ("transfer_year", "The year of the move (for example 2027)", "year"),
        ("transfer_kind", "Which move", "transfer_kind"),
        ("post16_transfer_date", "The date of a move between colleges or sixth forms after 16", "date"),
    ]),
    ("Disability discrimination", False, [
        ("discrimination_conduct", "The school did the thing you are complaining about", "date"),
    ]),
]
CHOICES: dict[str, list[tuple[str, str]]] = {
    "order_type": [
        (OrderType.ASSESS, "Carry out an assessment"), (OrderType.MAKE_PLAN, "Make an EHC plan"),
        (OrderType.AMEND_PROVISION, "Change the needs or support in the plan"),
        (OrderType.AMEND_SCHOOL_ONLY, "Change only the school or college named"),
        (OrderType.CONTINUE_PLAN, "Keep the plan"), (OrderType.CEASE_PLAN, "Stop the plan"),
    ],
    "unopposed_type": [
        (UnopposedType.ASSESSMENT, "A refusal to assess or re-assess"),
        (UnopposedType.PLAN_CONTENTS, "What the plan says, or a refusal to change it"),
    ],
    "transfer_kind": [
        (TransferKind.SCHOOL, "Between schools (for example primary to secondary)"),
        (TransferKind.POST16, "From school to a college or sixth form after 16"),
    ],
}
FIELD_LABELS: dict[str, tuple[str, str]] = {name: (label, kind) for _, _, fields in EVENT_GROUPS for name, label, kind in fields}

# (key, what the person chooses, the fields it asks for: the first is needed, the rest optional)
SITUATIONS: list[tuple[str, str, list[str]]] = [
    ("assessment", "You asked the council for an EHC needs assessment", ["request_received", "assessment_decision"]),
    ("advice", "A service (for example health) was asked for advice for an assessment", ["advice_requested"]),
    ("draft_plan", "The council sent you a draft EHC plan", ["draft_plan_served"]),
    ("annual_review", "An EHC plan is due its annual review", ["last_review", "plan_made"]),
    ("review_meeting", "An annual review meeting has happened, or is planned", ["review_meeting", "review_decision"]),
    ("amendment", "The council wants to change (amend) an EHC plan", ["amendment_notice"]),
    ("transfer", "A child or young person with a plan is moving school or college", ["transfer_year", "transfer_kind"]),
    ("post16_move", "A young person is moving between colleges or sixth forms after 16", ["post16_transfer_date"]),
    ("decision", "The council made a decision you may want to appeal", ["decision_notice", "certificate_issued"]),
    ("mediation_declined", "You told the mediation adviser you do not want mediation", ["mediation_declined"]),
    ("mediation_requested", "You told the council you want mediation", ["mediation_requested"]),
    ("mediation_held", "Mediation has finished", ["mediation_held", "mediation_agreement"]),
    ("cease", "The council wants to stop (cease) an EHC plan", ["cease_notice"]),
    ("tribunal_order", "The tribunal made an order", ["tribunal_order", "order_type"]),
    ("not_opposing", "The council told the tribunal it will not fight an appeal", ["la_not_opposing", "unopposed_type"]),
    ("discrimination", "A school treated a child unfairly because of disability", ["discrimination_conduct"]),
]
SITUATION_LABELS = {key: label for key, label, _ in SITUATIONS}
# Optional second questions say so.
OPTIONAL_HINTS = {
    "assessment_decision": "Leave this empty if the council has not told you yet.",
    "plan_made": "Only if there has not been an annual review yet.",
    "review_decision": "Leave this empty if the council has not told you yet.",
    "certificate_issued": "Leave this empty if you do not have one yet.",
    "mediation_agreement": "Only if you made a written agreement.",
}


def situation_fields(situation: str) -> list[tuple[str, str, str]]:
    """(field, label, kind) for a situation's questions; every field for "all"; none for an unknown one."""
    if situation == "all":
        return [(name, label, kind) for name, (label, kind) in FIELD_LABELS.items()]
    names = next((fields for key, _, fields in SITUATIONS if key == situation), [])
    return [(name, *FIELD_LABELS[name]) for name in names]


def required_field(situation: str) -> str | None:
    """The one field a situation cannot do without (none for "all": any one date will do)."""
    if situation == "annual_review":
        return None  # the last review, or else the date the plan was made
    fields = situation_fields(situation)
    return fields[0][0] if fields and situation != "all" else None
