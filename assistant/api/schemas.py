"""The HTTP contract of /api/chat. Later issues and outside clients rely on it: keep it stable."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, WithJsonSchema, field_validator

from assistant.models import Answer, AnswerStatus, LegalStatus, PassageKind, Persona
from assistant.storage.ownership import MAX_TOKEN_CHARS

MAX_MESSAGE_CHARS = 4000
# The limits the validator below enforces (with its own plain-English messages), stated in the schema.
# "Not only white space", spelled out so that JSON Schema (ECMAScript) and Python agree on it.
NOT_ONLY_SPACE = r"[^\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
MESSAGE_SCHEMA = {"minLength": 1, "maxLength": MAX_MESSAGE_CHARS, "pattern": NOT_ONLY_SPACE}


def has_text(value: str) -> bool:
    """True when `value` holds something other than white space (as MESSAGE_SCHEMA's pattern says)."""
    return re.search(NOT_ONLY_SPACE, value) is not None


def _whole_number(value: Any) -> Any:
    """An integer as JSON writes one (7 or 7.0), never true/false or text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be a whole number")
        return int(value)
    return value


def whole_number(*, ge: int, le: int) -> Any:
    """An integer from `ge` to `le`, written as JSON writes one (7 or 7.0), never true/false or text."""
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_whole_number)]


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
# Exactly the real dates from 2000-01-01 to 2099-12-31 (leap days included), so the schema says
# what the server accepts: a date outside that range is refused, never turned into a 500.
DAY_PATTERN = (r"^20\d\d-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)"
               r"|02-(?:0[1-9]|1\d|2[0-8]))$|^20(?:[02468][048]|[13579][26])-02-29$")


def _written_date(value: Any) -> Any:
    """A date as YYYY-MM-DD text (or a date object from Python): no numbers, no times."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()
    raise ValueError("must be a date written YYYY-MM-DD, e.g. 2026-03-03")


def _in_range(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}; got {value.isoformat()}")
    return value


Day = Annotated[date, BeforeValidator(_written_date), AfterValidator(_in_range),
                WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN})]


class ChatRequest(BaseModel):
    message: str = Field(..., description="The question, in the user's own words (up to 4,000 characters).",
                         examples=["reg 13?"], json_schema_extra=MESSAGE_SCHEMA)
    conversation_id: str | None = Field(
        default=None, max_length=64,
        description="To continue a conversation: the id a previous answer gave. Send its conversation_token too; "
        "an unknown id, or one without its token, starts a new conversation.",
    )
    conversation_token: str | None = Field(
        default=None, max_length=MAX_TOKEN_CHARS,
        description="The conversation's secret from a previous answer (or send the X-Conversation-Token header).",
    )
    persona: Persona = Persona.PARENT
    local_authority: str | None = Field(default=None, max_length=100)

    @field_validator("message")
    @classmethod
    def _message_length(cls, value: str) -> str:
        if not has_text(value):
            raise ValueError("message must not be empty")
        if len(value) > MAX_MESSAGE_CHARS:
            raise ValueError(f"message is {len(value)} characters long; the limit is {MAX_MESSAGE_CHARS}")
        return value


class CitationOut(BaseModel):
    n: int
    source: str
    ref: str
    title: str
    url: str | None
    status: LegalStatus
    passage: str
    last_checked: str | None = None
    kind: PassageKind = Field(..., description="Whose words: official (the publisher's text, ingested), summary (ours, of one provision) or explainer (our explanation, resting on `basis`).")
    label: str = Field(..., description='How the page shows it: "CoP 9.14 (official text)", "Summary of s.36(8)", "Our explanation: ...".')
    basis: list[str] = Field(default_factory=list, description="For an explainer: the provisions, cases and guidance it rests on.")
    force: str = Field("", description='The legal-force badge, which belongs to the provision: "Law", "Statutory guidance"; for our explanation the force of its basis, "based on law".')
    link_host: str | None = Field(
        None, description="A website the source named but that is not linked (not the source's own, nor on the "
        "allow-list): show it as text, never as the official document."
    )


class SignpostOut(BaseModel):
    name: str
    url: str | None = None
    phone: str | None = None


class ChatResponse(BaseModel):
    conversation_id: str
    conversation_token: str = Field(
        ..., description="The secret that continues, gives feedback on or deletes this conversation: keep it private."
    )
    status: AnswerStatus
    answer: str = Field(..., description="Markdown with citation markers like [1].")
    citations: list[CitationOut]
    signposts: list[SignpostOut]
    notices: list[str] = Field(default_factory=list, description="Things the user should know about how this answer was made.")
    engine: str = "extractive"
    lead: str = Field("", description="The direct answer on its own (plain text, no citations), when the engine gives one.")
    next_steps: list[str] = Field(default_factory=list, description="What the person can do next.")
    law: str = Field("", description="Markdown: the cited passages behind the answer, with [n] markers.")
    route: str = Field("answer", description='Where routing sent the message, e.g. "answer", "prediction", '
                       '"safeguarding/abuse", "jurisdiction/wales", "out_of_scope", "tool/deadlines".')

    @classmethod
    def from_answer(cls, answer: Answer, *, token: str) -> ChatResponse:
        return cls(
            conversation_id=answer.conversation_id,
            conversation_token=token,
            status=answer.status,
            answer=answer.text,
            citations=[
                CitationOut(**{**c.__dict__, "basis": list(c.basis)}, label=c.label, force=c.force_label)
                for c in answer.citations
            ],
            signposts=[SignpostOut(name=s.name, url=s.url, phone=s.phone) for s in answer.signposts],
            notices=answer.notices,
            engine=answer.engine,
            lead=answer.lead,
            next_steps=answer.next_steps,
            law=answer.law,
            route=answer.route,
        )


class ErrorOut(BaseModel):
    error: str = Field(..., description="A short code: rate_limited, too_large, bad_request, not_found, index_missing...")
    detail: str = Field(..., description="What went wrong, in a sentence a person can read.")


class OpenAIErrorDetail(BaseModel):
    message: str
    type: str = Field(..., description="invalid_request_error, rate_limit_error, authentication_error or server_error")
    param: str | None = None
    code: str | None = None


class OpenAIErrorOut(BaseModel):
    """Errors under /v1/, in the shape OpenAI's clients read."""

    error: OpenAIErrorDetail


class ProblemOut(BaseModel):
    field: str = Field(..., description="Where the problem is, e.g. `events.request_received`; `body` for the whole request.")
    message: str


class InvalidRequestOut(BaseModel):
    """The body of every 422 from the JSON API: what is wrong, in a sentence a person can read.

    A request that does not fit the schema also has `error` ("invalid_request") and `problems`
    (one per field); a tool refusing input the schema allows (a decision dated in the future)
    sends `detail` alone.
    """

    detail: str = Field(..., description="What is wrong, in plain words.")
    error: str | None = Field(None, description="`invalid_request` when the request does not fit the schema.")
    problems: list[ProblemOut] = Field(default_factory=list)
