"""The HTTP contract of /api/chat, /api/health and the page, against a real index."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app

pytestmark = pytest.mark.integration


@pytest.fixture
def client(small_services):  # type: ignore[no-untyped-def]
    with TestClient(create_app(services=small_services)) as test_client:
        yield test_client


def test_chat_returns_the_contract(client: TestClient) -> None:
    response = client.post("/api/chat", json={"message": "How long does the council have to decide on an EHC needs assessment request?"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"conversation_id", "status", "answer", "citations", "signposts"}
    assert body["status"] == "answered"
    assert body["citations"], body
    for citation in body["citations"]:
        assert set(citation) >= {"n", "source", "ref", "title", "url", "status", "passage"}
        assert f"[{citation['n']}]" in body["answer"]
    assert {c["status"] for c in body["citations"]} <= {"law", "statutory_guidance", "guidance", "local", "proposal"}


def test_a_conversation_id_is_kept_with_its_token(client: TestClient) -> None:
    first = client.post("/api/chat", json={"message": "What is the LGSCO?"}).json()
    assert len(first["conversation_token"]) >= 43
    follow_up = {"message": "and when can I go to them?", "conversation_id": first["conversation_id"]}
    second = client.post("/api/chat", json={**follow_up, "conversation_token": first["conversation_token"]}).json()
    assert second["conversation_id"] == first["conversation_id"]
    third = client.post("/api/chat", json=follow_up, headers={"X-Conversation-Token": first["conversation_token"]}).json()
    assert third["conversation_id"] == first["conversation_id"]
    stranger = client.post("/api/chat", json=follow_up).json()
    assert stranger["conversation_id"] != first["conversation_id"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"message": ""}, "message"),
        ({"message": "   "}, "message"),
        ({"message": "x" * 4001}, "message"),
        ({"message": "hello", "persona": "lawyer"}, "persona"),
        ({}, "message"),
    ],
)
def test_bad_requests_get_a_clear_422(client: TestClient, payload: dict[str, object], field: str) -> None:
    response = client.post("/api/chat", json=payload)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request"
    assert field in body["detail"]


def test_health_and_docs(client: TestClient, small_services) -> None:  # type: ignore[no-untyped-def]
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["vector_store"] == "ok" and health["index"]["chunks"] == 5
    assert client.get("/docs").status_code == 404, "the docs pages load CDN scripts: off unless asked for"
    assert "/api/chat" in client.get("/openapi.json").json()["paths"]
    small_services.settings = small_services.settings.model_copy(update={"api_docs": True})
    with TestClient(create_app(services=small_services)) as with_docs:
        assert with_docs.get("/docs").status_code == 200 and with_docs.get("/redoc").status_code == 200


def test_the_page_answers_a_form_post_without_javascript(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "<form" in page.text
    answered = client.post("/", data={"message": "How long does the council have to decide on an assessment?", "persona": "parent"})
    assert answered.status_code == 200
    assert "Sources" in answered.text and "reg 5(1)" in answered.text


def test_html_in_a_question_is_escaped(client: TestClient) -> None:
    answered = client.post("/", data={"message": "<script>alert(1)</script> what is the LGSCO?", "persona": "parent"})
    assert "<script>alert(1)</script>" not in answered.text
    assert "&lt;script&gt;" in answered.text
