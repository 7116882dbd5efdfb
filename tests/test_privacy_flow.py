"""Personal details in a chat message: the user is told kindly, and nothing raw is stored."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.screening.redact import PERSONAL_DATA_NOTICE

pytestmark = pytest.mark.integration

MESSAGE = (
    "My son Oliver's NHS number is 943 476 5919 and you can email me at jo.parent@example.com. "
    "How long does the council have to decide on an EHC needs assessment?"
)


def test_personal_details_are_flagged_and_never_stored(small_services) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(services=small_services)) as client:
        body = client.post("/api/chat", json={"message": MESSAGE}).json()
    assert body["status"] == "answered"
    assert PERSONAL_DATA_NOTICE in body["notices"]
    stored = small_services.conversations.history(body["conversation_id"])
    assert stored, "the turn should be stored (redacted)"
    for turn in stored:
        for raw in ("943 476 5919", "jo.parent@example.com", "Oliver"):
            assert raw not in turn.question and raw not in turn.query
        assert "EHC needs assessment" in turn.question


def test_a_conversation_can_be_deleted(small_services) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(services=small_services)) as client:
        body = client.post("/api/chat", json={"message": "What is the LGSCO?"}).json()
        path = f"/api/conversations/{body['conversation_id']}"
        assert client.delete(path).status_code == 404, "deleting needs the conversation's token"
        assert client.delete(path, headers={"X-Conversation-Token": body["conversation_token"]}).status_code == 204
    assert small_services.conversations.history(body["conversation_id"]) == []
