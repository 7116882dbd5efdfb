"""Scale out: a real `chroma run` server holds the vectors; several API processes answer.

One `send-assistant serve --workers 2` and one single-worker `send-assistant serve`, all on
127.0.0.1, share the Chroma server and the conversation store, so a follow-up question asked
of another process still sees the conversation (nothing is kept in process memory).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from assistant.config import Settings
from assistant.services import run_index
from assistant.storage.conversations import SqlConversationStore
from test_reliability import chroma_server, free_port, server_env, serving

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_several_api_processes_share_a_chroma_server_and_the_conversations(
    small_corpus: Path, tmp_path: Path, embedder: Any
) -> None:
    chroma_port = free_port()
    data = tmp_path / "data"
    settings = Settings(data_dir=data, corpus_dir=small_corpus, chroma_host="127.0.0.1", chroma_port=chroma_port)
    env = server_env(data, small_corpus, chroma_host="127.0.0.1", chroma_port=str(chroma_port))

    with chroma_server(tmp_path / "chroma-server", chroma_port):
        summary = run_index(settings, embedder)
        assert not (data / "index" / summary.build / "chroma").exists()  # the vectors are on the server

        with serving(env, free_port(), tmp_path / "a.log", "--workers", "2") as a, serving(env, free_port(), tmp_path / "b.log") as b:
            children = psutil.Process(a.process.pid).children(recursive=True)
            workers = [p for p in children if "spawn_main" in " ".join(p.cmdline())]
            assert len(workers) == 2, [p.cmdline() for p in children]

            for server in (a, b):
                health = httpx.get(server.url + "/api/health", timeout=30).json()
                assert health["status"] == "ok" and health["vector_store"] == "ok", health
                assert health["index"]["build"] == summary.build

            answers = []
            for _ in range(8):  # a new connection each time, so both of a's workers take some
                with httpx.Client(base_url=a.url, timeout=60) as client:
                    answers.append(client.post("/api/chat", json={"message": "reg 5(1)"}).json())
            assert {x["status"] for x in answers} == {"answered"}
            assert all(any(c["ref"] == "reg 5(1)" for c in x["citations"]) for x in answers)

            first = httpx.post(a.url + "/api/chat", json={"message": "What is the LGSCO?"}, timeout=60).json()
            assert first["status"] == "answered"
            follow_up = {"message": "and when can I go to them?", "conversation_id": first["conversation_id"],
                         "conversation_token": first["conversation_token"]}
            second = httpx.post(b.url + "/api/chat", json=follow_up, timeout=60).json()
            assert second["status"] == "answered", second  # b read the first turn from the shared store
            assert second["citations"][0]["ref"] == "LGSCO"
            alone = httpx.post(b.url + "/api/chat", json={"message": follow_up["message"]}, timeout=60).json()
            assert alone["status"] == "clarify"  # without the stored history the question is unclear

    store = SqlConversationStore(settings.sqlalchemy_url, redact=lambda text: text)
    assert [t.question for t in store.history(first["conversation_id"])] == ["What is the LGSCO?", "and when can I go to them?"]
