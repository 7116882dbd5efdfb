"""Conversations belong to whoever started them: the holder of the conversation's secret token.

The server makes every conversation id (a client can never choose one) together with a
random token. The token goes back to the client only (an HttpOnly cookie for the web pages,
`conversation_token` for API clients); the store keeps only its SHA-256 hash. Reading a
conversation's earlier turns, continuing it, attaching feedback to it and deleting it all
need the token. An unknown id, or an id with someone else's token, starts a new conversation.

    >>> class Memory(dict):
    ...     def register_owner(self, cid, digest): self[cid] = digest
    ...     def owner_hash(self, cid): return self.get(cid)
    >>> owners = Memory()
    >>> first = open_conversation(owners, None, None)
    >>> first.new, len(first.conversation_id), len(first.token) >= 43
    (True, 32, True)
    >>> open_conversation(owners, first.conversation_id, first.token).new
    False
    >>> open_conversation(owners, first.conversation_id, "someone else's").conversation_id == first.conversation_id
    False
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from typing import Protocol

MAX_TOKEN_CHARS = 128


class Owners(Protocol):
    """Where each conversation's token hash is kept (the conversation store)."""

    def register_owner(self, conversation_id: str, token_hash: str) -> None: ...

    def owner_hash(self, conversation_id: str) -> str | None: ...


@dataclass(frozen=True)
class Grant:
    """The conversation a request may use, the token that proves it, and whether it is new."""

    conversation_id: str
    token: str
    new: bool


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def holds(owners: Owners, conversation_id: str | None, token: str | None) -> bool:
    """True when `token` is the secret of conversation `conversation_id` (compared in constant time)."""
    if not conversation_id or not token or len(token) > MAX_TOKEN_CHARS or len(conversation_id) > 64:
        return False
    stored = owners.owner_hash(conversation_id)
    return stored is not None and hmac.compare_digest(stored, token_hash(token))


def open_conversation(owners: Owners, conversation_id: str | None, token: str | None) -> Grant:
    """The caller's own conversation when the token proves it, else a new one (id and token made here)."""
    if conversation_id and holds(owners, conversation_id, token):
        assert token is not None
        return Grant(conversation_id, token, new=False)
    return start(owners)


def start(owners: Owners) -> Grant:
    """A new conversation: a random id, a random token, and only the token's hash stored."""
    conversation_id, token = uuid.uuid4().hex, secrets.token_urlsafe(32)
    owners.register_owner(conversation_id, token_hash(token))
    return Grant(conversation_id, token, new=True)
