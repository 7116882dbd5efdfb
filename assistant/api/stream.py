"""POST /api/chat/stream: the same answer as POST /api/chat, as Server-Sent Events.

The body is a ChatRequest. Events, in order:

    event: meta   data: {"conversation_id": "…", "conversation_token": "…", "status": "answered", "turn": 2}
    event: delta  data: {"text": "…"}        (sentence-sized pieces; joined they are the answer)
    event: html   data: {"html": "<article …>"}   (the turn as the page renders it; for /static/app.js)
    event: done   data: {…the ChatResponse…}

Validation errors and an unavailable index are reported before the stream starts, as the
same JSON 422 / 503 as POST /api/chat. The conversation rules are those of POST /api/chat;
for the full page (layout=full) a new conversation's secret is also set as its cookie.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from assistant.api import access
from assistant.api.chat import ask
from assistant.api.deps import ServicesDep
from assistant.api.pages import base_context, record_turn, templates
from assistant.api.rendering import plain_pieces, render_fragment
from assistant.api.schemas import ChatRequest, ChatResponse, ErrorOut

router = APIRouter(prefix="/api", tags=["chat"])

DELTA_PAUSE_S = 0.02  # paces the pieces so a reader sees the answer arrive; 0 in tests is fine


def sse(event: str, data: Any) -> str:
    """One Server-Sent Event; JSON data keeps newlines inside the answer safe."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post(
    "/chat/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "meta, delta…, html, done"},
        503: {"model": ErrorOut, "description": "No search index, or the vector store is not answering"},
    },
    summary="Ask a question; the answer streams as Server-Sent Events",
)
async def chat_stream(
    body: ChatRequest,
    request: Request,
    services: ServicesDep,
    layout: Annotated[Literal["full", "embed"], Query(description="How the html event is rendered")] = "full",
    colour: Annotated[str, Query(max_length=7)] = "",
) -> StreamingResponse:
    token = access.presented_token(request, body.conversation_id, body.conversation_token)
    answer, grant = await run_in_threadpool(lambda: ask(services, body, token=token))
    response = ChatResponse.from_answer(answer, token=grant.token)
    turn = await run_in_threadpool(record_turn, request, services, question=body.message, response=response)
    la = body.local_authority or ""
    html = render_fragment(templates(request), "_partials/turn.html", {
        **base_context(layout=layout, colour=colour), "turn": turn, "persona": body.persona.value,
        "local_authority": la, "fixed_local_authority": la if layout == "embed" else "",
        "conversation_token": grant.token if layout == "embed" else "",
    })

    async def events() -> AsyncIterator[str]:
        meta = {"conversation_id": grant.conversation_id, "conversation_token": grant.token,
                "status": response.status.value, "turn": turn.number}
        yield sse("meta", meta)
        for piece in plain_pieces(response.answer):
            yield sse("delta", {"text": piece})
            await asyncio.sleep(DELTA_PAUSE_S)
        yield sse("html", {"html": html})
        yield sse("done", response.model_dump(mode="json"))

    streamed = StreamingResponse(
        events(), media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
    if grant.new and layout == "full":
        access.remember(streamed, request, conversation_id=grant.conversation_id, token=grant.token)
    return streamed
