"""Admin routes behind a bearer token, rate limits, body size limit, security headers, purge CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from assistant.api.app import create_app
from assistant.api.security import inline_script_hashes
from assistant.storage.conversations import Feedback, Turn, _FeedbackRow, _TurnRow
from conftest import SMALL_CORPUS, write_corpus

pytestmark = pytest.mark.integration

TOKEN = "test-admin-token-0123456789-abcdefgh"
QUESTION = {"message": "What is the LGSCO?"}


def _with(services: Any, **changes: Any) -> Any:
    services.settings = services.settings.model_copy(update=changes)
    return services


@pytest.fixture
def admin(small_services: Any) -> Iterator[TestClient]:
    with TestClient(create_app(services=_with(small_services, admin_token=TOKEN))) as client:
        yield client


def _auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _age(services: Any, days: int) -> None:
    """Make every stored row `days` old, as the retention job would find it."""
    when = datetime.now(UTC) - timedelta(days=days)
    store = services.conversations
    with store._session.begin() as session:
        session.execute(update(_TurnRow).values(created=when))
        session.execute(update(_FeedbackRow).values(created=when))


# --- admin routes ---------------------------------------------------------------------------


def test_without_an_admin_token_the_admin_routes_do_not_exist(small_services: Any) -> None:
    with TestClient(create_app(services=_with(small_services, admin_token=None))) as client:
        for method, path in [("POST", "/api/admin/reindex"), ("POST", "/api/admin/purge"), ("GET", "/api/admin/feedback")]:
            assert client.request(method, path, headers=_auth()).status_code == 404
        assert not [p for p in client.get("/openapi.json").json()["paths"] if p.startswith("/api/admin")]


@pytest.mark.parametrize("headers", [{}, _auth("wrong"), _auth(TOKEN + "x"), {"Authorization": TOKEN}, {"Authorization": "Basic abc"}])
def test_admin_routes_refuse_a_missing_or_wrong_token(admin: TestClient, headers: dict[str, str]) -> None:
    for method, path in [("POST", "/api/admin/reindex"), ("POST", "/api/admin/purge"), ("GET", "/api/admin/feedback")]:
        response = admin.request(method, path, headers=headers)
        assert response.status_code == 401, (path, response.text)
        assert response.json()["error"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"


def test_purge_over_the_api_removes_only_old_rows(admin: TestClient, small_services: Any) -> None:
    store = small_services.conversations
    store.append("old", Turn(question="old question", query="old question", status="answered"))
    store.add_feedback(Feedback(conversation_id="old", helpful=True))
    _age(small_services, 40)
    store.append("new", Turn(question="new question", query="new question", status="answered"))

    default = admin.post("/api/admin/purge", headers=_auth())
    assert default.status_code == 200
    assert default.json() == {"removed": 2, "older_than_days": 30}
    assert [t.question for t in store.history("new")] == ["new question"]
    assert store.history("old") == []

    everything = admin.post("/api/admin/purge", headers=_auth(), json={"older_than_days": 0})
    assert everything.json() == {"removed": 1, "older_than_days": 0}
    assert admin.post("/api/admin/purge", headers=_auth(), json={"older_than_days": -1}).status_code == 422


def test_feedback_is_listed_newest_first_and_redacted(admin: TestClient, small_services: Any) -> None:
    store = small_services.conversations
    store.add_feedback(Feedback(conversation_id="c1", helpful=False, reasons="wrong deadline"))
    store.add_feedback(Feedback(conversation_id="c2", helpful=True, message_text="email me at kim@example.org"))
    response = admin.get("/api/admin/feedback", headers=_auth(), params={"limit": 10})
    assert response.status_code == 200
    items = response.json()["feedback"]
    assert {i["conversation_id"] for i in items} == {"c1", "c2"}
    stored = next(i for i in items if i["conversation_id"] == "c2")
    assert "kim@example.org" not in stored["message_text"]
    assert admin.get("/api/admin/feedback", headers=_auth(), params={"limit": 0}).status_code == 422


def test_reindex_over_the_api_swaps_in_the_new_build(admin: TestClient, small_services: Any, small_corpus: Path) -> None:
    before = admin.get("/api/health").json()["index"]
    write_corpus(small_corpus, {"glossary/ipsea.md": SMALL_CORPUS["glossary/lgsco.md"].replace("LGSCO", "IPSEA-X")})
    response = admin.post("/api/admin/reindex", headers=_auth())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["build"] != before["build"] and body["chunks"] == before["chunks"] + 1 and body["embedded"] == 1
    assert admin.get("/api/health").json()["index"] == {"build": body["build"], "chunks": body["chunks"]}
    answer = admin.post("/api/chat", json={"message": "What is the IPSEA-X?"}).json()
    assert any(c["ref"] == "IPSEA-X" for c in answer["citations"]), answer


def test_ingest_reads_only_from_the_incoming_folder(admin: TestClient, small_services: Any, tmp_path: Path) -> None:
    if admin.post("/api/admin/ingest", headers=_auth(), json={}).status_code == 404:
        pytest.skip("assistant.ingest.dispatch is not in this tree, so /api/admin/ingest is not offered")
    outside = tmp_path / "secret.html"
    outside.write_text("<html><body><p>secret</p></body></html>")
    for path in [str(outside), "../../secret.html", "https://example.org/page.html", "missing.html"]:
        response = admin.post("/api/admin/ingest", headers=_auth(), json={"path": path, "status": "guidance"})
        assert response.status_code == 422, (path, response.text)
        assert response.json()["error"] == "ingest_failed"


def test_ingest_a_saved_file_then_it_is_indexed(admin: TestClient, small_services: Any) -> None:
    if admin.post("/api/admin/ingest", headers=_auth(), json={}).status_code == 404:
        pytest.skip("assistant.ingest.dispatch is not in this tree, so /api/admin/ingest is not offered")
    incoming = small_services.settings.data_dir / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    (incoming / "short-breaks.html").write_text(
        "<html><head><title>Short breaks in Demoshire</title></head><body><main><h1>Short breaks in Demoshire</h1>"
        "<p>Demoshire offers short breaks for disabled children: after-school clubs, weekend activities and "
        "overnight stays. Families can ask for a short breaks assessment by calling the Demoshire short breaks "
        "team.</p></main></body></html>"
    )
    payload = {"path": "short-breaks.html", "status": "local", "local_authority": "Demoshire", "source": "Demoshire Local Offer"}
    response = admin.post("/api/admin/ingest", headers=_auth(), json=payload)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["documents"] >= 1 and body["reindexed"]["chunks"] > 5


# --- the purge command ----------------------------------------------------------------------


def test_purge_command(small_services: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    store = small_services.conversations
    store.append("old", Turn(question="q", query="q", status="answered"))
    _age(small_services, 10)
    store.append("new", Turn(question="q", query="q", status="answered"))
    data_dir = str(small_services.settings.data_dir)
    assert main(["--data-dir", data_dir, "purge"]) == 0
    assert "Removed 0 " in capsys.readouterr().out
    assert main(["--data-dir", data_dir, "purge", "--older-than-days", "7"]) == 0
    assert "Removed 1 " in capsys.readouterr().out
    assert store.history("new") and not store.history("old")


# --- rate limiting --------------------------------------------------------------------------


def test_chat_is_rate_limited_per_client_with_a_clear_429(small_services: Any) -> None:
    app = create_app(services=_with(small_services, rate_limit="3/minute"))
    with TestClient(app) as client, TestClient(app, client=("203.0.113.9", 5000)) as other:
        assert [client.post("/api/chat", json=QUESTION).status_code for _ in range(3)] == [200, 200, 200]
        limited = client.post("/api/chat", json=QUESTION)
        assert limited.status_code == 429
        body = limited.json()
        assert body["error"] == "rate_limited"
        seconds = int(limited.headers["retry-after"])
        assert 1 <= seconds <= 20 and f"try again in {seconds} seconds" in body["detail"]
        assert client.post("/v1/chat/completions", json={}).status_code == 429  # routes others add share the limit
        assert client.get("/api/health").status_code == 200  # only the answer routes are limited
        assert other.post("/api/chat", json=QUESTION).status_code == 200  # another address has its own bucket


def test_rate_limit_can_be_turned_off(small_services: Any) -> None:
    with TestClient(create_app(services=_with(small_services, rate_limit="none"))) as client:
        assert {client.post("/api/chat", json={"message": "reg 5(1)"}).status_code for _ in range(8)} == {200}


# --- request size -----------------------------------------------------------------------------


def test_a_body_over_64_kb_is_refused_before_parsing(admin: TestClient) -> None:
    big = '{"message": "' + "x" * 70_000 + '"}'
    response = admin.post("/api/chat", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"message": "'
        for _ in range(20):
            yield b"y" * 4096
        yield b'"}'

    chunked = admin.post("/api/chat", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413

    def small() -> Iterator[bytes]:
        yield b'{"message": '
        yield b'"What is the LGSCO?"}'

    assert admin.post("/api/chat", content=small(), headers={"content-type": "application/json"}).status_code == 200
    assert admin.post("/", data={"message": "z" * 70_000}).status_code == 413


def test_hidden_and_lookalike_characters_are_cleaned_on_the_api_path(admin: TestClient) -> None:
    from assistant import messages

    sneaky = "What is the \uff2c\uff27\uff33\uff23\uff2f\u200b?\u202e\U000e0041"  # fullwidth LGSCO, zero-width, bidi, tag
    body = admin.post("/api/chat", json={"message": sneaky}).json()
    assert body["status"] == "answered", body
    assert any(c["ref"] == "LGSCO" for c in body["citations"])
    assert messages.NOTICE_HIDDEN_CHARACTERS in body["notices"]
    control = admin.post("/api/chat", json={"message": "What is the LGSCO?\x00\x07\x1b[31m"})
    assert control.status_code == 200 and control.json()["status"] == "answered"


# --- security headers -------------------------------------------------------------------------


def _csp(response: Any) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else "" for part in policy.split("; ")}


def test_every_response_carries_the_security_headers(admin: TestClient) -> None:
    responses = [
        admin.get("/"),
        admin.post("/", data={"message": "What is the LGSCO?", "persona": "parent"}),
        admin.get("/api/health"),
        admin.post("/api/chat", json=QUESTION),
        admin.get("/no-such-page"),
        admin.get("/static/app.css"),
        admin.post("/api/chat", content=b"x" * 70_000),
        admin.post("/api/admin/purge"),
    ]
    for response in responses:
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff", response.url
        assert headers["referrer-policy"] in ("strict-origin-when-cross-origin", "no-referrer")
        assert "camera=()" in headers["permissions-policy"] and "geolocation=()" in headers["permissions-policy"]
        assert "content-security-policy" in headers


def test_pages_have_a_strict_content_security_policy(admin: TestClient) -> None:
    page = admin.get("/")
    policy = _csp(page)
    assert policy["default-src"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'self'"
    assert policy["script-src"].split() == ["'self'", *inline_script_hashes(page.text)]
    assert _csp(admin.get("/api/health"))["default-src"] == "'none'"


def test_the_api_docs_page_gets_hashes_for_its_inline_script(small_services: Any) -> None:
    with TestClient(create_app(services=_with(small_services, api_docs=True))) as client:
        docs = client.get("/docs")
    assert docs.status_code == 200
    hashes = inline_script_hashes(docs.text)
    assert hashes, "Swagger UI has an inline script"
    script_src = _csp(docs)["script-src"].split()
    assert set(hashes) <= set(script_src) and "'unsafe-inline'" not in script_src


def test_frame_ancestors_come_from_the_embedding_policy(small_services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    council = "https://www.council.example.gov.uk"
    with TestClient(create_app(services=_with(small_services, embed_allowed_origins=[council]))) as client:
        for response in (client.get("/"), client.get("/api/health"), client.post("/api/chat", json=QUESTION)):
            assert _csp(response)["frame-ancestors"] in (f"'self' {council}", "'none'"), response.url
        page = _csp(client.get("/"))
        assert page["frame-ancestors"] == f"'self' {council}" and page["default-src"] == "'self'"
