"""`serve` gives each worker one thread for the model and numpy unless told otherwise.

Many answers at once share two cores better when no answer spreads over both: the setting
reaches every worker through the environment, and build_services caps numpy's BLAS with it.
"""

from __future__ import annotations

import os
from typing import Any

import pytest


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.delenv("SEND_ASSISTANT_COMPUTE_THREADS", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    return calls


def test_serve_runs_one_thread_per_worker_by_default(served: list[dict[str, Any]]) -> None:
    from assistant.cli import main
    from assistant.config import get_settings

    assert main(["serve", "--port", "8123"]) == 0
    assert served and served[0]["port"] == 8123
    assert os.environ["SEND_ASSISTANT_COMPUTE_THREADS"] == "1"
    assert get_settings().compute_threads == 1, "the app the workers build reads it"


def test_serve_threads_and_the_environment_override_the_default(served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.cli import main

    monkeypatch.setenv("SEND_ASSISTANT_COMPUTE_THREADS", "2")
    assert main(["serve"]) == 0
    assert os.environ["SEND_ASSISTANT_COMPUTE_THREADS"] == "2"
    assert main(["serve", "--threads", "3"]) == 0
    assert os.environ["SEND_ASSISTANT_COMPUTE_THREADS"] == "3"


def test_compute_threads_caps_numpys_blas(tmp_path: Any) -> None:
    from threadpoolctl import threadpool_info, threadpool_limits

    from assistant.config import Settings
    from assistant.services import build_services

    class NoEmbedder:
        dimension = 3

        def embed(self, texts: Any) -> Any:
            raise AssertionError("nothing is embedded without an index")

    with threadpool_limits(limits=None):  # restores the original limits afterwards
        build_services(Settings(data_dir=tmp_path / "data", compute_threads=1), embedder=NoEmbedder())
        blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
        assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_workers_starting_together_on_a_new_database_all_open_it(tmp_path: Any) -> None:
    """Stores created at once on a fresh SQLite file: none may fail on 'table already exists'
    when another creates a table or index between its check and its CREATE. Several fresh
    files, six stores each, because the race is won or lost by timing."""
    import threading

    from assistant.storage.conversations import SqlConversationStore, Turn

    errors: list[BaseException] = []
    for round_ in range(10):
        url = f"sqlite:///{tmp_path / f'new-{round_}.db'}"
        start = threading.Barrier(6)

        def open_store(url: str = url, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                SqlConversationStore(url, redact=lambda text: text).append("c1", Turn("q", "q", "answered"))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=open_store) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    for round_ in range(10):  # every store wrote its turn
        store = SqlConversationStore(f"sqlite:///{tmp_path / f'new-{round_}.db'}", redact=lambda text: text)
        assert len(store.history("c1")) == 6
