"""An OpenAI-compatible face on the same pipeline: POST /v1/chat/completions, GET /v1/models.

Any OpenAI client or chat front end can ask SEND Assistant questions:

    >>> from openai import OpenAI                                                    # doctest: +SKIP
    >>> client = OpenAI(base_url="http://127.0.0.1:8000/v1", api_key="unused")       # doctest: +SKIP
    >>> reply = client.chat.completions.create(
    ...     model="send-assistant", messages=[{"role": "user", "content": "reg 13?"}],
    ...     extra_body={"persona": "adviser", "local_authority": "Demoshire"})      # doctest: +SKIP
    >>> reply.send_status                                                            # doctest: +SKIP
    'answered'

How a request maps onto the pipeline:

- the last message must be the user's: it is the question;
- earlier user messages are replayed (screened, not answered) into a fresh conversation, so
  "and how long do they have?" is understood; or pass ``conversation_id`` (in the body or in
  ``metadata``) to continue a stored conversation, and nothing is replayed;
- system and assistant messages are ignored: the assistant's rules are not the client's to change;
- ``model`` is echoed; ``persona`` and ``local_authority`` are optional extra body fields.

The reply is Markdown with each citation as a footnote
(``[^1]: SEND Regulations 2014, reg 5(1) — title — url``), plus extra fields ``send_status``,
``send_conversation_id``, ``send_engine`` and ``send_citations``. With ``stream: true`` the same
answer arrives as server-sent ``data: {...}`` chunks, ending with ``data: [DONE]``.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.api.deps import ServicesDep
from assistant.api.schemas import MAX_MESSAGE_CHARS, ErrorOut, InvalidRequestOut
from assistant.conversations import Turn
from assistant.models import Answer, AnswerStatus, PassageKind, Persona
from assistant.services import Services
from assistant.sources import format_citation

router = APIRouter(prefix="/v1", tags=["openai-compatible"])

MODEL_ID = "send-assistant"
REPLAY_LIMIT = 6
_MARKER = re.compile(r"\[(\d{1,2})\]")


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: str = "text"
    text: str = ""


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: str
    content: str | list[ContentPart] | None = None

    @property
    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(part.text for part in self.content if part.type == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    """The fields of an OpenAI chat completion request that mean something here; others are ignored."""

    model_config = ConfigDict(extra="ignore")
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(..., min_length=1)
    stream: bool = False
    metadata: dict[str, str] | None = None
    conversation_id: str | None = Field(default=None, max_length=64)
    persona: Persona = Persona.PARENT
    local_authority: str | None = Field(default=None, max_length=100)

    @field_validator("messages")
    @classmethod
    def _ends_with_a_question(cls, value: list[ChatMessage]) -> list[ChatMessage]:
        last = value[-1]
        if last.role != "user":
            raise ValueError(f"the last message must be the user's question, got role {last.role!r}")
        if not last.text.strip():
            raise ValueError("the last user message must not be empty")
        if len(last.text) > MAX_MESSAGE_CHARS:
            raise ValueError(f"the last user message is {len(last.text)} characters long; the limit is {MAX_MESSAGE_CHARS}")
        return value

    @property
    def question(self) -> str:
        return self.messages[-1].text

    @property
    def earlier_questions(self) -> list[str]:
        return [m.text for m in self.messages[:-1] if m.role == "user" and m.text.strip()][-REPLAY_LIMIT:]

    @property
    def given_conversation_id(self) -> str | None:
        return self.conversation_id or (self.metadata or {}).get("conversation_id") or None


def ask(services: Services, request: ChatCompletionRequest) -> Answer:
    pipeline = services.ensure_ready()
    cid = request.given_conversation_id
    if cid is None:
        cid = uuid.uuid4().hex
        replay(services, cid, request.earlier_questions)
    return pipeline.answer(
        request.question,
        persona=request.persona,
        local_authority=request.local_authority or services.settings.default_local_authority,
        conversation_id=cid,
    )


def replay(services: Services, conversation_id: str, questions: list[str]) -> None:
    """Store earlier questions as turns, screened the way the pipeline screens them."""
    assert services.pipeline is not None
    history: list[str] = []
    for question in questions:
        screened = services.pipeline.screen(question, history=history)
        status = screened.verdict.status if screened.verdict is not None else AnswerStatus.ANSWERED
        services.conversations.append(conversation_id, Turn(question=question, query=screened.text, status=status.value))
        history.append(question)


def to_markdown(answer: Answer) -> str:
    """The answer with [n] markers as footnotes, its sources as footnote definitions, and help.

    >>> from assistant.models import Citation, LegalStatus, Signpost
    >>> c = Citation(1, "SEND Regulations 2014", "reg 5(1)", "Decision", "https://x", LegalStatus.LAW, "...")
    >>> a = Answer(AnswerStatus.ANSWERED, "Within 6 weeks. [1]\\n\\n**Sources**\\n[1] ...", [c],
    ...            [Signpost("IPSEA", "https://www.ipsea.org.uk")])
    >>> print(to_markdown(a))
    Within 6 weeks. [^1]
    <BLANKLINE>
    **Help and advice**
    - IPSEA — https://www.ipsea.org.uk
    <BLANKLINE>
    [^1]: SEND Regulations 2014, reg 5(1) — Decision — https://x
    """
    count = len(answer.citations)
    blocks = [b for b in answer.text.split("\n\n") if not b.startswith("**Sources**")]
    body = _MARKER.sub(lambda m: f"[^{m.group(1)}]" if 1 <= int(m.group(1)) <= count else m.group(0), "\n\n".join(blocks))
    parts = [body]
    if answer.notices:
        parts.append("\n".join(f"_{notice}_" for notice in answer.notices))
    helps = [s for s in answer.signposts if s.name not in body and not (s.phone and s.phone in body)]
    if helps:
        lines = [" — ".join(x for x in (s.name, s.phone, s.url) if x) for s in helps]
        parts.append("**Help and advice**\n" + "\n".join(f"- {line}" for line in lines))
    if answer.citations:
        notes = [
            f"[^{c.n}]: " + " — ".join(x for x in (c.label, None if c.kind is PassageKind.EXPLAINER else c.title, c.url) if x)
            for c in answer.citations
        ]
        parts.append("\n".join(notes))
    return "\n\n".join(parts)


def _extras(answer: Answer) -> dict[str, Any]:
    return {
        "send_status": answer.status.value,
        "send_conversation_id": answer.conversation_id,
        "send_engine": answer.engine,
        "send_citations": [
            {"n": c.n, "citation": format_citation(c.source, c.ref), "kind": c.kind.value, "label": c.label,
             "title": c.title, "url": c.url, "status": c.status.value, "basis": list(c.basis)}
            for c in answer.citations
        ],
    }


@router.post(
    "/chat/completions",
    summary="OpenAI-compatible chat completion (plain or streamed)",
    responses={422: {"model": InvalidRequestOut, "description": "Invalid request"}, 503: {"model": ErrorOut}},
)
async def chat_completions(request: ChatCompletionRequest, services: ServicesDep) -> Any:
    answer = await run_in_threadpool(ask, services, request)
    content = to_markdown(answer)
    head = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": request.model}
    if request.stream:
        return StreamingResponse(_events(head, content, answer), media_type="text/event-stream")
    return {
        **head,
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        **_extras(answer),
    }


def _events(head: dict[str, Any], content: str, answer: Answer) -> Iterator[str]:
    """Server-sent events: a role chunk, the content line by line, a stop chunk, then [DONE]."""
    extras = _extras(answer)

    def event(delta: dict[str, str], finish: str | None = None) -> str:
        chunk = {**head, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extras}
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    for piece in content.splitlines(keepends=True):
        yield event({"content": piece})
    yield event({}, "stop")
    yield "data: [DONE]\n\n"


@router.get("/models", summary="The one model this server offers")
async def models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "send-assistant"}]}
