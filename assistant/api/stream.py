"""POST /api/chat/stream: the same answer as POST /api/chat, as Server-Sent Events.

The body is a ChatRequest. Events, in order:

    event: meta   data: {"conversation_id": "…", "status": "answered", "turn": 2}
    event: delta  data: {"text": "…"}        (joined, the deltas are exactly the answer)
    event: html   data: {"html": "<article …>"}   (the turn as the page renders it; for /static/app.js)
    event: done   data: {…the ChatResponse…}

The default (extractive) engine has the whole answer at once, so it is sent at once, as one
delta, with no pause: the stream is never slower than POST /api/chat. Only a backend that
produces text in increments could send more than one delta (none does yet), and clients must
not rely on the number of deltas, only on their joined text.

Validation errors and an unavailable index are reported before the stream starts, as the
same JSON 422 / 503 as POST /api/chat.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from assistant.api.chat import ask
from assistant.api.deps import ServicesDep
from assistant.api.pages import base_context, record_turn, templates
from assistant.api.rendering import render_fragment
from assistant.api.schemas import ChatRequest, ChatResponse, ErrorOut

router = APIRouter(prefix="/api", tags=["chat"])

def sse(event: str, data: Any) -> str:
    """One Server-Sent Event; JSON data keeps newlines inside the answer safe."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post(
    "/chat/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "meta, delta…, html, done"},
        422: {"description": "Invalid request"},
        503: {"model": ErrorOut},
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
    answer = await run_in_threadpool(ask, services, body)
    response = ChatResponse.from_answer(answer)
    la = body.local_authority or ""
    turn = await run_in_threadpool(record_turn, request, services, question=body.message, response=response,
                                   local_authority=la or None)
    html = render_fragment(templates(request), "_partials/turn.html", {
        **base_context(layout=layout, colour=colour), "turn": turn, "persona": body.persona.value,
        "local_authority": la, "fixed_local_authority": la if layout == "embed" else "", "latest": False,
    })

    async def events() -> AsyncIterator[str]:
        yield sse("meta", {"conversation_id": response.conversation_id, "status": response.status.value, "turn": turn.number})
        yield sse("delta", {"text": response.answer})  # the whole answer is ready: send it now
        yield sse("html", {"html": html})
        yield sse("done", response.model_dump(mode="json"))

    return StreamingResponse(
        events(), media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
