"""Shared fixtures. Every writable path points at a temp dir; nothing can reach a hub."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEND_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from assistant.config import get_settings

    get_settings.cache_clear()


# Tests that load the real model (MiniLM, on torch or ONNX) are `integration`: every test whose
# fixtures include `embedder`, and these modules, which load it in a subprocess or by hand.
MODEL_MODULES = {"test_browser", "test_fuzz", "test_onnx_embedding", "test_reliability", "test_scale", "test_serve_threads", "test_postgres"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(getattr(item, "module", None), "__name__", "")
        if "embedder" in getattr(item, "fixturenames", ()) or module in MODEL_MODULES:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def _no_model_outside_integration(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test not marked `integration` that loads the model fails, saying so: the no-model
    tests (`pytest -m "not integration"`) must stay model-free and fast."""
    if request.node.get_closest_marker("integration"):
        return

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("this test loads the embedding model: mark it integration, or use tests/fakes.py FakeEmbedder")

    monkeypatch.setattr("assistant.adapters.embedding.SentenceTransformerEmbedder.__init__", refuse)
    monkeypatch.setattr("assistant.adapters.embedding.OnnxEmbedder.__init__", refuse)


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from assistant.adapters.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


SMALL_CORPUS = {
    "code-of-practice/ch09-9-14.md": """---
source: SEND Code of Practice 2015
ref: "9.14"
title: Deciding whether to carry out an EHC needs assessment
url: https://www.gov.uk/government/publications/send-code-of-practice-0-to-25
status: statutory_guidance
questions:
  - what test does the council use to decide on an assessment?
---
The local authority should consider whether there is evidence that the child or young person may have special educational needs and may need provision through an EHC plan. The local authority must tell the parent its decision within 6 weeks of the request.
""",
    "regulations/reg-5-1.md": """---
source: SEND Regulations 2014
ref: "reg 5(1)"
title: Decision whether to secure an EHC needs assessment
url: https://www.legislation.gov.uk/uksi/2014/1530/regulation/5
status: law
---
The local authority must notify the parent or young person of its decision whether to carry out an EHC needs assessment within 6 weeks of receiving the request. The notice must explain the right to appeal to the First-tier Tribunal.
""",
    "reform/isp.md": """---
source: Schools White Paper 2026
ref: Individual Support Plans
title: Proposed Individual Support Plans
url: https://www.gov.uk/government/publications
status: proposal
as_at: "2026-11-23"
---
The 2026 schools white paper proposes Individual Support Plans for pupils with SEND in mainstream schools. This is a proposal and not the law: families keep their current rights to request an EHC needs assessment.
""",
    "glossary/lgsco.md": """---
source: SEND Assistant glossary
ref: LGSCO
title: "LGSCO: the Local Government and Social Care Ombudsman"
status: guidance
---
The LGSCO is the Local Government and Social Care Ombudsman, which looks at complaints about councils, including delays in EHC needs assessments, after the council's own complaints procedure has finished.
""",
    "local/demo/sen-team.md": """---
source: Demoshire Local Offer (demo)
ref: sen-team
title: Contacting the Demoshire SEN team (demo)
status: local
local_authority: Demoshire
---
This is demo content for a fictional council. Families can telephone the Demoshire SEN team on 01632 960123 between 9am and 5pm on weekdays.
""",
}


def write_corpus(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", SMALL_CORPUS)


@pytest.fixture(scope="session")
def full_services(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    """Services over the real corpus, indexed once for the whole session."""
    from assistant.config import Settings
    from assistant.services import build_services, run_index

    data = tmp_path_factory.mktemp("full") / "data"
    settings = Settings(data_dir=data, corpus_dir=PROJECT / "corpus")
    run_index(settings, embedder)
    services = build_services(settings, embedder=embedder)
    services.ensure_ready()
    return services


@pytest.fixture
def small_services(small_corpus: Path, tmp_path: Path, embedder) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from assistant.config import Settings
    from assistant.services import build_services, run_index

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=small_corpus)
    run_index(settings, embedder)
    services = build_services(settings, embedder=embedder)
    services.ensure_ready()
    yield services
