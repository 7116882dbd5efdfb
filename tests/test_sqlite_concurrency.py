"""The embedded SQLite store under concurrent writers: every write lands, none fails as "locked"."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from sqlalchemy import text

from assistant.storage.conversations import Feedback, SqlConversationStore, Turn


def _write_many(url: str, worker: int, count: int) -> None:
    store = SqlConversationStore(url, redact=lambda t: t)
    for n in range(count):
        store.append(f"conv-{worker}-{n}", Turn(question=f"question {n}", query=f"question {n}", status="answered"))
        store.add_feedback(Feedback(conversation_id=f"conv-{worker}-{n}", helpful=n % 2 == 0))


def test_the_file_database_uses_write_ahead_logging(tmp_path: Path) -> None:
    store = SqlConversationStore(f"sqlite:///{tmp_path / 'a.db'}", redact=lambda t: t)
    with store._engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_several_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    SqlConversationStore(url, redact=lambda t: t)  # create the tables once
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(url, w, 60)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    assert [p.exitcode for p in workers] == [0, 0, 0, 0]
    store = SqlConversationStore(url, redact=lambda t: t)
    with store._engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM turns")).scalar() == 240
        assert connection.execute(text("SELECT count(*) FROM feedback")).scalar() == 240
