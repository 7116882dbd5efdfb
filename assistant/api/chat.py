"""POST /api/chat and GET /api/health: thin translations between HTTP and the pipeline."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from assistant.api.deps import ServicesDep
from assistant.api.schemas import ChatRequest, ChatResponse, ErrorOut
from assistant.models import Answer

router = APIRouter(prefix="/api", tags=["chat"])


def ask(services: ServicesDep, request: ChatRequest, on_text: Callable[[str], None] | None = None) -> Answer:
    """The pipeline's answer; `on_text` (for a generator that streams) gets its text as it is written."""
    pipeline = services.ensure_ready()
    extra = {"on_text": on_text} if on_text is not None else {}
    return pipeline.answer(
        request.message,
        persona=request.persona,
        local_authority=request.local_authority or services.settings.default_local_authority,
        conversation_id=request.conversation_id,
        **extra,
    )


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={422: {"description": "Invalid request"}, 503: {"model": ErrorOut}},
    summary="Ask a question; get a cited answer",
)
async def chat(request: ChatRequest, services: ServicesDep) -> ChatResponse:
    answer = await run_in_threadpool(ask, services, request)
    return ChatResponse.from_answer(answer)


@router.get("/health", summary="Is the assistant ready to answer?")
async def health(services: ServicesDep) -> dict[str, object]:
    return await run_in_threadpool(services.health)


@router.delete("/conversations/{conversation_id}", status_code=204, summary="Delete a stored conversation")
async def delete_conversation(conversation_id: str, services: ServicesDep) -> None:
    await run_in_threadpool(services.conversations.delete, conversation_id)
