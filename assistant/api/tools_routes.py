"""HTTP routes for the deterministic tools: deadlines, appeal routes and letters.

A thin shell: pydantic models in and out, one core call per route, and `InvalidInput`
turned into 422 {"detail": "..."}: the same `InvalidRequestOut` as a request that does not fit
the schema, without its `error` and `problems`. The tools pages call these functions too and
read a refusal from the HTTPException. The app includes `router` in `create_app`.

    curl -X POST localhost:8000/api/deadlines -H 'content-type: application/json' \
         -d '{"events": {"request_received": "2026-03-03"}, "today": "2026-11-23"}'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.schemas import InvalidRequestOut
from assistant.errors import InvalidInput
from assistant.models import LegalStatus, PassageKind, passage_label
from assistant.tools.appeal_table import DecisionType
from assistant.tools.appeals import AppealQuery, route_for
from assistant.tools.events import KnownEvents, OrderType, TransferKind, UnopposedType
from assistant.tools.law import Cite
from assistant.tools.lateness import check_late
from assistant.tools.letters import DOCX_MEDIA_TYPE, list_templates, render_letter, to_docx

router = APIRouter(prefix="/api", tags=["tools"])
INVALID: dict[int | str, dict[str, Any]] = {422: {"model": InvalidRequestOut, "description": "Invalid or impossible input"}}


class CitationOut(BaseModel):
    source: str
    ref: str
    title: str
    url: str | None
    status: LegalStatus
    summary: str
    kind: PassageKind = Field(PassageKind.SUMMARY, description="Always `summary`: the tool's plain-English summary of the provision, not its text.")
    label: str = Field("", description='How the page shows it: "Summary of SEND Regs 2014 reg 5(1)".')


def _cites(cites: Iterable[Cite]) -> list[CitationOut]:
    return [CitationOut(source=c.source, ref=c.ref, title=c.label, url=c.url, status=c.status, summary=c.summary,
                        label=passage_label(PassageKind.SUMMARY, c.source, c.ref, c.label))
            for c in dict.fromkeys(cites)]


class EventsIn(BaseModel):
    """Dates you know (YYYY-MM-DD). Every field is optional."""

    model_config = ConfigDict(extra="forbid")
    request_received: date | None = None
    assessment_decision: date | None = None
    advice_requested: date | None = None
    draft_plan_served: date | None = None
    final_plan_issued: date | None = None
    decision_notice: date | None = Field(None, description="Date written notice of an appealable decision was sent")
    plan_made: date | None = None
    last_review: date | None = None
    review_meeting: date | None = Field(None, description="May be a planned meeting in the future")
    review_decision: date | None = None
    amendment_notice: date | None = None
    amended_plan_issued: date | None = None
    transfer_year: int | None = None
    transfer_kind: TransferKind = TransferKind.SCHOOL
    post16_transfer_date: date | None = None
    mediation_declined: date | None = None
    mediation_requested: date | None = None
    mediation_held: date | None = None
    mediation_agreement: date | None = None
    certificate_issued: date | None = None
    cease_notice: date | None = None
    tribunal_order: date | None = None
    order_type: OrderType | None = None
    la_not_opposing: date | None = None
    unopposed_type: UnopposedType | None = None
    discrimination_conduct: date | None = None


class DeadlinesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: EventsIn = Field(default_factory=EventsIn)
    today: date | None = Field(None, description="Defaults to the server's date")


class DeadlineOut(BaseModel):
    key: str
    date: date
    action: str
    actor: str
    basis: str
    status: LegalStatus
    hard_limit: bool
    exceptions: str | None
    state: str
    citations: list[CitationOut]


class RemedyOut(BaseModel):
    key: str
    action: str
    by: date | None
    letter: str | None
    citations: list[CitationOut]


class DeadlinesResponse(BaseModel):
    today: date
    deadlines: list[DeadlineOut]
    council_late: bool
    overdue: list[str]
    remedies: list[RemedyOut]


class AppealRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: DecisionType
    sections: list[str] = Field(default_factory=list, description="For plan_contents: any of B, F, I")
    decision_date: date | None = Field(None, description="Date the decision was sent (conduct date for discrimination)")
    certificate_date: date | None = None
    young_person: bool = False
    today: date | None = None


class StepOut(BaseModel):
    text: str
    citations: list[CitationOut]


class AppealResponse(BaseModel):
    decision: DecisionType
    summary: str
    routes: list[str]
    tribunal: bool
    mediation_required: bool
    mediation_note: str
    right_holder: str
    deadline: date | None
    deadline_basis: str
    steps: list[StepOut]
    citations: list[CitationOut]


class LetterRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    template: str
    fields: dict[str, str | None] = Field(default_factory=dict)
    today: date | None = None


class LetterResponse(BaseModel):
    template: str
    title: str
    draft: bool
    text: str
    missing: list[str]
    citations: list[CitationOut]


class LetterFieldOut(BaseModel):
    name: str
    placeholder: str
    kind: Literal["text", "date", "choice"]
    options: list[str]


class LetterTemplateOut(BaseModel):
    id: str
    title: str
    audience: str
    draft: bool
    fields: list[LetterFieldOut]
    citations: list[CitationOut]


def _invalid(exc: InvalidInput) -> HTTPException:
    """422 with the tool's own sentence ("a decision dated in the future", ...) as the detail."""
    return HTTPException(status_code=422, detail=str(exc))


@router.post("/deadlines", response_model=DeadlinesResponse, responses=INVALID)
def deadlines(body: DeadlinesRequest) -> DeadlinesResponse:
    """Every statutory deadline that follows from the events given, and whether the council is late."""
    today = body.today or date.today()
    events = KnownEvents(**body.events.model_dump())
    try:
        report = check_late(events, today=today)
    except InvalidInput as exc:
        raise _invalid(exc) from None
    return DeadlinesResponse(
        today=today,
        deadlines=[DeadlineOut(
            key=t.deadline.key, date=t.deadline.date, action=t.deadline.action, actor=t.deadline.actor.value,
            basis=t.deadline.basis, status=t.deadline.status, hard_limit=t.deadline.hard_limit,
            exceptions=t.deadline.exceptions, state=t.state.value, citations=_cites(t.deadline.cites),
        ) for t in report.tracked],
        council_late=report.is_late,
        overdue=[d.key for d in report.overdue],
        remedies=[RemedyOut(key=r.key, action=r.action, by=r.by, letter=r.letter, citations=_cites(r.cites))
                  for r in report.remedies],
    )


@router.post("/appeal-route", response_model=AppealResponse, responses=INVALID)
def appeal_route(body: AppealRequest) -> AppealResponse:
    """Can this decision be appealed, how, by whom, with or without mediation, and by when?"""
    query = AppealQuery(decision=body.decision, sections=frozenset(body.sections),
                        decision_date=body.decision_date, certificate_date=body.certificate_date,
                        young_person=body.young_person)
    try:
        route = route_for(query, today=body.today or date.today())
    except InvalidInput as exc:
        raise _invalid(exc) from None
    return AppealResponse(
        decision=route.decision, summary=route.summary, routes=[r.value for r in route.routes],
        tribunal=route.tribunal, mediation_required=route.mediation_required, mediation_note=route.mediation_note,
        right_holder=route.right_holder, deadline=route.deadline, deadline_basis=route.deadline_basis,
        steps=[StepOut(text=s.text, citations=_cites(s.cites)) for s in route.steps],
        citations=_cites(route.cites),
    )


@router.get("/letters", response_model=list[LetterTemplateOut])
def letter_templates() -> list[LetterTemplateOut]:
    """The letter templates and the fields each one asks for."""
    return [LetterTemplateOut(
        id=spec.id, title=spec.title, audience=spec.audience, draft=spec.draft,
        fields=[LetterFieldOut(name=f.name, placeholder=f.placeholder, kind=f.kind, options=list(f.options))  # type: ignore[arg-type]
                for f in spec.fields],
        citations=_cites(spec.cites),
    ) for spec in list_templates()]


@router.post("/letters", response_model=LetterResponse,
             responses={200: {"content": {DOCX_MEDIA_TYPE: {}}, "description": "The letter as JSON or .docx"}, **INVALID})
def letter(body: LetterRequest, request: Request,
           format: Literal["json", "docx"] | None = Query(None, description="docx returns a Word file")) -> Any:
    """Fill a letter template; `?format=docx` or `Accept: <docx type>` returns a .docx file."""
    try:
        rendered = render_letter(body.template, body.fields, today=body.today or date.today())
    except InvalidInput as exc:
        raise _invalid(exc) from None
    wants_docx = format == "docx" or (format is None and DOCX_MEDIA_TYPE in request.headers.get("accept", ""))
    if wants_docx:
        return Response(
            content=to_docx(rendered), media_type=DOCX_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{rendered.template}.docx"'},
        )
    return LetterResponse(template=rendered.template, title=rendered.title, draft=rendered.draft,
                          text=rendered.text, missing=rendered.missing, citations=_cites(rendered.cites))
