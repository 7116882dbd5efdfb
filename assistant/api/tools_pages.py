"""The tools as pages: /tools/deadlines, /tools/appeal, /tools/letters (form posts, no JavaScript needed).

Each page turns its form into the tools router's request model and calls the same route
function as POST /api/deadlines, /api/appeal-route and /api/letters, so the pages and the
API cannot disagree. Bad input is shown next to the field it belongs to. Dates are three boxes
(day, month, year; see `date_fields`). A result comes first on the page, above the form that
made it, and the form posts to `#result`, so the person lands on it with or without JavaScript.
The deadlines page asks one question first (what happened?) and then only the dates that
situation's rules need (`deadline_form`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ValidationError

from assistant.api import tools_routes as api
from assistant.api.date_fields import read_date, with_parts
from assistant.api.deadline_form import (
    CHOICES,
    EVENT_GROUPS,
    FIELD_LABELS,
    OPTIONAL_HINTS,
    SITUATION_LABELS,
    SITUATIONS,
    required_field,
    situation_fields,
)
from assistant.api.pages import base_context, templates
from assistant.tools.appeal_table import DecisionType

router = APIRouter(prefix="/tools", include_in_schema=False)

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
_LONG_FIELDS = {"parent_address", "reasons", "evidence", "comments_b", "comments_f", "other_comments", "explanation", "action_plan",
                "decision_summary"}
_PLAIN_ERRORS = {"date": "Enter a real date", "year": "Enter a year, for example 2027"}


def read_dates(form: dict[str, str], names: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """ISO dates for the date fields among `names`, and what is wrong with the others."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in names:
        iso, error = read_date(form, name)
        if error:
            errors[name] = error
        elif iso:
            values[name] = iso
    return values, errors


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
async def deadlines_page(request: Request, situation: str | None = None) -> HTMLResponse:
    """First what happened (one question), then that situation's dates."""
    if situation is not None and situation not in SITUATION_LABELS and situation != "all":
        return _page(request, "tools/deadlines.html",
                     _deadline_context("", {}, errors={"situation": "Choose what you want to check"}))
    return _page(request, "tools/deadlines.html", _deadline_context(situation or "", {}))


@router.post("/deadlines", response_class=HTMLResponse)
async def deadlines_post(request: Request) -> HTMLResponse:
    form = {k: str(v).strip() for k, v in (await request.form()).items() if str(v).strip()}
    situation = form.get("situation", "all")
    situation = situation if situation in SITUATION_LABELS else "all"
    asked = [name for name, _, _ in situation_fields(situation)]
    dates = [name for name in asked if FIELD_LABELS[name][1] == "date"]
    dated, errors = read_dates(form, dates)
    values: dict[str, Any] = dict(dated)
    values.update({name: form[name] for name in asked if name not in dates and name in form})
    if str(values.get("transfer_year", "")).isdigit():
        values["transfer_year"] = int(values["transfer_year"])
    form = with_parts(form, dates)
    if not errors:
        try:
            body = api.DeadlinesRequest.model_validate({"events": values})
        except ValidationError as exc:
            errors = field_errors(exc, {name: kind for name, (_, kind) in FIELD_LABELS.items()})
    needed = required_field(situation)
    if not errors and (not values or (needed and needed not in values)):
        first = needed or asked[0]
        label = FIELD_LABELS[first][0]
        errors = {first: f"Enter the date {label[:1].lower()}{label[1:]}" if FIELD_LABELS[first][1] == "date"
                  else "Enter at least one date"}
    if errors:
        return _page(request, "tools/deadlines.html", _deadline_context(situation, form, errors=errors), 422)
    result, problem = _call(api.deadlines, body)
    return _page(request, "tools/deadlines.html", _deadline_context(situation, form, result=result, problem=problem),
                 422 if problem else 200)


def _deadline_context(situation: str, form: dict[str, str], *, errors: dict[str, str] | None = None,
                      result: Any = None, problem: str | None = None) -> dict[str, Any]:
    errors = errors or {}
    open_groups = {heading for heading, _, fields in EVENT_GROUPS
                   if any(n in errors or any(k.startswith(n) for k in form) for n, _, _ in fields)}
    return {"situation": situation, "situations": SITUATIONS, "situation_label": SITUATION_LABELS.get(situation, ""),
            "fields": situation_fields(situation) if situation else [], "optional_hints": OPTIONAL_HINTS,
            "groups": EVENT_GROUPS, "choices": CHOICES, "form": form, "errors": errors, "result": result,
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
    dates, date_errors = read_dates(form, ["decision_date", "certificate_date"])
    form = with_parts(form, ["decision_date", "certificate_date"])
    if not form.get("decision"):
        date_errors = {"decision": "Choose what the decision was about", **date_errors}
    if date_errors:
        return _page(request, "tools/appeal.html", _appeal_context(form, errors=date_errors), 422)
    try:
        body = api.AppealRequest.model_validate({
            "decision": form["decision"], "sections": form["sections"], "decision_date": dates.get("decision_date"),
            "certificate_date": dates.get("certificate_date"), "young_person": form.get("young_person") == "yes",
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
    typed = {k: str(v).strip() for k, v in raw.items()}
    date_names = [f.name for f in spec.fields if f.kind == "date"]
    dates, errors = read_dates(typed, date_names)
    form = with_parts(typed, date_names)
    fields = {f.name: (dates.get(f.name) if f.kind == "date" else typed.get(f.name)) or None for f in spec.fields}
    wants_docx = raw.get("format") == "docx"
    if errors:
        return _page(request, "tools/letters.html", _letter_context(template, form, errors=errors), 422)
    try:
        body = api.LETTER_REQUEST.validate_python({"template": template, "fields": fields})
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
                    problem: str | None = None, errors: dict[str, str] | None = None) -> dict[str, Any]:
    specs = api.letter_templates()
    chosen = next((t for t in specs if t.id == template), None)
    options = {f.name: [(o, DEADLINE_CHOICES.get(o, o.replace("_", " ").capitalize())) for o in f.options]
               for f in (chosen.fields if chosen else [])}
    return {"specs": specs, "chosen": chosen, "form": form, "result": result, "problem": problem,
            "long_fields": _LONG_FIELDS, "options": options, "errors": errors or {}}


def install(app: FastAPI) -> None:
    """Include the tools pages and add them to the site navigation."""
    app.include_router(router)
    links = app.state.templates.env.globals["nav_links"]
    if ("/tools", "Tools") not in links:
        links.insert(1, ("/tools", "Tools"))
