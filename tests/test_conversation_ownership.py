"""Conversations belong to whoever started them, and deleting one means it is gone.

A second client (another address, no cookie) that knows a victim's conversation id tries every
route that reads, continues, attaches feedback to or deletes a conversation; none may succeed.
Then the owner deletes it, and the seeded words are searched for in the SQLite file and its WAL.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update

from assistant.api.app import create_app
from assistant.storage.conversations import _TurnRow
from assistant.storage.ownership import token_hash

pytestmark = pytest.mark.integration

SECRET_WORD = "quokkaplanner"  # not personal data, so redaction keeps it: it marks the victim's text


def _with(services: Any, **changes: Any) -> Any:
    services.settings = services.settings.model_copy(update=changes)
    return services


@pytest.fixture
def app(small_services: Any) -> Any:
    return create_app(services=_with(small_services, rate_limit="none", write_rate_limit="none"))


@pytest.fixture
def owner(app: Any) -> Iterator[TestClient]:
    with TestClient(app, client=("198.51.100.7", 4000)) as client:
        yield client


@pytest.fixture
def stranger(app: Any) -> Iterator[TestClient]:
    with TestClient(app, client=("203.0.113.66", 5000)) as client:
        yield client


def _cid(html: str) -> str:
    return re.findall(r'name="conversation_id" value="([^"]*)"', html)[0]


def _victim(owner: TestClient) -> tuple[str, str]:
    """A conversation of two turns on the page without JavaScript, and one more over the API."""
    first = owner.post("/", data={"message": f"What is the LGSCO? ({SECRET_WORD} one)"})
    cid = _cid(first.text)
    second = owner.post("/", data={"message": f"and when can I go to them? ({SECRET_WORD} two)", "conversation_id": cid})
    assert 'id="turn-2"' in second.text and f"{SECRET_WORD} one" in second.text
    token = owner.cookies["send_conversation"].split(".", 1)[1]
    return cid, token


def test_ids_come_only_from_the_server(owner: TestClient, small_services: Any) -> None:
    for chosen in ("1", "0" * 63, "' OR '1'='1"):
        body = owner.post("/api/chat", json={"message": "What is the LGSCO?", "conversation_id": chosen}).json()
        assert body["conversation_id"] != chosen and re.fullmatch(r"[0-9a-f]{32}", body["conversation_id"])
        assert small_services.conversations.history(chosen) == []


def test_another_client_can_read_continue_give_feedback_on_or_delete_nothing(
    owner: TestClient, stranger: TestClient, small_services: Any
) -> None:
    cid, token = _victim(owner)
    store = small_services.conversations
    wrong = "x" * 43
    succeeded: list[str] = []

    page = stranger.post("/", data={"message": "and what about transport?", "conversation_id": cid})
    if SECRET_WORD in page.text or _cid(page.text) == cid:
        succeeded.append("read or continue on the page")
    embed = stranger.post("/embed", data={"message": "hello", "conversation_id": cid, "conversation_token": wrong})
    if SECRET_WORD in embed.text or _cid(embed.text) == cid:
        succeeded.append("read or continue in the embed")
    with stranger.stream("POST", "/api/chat/stream", json={"message": "and then?", "conversation_id": cid}) as streamed:
        meta = streamed.read().decode().split("\n\n")[0]
    if cid in meta or '"turn": 3' in meta:
        succeeded.append("continue the stream")
    for extra in ({}, {"conversation_token": wrong}):
        chat = stranger.post("/api/chat", json={"message": "and then?", "conversation_id": cid, **extra}).json()
        if chat["conversation_id"] == cid:
            succeeded.append(f"continue over the API {extra}")
    v1 = stranger.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "and then?"}],
                                                       "metadata": {"conversation_id": cid, "conversation_token": wrong}})
    if v1.json()["send_conversation_id"] == cid:
        succeeded.append("continue over /v1")
    feedback = stranger.post("/api/feedback", json={"conversation_id": cid, "helpful": False, "keep_question": True, "turn": 1})
    if feedback.status_code != 404 or store.list_feedback():
        succeeded.append("attach feedback (copying the question)")
    form = stranger.post("/feedback", data={"conversation_id": cid, "turn": "1", "helpful": "no", "keep_question": "yes"})
    if form.status_code != 404 or SECRET_WORD in form.text:
        succeeded.append("feedback form")
    for headers in ({}, {"X-Conversation-Token": wrong}):
        if stranger.delete(f"/api/conversations/{cid}", headers=headers).status_code != 404:
            succeeded.append("delete")

    assert succeeded == [], "another client reached the conversation"
    assert [t.question for t in store.history(cid)] == [f"What is the LGSCO? ({SECRET_WORD} one)",
                                                       f"and when can I go to them? ({SECRET_WORD} two)"]
    # The owner still can, with the cookie or the token.
    assert owner.post("/api/chat", json={"message": "and then?", "conversation_id": cid}).json()["conversation_id"] == cid
    assert owner.post("/api/chat", json={"message": "and then?", "conversation_id": cid, "conversation_token": token},
                      cookies={}).json()["conversation_id"] == cid


def test_only_a_hash_of_the_token_is_stored(owner: TestClient, small_services: Any) -> None:
    body = owner.post("/api/chat", json={"message": "What is the LGSCO?"}).json()
    stored = small_services.conversations.owner_hash(body["conversation_id"])
    assert stored == hashlib.sha256(body["conversation_token"].encode()).hexdigest() == token_hash(body["conversation_token"])
    database = small_services.settings.data_dir / "assistant.db"
    raw = b"".join(p.read_bytes() for p in database.parent.glob("assistant.db*"))
    assert body["conversation_token"].encode() not in raw


def test_the_embed_keeps_its_secret_in_the_form_not_a_cookie(app: Any) -> None:
    with TestClient(app) as client:
        first = client.post("/embed", data={"message": "What is the LGSCO?", "fixed_local_authority": "Demoshire"})
        cid = _cid(first.text)
        [token] = re.findall(r'name="conversation_token" value="([^"]+)"', first.text)[:1]
        client.cookies.clear()  # a council's iframe gets no SameSite cookie
        second = client.post("/embed", data={"message": "and when can I go to them?", "conversation_id": cid,
                                             "conversation_token": token, "fixed_local_authority": "Demoshire"})
        assert _cid(second.text) == cid and 'id="turn-2"' in second.text


def _files(services: Any) -> bytes:
    folder = Path(services.settings.data_dir)
    return b"".join(p.read_bytes() for p in sorted(folder.glob("assistant.db*")) if p.is_file())


def test_delete_drops_the_cache_at_once_and_leaves_nothing_in_the_file_or_its_wal(
    owner: TestClient, stranger: TestClient, small_services: Any
) -> None:
    cid, token = _victim(owner)
    owner.post("/feedback", data={"conversation_id": cid, "turn": "2", "helpful": "no", "keep_question": "yes",
                                  "comment": f"{SECRET_WORD} comment"})
    assert SECRET_WORD.encode() in _files(small_services), "the seeded text is on disk before the delete"

    assert owner.delete(f"/api/conversations/{cid}").status_code == 204
    assert small_services.conversations.history(cid) == [] and small_services.conversations.list_feedback() == []
    assert owner.app.state.transcripts.get(cid) == []  # type: ignore[attr-defined]
    again = owner.post("/", data={"message": "hello again", "conversation_id": cid})
    assert SECRET_WORD not in again.text and _cid(again.text) != cid, "a deleted conversation cannot be shown again"
    wal = Path(small_services.settings.data_dir) / "assistant.db-wal"
    assert not wal.exists() or SECRET_WORD.encode() not in wal.read_bytes()
    assert _files(small_services).count(SECRET_WORD.encode()) == 0


def test_purge_leaves_nothing_in_the_file_or_its_wal(owner: TestClient, small_services: Any) -> None:
    _victim(owner)
    store = small_services.conversations
    with store._session.begin() as session:
        session.execute(update(_TurnRow).values(created=datetime.now(UTC) - timedelta(days=40)))
    assert store.purge(older_than_days=30) == 2
    assert _files(small_services).count(SECRET_WORD.encode()) == 0
    with store._engine.connect() as connection:
        assert connection.execute(text("PRAGMA secure_delete")).scalar() == 1
