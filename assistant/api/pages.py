"""Server-rendered pages (Jinja2): the chat, the compact embed, the About page.

Every page works with JavaScript off: the ask form posts here and gets the page back with the
answer and the conversation so far; /static/app.js only upgrades the same form to stream from
POST /api/chat/stream. Earlier turns are kept for an hour in this process's memory
(`Transcripts`), holding the stored, redacted question beside the answer, and are shown only
to the browser that holds the conversation's secret (its cookie, or in the embed a hidden
field: `assistant.api.access`). Deleting a conversation drops them at once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from assistant.api import access
from assistant.api.chat import ask
from assistant.api.contacts import Contact, talk_to_a_person
from assistant.api.deps import ServicesDep
from assistant.api.rendering import accent_colours, safe_colour
from assistant.api.schemas import MAX_MESSAGE_CHARS, ChatRequest, ChatResponse
from assistant.errors import BackendUnavailable, IndexMissing
from assistant.models import AnswerStatus, Persona
from assistant.services import Services

router = APIRouter(include_in_schema=False)

NOT_READY = (
    "The assistant cannot answer right now. Please try again in a few minutes. "
    "Your local SENDIASS can help in the meantime."
)
LAYOUTS = {"full": "/", "embed": "/embed"}
_MAX_HISTORY = 1000


@dataclass(frozen=True)
class TurnView:
    """One question and its answer as shown on the page."""

    number: int
    question: str
    response: ChatResponse
    feedback: str | None = None  # "sent" once feedback on this answer was stored
    feedback_error: str | None = None
    people: tuple[Contact, ...] = ()  # "Talk to a person": the council's SENDIASS and SEN team, IPSEA, Contact


class Transcripts:
    """Recent turns per conversation, in memory, so a page without JavaScript can show them again.

    Bounded (oldest conversations dropped first) and short-lived (`ttl_s`); holds only what
    the conversation store already holds (the redacted question) plus the answer.
    """

    def __init__(self, *, max_conversations: int = 500, max_turns: int = 20, ttl_s: float = 3600) -> None:
        self._items: OrderedDict[str, tuple[float, list[TurnView]]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_conversations, self.max_turns, self.ttl_s = max_conversations, max_turns, ttl_s

    def add(self, conversation_id: str, turn: TurnView) -> None:
        with self._lock:
            _, turns = self._items.pop(conversation_id, (0.0, []))
            turns = [t for t in turns if t.number != turn.number] + [turn]
            self._items[conversation_id] = (time.monotonic(), turns[-self.max_turns :])
            while len(self._items) > self.max_conversations:
                self._items.popitem(last=False)

    def get(self, conversation_id: str) -> list[TurnView]:
        with self._lock:
            found = self._items.get(conversation_id)
            if found is None:
                return []
            if time.monotonic() - found[0] > self.ttl_s:
                del self._items[conversation_id]
                return []
            return list(found[1])

    def drop(self, conversation_id: str) -> None:
        with self._lock:
            self._items.pop(conversation_id, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def transcripts(request: Request) -> Transcripts:
    state = request.app.state
    if getattr(state, "transcripts", None) is None:
        state.transcripts = Transcripts()
    found: Transcripts = state.transcripts
    return found


def templates(request: Request) -> Jinja2Templates:
    found: Jinja2Templates = request.app.state.templates
    return found


def record_turn(request: Request, services: Services, *, question: str, response: ChatResponse,
                local_authority: str | None = None) -> TurnView:
    """Number the new turn from the conversation store and remember it (with the stored, redacted question)."""
    history = services.conversations.history(response.conversation_id, limit=_MAX_HISTORY)
    number = max(len(history), 1)
    stored = history[-1].question if history else ""
    people = people_to_talk_to(services, local_authority or services.settings.default_local_authority)
    transcripts(request).add(response.conversation_id, TurnView(number, stored, response, people=people))
    return TurnView(number, question, response, people=people)


_PEOPLE: dict[tuple[str | None, str | None], tuple[Contact, ...]] = {}


def people_to_talk_to(services: Services, local_authority: str | None) -> tuple[Contact, ...]:
    """The "Talk to a person" list for a council, from the index's Local Offer passages (cached per build)."""
    index = services.index
    build = getattr(index, "build", None)
    if not build:  # no index loaded (yet): the national services, not cached
        return tuple(talk_to_a_person(getattr(index, "chunks", None) or [], local_authority))
    key = (build, (local_authority or "").casefold() or None)
    if key not in _PEOPLE:
        if len(_PEOPLE) > 256:
            _PEOPLE.clear()
        _PEOPLE[key] = tuple(talk_to_a_person(getattr(index, "chunks", None) or [], local_authority))
    return _PEOPLE[key]


def local_authorities(services: Services) -> list[str]:
    return list(services.settings.local_authorities or (services.index.local_authorities if services.index else []))


def base_context(*, layout: str = "full", colour: str | None = None) -> dict[str, Any]:
    """What base.html needs on every page."""
    colour = safe_colour(colour) if layout == "embed" else None
    return {"layout": layout, "colour": colour or "", "theme_css": f"/embed/theme.css?colour={colour[1:]}" if colour else ""}


def chat_context(
    services: Services,
    *,
    layout: str = "full",
    turns: list[TurnView] | None = None,
    question: str = "",
    persona: str = Persona.PARENT.value,
    local_authority: str = "",
    fixed_local_authority: str = "",
    colour: str | None = None,
    conversation_id: str = "",
    conversation_token: str = "",
    error: str | None = None,
    problem: str | None = None,
    problem_link: str | None = None,
    notice: str | None = None,
) -> dict[str, Any]:
    turns = turns or []
    latest = turns[-1] if turns else None
    urgent = latest if latest and latest.response.status is AnswerStatus.SAFEGUARDING else None
    return {
        **base_context(layout=layout, colour=colour),
        "form_action": LAYOUTS[layout],
        "personas": [p.value for p in Persona],
        "persona": persona if persona in {p.value for p in Persona} else Persona.PARENT.value,
        "local_authorities": local_authorities(services),
        "local_authority": local_authority,
        "fixed_local_authority": fixed_local_authority,
        "turns": turns,
        "urgent": urgent,
        "question": question,
        "conversation_id": conversation_id,
        "conversation_token": conversation_token if layout == "embed" else "",
        "error": error,
        "problem": problem,
        "problem_link": problem_link,
        "notice": notice,
        "max_chars": MAX_MESSAGE_CHARS,
    }


def render_chat(request: Request, context: dict[str, Any], *, status_code: int = 200) -> HTMLResponse:
    return templates(request).TemplateResponse(request, "chat.html", context, status_code=status_code)


def message_error(message: str) -> str | None:
    """The plain-language problem with a question, or None."""
    if not message.strip():
        return "Type your question"
    if len(message) > MAX_MESSAGE_CHARS:
        return f"Your question must be {MAX_MESSAGE_CHARS:,} characters or fewer. It is {len(message):,} characters."
    return None


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, services: ServicesDep) -> HTMLResponse:
    return render_chat(request, chat_context(services))


@router.get("/embed", response_class=HTMLResponse)
async def embed(
    request: Request,
    services: ServicesDep,
    local_authority: Annotated[str, Query(max_length=100)] = "",
    colour: Annotated[str, Query(max_length=7)] = "",
    persona: Annotated[str, Query(max_length=20)] = Persona.PARENT.value,
) -> HTMLResponse:
    """The compact chat a council's Local Offer page shows in an iframe (see /static/embed.js)."""
    la = local_authority.strip()
    context = chat_context(
        services, layout="embed", colour=colour, persona=persona, local_authority=la, fixed_local_authority=la
    )
    return render_chat(request, context)


@router.get("/embed/theme.css")
async def embed_theme(colour: Annotated[str, Query(max_length=6)] = "") -> Response:
    """The council's colour as CSS variables, with a text colour that keeps 4.5:1 contrast."""
    colours = accent_colours("#" + colour)
    css = f":root {{ --accent: {colours['accent']}; --on-accent: {colours['on_accent']}; }}\n"
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=86400"})


@router.post("/", response_class=HTMLResponse)
async def ask_form(
    request: Request,
    services: ServicesDep,
    message: Annotated[str, Form()] = "",
    persona: Annotated[str, Form()] = Persona.PARENT.value,
    local_authority: Annotated[str, Form()] = "",
    conversation_id: Annotated[str, Form()] = "",
) -> HTMLResponse:
    return await _ask(request, services, layout="full", message=message, persona=persona,
                      local_authority=local_authority, conversation_id=conversation_id, conversation_token="")


@router.post("/embed", response_class=HTMLResponse)
async def ask_embed(
    request: Request,
    services: ServicesDep,
    message: Annotated[str, Form()] = "",
    persona: Annotated[str, Form()] = Persona.PARENT.value,
    local_authority: Annotated[str, Form()] = "",
    fixed_local_authority: Annotated[str, Form()] = "",
    conversation_id: Annotated[str, Form()] = "",
    conversation_token: Annotated[str, Form()] = "",
    colour: Annotated[str, Form()] = "",
) -> HTMLResponse:
    return await _ask(request, services, layout="embed", message=message, persona=persona,
                      local_authority=fixed_local_authority or local_authority, conversation_id=conversation_id,
                      conversation_token=conversation_token, fixed_local_authority=fixed_local_authority,
                      colour=colour)


async def _ask(
    request: Request,
    services: Services,
    *,
    layout: str,
    message: str,
    persona: str,
    local_authority: str,
    conversation_id: str,
    conversation_token: str,
    fixed_local_authority: str = "",
    colour: str = "",
) -> HTMLResponse:
    cid = conversation_id.strip()[:64]
    token = access.presented_token(request, cid, conversation_token.strip())
    owned = await owned_conversation(request, services, cid, token)
    earlier = transcripts(request).get(cid) if owned else []
    form: dict[str, Any] = {
        "layout": layout, "persona": persona, "local_authority": local_authority.strip()[:100],
        "fixed_local_authority": fixed_local_authority.strip()[:100], "colour": colour,
    }
    mine = {"conversation_id": cid, "conversation_token": token or ""} if owned else {}
    context = chat_context(services, **form, **mine, turns=earlier, question=message)
    error = message_error(message)
    if error:
        return render_chat(request, {**context, "error": error}, status_code=422)
    chat_request = ChatRequest(
        message=message, persona=context["persona"], local_authority=form["local_authority"] or None,
        conversation_id=cid if owned else None,
    )
    try:
        answer, grant = await run_in_threadpool(lambda: ask(services, chat_request, token=token if owned else None))
    except (IndexMissing, BackendUnavailable):
        return render_chat(request, {**context, "problem": NOT_READY}, status_code=503)
    response = ChatResponse.from_answer(answer, token=grant.token)
    turn = await run_in_threadpool(record_turn, request, services, question=message, response=response,
                                   local_authority=form["local_authority"] or None)
    turns = [t for t in earlier if t.number != turn.number] + [turn]
    page = render_chat(request, chat_context(services, **form, turns=turns, conversation_id=grant.conversation_id,
                                             conversation_token=grant.token))
    if grant.new and layout == "full":
        access.remember(page, request, conversation_id=grant.conversation_id, token=grant.token)
    return page


async def owned_conversation(request: Request, services: Services, conversation_id: str, token: str | None) -> bool:
    """Whether this request holds `conversation_id`'s secret. The in-memory copy of a conversation
    that no longer exists (deleted through another worker) is dropped here."""
    if not conversation_id:
        return False

    def check() -> tuple[bool, bool]:
        from assistant.storage.ownership import holds

        return holds(services.conversations, conversation_id, token), services.conversations.owner_hash(conversation_id) is not None

    owned, exists = await run_in_threadpool(check)
    if not exists:
        transcripts(request).drop(conversation_id)
    return owned


def with_feedback(turns: list[TurnView], number: int, *, sent: bool = False, error: str | None = None) -> list[TurnView]:
    """The turns with one answer's feedback form replaced by thanks, or showing an error."""
    return [replace(t, feedback="sent" if sent else t.feedback, feedback_error=error) if t.number == number else t
            for t in turns]


@router.get("/about", response_class=HTMLResponse)
async def about(request: Request, services: ServicesDep) -> HTMLResponse:
    context = {**base_context(), "retention_days": services.settings.retention_days}
    return templates(request).TemplateResponse(request, "about.html", context)
