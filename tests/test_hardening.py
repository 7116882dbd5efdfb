"""What a stranger's input or a deployer's typo can do: rate limits on every route that answers
or writes, settings that fail loudly, no 500 from input, and the low items of the audit."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient
from pydantic import ValidationError

from assistant.api.app import create_app
from assistant.api.ratelimit import bucket_for
from assistant.config import Settings
from assistant.services import Services
from assistant.storage.conversations import SqlConversationStore

ADMIN = "hardening-admin-token-0123456789-abcdef"


class _NoEmbedder:
    def embed(self, texts: Any) -> Any:
        raise AssertionError("no answers in these tests")


def _app(tmp_path: Any, **settings: Any) -> Any:
    config = Settings(data_dir=tmp_path / "data", **settings)
    store = SqlConversationStore("sqlite://", redact=lambda t: t)
    return create_app(services=Services(settings=config, embedder=_NoEmbedder(), conversations=store))  # type: ignore[arg-type]


@pytest.fixture
def client(tmp_path: Any) -> Iterator[TestClient]:
    with TestClient(_app(tmp_path, admin_token=ADMIN), raise_server_exceptions=False) as test_client:
        yield test_client


# --- one rate-limit policy ------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "bucket"), [
    ("POST", "/api/chat", "answers"), ("POST", "/api/chat/stream", "answers"), ("POST", "/v1/chat/completions", "answers"),
    ("POST", "/", "answers"), ("POST", "/embed", "answers"),
    ("POST", "/api/feedback", "writes"), ("POST", "/feedback", "writes"), ("POST", "/api/letters", "writes"),
    ("POST", "/api/deadlines", "writes"), ("POST", "/api/appeal-route", "writes"), ("POST", "/tools/letters", "writes"),
    ("DELETE", "/api/conversations/abc", "writes"),
    ("GET", "/api/admin/feedback", "admin"), ("POST", "/api/admin/purge", "admin"),
    ("GET", "/", None), ("GET", "/v1/models", None), ("GET", "/api/health", None),
])
def test_every_route_that_answers_or_writes_is_in_the_policy(method: str, path: str, bucket: str | None) -> None:
    assert bucket_for(method, path) == bucket


def test_the_forms_share_the_chat_bucket_and_get_a_page_that_says_when(tmp_path: Any) -> None:
    app = _app(tmp_path, rate_limit="2/minute")
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/", data={"message": ""}).status_code == 422  # spends a token, answers nothing
        assert client.post("/embed", data={"message": ""}).status_code == 422
        page = client.post("/", data={"message": "What is the LGSCO?"})
        assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
        seconds = int(page.headers["retry-after"])
        assert 1 <= seconds <= 30 and f"Please try again in {seconds} seconds." in page.text
        assert "Please wait a moment" in page.text and page.headers["cache-control"] == "no-store"
        assert client.post("/api/chat", json={"message": "hi"}).status_code == 429
        assert client.get("/").status_code == 200  # reading a page is never limited
        v1 = client.post("/v1/chat/completions", json={})
        assert v1.status_code == 429 and v1.json()["error"]["type"] == "rate_limit_error"


def test_writes_and_admin_have_buckets_of_their_own(tmp_path: Any) -> None:
    app = _app(tmp_path, write_rate_limit="3/minute", admin_rate_limit="2/minute", admin_token=ADMIN)
    with TestClient(app, raise_server_exceptions=False) as client:
        writes = [client.post("/api/feedback", json={"conversation_id": "x", "helpful": True}).status_code,
                  client.post("/api/deadlines", json={"events": {"request_received": "2026-03-03"}, "today": "2026-11-23"}).status_code,
                  client.delete("/api/conversations/x").status_code,
                  client.post("/api/letters", json={"template": "request_assessment"}).status_code]
        assert writes == [404, 200, 404, 429]
        admin = [client.post("/api/admin/purge", headers={"Authorization": "Bearer wrong"}).status_code for _ in range(3)]
        assert admin == [401, 401, 429], "guessing the admin token is slowed down too"


def test_the_openapi_429s_follow_the_policy(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            limited = bucket_for(method, path) is not None
            assert ("429" in operation["responses"]) == limited, (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= set(operation["responses"]), (method, path)


# --- settings fail loudly ------------------------------------------------------------------


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    environ = {k: v for k, v in os.environ.items() if not k.startswith("SEND_ASSISTANT_")}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, env=environ,
                          timeout=120, check=False)


@pytest.mark.parametrize(("args", "env", "expected"), [
    (["serve", "--port", "99999"], {}, "--port: a port must be from 1 to 65535; got 99999"),
    (["serve", "--port", "http"], {}, "a port must be a whole number from 1 to 65535; got 'http'"),
    (["purge"], {"SEND_ASSISTANT_RATE_LIMIT": "lots"}, "setting SEND_ASSISTANT_RATE_LIMIT has a bad value 'lots'"),
    (["serve"], {"SEND_ASSISTANT_RATELIMIT": "5/minute"}, "SEND_ASSISTANT_RATELIMIT is not a setting (did you mean SEND_ASSISTANT_RATE_LIMIT?)"),
    (["purge"], {"SEND_ASSISTANT_ADMIN_TOKEN": "short"}, "SEND_ASSISTANT_ADMIN_TOKEN has a bad value (hidden, 5 characters)"),
    (["purge"], {"SEND_ASSISTANT_EMBED_ALLOWED_ORIGINS": '["http://www.council.example"]'}, "https"),
    (["purge"], {"SEND_ASSISTANT_CHROMA_PORT": "0"}, "SEND_ASSISTANT_CHROMA_PORT has a bad value"),
    (["purge"], {"SEND_ASSISTANT_LOG_MESSAGE_TEXT": "perhaps"}, "SEND_ASSISTANT_LOG_MESSAGE_TEXT has a bad value 'perhaps'"),
])
def test_a_bad_setting_stops_start_up_with_one_line(args: list[str], env: dict[str, str], expected: str, tmp_path: Any) -> None:
    result = _cli("--data-dir", str(tmp_path / "data"), *args, env=env)
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert "short" not in result.stderr  # a secret is never echoed


def test_a_data_dir_that_is_a_file_is_one_line_too(tmp_path: Any) -> None:
    afile = tmp_path / "data"
    afile.write_text("not a folder")
    result = _cli("--data-dir", str(afile), "purge")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "is a file, not a folder" in result.stderr


def test_admin_tokens_shorter_than_32_characters_are_refused() -> None:
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(admin_token="a" * 31)
    assert Settings(admin_token="a" * 32).admin_token


# --- no 500 from input --------------------------------------------------------------------


@pytest.mark.parametrize(("path", "body"), [
    ("/api/deadlines", {"events": {"request_received": "9999-12-01"}, "today": "9999-12-31"}),
    ("/api/appeal-route", {"decision": "refuse_assessment", "decision_date": "9999-12-31", "today": "9999-12-31"}),
    ("/api/deadlines", {"events": {"request_received": "0001-01-01"}}),
    ("/api/deadlines", {"events": {"review_meeting": 0.0}}),
    ("/api/feedback", {"conversation_id": "x", "helpful": 0}),
])
def test_impossible_input_is_a_422_never_a_500(client: TestClient, path: str, body: Any) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize("value", ["Kim\x00", "a\x1bb", "line\r\n# DECISION: YOUR PLAN IS CANCELLED"])
def test_letter_fields_with_control_characters_make_a_word_file(client: TestClient, value: str) -> None:
    body = {"template": "request_assessment", "fields": {"parent_name": value, "reasons": value, "child_name": "Sam"}}
    response = client.post("/api/letters?format=docx", json=body)
    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert not any("CANCELLED" in h for h in headings), "a field can never become a heading"
    page = client.post("/tools/letters", data={"template": "request_assessment", "parent_name": value, "format": "docx"})
    assert page.status_code == 200


def test_a_terminal_colour_code_in_a_letter_field_goes_whole(client: TestClient) -> None:
    body = {"template": "request_assessment", "fields": {"parent_name": "Kim\x1b[31m Taylor\x1b[0m", "child_name": "Sam"}}
    text = client.post("/api/letters", json=body).json()["text"]
    assert text.startswith("Kim Taylor\n") and "[31m" not in text and "[0m" not in text


def test_a_body_that_cannot_be_read_is_a_documented_400(client: TestClient) -> None:
    deep = b'{"message": "hi", "x": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"
    for path in ("/api/chat", "/v1/chat/completions"):
        response = client.post(path, content=deep, headers={"content-type": "application/json"})
        assert response.status_code == 400, response.text
        body = response.json()
        assert (body["error"]["code"] if path.startswith("/v1") else body["error"]) == "bad_request"
        assert "400" in client.get("/openapi.json").json()["paths"][path]["post"]["responses"]


def test_an_unexpected_error_is_json_with_the_security_headers(tmp_path: Any) -> None:
    app = _app(tmp_path)

    @app.get("/api/boom", include_in_schema=False)
    async def boom() -> None:
        raise RuntimeError("kaboom with kim@example.org")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/boom")
        assert response.status_code == 500
        assert response.json()["error"] == "server_error" and "kaboom" not in response.text
        for header in ("x-content-type-options", "content-security-policy", "referrer-policy", "permissions-policy"):
            assert header in response.headers, header
        assert response.headers["cache-control"] == "no-store"


# --- the low items --------------------------------------------------------------------------


def test_answers_and_pages_are_no_store_static_files_are_not(client: TestClient) -> None:
    assert client.get("/").headers["cache-control"] == "no-store"
    assert client.post("/api/deadlines", json={"events": {}}).headers["cache-control"] == "no-store"
    assert client.get("/api/health").headers["cache-control"] == "no-store"
    # Static files are the same for everyone: kept, but revalidated (no-cache), never without a Cache-Control.
    assert client.get("/static/app.css").headers["cache-control"] == "no-cache"
    assert client.get("/static/app.js").headers["cache-control"] == "no-cache"
    assert client.get("/static/no-such-file.js").headers["cache-control"] == "no-store"


def test_admin_routes_are_hidden_from_the_public_schema_and_docs_are_off(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert not [p for p in schema["paths"] if p.startswith("/api/admin")]
    assert "HTTPValidationError" not in client.get("/openapi.json").text
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
    assert client.post("/api/admin/purge", headers={"Authorization": f"Bearer {ADMIN}"}).status_code == 200


def test_openai_shaped_errors_on_v1(client: TestClient) -> None:
    response = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "x" * 4001}]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and "4001 characters" in error["message"]
    too_big = client.post("/v1/chat/completions", content=b"x" * 70_000, headers={"content-type": "application/json"})
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "too_large"
    assert client.post("/v1/chat/completions", json={"messages": [], "stream": 0}).json()["error"]["message"]


def test_strict_booleans_and_dates(client: TestClient) -> None:
    for body in ({"decision": "refuse_assessment", "young_person": 0}, {"decision": "refuse_assessment", "young_person": "yes"},
                 {"decision": "refuse_assessment", "decision_date": 0}):
        assert client.post("/api/appeal-route", json=body).status_code == 422, body
    fine = client.post("/api/appeal-route", json={"decision": "refuse_assessment", "young_person": True,
                                                  "decision_date": "2026-01-05", "today": "2026-02-01"})
    assert fine.status_code == 200


def test_the_schema_says_what_the_server_accepts(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    message = schema["ChatRequest"]["properties"]["message"]
    assert (message["minLength"], message["maxLength"]) == (1, 4000)
    assert not re.search(message["pattern"], " \t\u00a0\u3000") and re.search(message["pattern"], " a ")
    day = schema["DeadlinesRequest"]["properties"]["today"]["anyOf"][0]
    assert day["format"] == "date" and re.match(day["pattern"], "2099-12-31") and not re.match(day["pattern"], "9999-12-31")
    assert schema["AppealRequest"]["properties"]["sections"]["items"]["enum"] == ["B", "F", "I"]
    assert schema["EventsIn"]["dependentRequired"]["tribunal_order"] == ["order_type"]


# --- what uvicorn answers itself ----------------------------------------------------------------

UNREADABLE = [
    b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",  # a header line without a colon
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 70_000,  # headers past h11's limit, never finished
]
UPGRADE = (b"GET /api/nope HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
           b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")


def _raw(port: int, data: bytes) -> str:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(data)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    return received.decode("latin-1").split("\r\n\r\n", 1)[0].lower()


@pytest.fixture
def served_port(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """The app under uvicorn, configured as `send-assistant serve` configures it."""
    import socket
    import threading
    import time

    import uvicorn

    from assistant.cli import main

    options: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: options.update(kwargs))
    assert main(["--data-dir", str(tmp_path / "data"), "serve"]) == 0
    chosen = {"http": options.get("http", "auto"), "ws": options.get("ws", "auto")}
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(_app(tmp_path), log_level="warning", timeout_graceful_shutdown=1, **chosen))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield sock.getsockname()[1]
    server.should_exit = True
    thread.join(5)
    sock.close()


def test_what_uvicorn_answers_itself_carries_the_security_headers(served_port: int) -> None:
    for request, status in [*[(r, "400") for r in UNREADABLE], (UPGRADE, "404")]:
        head = _raw(served_port, request)
        assert head.startswith(f"http/1.1 {status}"), (request[:40], head)
        for header in ("x-content-type-options: nosniff", "referrer-policy:", "permissions-policy:", "cache-control: no-store",
                       "content-security-policy: default-src 'none'"):
            assert header in head, (request[:40], header, head)
