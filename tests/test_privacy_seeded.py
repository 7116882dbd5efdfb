"""200+ messages seeded with personal data go in through every route; none of it comes out.

The messages (tests/seeded_pii.py) cover names in any case, schools, postcodes with and
without a space, streets with and without a number, dates of birth in words, NHS numbers
(zero-width spaces and fullwidth digits too), phone numbers, emails (spelled out too) and
National Insurance numbers. They are sent through /api/chat, the stream, /v1 (as earlier turns
and as the question), the pages without JavaScript, and feedback comments; the server's own
logging (with message text turned on) writes to a file. Then the database file, its WAL and
the log are searched.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.logging_setup import RedactingFilter, TextFormatter
from assistant.screening.redact import redact
from seeded_pii import Haystack, Seeded, messages, survivors

SEEDED = messages()


class HashEmbedder:
    """Deterministic vectors from a hash: the answers do not matter here, only what is stored."""

    dimension = 16

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:16], dtype=np.uint8).astype(np.float32) - 127.5
                for t in texts]
        return np.stack([r / np.linalg.norm(r) for r in rows]) if rows else np.zeros((0, self.dimension), np.float32)


def test_there_are_at_least_200_seeded_messages_of_every_kind() -> None:
    assert len(SEEDED) >= 200
    assert {m.kind for m in SEEDED} >= {"NAME", "SCHOOL", "POSTCODE", "ADDRESS", "DATE_OF_BIRTH", "NHS_NUMBER",
                                       "PHONE", "EMAIL", "NI_NUMBER"}


def test_the_search_finds_every_seeded_identifier_before_redaction_and_not_in_a_log_timestamp() -> None:
    # The check can fail: unredacted, every message shows its needles, as it would in a log line.
    assert [m.text for m in SEEDED if not survivors(m, f"2026-12-07 21:31:27,900 INFO x: {m.text}")] == []
    # A timestamp's digits are not joined into an identifier (21:31:27,900 holds "127900").
    ni = next(m for m in SEEDED if "127900" in m.digits)
    assert survivors(ni, "2026-12-07 21:31:27,900 INFO assistant.api: question received") == []


@pytest.mark.parametrize("seeded", SEEDED, ids=[f"{m.kind}-{i}" for i, m in enumerate(SEEDED)])
def test_redaction_removes_every_seeded_identifier(seeded: Seeded) -> None:
    assert survivors(seeded, redact(seeded.text).text) == []


def _send(client: TestClient, n: int, seeded: Seeded) -> None:
    """Route message n through one of the ways a message reaches storage."""
    text = seeded.text
    route = n % 6
    if route == 0:
        client.post("/api/chat", json={"message": text})
    elif route == 1:
        with client.stream("POST", "/api/chat/stream", json={"message": text}) as response:
            response.read()
    elif route == 2:
        client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": text},
                                                               {"role": "user", "content": "what happens next?"}]})
    elif route == 3:
        client.post("/", data={"message": text})
    elif route == 4:
        client.post("/embed", data={"message": text, "fixed_local_authority": "Demoshire"})
    else:
        body = client.post("/api/chat", json={"message": "What is the LGSCO?"}).json()
        client.post("/api/feedback", json={"conversation_id": body["conversation_id"],
                                           "conversation_token": body["conversation_token"], "helpful": False,
                                           "comment": text[:500], "keep_question": True})


@pytest.fixture
def services(small_corpus: Path, tmp_path: Path) -> Any:
    from assistant.config import Settings
    from assistant.services import build_services, run_index

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=small_corpus, rate_limit="none", write_rate_limit="none",
                        log_message_text=True, min_relevance=0.0)
    embedder = HashEmbedder()
    run_index(settings, embedder)  # type: ignore[arg-type]
    return build_services(settings, embedder=embedder)  # type: ignore[arg-type]


def test_no_seeded_identifier_survives_in_the_database_or_the_logs(services: Any, tmp_path: Path) -> None:
    settings = services.settings
    log_file = tmp_path / "server.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(TextFormatter())  # as `serve` formats its log
    handler.addFilter(RedactingFilter(log_message_text=True))  # as `serve` installs it, with message text on
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        with TestClient(create_app(services=services)) as client:
            for n, seeded in enumerate(SEEDED):
                _send(client, n, seeded)  # the server logs each question itself (log_message_text is on)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()
    database = settings.data_dir / "assistant.db"
    with sqlite3.connect(database) as connection:
        stored = [row[0] or "" for table, column in (("turns", "question"), ("turns", "query"),
                                                    ("feedback", "reasons"), ("feedback", "message_text"))
                  for row in connection.execute(f"SELECT {column} FROM {table}")]  # noqa: S608 - fixed names
    assert len(stored) >= len(SEEDED), "every message was stored (redacted)"
    files = "".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(database.parent.glob("assistant.db*")))
    log = log_file.read_text(encoding="utf-8").splitlines()
    # Every seeded message was logged as a question (the feedback route's own question aside), with its text.
    logged = [line for line in log if "question received" in line and "| message text: " in line]
    assert len(logged) >= len(SEEDED)
    rows, lines, whole = [Haystack(r) for r in stored], [Haystack(line) for line in log], Haystack(files)
    left = {
        "database": [(m.kind, s) for m in SEEDED for row in rows for s in survivors(m, row)],
        "database files": [(m.kind, s) for m in SEEDED for s in survivors(m, whole) if not s.isdigit()],
        "log": [(m.kind, s) for m in SEEDED for line in lines for s in survivors(m, line)],
    }
    assert left == {"database": [], "database files": [], "log": []}
