"""Server-rendered pages (Jinja2). Work with JavaScript off: a form post returns the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from assistant.api.deps import ServicesDep
from assistant.api.rendering import make_templates
from assistant.api.schemas import ChatRequest
from assistant.api.chat import ask
from assistant.models import Persona

router = APIRouter(include_in_schema=False)


def templates(request: Request) -> Jinja2Templates:
    found: Jinja2Templates = request.app.state.templates
    return found


def _page_context(services: ServicesDep) -> dict[str, object]:
    authorities = services.settings.local_authorities or (services.index.local_authorities if services.index else [])
    return {"personas": [p.value for p in Persona], "local_authorities": authorities}


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, services: ServicesDep) -> HTMLResponse:
    return templates(request).TemplateResponse(
        request, "chat.html", {**_page_context(services), "answer": None, "question": "", "persona": "parent", "error": None}
    )


@router.post("/", response_class=HTMLResponse)
async def ask_form(
    request: Request,
    services: ServicesDep,
    message: Annotated[str, Form()] = "",
    persona: Annotated[str, Form()] = "parent",
    local_authority: Annotated[str, Form()] = "",
    conversation_id: Annotated[str, Form()] = "",
) -> HTMLResponse:
    context = {**_page_context(services), "question": message, "persona": persona, "answer": None, "error": None}
    try:
        chat_request = ChatRequest(
            message=message, persona=persona, local_authority=local_authority or None, conversation_id=conversation_id or None
        )
    except ValidationError as exc:
        context["error"] = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        return templates(request).TemplateResponse(request, "chat.html", context, status_code=422)
    context["answer"] = await run_in_threadpool(ask, services, chat_request)
    context["local_authority"] = local_authority
    return templates(request).TemplateResponse(request, "chat.html", context)
