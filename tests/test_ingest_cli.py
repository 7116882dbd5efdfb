"""`send-assistant ingest` end to end: summaries, clear errors, nothing lost, the sources file,
local authority isolation with real council data, and a SIGKILL half-way through."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PROJECT, SMALL_CORPUS, write_corpus
from fixtures_ingest import BRISTOL, NORTH_LINCS, SHARED_ORUK, cop_layout_pdf, local_server, oruk3_pages, oruk3_service

from assistant.cli import main
from assistant.config import Settings
from assistant.ingest.dispatch import detect_kind
from assistant.retrieval.layout import current_build

QUESTION = "Is there an autism support team for schools near me?"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder) -> Settings:  # type: ignore[no-untyped-def]
    """A deployment in tmp_path with the small corpus; the CLI reuses the session's model."""
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    monkeypatch.setenv("SEND_ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setattr("assistant.services.make_embedder", lambda settings: embedder)  # `ask`
    monkeypatch.setattr("assistant.indexing.index_embedder", lambda settings: embedder)  # `index` and `ingest`
    monkeypatch.setenv("SEND_ASSISTANT_EMBEDDING_BACKEND", "torch")  # no ONNX export in every test's data folder
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus)


def services_file(path: Path, n: int, start: int = 1) -> Path:
    path.write_text(json.dumps(oruk3_pages([oruk3_service(i) for i in range(start, start + n)], size=n)[0]))
    return path


def stored(settings: Settings) -> dict[str, str]:
    folder = settings.data_dir / "sources"
    return {p.name: p.read_text() for p in sorted(folder.glob("*.jsonl"))} if folder.is_dir() else {}


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("https://www.legislation.gov.uk/ukpga/2014/6/part/3/data.xml", "legislation"),
        ("https://directory.example/o/ServiceDirectoryService/v2/services", "oruk"),
        ("https://assets.publishing.service.gov.uk/media/x/SEND_Code_of_Practice_January_2015.pdf", "pdf"),
        ("https://localoffer.example/sitemap.xml", "html"),
    ],
)
def test_kind_detection_from_urls(target: str, kind: str) -> None:
    assert detect_kind(target) == kind


def test_bad_input_exits_non_zero_with_a_specific_message(env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "notes.odt"
    odd.write_text("x")
    assert main(["ingest", str(odd), "--status", "guidance"]) == 2
    assert "unsupported file type .odt" in capsys.readouterr().err
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert main(["ingest", str(empty), "--status", "statutory_guidance", "--source", "SEND Code of Practice 2015"]) == 2
    assert "is empty (0 bytes)" in capsys.readouterr().err
    assert main(["ingest", str(tmp_path / "missing.json"), "--status", "local", "--local-authority", "X"]) == 2
    assert "no such file" in capsys.readouterr().err
    unnamed = tmp_path / "unnamed.json"
    unnamed.write_text(json.dumps([{"id": "a", "name": ""}, {"id": "b", "description": "no name either"}]))
    assert main(["ingest", str(unnamed), "--status", "local", "--local-authority", "X"]) == 2
    assert "gave no documents: all 2 record(s) were skipped (record 1 (id a) has no name; record 2 (id b) has no name)" in capsys.readouterr().err
    menu = tmp_path / "menu.html"
    menu.write_text("<html><body><nav><a href='/a'>Home</a> <a href='/b'>About</a></nav><footer>Council</footer></body></html>")
    assert main(["ingest", str(menu), "--status", "local", "--local-authority", "X"]) == 2
    assert f"{menu} has no main content" in capsys.readouterr().err
    assert stored(env) == {}


def test_summary_then_a_failed_live_ingest_loses_nothing(env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    pages = oruk3_pages([oruk3_service(n) for n in range(1, 6)], size=2)

    def handler(path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        page = int(query.get("page", "1"))
        if page == 2 and handler.broken:  # type: ignore[attr-defined]
            return 500, "text/plain", b"down"
        return 200, "application/json", json.dumps(pages[page - 1]).encode()

    handler.broken = False  # type: ignore[attr-defined]
    with local_server(handler) as (base, _):
        args = ["ingest", base + "/api/services", "--status", "local", "--local-authority", "Demoshire"]
        assert main(args) == 0
        out = capsys.readouterr().out
        assert 'Ingested 5 documents (oruk) as "Demoshire Local Offer directory" (Demoshire)' in out
        assert "Records skipped: 0." in out and "Errors: 0." in out
        assert re.search(r"Index: 10 documents, 10 chunks; 0 skipped unchanged, 10 added, 0 replaced, 0 removed", out)
        before, build = stored(env), current_build(env.index_dir)

        handler.broken = True  # type: ignore[attr-defined]
        import assistant.ingest.oruk_live as live

        fetch = live.fetch_services
        monkeypatch.setattr(live, "fetch_services", lambda url, **kw: fetch(url, backoff=0.0, **kw))
        assert main(args) == 2
        assert "page 2 of" in capsys.readouterr().err
        assert stored(env) == before and current_build(env.index_dir) == build

        handler.broken = False  # type: ignore[attr-defined]
        assert main(args) == 0
        out = capsys.readouterr().out
        assert "replaced 5 earlier documents of this source" in out and "10 skipped unchanged" in out


def test_sources_file_is_ingested_by_index(env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    services_file(tmp_path / "dir.json", 3)
    cop_layout_pdf(tmp_path / "cop.pdf")
    listing = tmp_path / "sources.yaml"
    listing.write_text(
        "- path_or_url: dir.json\n  status: local\n  local_authority: Demoshire\n"
        "- path_or_url: cop.pdf\n  source: SEND Code of Practice 2015\n  status: statutory_guidance\n"
        "- path_or_url: missing.pdf\n  source: Something\n  status: guidance\n"
    )
    monkeypatch.setenv("SEND_ASSISTANT_SOURCES_FILE", str(listing))
    assert main(["index"]) == 1  # one entry failed; the others are ingested and indexed
    err = capsys.readouterr().err
    assert "Could not ingest" in err and "missing.pdf: no such file" in err
    assert set(stored(env)) == {"demoshire-local-offer-directory-demoshire.jsonl", "send-code-of-practice-2015.jsonl"}
    chunks = (current_build(env.index_dir) / "chunks.jsonl").read_text()  # type: ignore[operator]
    assert '"ref": "9.14"' in chunks and "Test service 2" in chunks


def subset(path: Path, out: Path, pattern: str, *, limit: int, extra: int) -> Path:
    records = json.loads(path.read_text())
    chosen = [r for r in records if re.search(pattern, r["name"] + " " + r["description"], re.I)][:limit]
    chosen += [r for r in records if r not in chosen][:extra]
    out.write_text(json.dumps(chosen))
    return out


@pytest.mark.integration
@pytest.mark.skipif(not SHARED_ORUK.is_dir(), reason=f"the shared ORUK files are not here ({SHARED_ORUK})")
def test_local_authority_answers_use_only_that_councils_services(env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Real council data, cut to the autism-related services plus a few others to keep the test fast.
    north = subset(NORTH_LINCS, tmp_path / "north.json", r"autis|behaviour support|disability team", limit=10, extra=3)
    bristol = subset(BRISTOL, tmp_path / "bristol.json", r"autis", limit=5, extra=2)
    assert main(["ingest", str(north), "--status", "local", "--local-authority", "North Lincolnshire"]) == 0
    assert main(["ingest", str(bristol), "--status", "local", "--local-authority", "Bristol"]) == 0
    capsys.readouterr()

    assert main(["ask", "--local-authority", "North Lincolnshire", "--json", QUESTION]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["status"] == "answered"
    local = [c for c in answer["citations"] if c["status"] == "local"]
    assert local and all(c["source"] == "North Lincolnshire Local Offer directory" for c in local)
    aset = next(c for c in local if c["title"] == "Autism Spectrum Education Team")
    assert aset["url"].startswith("https://localoffer.northlincs.gov.uk/") and aset["last_checked"] == "6 Dec 2024"
    from assistant import messages

    assert messages.PARENT_LEAD_LOCAL in answer["answer"] or "Services and local information in North Lincolnshire" in answer["answer"]

    assert main(["ask", "--local-authority", "Bristol", "--json", QUESTION]) == 0
    bristol_answer = json.loads(capsys.readouterr().out)
    assert not any("North Lincolnshire" in c["source"] for c in bristol_answer["citations"])
    assert "North Lincolnshire" not in bristol_answer["answer"]


@pytest.mark.integration
def test_sigkill_half_way_leaves_the_previous_index_serving(env: Settings, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from assistant.services import build_services

    assert main(["ingest", str(services_file(tmp_path / "first.json", 2)), "--status", "local", "--local-authority", "Demoshire"]) == 0
    serving = current_build(env.index_dir)
    assert serving is not None
    big = services_file(tmp_path / "second.json", 60, start=100)
    cli = "import sys; from assistant.cli import main; sys.exit(main(sys.argv[1:]))"
    args = [sys.executable, "-c", cli, "ingest", str(big), "--status", "local", "--local-authority", "Otherton"]
    environ = {**os.environ, "SEND_ASSISTANT_DATA_DIR": str(env.data_dir), "SEND_ASSISTANT_CORPUS_DIR": str(env.corpus_dir), "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(args, cwd=PROJECT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    saved = env.data_dir / "sources" / "otherton-local-offer-directory-otherton.jsonl"
    deadline = time.monotonic() + 120
    while not saved.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(1.0)  # now loading the model or embedding: the new build is not ready
    assert process.poll() is None, "the ingest finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    assert current_build(env.index_dir) == serving
    services = build_services(env, embedder=embedder)
    # (a question the small corpus answers; "how do I contact the Demoshire SEN team?" is routed to the
    # council's-own-data refusal since routing by meaning: a known gap, see the closing note of 2026-12-07)
    answer = services.ensure_ready().answer("What is the LGSCO?", local_authority="Demoshire")
    assert answer.status.value == "answered"
    assert services.index is not None and not any(c.local_authority == "Otherton" for c in services.index.chunks)

    assert main(["index"]) == 0  # the next run picks up the saved documents and swaps a full build in
    recovered = current_build(env.index_dir)
    assert recovered is not None and recovered != serving
    assert sum(1 for line in (recovered / "chunks.jsonl").read_text().splitlines() if '"Otherton"' in line) == 60
    assert all((p / "manifest.json").exists() for p in env.index_dir.glob("build-*"))  # no half-written build left


def test_python_dash_m_knows_every_command_the_console_script_knows() -> None:
    # every command in assistant.cli.COMMANDS, whichever way the command line is started
    for command in ("eval", "ingest", "purge", "index"):
        done = subprocess.run([sys.executable, "-m", "assistant.cli", command, "--help"], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert f"send-assistant {command}" in done.stdout
