"""POST /api/chat, DELETE /api/conversations/{id} and GET /api/health: thin translations
between HTTP and the pipeline.

A conversation is continued only by whoever holds its token (`assistant.api.access`); any
other id starts a new conversation, so a client never chooses or borrows an id.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.concurrency import run_in_threadpool

from assistant.api import access
from assistant.api.deps import ServicesDep
from assistant.api.schemas import ChatRequest, ChatResponse, ErrorOut
from assistant.models import Answer
from assistant.services import Services
from assistant.storage.ownership import MAX_TOKEN_CHARS, Grant, open_conversation

router = APIRouter(prefix="/api", tags=["chat"])
log = logging.getLogger("assistant.api")


def log_question(services: Services, text: str) -> None:
    """With SEND_ASSISTANT_LOG_MESSAGE_TEXT=true, log the question (the log filter redacts it)."""
    if services.settings.log_message_text:
        log.info("question received", extra={"message_text": text})


def ask(
    services: Services,
    request: ChatRequest,
    *,
    token: str | None,
    on_text: Callable[[str], None] | None = None,
) -> tuple[Answer, Grant]:
    """Answer in the caller's own conversation (proved by `token`), or in a new one; `on_text`
    (for a generator that streams) gets the text as it is written."""
    pipeline = services.ensure_ready()
    log_question(services, request.message)
    grant = open_conversation(services.conversations, request.conversation_id, token)
    extra = {"on_text": on_text} if on_text is not None else {}
    answer = pipeline.answer(
        request.message,
        persona=request.persona,
        local_authority=request.local_authority or services.settings.default_local_authority,
        conversation_id=grant.conversation_id,
        **extra,
    )
    return answer, grant


# What a client (or a fuzzer following links) can do next with an answer's id and token.
_NEXT = {
    "ContinueConversation": {"operationId": "chat", "requestBody": {
        "message": "and what happens next?", "conversation_id": "$response.body#/conversation_id",
        "conversation_token": "$response.body#/conversation_token"}},
    "GiveFeedback": {"operationId": "give_feedback", "requestBody": {
        "conversation_id": "$response.body#/conversation_id", "conversation_token": "$response.body#/conversation_token",
        "helpful": True}},
    "DeleteConversation": {"operationId": "delete_conversation", "parameters": {
        "path.conversation_id": "$response.body#/conversation_id",
        "header.X-Conversation-Token": "$response.body#/conversation_token"}},
}


@router.post(
    "/chat",
    operation_id="chat",
    response_model=ChatResponse,
    responses={200: {"links": _NEXT},
               503: {"model": ErrorOut, "description": "No search index, or the vector store is not answering"}},
    summary="Ask a question; get a cited answer",
)
async def chat(body: ChatRequest, request: Request, services: ServicesDep) -> ChatResponse:
    token = access.presented_token(request, body.conversation_id, body.conversation_token)
    answer, grant = await run_in_threadpool(lambda: ask(services, body, token=token))
    return ChatResponse.from_answer(answer, token=grant.token)


@router.get("/health", summary="Is the assistant ready to answer?")
async def health(services: ServicesDep) -> dict[str, object]:
    return await run_in_threadpool(services.health)


@router.delete(
    "/conversations/{conversation_id}",
    operation_id="delete_conversation",
    status_code=204,
    responses={404: {"model": ErrorOut, "description": "No such conversation, or not yours (the token does not match)"}},
    summary="Delete a stored conversation (needs its token)",
)
async def delete_conversation(
    conversation_id: Annotated[str, Path(max_length=64)],
    request: Request,
    services: ServicesDep,
    x_conversation_token: Annotated[str | None, Header(max_length=MAX_TOKEN_CHARS,
                                                        description="The conversation's token")] = None,
) -> Response:
    """Delete the conversation's stored turns and feedback at once, everywhere this server keeps them.

    Needs the conversation's token: the `X-Conversation-Token` header, or the page's cookie.
    """
    if not await access.owns(services, request, conversation_id, x_conversation_token):
        raise access.ConversationNotFound(conversation_id)
    await run_in_threadpool(services.conversations.delete, conversation_id)
    drop_transcript(request, conversation_id)
    response = Response(status_code=204)
    access.forget(response, request, conversation_id)
    return response


def drop_transcript(request: Request, conversation_id: str) -> None:
    """Forget the pages' in-memory copy of a conversation."""
    cache = getattr(request.app.state, "transcripts", None)
    if cache is not None:
        cache.drop(conversation_id)
