"""Faults tested for real: a vector store server that dies and comes back, a re-index that fails
half-way, a damaged data folder, `send-assistant index` killed mid-build, and SIGTERM with a
request in flight. Servers run on 127.0.0.1 only; every wait is bounded.

The helpers here (free ports, a `chroma run` server, a `send-assistant serve` process) are
also used by test_scale.py and test_postgres.py.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.retrieval.layout import current_build
from assistant.services import build_services, run_index
from conftest import SMALL_CORPUS, write_corpus

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CLI = [sys.executable, "-m", "assistant.cli"]
CHROMA = Path(sys.executable).parent / "chroma"
QUESTION = {"message": "What is the LGSCO?"}
SERVER_START_S = 150.0  # a worker loads torch and the model; slow when the machine is busy


# --- helpers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], bool], *, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(interval)
    return False


def stop(process: subprocess.Popen[Any], *, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
    return int(process.returncode)


def start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    """A real `chroma run` server on 127.0.0.1:port, storing its data in `path`."""
    if not CHROMA.exists():
        pytest.skip(f"no `chroma` command beside {sys.executable} (it comes with the chromadb package)")
    log = (path.parent / f"chroma-{port}.log").open("ab")
    process = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    if not wait_until(lambda: httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2).status_code == 200, timeout=60):
        stop(process, sig=signal.SIGKILL)
        pytest.fail(f"chroma run did not start on port {port}")
    return process


@contextmanager
def chroma_server(path: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    process = start_chroma(path, port)
    try:
        yield process
    finally:
        stop(process)


def server_env(data_dir: Path, corpus_dir: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEND_ASSISTANT_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    env.update(SEND_ASSISTANT_DATA_DIR=str(data_dir), SEND_ASSISTANT_CORPUS_DIR=str(corpus_dir), SEND_ASSISTANT_RATE_LIMIT="none")
    env.update({f"SEND_ASSISTANT_{k.upper()}": v for k, v in settings.items()})
    return env


class Server:
    """A `send-assistant serve` process on 127.0.0.1; its output goes to a log file."""

    def __init__(self, env: dict[str, str], port: int, log: Path, *args: str) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.process = subprocess.Popen(
            [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port), *args],
            env=env,
            cwd=log.parent,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = SERVER_START_S) -> Server:
        def up() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited with {self.process.returncode}:\n{self.output()}")
            return httpx.get(self.url + "/api/health", timeout=5).status_code in (200, 503)

        assert wait_until(up, timeout=timeout, interval=0.25), f"the server did not start:\n{self.output()}"
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        return stop(self.process, sig=sig)


@contextmanager
def serving(env: dict[str, str], port: int, log: Path, *args: str) -> Iterator[Server]:
    server = Server(env, port, log, *args)
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def _chat(client: Any, payload: dict[str, Any] = QUESTION) -> Any:
    return client.post("/api/chat", json=payload)


# --- the vector store goes away and comes back ------------------------------------------------


def test_vector_store_outage_is_a_clear_503_and_the_server_recovers(small_corpus: Path, tmp_path: Path, embedder: Any) -> None:
    port = free_port()
    store_dir = tmp_path / "chroma-server"
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=small_corpus, chroma_host="127.0.0.1", chroma_port=port, rate_limit="none")
    first = start_chroma(store_dir, port)
    try:
        run_index(settings, embedder)
        client = TestClient(create_app(services=build_services(settings, embedder=embedder)))
        assert _chat(client).json()["status"] == "answered"
        assert client.get("/api/health").json()["vector_store"] == "ok"
    finally:
        stop(first, sig=signal.SIGKILL)

    down = _chat(client)
    assert down.status_code == 503
    assert down.json()["error"] == "backend_unavailable" and "vector store" in down.json()["detail"]
    health = client.get("/api/health").json()
    assert health["status"] != "ok" and health["vector_store"] == "unavailable", health
    assert client.get("/api/health").status_code == 200  # health itself answers, and says what is wrong

    with chroma_server(store_dir, port):
        assert wait_until(lambda: _chat(client).status_code == 200, timeout=30, interval=0.5)
        assert _chat(client).json()["status"] == "answered"
        assert client.get("/api/health").json()["status"] == "ok"


# --- a re-index fails half-way --------------------------------------------------------------


class FailingEmbedder:
    """The real embedder until `fail_after` texts, then an error, as a crash half-way would."""

    def __init__(self, inner: Any, fail_after: int) -> None:
        self.inner, self.dimension, self.fail_after, self.texts = inner, inner.dimension, fail_after, 0

    def embed(self, texts: list[str]) -> Any:
        if self.texts + len(texts) > self.fail_after:
            raise RuntimeError("the embedding model crashed half-way")
        self.texts += len(texts)
        return self.inner.embed(texts)


def test_a_reindex_failing_half_way_leaves_the_old_index_serving(small_services: Any, small_corpus: Path) -> None:
    services = small_services
    services.settings = services.settings.model_copy(update={"admin_token": "t0ken-for-tests", "rate_limit": "none"})
    client = TestClient(create_app(services=services))
    before = client.get("/api/health").json()["index"]
    extra = {f"extra/{i}.md": SMALL_CORPUS["glossary/lgsco.md"].replace("LGSCO", f"NEWBODY{i}") for i in range(3)}
    write_corpus(small_corpus, extra)
    services.embedder = FailingEmbedder(services.embedder, fail_after=2)  # the pipeline keeps its own

    failed = client.post("/api/admin/reindex", headers={"Authorization": "Bearer t0ken-for-tests"})
    assert failed.status_code == 500
    assert failed.json()["error"] == "reindex_failed" and before["build"] in failed.json()["detail"]
    assert client.get("/api/health").json()["index"] == before
    assert _chat(client).json()["status"] == "answered"
    assert [p.name for p in services.settings.index_dir.glob("build-*")] == [before["build"]]

    services.embedder = services.embedder.inner
    rebuilt = client.post("/api/admin/reindex", headers={"Authorization": "Bearer t0ken-for-tests"}).json()
    assert rebuilt["chunks"] == before["chunks"] + 3
    assert client.get("/api/health").json()["index"]["build"] == rebuilt["build"]


# --- a damaged data folder at start-up --------------------------------------------------------


def _cut(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garble(path: Path) -> None:
    path.write_bytes(b"\x00garbage{" * 100)


DAMAGE: dict[str, Callable[[Path, Path], None]] = {
    "CURRENT names a build that is gone": lambda index, build: (index / "CURRENT").write_text("build-gone"),
    "manifest is not JSON": lambda index, build: _garble(build / "manifest.json"),
    "chunks.jsonl cut short": lambda index, build: _cut(build / "chunks.jsonl"),
    "keyword index missing": lambda index, build: shutil.rmtree(build / "bm25"),
    "vectors.npz cut short": lambda index, build: _cut(build / "vectors.npz"),
    "vector store folder deleted": lambda index, build: shutil.rmtree(build / "chroma"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_index_says_how_to_rebuild(
    damage: str, small_corpus: Path, tmp_path: Path, embedder: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli.serve import index_problem
    from assistant.cli import main

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=small_corpus, rate_limit="none")
    run_index(settings, embedder)
    build = current_build(settings.index_dir)
    assert build is not None
    DAMAGE[damage](settings.index_dir, build)

    problem = index_problem(settings)
    assert problem and "send-assistant index" in problem  # what `serve` prints before it starts

    capsys.readouterr()
    assert main(["--data-dir", str(settings.data_dir), "ask", "What is the LGSCO?"]) == 2
    assert "send-assistant index" in capsys.readouterr().err

    client = TestClient(create_app(services=build_services(settings, embedder=embedder)))
    health = client.get("/api/health")
    assert health.status_code == 200 and health.json()["status"] == "unavailable", health.text
    chat = _chat(client)
    assert chat.status_code == 503 and "send-assistant index" in chat.json()["detail"]


def test_serve_and_ask_on_a_damaged_index_print_how_to_rebuild_not_a_traceback(
    small_corpus: Path, tmp_path: Path, embedder: Any
) -> None:
    data = tmp_path / "data"
    run_index(Settings(data_dir=data, corpus_dir=small_corpus), embedder)
    build = current_build(data / "index")
    assert build is not None
    _cut(build / "chunks.jsonl")
    env = server_env(data, small_corpus)

    ask = subprocess.run([*CLI, "ask", "What is the LGSCO?"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert ask.returncode == 2
    assert "send-assistant index --rebuild" in ask.stderr and "Traceback" not in ask.stderr + ask.stdout

    with serving(env, free_port(), tmp_path / "serve.log") as server:
        health = httpx.get(server.url + "/api/health", timeout=30)
        assert health.status_code == 200 and health.json()["status"] == "unavailable"
        chat = httpx.post(server.url + "/api/chat", json=QUESTION, timeout=30)
        assert chat.status_code == 503 and "--rebuild" in chat.json()["detail"]
    output = server.output()
    assert "send-assistant index --rebuild" in output and "Traceback" not in output


# --- `send-assistant index` killed mid-build ----------------------------------------------------


def test_index_killed_mid_build_keeps_the_old_index_and_the_next_run_recovers(
    small_corpus: Path, tmp_path: Path, embedder: Any
) -> None:
    extra = {f"gen/doc{i}.md": SMALL_CORPUS["glossary/lgsco.md"].replace("ref: LGSCO", f"ref: GEN{i}") for i in range(30)}
    write_corpus(small_corpus, extra)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=small_corpus, rate_limit="none")
    run_index(settings, embedder)
    services = build_services(settings, embedder=embedder)
    client = TestClient(create_app(services=services))
    serving_build = client.get("/api/health").json()["index"]["build"]

    changed = small_corpus / "glossary" / "lgsco.md"
    changed.write_text(changed.read_text().replace("looks at complaints", "investigates complaints"))
    index_dir = settings.index_dir
    old = {p.name for p in index_dir.glob("build-*")}
    env = server_env(settings.data_dir, small_corpus)
    indexing = subprocess.Popen([*CLI, "index"], env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _chat(client).status_code == 200  # answering while the index is being built
        caught = wait_until(lambda: any(p.name not in old for p in index_dir.glob("build-*")), timeout=240, interval=0.005)
        indexing.send_signal(signal.SIGKILL)
        indexing.wait(30)
    finally:
        stop(indexing, sig=signal.SIGKILL)
    assert caught, "the build folder never appeared"
    partial = [p for p in index_dir.glob("build-*") if p.name not in old]
    assert partial and not (partial[0] / "manifest.json").exists(), "killed after the build had finished: not mid-build"

    assert (index_dir / "CURRENT").read_text().strip() == serving_build
    assert client.get("/api/health").json()["index"]["build"] == serving_build
    assert _chat(client).json()["status"] == "answered"

    again = subprocess.run([*CLI, "index"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    builds = sorted(p.name for p in index_dir.glob("build-*"))
    new_build = (index_dir / "CURRENT").read_text().strip()
    assert new_build != serving_build and partial[0].name not in builds and len(builds) <= 2
    assert json.loads((index_dir / new_build / "manifest.json").read_text())["chunks"] == 35
    assert client.get("/api/health").json()["index"]["build"] == new_build
    answer = _chat(client).json()
    assert any("investigates complaints" in c["passage"] for c in answer["citations"]), answer


# --- graceful shutdown -------------------------------------------------------------------------


def test_sigterm_lets_a_request_in_flight_finish(small_corpus: Path, tmp_path: Path, embedder: Any) -> None:
    data = tmp_path / "data"
    run_index(Settings(data_dir=data, corpus_dir=small_corpus), embedder)
    server = Server(server_env(data, small_corpus), free_port(), tmp_path / "serve.log").wait_ready()
    try:
        first_part_sent = threading.Event()

        def slow_body() -> Iterator[bytes]:  # the request is in flight for ~2 s while the body trickles in
            yield b'{"message": "What is the'
            first_part_sent.set()
            time.sleep(2.0)
            yield b' LGSCO?"}'

        result: dict[str, Any] = {}

        def send() -> None:
            try:
                result["response"] = httpx.post(
                    server.url + "/api/chat", content=slow_body(), headers={"content-type": "application/json"}, timeout=60
                )
            except httpx.HTTPError as exc:
                result["error"] = exc

        sender = threading.Thread(target=send)
        sender.start()
        assert first_part_sent.wait(30)
        time.sleep(0.3)
        server.process.send_signal(signal.SIGTERM)
        sender.join(90)
        assert "error" not in result, f"{result.get('error')!r}\n{server.output()}"
        response = result["response"]
        assert response.status_code == 200 and response.json()["status"] == "answered"
        # uvicorn shuts down cleanly, then re-raises the signal it caught: exit status -SIGTERM
        assert server.process.wait(60) in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in server.output()
        assert wait_until(lambda: not _port_open(server.port), timeout=5)
    finally:
        server.stop(signal.SIGKILL)


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0
