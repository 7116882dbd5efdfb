"""How a request proves it owns a conversation, for every route that reads, continues,
gives feedback on or deletes one (the rule itself is `assistant.storage.ownership`).

The secret can arrive three ways, tried in this order:

1. in the body, as `conversation_token` (API clients; the embed's hidden form field);
2. in the `X-Conversation-Token` header (API clients, the OpenAI-compatible route);
3. in the `send_conversation` cookie that the web pages set: `HttpOnly`, `SameSite=Strict`,
   `Secure` over https, holding `<conversation id>.<token>`; it counts only for its own id.

The embed runs in a council's iframe, where browsers withhold SameSite cookies (and Safari
all third-party cookies), so its pages carry the token in a hidden form field instead.
"""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool

from assistant.services import Services
from assistant.storage.ownership import MAX_TOKEN_CHARS, holds

COOKIE = "send_conversation"
TOKEN_HEADER = "X-Conversation-Token"
NOT_FOUND = "We could not find that conversation. It may have been deleted."


class ConversationNotFound(LookupError):
    """No conversation with that id that this request may use: unknown and someone else's look
    the same (404), so the answer says nothing about other people's conversations."""


def presented_token(request: Request, conversation_id: str | None, given: str | None = None) -> str | None:
    """The token this request offers for `conversation_id`, from the body, the header or the cookie."""
    if given:
        return given[:MAX_TOKEN_CHARS + 1]
    header = request.headers.get(TOKEN_HEADER)
    if header:
        return header[:MAX_TOKEN_CHARS + 1]
    cookie_id, _, token = request.cookies.get(COOKIE, "").partition(".")
    return token if conversation_id and cookie_id == conversation_id and token else None


async def owns(services: Services, request: Request, conversation_id: str | None, given: str | None = None) -> bool:
    """True when the request holds the secret of `conversation_id`."""
    token = presented_token(request, conversation_id, given)
    return await run_in_threadpool(holds, services.conversations, conversation_id, token)


def remember(response: Response, request: Request, *, conversation_id: str, token: str) -> None:
    """Give the browser the conversation's secret as an HttpOnly, SameSite=Strict session cookie."""
    response.set_cookie(
        COOKIE, f"{conversation_id}.{token}", httponly=True, samesite="strict", path="/",
        secure=request.url.scheme == "https",
    )


def forget(response: Response, request: Request, conversation_id: str) -> None:
    """Remove the cookie when it belongs to `conversation_id` (after that conversation is deleted)."""
    if request.cookies.get(COOKIE, "").partition(".")[0] == conversation_id:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")
