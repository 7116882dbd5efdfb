"""Conversation storage on a real PostgreSQL server, started by the test on 127.0.0.1.

The server is Debian's `postgresql` package (initdb + pg_ctl into a temp folder, as the
`postgres` user when the tests run as root); the driver is psycopg 3. Skipped, saying why,
only where either cannot be found.
"""

from __future__ import annotations

import getpass
import glob
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text, update

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.services import build_services, run_index
from assistant.storage.conversations import Feedback, SqlConversationStore, Turn, _FeedbackRow, _TurnRow
from assistant.storage.ownership import token_hash
from test_reliability import free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TOKEN = "pg-admin-token-0123456789-abcdefghij"


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def _as_owner(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    pytest.importorskip("psycopg", reason="pip install 'psycopg[binary]' to test PostgreSQL storage")
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install -y postgresql)")
    if os.geteuid() == 0 and (shutil.which("runuser") is None or subprocess.run(["id", "postgres"], capture_output=True).returncode):
        pytest.skip("running as root with no `postgres` user to run the server as")
    folder = Path(tempfile.mkdtemp(prefix="send-assistant-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, user="postgres", group="postgres")
    data, port = folder / "data", free_port()
    user = "postgres" if os.geteuid() == 0 else getpass.getuser()
    subprocess.run(
        _as_owner([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", user, "-E", "UTF8", "--locale=C", "--no-sync"]),
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
    start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "-t", "60", "start"]
    subprocess.run(_as_owner(start), check=True, capture_output=True, timeout=90)
    try:
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def store(pg_url: str) -> Iterator[SqlConversationStore]:
    engine = create_engine(pg_url)
    with engine.begin() as connection:  # every test starts from empty tables
        connection.execute(text("DROP TABLE IF EXISTS turns, feedback, conversation_owners"))
    engine.dispose()
    yield SqlConversationStore(pg_url, redact=lambda t: t.replace("kim@example.org", "[EMAIL]"))


def _age(store: SqlConversationStore, days: int) -> None:
    when = datetime.now(UTC) - timedelta(days=days)
    with store._session.begin() as session:
        session.execute(update(_TurnRow).values(created=when))
        session.execute(update(_FeedbackRow).values(created=when))


def test_turns_and_feedback_round_trip_redacted(store: SqlConversationStore) -> None:
    store.append("c1", Turn(question="mail kim@example.org", query="q1", status="answered"))
    store.append("c1", Turn(question="second", query="q2", status="clarify"))
    assert [(t.question, t.status) for t in store.history("c1")] == [("mail [EMAIL]", "answered"), ("second", "clarify")]
    assert store.history("c1", limit=1)[0].question == "second"
    feedback_id = store.add_feedback(Feedback(conversation_id="c1", helpful=False, reasons="kim@example.org", message_text="x"))
    listed = store.list_feedback()
    assert listed[0]["id"] == feedback_id and listed[0]["reasons"] == "[EMAIL]" and listed[0]["helpful"] is False
    assert store.delete("c1") and store.history("c1") == [] and store.list_feedback() == []
    assert not store.delete("c1")


def test_purge_removes_only_rows_past_retention(store: SqlConversationStore) -> None:
    store.append("old", Turn(question="q", query="q", status="answered"))
    store.add_feedback(Feedback(conversation_id="old", helpful=True))
    _age(store, 31)
    store.append("new", Turn(question="q", query="q", status="answered"))
    assert store.purge(older_than_days=30) == 2
    assert store.history("old") == [] and len(store.history("new")) == 1
    assert store.purge(older_than_days=0) == 1


def test_concurrent_writers_lose_nothing(store: SqlConversationStore) -> None:
    def write(worker: int) -> None:
        for i in range(25):
            store.append(f"w{worker}", Turn(question=f"q{i}", query=f"q{i}", status="answered"))
            store.add_feedback(Feedback(conversation_id=f"w{worker}", helpful=bool(i % 2)))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert store.count_turns() == 200
    assert len(store.list_feedback(limit=1000)) == 200


def test_the_api_and_the_purge_command_use_postgresql(
    pg_url: str, store: SqlConversationStore, small_corpus: Path, tmp_path: Path, embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=small_corpus, database_url=pg_url, admin_token=TOKEN, rate_limit="none")
    run_index(settings, embedder)
    client = TestClient(create_app(services=build_services(settings, embedder=embedder)))
    first = client.post("/api/chat", json={"message": "What is the LGSCO?"}).json()
    second = client.post("/api/chat", json={"message": "and when can I go to them?", "conversation_id": first["conversation_id"],
                                            "conversation_token": first["conversation_token"]})
    assert second.json()["status"] == "answered"
    assert len(store.history(first["conversation_id"])) == 2  # in PostgreSQL, not in the process
    assert store.owner_hash(first["conversation_id"]) == token_hash(first["conversation_token"])

    _age(store, 45)
    purged = client.post("/api/admin/purge", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert purged == {"removed": 2, "older_than_days": 30}

    from assistant.cli import main
    from assistant.config import get_settings

    store.append("later", Turn(question="q", query="q", status="answered"))
    _age(store, 3)
    monkeypatch.setenv("SEND_ASSISTANT_DATABASE_URL", pg_url)
    get_settings.cache_clear()
    assert main(["purge", "--older-than-days", "2"]) == 0
    assert store.history("later") == []


def test_a_message_with_a_nul_character_is_answered_not_a_500(
    pg_url: str, store: SqlConversationStore, small_corpus: Path, tmp_path: Path, embedder: Any
) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=small_corpus, database_url=pg_url, rate_limit="none")
    run_index(settings, embedder)
    client = TestClient(create_app(services=build_services(settings, embedder=embedder)), raise_server_exceptions=False)
    response = client.post("/api/chat", json={"message": "What is the LGSCO?\x00"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "answered"
    stored = store.history(response.json()["conversation_id"])
    assert [t.question for t in stored] == ["What is the LGSCO?"]


def test_the_store_drops_characters_postgresql_cannot_hold(store: SqlConversationStore) -> None:
    """Whatever a caller passes: NUL, other controls and lone surrogates never reach a column."""
    store.append("c\x00nul", Turn(question="mail\x00 kim@exa\x00mple.org\x1b\ud800", query="q\x00", status="answered\x00"))
    assert store.history("c\x00nul") == store.history("cnul") == [Turn(question="mail [EMAIL]", query="q", status="answered")]
    store.add_feedback(Feedback(conversation_id="cnul", helpful=True, reasons="slow\x00\x7f", message_text="why\x00?\tok\n"))
    listed = store.list_feedback()
    assert (listed[0]["reasons"], listed[0]["message_text"]) == ("slow", "why?\tok\n")
    assert store.delete("c\x00nul") and store.history("cnul") == []


def test_only_the_owner_reads_continues_or_deletes_and_delete_is_complete_on_postgresql(
    pg_url: str, store: SqlConversationStore, small_corpus: Path, tmp_path: Path, embedder: Any
) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=small_corpus, database_url=pg_url, rate_limit="none")
    run_index(settings, embedder)
    app = create_app(services=build_services(settings, embedder=embedder))
    with TestClient(app) as owner, TestClient(app, client=("203.0.113.5", 1)) as stranger:
        page = owner.post("/", data={"message": "What is the LGSCO? quokkaplanner"})
        cid = page.text.split('name="conversation_id" value="')[1].split('"')[0]
        owner.post("/feedback", data={"conversation_id": cid, "turn": "1", "helpful": "yes", "keep_question": "yes"})
        foreign = stranger.post("/", data={"message": "and then?", "conversation_id": cid})
        assert "quokkaplanner" not in foreign.text
        assert stranger.post("/api/feedback", json={"conversation_id": cid, "helpful": True}).status_code == 404
        assert stranger.delete(f"/api/conversations/{cid}").status_code == 404
        assert len(store.history(cid)) == 1 and len(store.list_feedback()) == 1

        assert owner.delete(f"/api/conversations/{cid}").status_code == 204
        assert app.state.transcripts.get(cid) == []
        again = owner.post("/", data={"message": "hello", "conversation_id": cid})
        assert "quokkaplanner" not in again.text
    engine = create_engine(pg_url)
    with engine.connect() as connection:
        for table in ("turns", "feedback", "conversation_owners"):
            rows = connection.execute(text(f"SELECT count(*) FROM {table} WHERE conversation_id = :c"), {"c": cid}).scalar()  # noqa: S608
            assert rows == 0, table
        assert connection.execute(text("SELECT count(*) FROM turns WHERE question LIKE '%quokkaplanner%'")).scalar() == 0
    engine.dispose()
