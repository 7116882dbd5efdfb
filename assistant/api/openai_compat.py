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

- the last user message is the question (at least one message must be the user's);
- earlier user messages are replayed (screened, not answered) into a fresh conversation, so
  "and how long do they have?" is understood; or pass ``conversation_id`` and its
  ``conversation_token`` (in the body, in ``metadata``, or the token as the
  ``X-Conversation-Token`` header) to continue a stored conversation, and nothing is replayed.
  An unknown id, or an id without its token, starts a new conversation, as on /api/chat;
- system and assistant messages are ignored: the assistant's rules are not the client's to change;
- ``model`` is echoed; ``persona`` and ``local_authority`` are optional extra body fields.

The reply is Markdown with each citation as a footnote
(``[^1]: Summary of SEND Regs 2014 reg 5(1) — title — url``: the label says whose words it is), plus extra fields ``send_status``,
``send_conversation_id``, ``send_conversation_token``, ``send_engine`` and ``send_citations``.
With ``stream: true`` the same answer arrives as server-sent ``data: {...}`` chunks, ending
with ``data: [DONE]``. Errors come in OpenAI's shape (``{"error": {"message", "type", "param",
"code"}}``), so the ``openai`` client shows the reason.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from assistant.api import access
from assistant.api.chat import log_question
from assistant.api.deps import ServicesDep
from assistant.api.schemas import MAX_MESSAGE_CHARS, MESSAGE_SCHEMA, OpenAIErrorOut, has_text
from assistant.models import Answer, AnswerStatus, PassageKind, Persona, Turn
from assistant.services import Services
from assistant.sources import format_citation
from assistant.storage.ownership import MAX_TOKEN_CHARS, Grant, holds, start

router = APIRouter(prefix="/v1", tags=["openai-compatible"])

MODEL_ID = "send-assistant"
REPLAY_LIMIT = 6
_MARKER = re.compile(r"\[(\d{1,2})\]")


class TextPart(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: Literal["text"] = "text"
    text: str = Field(..., json_schema_extra=MESSAGE_SCHEMA)

    @field_validator("text")
    @classmethod
    def _some_text(cls, value: str) -> str:
        return _question_text(value)


def _question_text(value: str) -> str:
    if not has_text(value):
        raise ValueError("a user message must not be empty")
    if len(value) > MAX_MESSAGE_CHARS:
        raise ValueError(f"a user message is {len(value)} characters long; the limit is {MAX_MESSAGE_CHARS}")
    return value


class UserMessage(BaseModel):
    """A message from the user: its text (a string, or text parts) is a question, up to 4,000 characters."""

    model_config = ConfigDict(extra="ignore")
    role: Literal["user"]
    content: Annotated[str, Field(json_schema_extra=MESSAGE_SCHEMA)] | Annotated[
        list[TextPart], Field(min_length=1, max_length=16)]

    @field_validator("content")
    @classmethod
    def _a_question(cls, value: str | list[TextPart]) -> str | list[TextPart]:
        if isinstance(value, str):
            return _question_text(value)
        _question_text(" ".join(part.text for part in value))
        return value

    @property
    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(part.text for part in self.content)
        return self.content


class OtherMessage(BaseModel):
    """A system, developer, assistant or tool message: accepted, and ignored."""

    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "developer", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None

    @property
    def text(self) -> str:
        return ""


ChatMessage = Annotated[UserMessage | OtherMessage, Field(discriminator="role")]


class ChatCompletionRequest(BaseModel):
    """The fields of an OpenAI chat completion request that mean something here; others are ignored."""

    model_config = ConfigDict(extra="ignore")
    model: str = Field(MODEL_ID, max_length=200)
    messages: list[ChatMessage] = Field(
        ..., min_length=1, max_length=200, json_schema_extra={"contains": {"required": ["role"], "properties": {
            "role": {"const": "user"}}}},
        description="The conversation so far; the last user message is the question.",
    )
    stream: StrictBool = False
    metadata: dict[str, Annotated[str, Field(max_length=512)]] | None = Field(
        default=None, max_length=16, description="May carry conversation_id and conversation_token",
    )
    conversation_id: str | None = Field(default=None, max_length=64)
    conversation_token: str | None = Field(default=None, max_length=MAX_TOKEN_CHARS)
    persona: Persona = Persona.PARENT
    local_authority: str | None = Field(default=None, max_length=100)

    @field_validator("messages")
    @classmethod
    def _has_a_question(cls, value: list[UserMessage | OtherMessage]) -> list[UserMessage | OtherMessage]:
        if not any(isinstance(m, UserMessage) for m in value):
            raise ValueError("at least one message must be the user's question (role 'user')")
        return value

    @property
    def user_texts(self) -> list[str]:
        return [m.text for m in self.messages if isinstance(m, UserMessage)]

    @property
    def question(self) -> str:
        return self.user_texts[-1]

    @property
    def earlier_questions(self) -> list[str]:
        return [text for text in self.user_texts[:-1] if text.strip()][-REPLAY_LIMIT:]

    @property
    def given_conversation_id(self) -> str | None:
        return self.conversation_id or (self.metadata or {}).get("conversation_id") or None

    @property
    def given_token(self) -> str | None:
        return self.conversation_token or (self.metadata or {}).get("conversation_token") or None


def ask(services: Services, request: ChatCompletionRequest, *, token: str | None) -> tuple[Answer, Grant]:
    """Continue the caller's own conversation (proved by `token`), or start one and replay the
    earlier user messages into it."""
    pipeline = services.ensure_ready()
    log_question(services, request.question)
    cid = request.given_conversation_id
    if cid and holds(services.conversations, cid, token):
        assert token is not None
        grant = Grant(cid, token, new=False)
    else:
        grant = start(services.conversations)
        replay(services, grant.conversation_id, request.earlier_questions)
    answer = pipeline.answer(
        request.question,
        persona=request.persona,
        local_authority=request.local_authority or services.settings.default_local_authority,
        conversation_id=grant.conversation_id,
    )
    return answer, grant


def replay(services: Services, conversation_id: str, questions: list[str]) -> None:
    """Store earlier questions as turns, screened the way the pipeline screens them."""
    assert services.pipeline is not None
    for question in questions:
        log_question(services, question)
        screened = services.pipeline.screen(question)
        status = screened.verdict.status if screened.verdict is not None else AnswerStatus.ANSWERED
        services.conversations.append(conversation_id, Turn(question=question, query=screened.text, status=status.value))


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
    [^1]: SEND Regs 2014 reg 5(1) (official text) — Decision — https://x
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


def _extras(answer: Answer, grant: Grant) -> dict[str, Any]:
    return {
        "send_status": answer.status.value,
        "send_conversation_id": grant.conversation_id,
        "send_conversation_token": grant.token,
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
    responses={
        200: {"content": {"application/json": {}, "text/event-stream": {}},
              "description": "A chat.completion, or with stream: true, chat.completion.chunk events then [DONE]"},
        503: {"model": OpenAIErrorOut, "description": "No search index, or the vector store is not answering"},
    },
)
async def chat_completions(body: ChatCompletionRequest, request: Request, services: ServicesDep) -> Any:
    token = access.presented_token(request, body.given_conversation_id, body.given_token)
    answer, grant = await run_in_threadpool(lambda: ask(services, body, token=token))
    content = to_markdown(answer)
    head = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": body.model}
    if body.stream:
        return StreamingResponse(_events(head, content, answer, grant), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})
    return {
        **head,
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        **_extras(answer, grant),
    }


def _events(head: dict[str, Any], content: str, answer: Answer, grant: Grant) -> Iterator[str]:
    """Server-sent events: a role chunk, the content line by line, a stop chunk, then [DONE]."""
    extras = _extras(answer, grant)

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
