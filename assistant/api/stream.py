"""POST /api/chat/stream: the same answer as POST /api/chat, as Server-Sent Events.

The body is a ChatRequest. Events, in order:

    event: meta   data: {"conversation_id": "…", "conversation_token": "…", "status": "answered", "turn": 2}
    event: delta  data: {"text": "…"}        (joined, the deltas are exactly the answer)
    event: html   data: {"html": "<article …>"}   (the turn as the page renders it; for /static/app.js)
    event: done   data: {…the ChatResponse…}

Honest streaming: the default (extractive) engine has the whole answer at once, so it is sent
at once, as one delta, with no pause; the stream is never slower than POST /api/chat. Only a
writing model that streams (the optional LLM backend) sends more than one delta, each as soon
as the model has written and the grounding check has passed another line. Then `meta` comes
first with `status` and `turn` null (known at `done`), and in the rare case where the final
answer is not what was streamed so far (the model failed mid-way and the extractive answer
replaced it), an `event: reset` says to drop the text so far; the deltas after the last reset,
joined, are the answer. Clients must not rely on the number of deltas, only on their joined text.

Validation errors and an unavailable index are reported before the stream starts, as the
same JSON 422 / 503 as POST /api/chat. The conversation rules are those of POST /api/chat;
for the full page (layout=full) a new conversation's secret is also set as its cookie.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from assistant.api import access
from assistant.api.chat import ask
from assistant.api.deps import ServicesDep
from assistant.api.pages import base_context, record_turn, templates
from assistant.api.rendering import render_fragment
from assistant.api.schemas import ChatRequest, ChatResponse, ErrorOut
from assistant.services import Services
from assistant.storage.ownership import Grant, open_conversation

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["chat"])


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
    pipeline = await run_in_threadpool(services.ensure_ready)  # an unready index is a 503 before the stream
    token = access.presented_token(request, body.conversation_id, body.conversation_token)
    # The conversation is settled before the first byte: meta carries its id and token.
    grant = await run_in_threadpool(open_conversation, services.conversations, body.conversation_id, token)
    body = body.model_copy(update={"conversation_id": grant.conversation_id})
    started_here = grant.new  # asking records the turn, after which the conversation is no longer new
    if getattr(getattr(pipeline, "generator", None), "streams", False):
        events = _written_as_it_goes(request, services, body, grant, layout, colour)
    else:  # the answer, and any error, before the first byte: errors keep their JSON 503
        answer, grant = await run_in_threadpool(lambda: ask(services, body, token=grant.token))
        response = ChatResponse.from_answer(answer, token=grant.token)
        turn, html = await _turn_html(request, services, body, response, grant, layout, colour)
        events = _ready_at_once(response, grant, turn, html)
    streamed = StreamingResponse(
        events, media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
    if started_here and layout == "full":
        access.remember(streamed, request, conversation_id=grant.conversation_id, token=grant.token)
    return streamed


def _meta(grant: Grant, status: str | None, turn: int | None) -> dict[str, Any]:
    return {"conversation_id": grant.conversation_id, "conversation_token": grant.token, "status": status, "turn": turn}


async def _ready_at_once(response: ChatResponse, grant: Grant, turn: int, html: str) -> AsyncIterator[str]:
    """The default engine: the whole answer exists before the first event, so it goes as one delta."""
    yield sse("meta", _meta(grant, response.status.value, turn))
    yield sse("delta", {"text": response.answer})  # the whole answer is ready: send it now
    yield sse("html", {"html": html})
    yield sse("done", response.model_dump(mode="json"))


async def _written_as_it_goes(request: Request, services: Services, body: ChatRequest, grant: Grant, layout: str,
                              colour: str) -> AsyncIterator[str]:
    """A writing model that streams: each checked increment goes out as the model writes it."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def on_text(piece: str) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, ("delta", piece))

    def work() -> None:
        try:
            answer, _ = ask(services, body, token=grant.token, on_text=on_text)
            loop.call_soon_threadsafe(queue.put_nowait, ("answer", answer))
        except Exception as exc:  # noqa: BLE001 - the stream has started: report it as an event
            loop.call_soon_threadsafe(queue.put_nowait, ("error", exc))

    worker = asyncio.ensure_future(run_in_threadpool(work))
    yield sse("meta", _meta(grant, None, None))
    sent = ""
    while True:
        kind, value = await queue.get()
        if kind == "delta":
            sent += value
            yield sse("delta", {"text": value})
        elif kind == "error":
            logger.error("streamed answer failed: %s", type(value).__name__)
            yield sse("error", {"detail": "The assistant could not finish this answer. Please try again."})
            return
        else:
            break
    await worker
    response = ChatResponse.from_answer(value, token=grant.token)
    if response.answer.startswith(sent):
        if len(response.answer) > len(sent):
            yield sse("delta", {"text": response.answer[len(sent):]})  # the sources and next steps
    else:
        yield sse("reset", {})  # the final answer is not what was streamed: start again
        yield sse("delta", {"text": response.answer})
    _, html = await _turn_html(request, services, body, response, grant, layout, colour)
    yield sse("html", {"html": html})
    yield sse("done", response.model_dump(mode="json"))


async def _turn_html(request: Request, services: Services, body: ChatRequest, response: ChatResponse,
                     grant: Grant, layout: str, colour: str) -> tuple[int, str]:
    """Record the turn; its number and its HTML as the page shows it."""
    la = body.local_authority or ""
    turn = await run_in_threadpool(record_turn, request, services, question=body.message, response=response,
                                   local_authority=la or None)
    html = render_fragment(templates(request), "_partials/turn.html", {
        **base_context(layout=layout, colour=colour), "turn": turn, "persona": body.persona.value,
        "local_authority": la, "fixed_local_authority": la if layout == "embed" else "", "latest": False,
        "conversation_token": grant.token if layout == "embed" else "",
    })
    return turn.number, html
