"""The HTTP contract of /api/chat. Later issues and outside clients rely on it: keep it stable."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from assistant.models import Answer, AnswerStatus, LegalStatus, PassageKind, Persona

MAX_MESSAGE_CHARS = 4000


class ChatRequest(BaseModel):
    message: str = Field(..., description="The question, in the user's own words.", examples=["reg 13?"])
    conversation_id: str | None = Field(default=None, max_length=64)
    persona: Persona = Persona.PARENT
    local_authority: str | None = Field(default=None, max_length=100)

    @field_validator("message")
    @classmethod
    def _message_length(cls, value: str) -> str:
        if not value.strip():
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


class SignpostOut(BaseModel):
    name: str
    url: str | None = None
    phone: str | None = None


class ChatResponse(BaseModel):
    conversation_id: str
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
    def from_answer(cls, answer: Answer) -> ChatResponse:
        return cls(
            conversation_id=answer.conversation_id,
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
    error: str
    detail: str


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
