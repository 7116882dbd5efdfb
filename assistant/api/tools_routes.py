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
from typing import Annotated, Any, Literal, Union

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, TypeAdapter, create_model

from assistant.api.schemas import Day, InvalidRequestOut, whole_number
from assistant.errors import InvalidInput
from assistant.models import LegalStatus, PassageKind, passage_label
from assistant.tools.appeal_table import DecisionType
from assistant.tools.appeals import AppealQuery, route_for
from assistant.tools.events import KnownEvents, OrderType, TransferKind, UnopposedType
from assistant.tools.law import Cite
from assistant.tools.lateness import check_late
from assistant.tools.letter_specs import LetterField, LetterSpec
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

    model_config = ConfigDict(extra="forbid", json_schema_extra={"dependentRequired": {
        "tribunal_order": ["order_type"], "order_type": ["tribunal_order"],
        "la_not_opposing": ["unopposed_type"], "unopposed_type": ["la_not_opposing"]}})
    request_received: Day | None = None
    assessment_decision: Day | None = None
    advice_requested: Day | None = None
    draft_plan_served: Day | None = None
    final_plan_issued: Day | None = None
    decision_notice: Day | None = Field(None, description="Date written notice of an appealable decision was sent")
    plan_made: Day | None = None
    last_review: Day | None = None
    review_meeting: Day | None = Field(None, description="May be a planned meeting in the future")
    review_decision: Day | None = None
    amendment_notice: Day | None = None
    amended_plan_issued: Day | None = None
    transfer_year: whole_number(ge=2014, le=2099) | None = Field(  # type: ignore[valid-type]
        None, description="The year of a move between schools")
    transfer_kind: TransferKind = TransferKind.SCHOOL
    post16_transfer_date: Day | None = None
    mediation_declined: Day | None = None
    mediation_requested: Day | None = None
    mediation_held: Day | None = None
    mediation_agreement: Day | None = None
    certificate_issued: Day | None = None
    cease_notice: Day | None = None
    tribunal_order: Day = Field(None, description="Give it together with order_type")  # type: ignore[assignment]
    order_type: OrderType = Field(None, description="Give it together with tribunal_order")  # type: ignore[assignment]
    la_not_opposing: Day = Field(None, description="Give it together with unopposed_type")  # type: ignore[assignment]
    unopposed_type: UnopposedType = Field(None, description="Give it together with la_not_opposing")  # type: ignore[assignment]
    discrimination_conduct: Day | None = None


class DeadlinesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: EventsIn = Field(default_factory=EventsIn)
    today: Day | None = Field(None, description="Defaults to the server's date")


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
    # Sections (B, F, I) belong to a decision about the plan's contents only.
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "if": {"properties": {"decision": {"not": {"const": "plan_contents"}}}, "required": ["decision"]},
        "then": {"properties": {"sections": {"maxItems": 0}}}})
    decision: DecisionType
    sections: list[Literal["B", "F", "I"]] = Field(
        default_factory=list, max_length=3, description="For plan_contents only: any of B, F, I"
    )
    decision_date: Day | None = Field(None, description="Date the decision was sent (conduct date for discrimination)")
    certificate_date: Day | None = None
    young_person: StrictBool = False
    today: Day | None = None


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


MAX_LETTER_FIELD_CHARS = 5000


def _letter_field(spec_field: LetterField) -> tuple[Any, Any]:
    if spec_field.kind == "date":
        kind: Any = Day
    elif spec_field.kind == "choice":
        kind = Literal[spec_field.options]  # type: ignore[valid-type]
    else:
        kind = Annotated[str, Field(max_length=MAX_LETTER_FIELD_CHARS)]
    return kind | None, Field(None, description=spec_field.placeholder)


def _letter_model(spec: LetterSpec) -> type[BaseModel]:
    """The request for one template: its own fields, and no others."""
    name = "".join(part.title() for part in spec.id.split("_"))
    fields = create_model(f"{name}Fields", __config__=ConfigDict(extra="forbid"),
                          **{f.name: _letter_field(f) for f in spec.fields})  # type: ignore[call-overload]
    return create_model(  # type: ignore[call-overload, no-any-return]
        f"{name}Letter", __config__=ConfigDict(extra="forbid"), __doc__=spec.title,
        template=(Literal[spec.id], ...),  # type: ignore[valid-type]
        fields=(fields, Field(default_factory=fields)),
        today=(Day | None, None),
    )


_LETTER_MODELS = tuple(_letter_model(spec) for spec in list_templates())
LetterRequest = Annotated[Union[_LETTER_MODELS], Field(discriminator="template")]  # type: ignore[valid-type]  # noqa: UP007
LETTER_REQUEST: TypeAdapter[Any] = TypeAdapter(LetterRequest)


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
        fields = body.fields.model_dump(exclude_none=True)
        rendered = render_letter(body.template, fields, today=body.today or date.today())
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
