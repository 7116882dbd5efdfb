"""Feedback on an answer: POST /api/feedback (JSON) and POST /feedback (the form without JavaScript).

The question is stored with the feedback only when the user ticked "You can keep my question
to improve the service", and then only as the conversation store already holds it (redacted).
The client never sends the question text: the turn number points at it. Only the holder of
the conversation's token can attach feedback to it (an unknown or foreign id is a 404).

    curl -X POST localhost:8000/api/feedback -H 'content-type: application/json' \
         -d '{"conversation_id": "…", "conversation_token": "…", "helpful": false, "reasons": ["hard_to_understand"]}'
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from assistant.api import access
from assistant.api.access import NOT_FOUND, ConversationNotFound
from assistant.api.deps import ServicesDep
from assistant.api.pages import LAYOUTS, chat_context, render_chat, transcripts, with_feedback
from assistant.api.rendering import FEEDBACK_REASONS
from assistant.api.schemas import ErrorOut, whole_number
from assistant.models import Feedback
from assistant.services import Services
from assistant.storage.ownership import MAX_TOKEN_CHARS, holds

router = APIRouter(tags=["feedback"])

Reason = Literal["not_answered", "hard_to_understand", "looks_wrong", "sources_not_helpful"]
MAX_COMMENT_CHARS = 500
_MAX_HISTORY = 1000


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    conversation_id: str = Field(..., min_length=1, max_length=64)
    conversation_token: str | None = Field(
        None, max_length=MAX_TOKEN_CHARS,
        description="The conversation's secret (or the X-Conversation-Token header, or the page's cookie)",
    )
    helpful: StrictBool
    turn: whole_number(ge=1, le=_MAX_HISTORY) | None = Field(  # type: ignore[valid-type]
        None, description="Which answer in the conversation (1 is the first); default: the latest"
    )
    reasons: list[Reason] = Field(default_factory=list, max_length=len(FEEDBACK_REASONS))
    comment: str = Field("", max_length=MAX_COMMENT_CHARS, description="A short note; names are redacted before storing")
    keep_question: StrictBool = Field(
        False, description="The user agreed that their (redacted) question is kept with the feedback"
    )


class FeedbackCreated(BaseModel):
    id: str


def store_feedback(services: Services, body: FeedbackIn, *, token: str | None) -> str:
    """Store the feedback; the question goes with it only when `keep_question` is true."""
    if not holds(services.conversations, body.conversation_id, token):
        raise ConversationNotFound(body.conversation_id)
    # Without the question, only whether the conversation exists matters: one row is enough.
    history = services.conversations.history(body.conversation_id, limit=_MAX_HISTORY if body.keep_question else 1)
    if not history:
        raise ConversationNotFound(body.conversation_id)
    question = None
    if body.keep_question:
        index = (body.turn or len(history)) - 1
        question = history[min(index, len(history) - 1)].question or None
    reasons: list[str] = list(dict.fromkeys(body.reasons))
    if body.comment.strip():
        reasons.append(f"comment: {body.comment.strip()}")
    return services.conversations.add_feedback(
        Feedback(conversation_id=body.conversation_id, helpful=body.helpful, reasons="; ".join(reasons), message_text=question)
    )


@router.post(
    "/api/feedback",
    status_code=201,
    operation_id="give_feedback",
    response_model=FeedbackCreated,
    responses={404: {"model": ErrorOut, "description": "No such conversation, or not yours (the token does not match)"}},
    summary="Say whether an answer helped",
)
async def feedback_api(body: FeedbackIn, request: Request, services: ServicesDep) -> FeedbackCreated:
    token = access.presented_token(request, body.conversation_id, body.conversation_token)
    feedback_id = await run_in_threadpool(lambda: store_feedback(services, body, token=token))
    return FeedbackCreated(id=feedback_id)


@router.post("/feedback", response_class=HTMLResponse, include_in_schema=False)
async def feedback_form(
    request: Request,
    services: ServicesDep,
    conversation_id: Annotated[str, Form()] = "",
    conversation_token: Annotated[str, Form()] = "",
    turn: Annotated[int, Form()] = 0,
    helpful: Annotated[str, Form()] = "",
    reasons: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    comment: Annotated[str, Form()] = "",
    keep_question: Annotated[str, Form()] = "",
    layout: Annotated[str, Form()] = "full",
    colour: Annotated[str, Form()] = "",
    persona: Annotated[str, Form()] = "parent",
    local_authority: Annotated[str, Form()] = "",
    fixed_local_authority: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """The feedback form without JavaScript: store it, then show the conversation again with thanks."""
    layout = layout if layout in LAYOUTS else "full"
    cid = conversation_id.strip()[:64]
    token = access.presented_token(request, cid, conversation_token.strip())
    owned = await run_in_threadpool(holds, services.conversations, cid, token)
    turns = transcripts(request).get(cid) if owned else []
    number = turn if turn >= 1 else (turns[-1].number if turns else 1)
    base = {
        "layout": layout, "colour": colour, "persona": persona,
        "local_authority": local_authority[:100], "fixed_local_authority": fixed_local_authority[:100],
        **({"conversation_id": cid, "conversation_token": token or ""} if owned else {}),
    }
    if helpful not in ("yes", "no"):
        shown = any(t.number == number for t in turns)
        context = chat_context(
            services, **base, turns=with_feedback(turns, number, error="Choose yes or no"),
            problem=f"To send feedback, choose yes or no under answer {number}.",
            problem_link=f"#t{number}-fb-yes" if shown else None,
        )
        return render_chat(request, context, status_code=422)
    body = FeedbackIn(
        conversation_id=cid or "-", helpful=helpful == "yes", turn=min(number, _MAX_HISTORY),
        reasons=[r for r in reasons if r in FEEDBACK_REASONS],  # type: ignore[misc]
        comment=comment[:MAX_COMMENT_CHARS], keep_question=keep_question == "yes",
    )
    try:
        await run_in_threadpool(lambda: store_feedback(services, body, token=token))
    except ConversationNotFound:
        return render_chat(request, chat_context(services, **base, turns=turns, problem=NOT_FOUND), status_code=404)
    context = chat_context(services, **base, turns=with_feedback(turns, number, sent=True))
    return render_chat(request, context)
