"""What each letter template asks for, and the dates and duties it works out.

A `LetterSpec` lists the form fields (with the placeholder shown when a value is missing) and
a `derive` function that turns the given dates into the deadline-engine dates the letter
quotes. `letters.render_letter` fills the template from both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from assistant.errors import InvalidInput
from assistant.tools import calendar as cal
from assistant.tools import law as L
from assistant.tools.deadlines import COUNCIL_SIDE, Deadline, compute_deadlines, fmt, sen_appeal_deadline
from assistant.tools.events import KnownEvents


@dataclass(frozen=True)
class LetterField:
    name: str
    placeholder: str
    kind: str = "text"                 # text | date | choice
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class LetterSpec:
    id: str
    title: str
    audience: str                      # parent | caseworker
    draft: bool
    fields: tuple[LetterField, ...]
    cites: tuple[L.Cite, ...]
    derive: Callable[[Mapping[str, Any], date], dict[str, Any]]


# Deadlines a family may chase, with the event the period runs from.
CHASEABLE = {
    "assessment_decision": "request_received",
    "no_plan_decision": "request_received",
    "final_plan": "request_received",
    "annual_review": "plan_made",
    "review_decision": "review_meeting",
    "review_amended_plan": "review_meeting",
    "amended_plan": "amendment_notice",
    "mediation_arranged": "mediation_requested",
}
_EVENT_WORDS = {
    "request_received": "the council received the request for an EHC needs assessment",
    "plan_made": "the EHC plan was first made",
    "review_meeting": "the annual review meeting was held",
    "amendment_notice": "the council sent its proposed amendments",
    "mediation_requested": "I told the council I wanted mediation",
}

PARENT = LetterField("parent_name", "[Your name]")
ADDRESS = LetterField("parent_address", "[Your address]")
COUNCIL = LetterField("council_name", "[Council name]")
CHILD = LetterField("child_name", "[Child's name]")
OFFICER = LetterField("officer_name", "[Officer name]")
TO_PARENT = LetterField("parent_name", "[Parent's name]")
TO_ADDRESS = LetterField("parent_address", "[Parent's address]")


def _d(values: Mapping[str, Any], name: str) -> date | None:
    value = values.get(name)
    return value if isinstance(value, date) else None


def _f(day: date | None, placeholder: str = "[date]") -> str:
    return fmt(day) if day else placeholder


def _deadline_for(key: str, event_date: date, today: date) -> Deadline:
    events = KnownEvents(**{CHASEABLE[key]: event_date})
    return next(d for d in compute_deadlines(events, today=today) if d.key == key)


def _chase_facts(values: Mapping[str, Any], today: date, *, must_have_passed: bool) -> dict[str, Any]:
    key, event = values.get("deadline"), _d(values, "event_date")
    facts: dict[str, Any] = {"event_words": _EVENT_WORDS.get(CHASEABLE.get(str(key), ""), "[what happened]"),
                             "due_date": "[due date]", "action": "[what the council had to do].",
                             "law": "[the law]", "basis": "[how the date is counted]", "exceptions": "",
                             "days_late": None}
    if isinstance(key, str) and key in CHASEABLE and event is not None:
        deadline = _deadline_for(key, event, today)
        assert deadline.actor in COUNCIL_SIDE
        if must_have_passed and deadline.date >= today:
            raise InvalidInput(f"The {key.replace('_', ' ')} deadline is {fmt(deadline.date)}, which has not passed yet.")
        facts.update(due_date=fmt(deadline.date), action=deadline.action[0].lower() + deadline.action[1:],
                     law=L.cite_list(deadline.cites), basis=deadline.basis,
                     exceptions=deadline.exceptions or "", days_late=max((today - deadline.date).days, 0))
    return facts


def _request(values: Mapping[str, Any], today: date) -> dict[str, Any]:
    return {"decision_due": fmt(cal.add_weeks(today, 6))}


def _first_person(text: str) -> str:
    """Turn an action addressed to the family ("tell you") into the parent's own words."""
    return re.sub(r"\byour\b", "my", re.sub(r"\byou\b", "me", text))


def _chase(values: Mapping[str, Any], today: date) -> dict[str, Any]:
    facts = _chase_facts(values, today, must_have_passed=True)
    return {**facts, "action": _first_person(facts["action"]), "reply_by": fmt(cal.add_working_days(today, 10))}


def _certificate(values: Mapping[str, Any], today: date) -> dict[str, Any]:
    decision = _d(values, "decision_date")
    contact_by = cal.add_months(decision, 2) if decision else None
    return {"certificate_due": fmt(cal.add_working_days(today, 3)), "contact_by": _f(contact_by),
            "contact_late": bool(contact_by and contact_by < today)}


def _draft(values: Mapping[str, Any], today: date) -> dict[str, Any]:
    served, request = _d(values, "draft_served_date"), _d(values, "request_date")
    if served and request and served < request:
        raise InvalidInput("draft_served_date cannot be before request_date.")
    return {"comments_due": _f(cal.period_beginning_with(served, days=15) if served else None,
                               "[15 days counting the day the draft was served]"),
            "final_due": _f(cal.add_weeks(request, 20) if request else None, "[20 weeks from the request]")}


def _refusal(values: Mapping[str, Any], today: date) -> dict[str, Any]:
    request, sent = _d(values, "request_date"), _d(values, "letter_date") or today
    if request and sent < request:
        raise InvalidInput("letter_date cannot be before request_date.")
    due = cal.add_weeks(request, 6) if request else None
    return {"letter_date_text": fmt(sent), "decision_due": _f(due, "[6 weeks from the request]"),
            "late": bool(due and sent > due),
            "contact_by": fmt(cal.add_months(sent, 2)),
            "appeal_by": fmt(sen_appeal_deadline(decision_sent=sent))}


def _delay_reply(values: Mapping[str, Any], today: date) -> dict[str, Any]:
    return {**_chase_facts(values, today, must_have_passed=False),
            "ombudsman_note": "within 12 months of first knowing of the problem"}


_DEADLINE_CHOICE = LetterField("deadline", "[which deadline]", "choice", tuple(CHASEABLE))

SPECS: dict[str, LetterSpec] = {spec.id: spec for spec in (
    LetterSpec("request_assessment", "Parent's request for an EHC needs assessment", "parent", False,
               (PARENT, ADDRESS, COUNCIL, CHILD, LetterField("child_dob", "[Child's date of birth]", "date"),
                LetterField("school_name", "[School or setting]"),
                LetterField("reasons", "[Why you think your child has special educational needs and the support tried so far]"),
                LetterField("evidence", "[Reports or evidence you are sending]")),
               (L.S36_1, L.REG_5_1, L.REG_5_3), _request),
    LetterSpec("chase_deadline", "Chasing a missed statutory deadline", "parent", False,
               (PARENT, ADDRESS, COUNCIL, CHILD, _DEADLINE_CHOICE,
                LetterField("event_date", "[date the time started]", "date")),
               (L.LGA_26_5, L.LGA_26B), _chase),
    LetterSpec("mediation_certificate", "Asking the mediation adviser for a certificate", "parent", False,
               (PARENT, ADDRESS, LetterField("adviser_name", "[Mediation adviser or service]"), COUNCIL, CHILD,
                LetterField("decision_date", "[date of the decision letter]", "date"),
                LetterField("decision_summary", "[What the council decided]")),
               (L.S55, L.REG_33, L.REG_34_1, L.RULE_20), _certificate),
    LetterSpec("draft_plan_response", "Parent's comments on a draft EHC plan and school preference", "parent", False,
               (PARENT, ADDRESS, COUNCIL, CHILD, LetterField("draft_served_date", "[date the draft was served]", "date"),
                LetterField("request_date", "[date the council received the assessment request]", "date"),
                LetterField("school_preference", "[School or college you want named]"),
                LetterField("comments_b", "[Your comments on section B: needs]"),
                LetterField("comments_f", "[Your comments on section F: provision, made specific and quantified]"),
                LetterField("other_comments", "[Other comments]"),
                LetterField("meeting", "[yes or no]", "choice", ("yes", "no"))),
               (L.S38, L.S39, L.REG_13_1, L.REG_13_2), _draft),
    LetterSpec("decision_not_to_assess", "Decision not to carry out an EHC needs assessment", "caseworker", True,
               (OFFICER, COUNCIL, TO_PARENT, TO_ADDRESS, CHILD,
                LetterField("request_date", "[date the request was received]", "date"),
                LetterField("letter_date", "[date of this letter]", "date"),
                LetterField("reasons", "[The reasons for the decision, with the evidence considered]"),
                LetterField("mediation_adviser", "[Mediation adviser name and contact details]"),
                LetterField("sendiass", "[Local SENDIASS contact details]"),
                LetterField("disagreement_resolution", "[Disagreement resolution service contact details]")),
               (L.REG_5_1, L.REG_5_3, L.S51_1, L.S51_2, L.S55, L.REG_32, L.REG_33, L.REG_34_1, L.RULE_20), _refusal),
    LetterSpec("delay_complaint_reply", "Reply to a complaint about delay", "caseworker", True,
               (OFFICER, COUNCIL, TO_PARENT, TO_ADDRESS, CHILD, _DEADLINE_CHOICE,
                LetterField("event_date", "[date the time started]", "date"),
                LetterField("complaint_date", "[date of the complaint]", "date"),
                LetterField("explanation", "[What caused the delay]"),
                LetterField("action_plan", "[What the council will now do]"),
                LetterField("new_date", "[Date by which it will be done]", "date")),
               (L.LGA_26_5, L.LGA_26B), _delay_reply),
)}
