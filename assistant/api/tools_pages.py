"""The tools as pages: /tools/deadlines, /tools/appeal, /tools/letters (form posts, no JavaScript needed).

Each page turns its form into the tools router's request model and calls the same route
function as POST /api/deadlines, /api/appeal-route and /api/letters, so the pages and the
API cannot disagree. Bad input is shown next to the field it belongs to.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ValidationError

from assistant.api import tools_routes as api
from assistant.api.pages import base_context, templates
from assistant.tools.appeal_table import DecisionType
from assistant.tools.events import OrderType, TransferKind, UnopposedType

router = APIRouter(prefix="/tools", include_in_schema=False)

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
DECISIONS: list[tuple[str, str]] = [
    (DecisionType.REFUSE_ASSESSMENT, "The council refused to carry out an EHC needs assessment"),
    (DecisionType.REFUSE_PLAN, "After assessing, the council decided not to make an EHC plan"),
    (DecisionType.PLAN_CONTENTS, "You disagree with parts of the EHC plan (sections B, F or I)"),
    (DecisionType.NO_SCHOOL_NAMED, "The plan does not name a school or college"),
    (DecisionType.REFUSE_AMEND_AFTER_REVIEW, "After a review, the council decided not to change the plan"),
    (DecisionType.REFUSE_REASSESSMENT, "The council refused to assess again"),
    (DecisionType.CEASE_PLAN, "The council decided to stop (cease) the plan"),
    (DecisionType.HEALTH_SOCIAL_CARE_ONLY, "You disagree only with the health or social care parts"),
    (DecisionType.HEALTH_SOCIAL_CARE_WITH_EDUCATION, "You disagree with the health or social care parts and the education parts"),
    (DecisionType.DISABILITY_DISCRIMINATION_SCHOOL, "A school treated your child unfairly because of disability"),
    (DecisionType.TRANSPORT, "The council refused help with travel to school or college"),
    (DecisionType.DELAY, "The council is late"),
    (DecisionType.PLAN_NOT_DELIVERED, "The support in the plan is not being given"),
    (DecisionType.OTHER, "Something else"),
]
SECTIONS = [("B", "Section B: the special educational needs"), ("F", "Section F: the support (special educational provision)"),
            ("I", "Section I: the school or college named")]
STATES = {"upcoming": "Coming up", "due_today": "Due today", "passed": "Date has passed", "met": "Done in time",
          "met_late": "Done late", "done": "Done"}
DEADLINE_CHOICES = {
    "assessment_decision": "Deciding whether to assess", "no_plan_decision": "Deciding not to make a plan",
    "final_plan": "Sending the final EHC plan", "annual_review": "Holding the annual review",
    "review_decision": "Deciding after an annual review", "review_amended_plan": "Sending the changed plan after a review",
    "amended_plan": "Sending the changed (amended) plan", "mediation_arranged": "Arranging mediation",
}
_LONG_FIELDS = {"reasons", "evidence", "comments_b", "comments_f", "other_comments", "explanation", "action_plan",
                "decision_summary"}
_PLAIN_ERRORS = {"date": "Enter a real date", "year": "Enter a year, for example 2027"}


def field_errors(exc: ValidationError, kinds: dict[str, str]) -> dict[str, str]:
    """Pydantic's errors as plain messages keyed by form field name."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][-1]) if error.get("loc") else "form"
        if "must be between" in str(error.get("msg", "")):
            errors.setdefault(name, "Enter a date from 1 January 2000 to 31 December 2099")
        errors.setdefault(name, _PLAIN_ERRORS.get(kinds.get(name, ""), "Choose one of the options"))
    return errors


def _page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return templates(request).TemplateResponse(request, name, {**base_context(), **context}, status_code=status_code)


def _call(route: Any, body: BaseModel, *args: Any) -> tuple[Any, str | None]:
    try:
        return route(body, *args), None
    except HTTPException as exc:
        return None, str(exc.detail)


@router.get("", response_class=HTMLResponse)
async def tools_index(request: Request) -> HTMLResponse:
    return _page(request, "tools/index.html", {})


@router.get("/deadlines", response_class=HTMLResponse)
async def deadlines_page(request: Request) -> HTMLResponse:
    return _page(request, "tools/deadlines.html", _deadline_context({}))


@router.post("/deadlines", response_class=HTMLResponse)
async def deadlines_post(request: Request) -> HTMLResponse:
    form = {k: str(v).strip() for k, v in (await request.form()).items() if str(v).strip()}
    kinds = {name: kind for _, _, fields in EVENT_GROUPS for name, _, kind in fields}
    values: dict[str, Any] = {k: v for k, v in form.items() if k in kinds}
    if values.get("transfer_year", "").isdigit():
        values["transfer_year"] = int(values["transfer_year"])
    try:
        body = api.DeadlinesRequest.model_validate({"events": values})
    except ValidationError as exc:
        return _page(request, "tools/deadlines.html", _deadline_context(form, errors=field_errors(exc, kinds)), 422)
    if not values:
        return _page(request, "tools/deadlines.html",
                     _deadline_context(form, errors={"request_received": "Enter at least one date"}), 422)
    result, problem = _call(api.deadlines, body)
    return _page(request, "tools/deadlines.html", _deadline_context(form, result=result, problem=problem),
                 422 if problem else 200)


def _deadline_context(form: dict[str, str], *, errors: dict[str, str] | None = None, result: Any = None,
                      problem: str | None = None) -> dict[str, Any]:
    errors = errors or {}
    open_groups = {heading for heading, _, fields in EVENT_GROUPS if any(n in form or n in errors for n, _, _ in fields)}
    return {"groups": EVENT_GROUPS, "choices": CHOICES, "form": form, "errors": errors, "result": result,
            "problem": problem, "states": STATES, "open_groups": open_groups}


@router.get("/appeal", response_class=HTMLResponse)
async def appeal_page(request: Request) -> HTMLResponse:
    return _page(request, "tools/appeal.html", _appeal_context({}))


@router.post("/appeal", response_class=HTMLResponse)
async def appeal_post(request: Request) -> HTMLResponse:
    raw = await request.form()
    form: dict[str, Any] = {k: str(v).strip() for k, v in raw.items() if k != "sections" and str(v).strip()}
    form["sections"] = [s for s in raw.getlist("sections") if s in {"B", "F", "I"}]
    kinds = {"decision_date": "date", "certificate_date": "date", "decision": "choice"}
    if not form.get("decision"):
        return _page(request, "tools/appeal.html",
                     _appeal_context(form, errors={"decision": "Choose what the decision was about"}), 422)
    try:
        body = api.AppealRequest.model_validate({
            "decision": form["decision"], "sections": form["sections"], "decision_date": form.get("decision_date"),
            "certificate_date": form.get("certificate_date"), "young_person": form.get("young_person") == "yes",
        })
    except ValidationError as exc:
        return _page(request, "tools/appeal.html", _appeal_context(form, errors=field_errors(exc, kinds)), 422)
    result, problem = _call(api.appeal_route, body)
    return _page(request, "tools/appeal.html", _appeal_context(form, result=result, problem=problem),
                 422 if problem else 200)


def _appeal_context(form: dict[str, Any], *, errors: dict[str, str] | None = None, result: Any = None,
                    problem: str | None = None) -> dict[str, Any]:
    form.setdefault("sections", [])
    return {"decisions": DECISIONS, "sections": SECTIONS, "form": form, "errors": errors or {}, "result": result,
            "problem": problem}


@router.get("/letters", response_class=HTMLResponse)
async def letters_page(request: Request, template: str = "") -> HTMLResponse:
    return _page(request, "tools/letters.html", _letter_context(template, {}))


@router.post("/letters", response_model=None)
async def letters_post(request: Request) -> Response:
    raw = await request.form()
    template = str(raw.get("template", ""))
    spec = next((t for t in api.letter_templates() if t.id == template), None)
    if spec is None:
        return _page(request, "tools/letters.html", _letter_context("", {}, problem="Choose a letter"), 422)
    form = {f.name: str(raw.get(f.name, "")).strip() for f in spec.fields}
    wants_docx = raw.get("format") == "docx"
    try:
        body = api.LETTER_REQUEST.validate_python({"template": template, "fields": {k: v or None for k, v in form.items()}})
    except ValidationError as exc:
        error = exc.errors()[0]
        where = str(error["loc"][-1]).replace("_", " ").capitalize() if error.get("loc") else "The form"
        problem = f"{where}: {str(error.get('msg', 'check it')).removeprefix('Value error, ')}"
        return _page(request, "tools/letters.html", _letter_context(template, form, problem=problem), 422)
    result, problem = _call(api.letter, body, request, "docx" if wants_docx else "json")
    if isinstance(result, Response):
        return result
    return _page(request, "tools/letters.html", _letter_context(template, form, result=result, problem=problem),
                 422 if problem else 200)


def _letter_context(template: str, form: dict[str, str], *, result: Any = None,
                    problem: str | None = None) -> dict[str, Any]:
    specs = api.letter_templates()
    chosen = next((t for t in specs if t.id == template), None)
    options = {f.name: [(o, DEADLINE_CHOICES.get(o, o.replace("_", " ").capitalize())) for o in f.options]
               for f in (chosen.fields if chosen else [])}
    return {"specs": specs, "chosen": chosen, "form": form, "result": result, "problem": problem,
            "long_fields": _LONG_FIELDS, "options": options}


def install(app: FastAPI) -> None:
    """Include the tools pages and add them to the site navigation."""
    app.include_router(router)
    links = app.state.templates.env.globals["nav_links"]
    if ("/tools", "Tools") not in links:
        links.insert(1, ("/tools", "Tools"))
