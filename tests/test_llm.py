"""The LLM generator against a fake OpenAI-compatible server, through the real pipeline.

A small FastAPI app on 127.0.0.1 plays the model. It reads the labelled prompt it was sent,
so its scripted replies cite the labels the generator really handed out. Then:
a well-cited reply is used; a slow or broken server falls back to the extractive answer with
a notice; uncited and unsupported sentences are cut out.
"""

from __future__ import annotations

import asyncio
import doctest
import importlib
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jinja2
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant import messages
from assistant.adapters.llm import DRAFT_MARK, LangChainGenerator, build_messages, prompt_environment
from assistant.answer import grounding
from assistant.config import Settings
from assistant.errors import BackendUnavailable, ConfigError
from assistant.models import AnswerStatus, Chunk, LegalStatus, Persona
from assistant.services import build_pipeline

ASSESSMENT_QUESTION = "How long does the council have to decide on an EHC needs assessment request?"


# --- the fake model server ---------------------------------------------------------------


@dataclass
class FakeModel:
    """Scripted replies: `reply(labels)` gets {citation: label} parsed from the prompt."""

    reply: Callable[[dict[str, str]], str] = lambda labels: "NO_ANSWER"
    delay_s: float = 0.0
    status_code: int = 200
    requests: list[dict[str, Any]] = field(default_factory=list)


def _labels(prompt: str) -> dict[str, str]:
    return {m.group(2): m.group(1) for m in re.finditer(r"^\[(S\d+)\] (.+?) — ", prompt, flags=re.MULTILINE)}


def fake_openai_app(model: FakeModel) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def complete(request: Request) -> JSONResponse:
        body = await request.json()
        model.requests.append(body)
        if model.delay_s:
            await asyncio.sleep(model.delay_s)
        if model.status_code != 200:
            return JSONResponse({"error": {"message": "boom", "type": "server_error"}}, status_code=model.status_code)
        content = model.reply(_labels(body["messages"][-1]["content"]))
        return JSONResponse({
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        })

    return app


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run `app` with uvicorn in a thread on a free port; yield its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the fake server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()


@pytest.fixture
def fake_model() -> Iterator[tuple[FakeModel, str]]:
    model = FakeModel()
    with serve(fake_openai_app(model)) as url:
        yield model, url + "/v1"


def llm_pipeline(services: Any, base_url: str, *, timeout_s: float = 10.0) -> Any:
    settings = services.settings.model_copy(
        update={"llm_backend": "openai", "llm_base_url": base_url, "llm_timeout_s": timeout_s, "llm_model": "fake"}
    )
    return build_pipeline(settings, services.index, services.embedder, services.conversations)


def _well_cited(labels: dict[str, str]) -> str:
    reg, cop = labels["SEND Regulations 2014, reg 5(1)"], labels["SEND Code of Practice 2015, para 9.14"]
    return (
        f"The local authority must notify the parent of its decision within 6 weeks of receiving the request [{reg}].\n"
        f"The notice must explain the right to appeal to the First-tier Tribunal. [{reg}]\n\n"
        f"- The local authority should consider whether there is evidence the child may have special educational needs [{cop}]."
    )


def _claims(text: str) -> list[tuple[str, list[int]]]:
    """(sentence, its markers) for the answer body; text after the last marker would be uncited."""
    body = text.split("**Sources**")[0].strip()
    pieces = re.split(r"((?:\[\d+\])+)", body)
    assert pieces[-1].strip() == "", f"text without a marker: {pieces[-1]!r}"
    return [(pieces[i].strip(), [int(n) for n in re.findall(r"\d+", pieces[i + 1])]) for i in range(0, len(pieces) - 1, 2)]


# --- through the real pipeline -----------------------------------------------------------

@pytest.mark.integration
def test_a_well_cited_answer_is_used_and_every_sentence_resolves(small_services: Any, fake_model: tuple[FakeModel, str]) -> None:
    model, url = fake_model
    model.reply = _well_cited
    answer = llm_pipeline(small_services, url).answer(ASSESSMENT_QUESTION, persona=Persona.ADVISER)

    assert answer.status is AnswerStatus.ANSWERED and answer.engine == "llm"
    assert answer.notices == []
    claims = _claims(answer.text)
    assert len(claims) == 3
    for sentence, markers in claims:
        assert sentence and markers and all(1 <= n <= len(answer.citations) for n in markers), sentence
    assert [c.ref for c in answer.citations] == ["reg 5(1)", "9.14"]
    assert "within 6 weeks" in answer.citations[0].passage
    assert "[S1]" not in answer.text and "[S2]" not in answer.text
    sent = model.requests[0]["messages"]
    assert sent[0]["role"] == "system" and "[S1]" in sent[1]["content"] and "Status: Law" in sent[1]["content"]


@pytest.mark.integration
def test_a_slow_server_falls_back_to_extractive_within_the_time_budget(small_services: Any, fake_model: tuple[FakeModel, str]) -> None:
    model, url = fake_model
    model.reply, model.delay_s = _well_cited, 8.0
    pipeline = llm_pipeline(small_services, url, timeout_s=1.0)
    started = time.monotonic()
    answer = pipeline.answer(ASSESSMENT_QUESTION)
    elapsed = time.monotonic() - started

    assert elapsed < 4.0, f"took {elapsed:.1f}s with a 1s model timeout"
    assert len(model.requests) == 1, "no retries"
    assert answer.status is AnswerStatus.ANSWERED and answer.engine == "extractive"
    assert messages.LLM_FALLBACK in answer.notices
    assert answer.citations and "[1]" in answer.text


@pytest.mark.integration
def test_a_server_error_falls_back(small_services: Any, fake_model: tuple[FakeModel, str]) -> None:
    model, url = fake_model
    model.reply, model.status_code = _well_cited, 500
    answer = llm_pipeline(small_services, url).answer(ASSESSMENT_QUESTION)
    assert answer.status is AnswerStatus.ANSWERED and answer.engine == "extractive"
    assert answer.notices == [messages.LLM_FALLBACK]
    assert len(model.requests) == 1


@pytest.mark.integration
def test_uncited_and_unsupported_sentences_are_removed(small_services: Any, fake_model: tuple[FakeModel, str]) -> None:
    model, url = fake_model

    def reply(labels: dict[str, str]) -> str:
        reg = labels["SEND Regulations 2014, reg 5(1)"]
        return (
            f"The local authority must notify the parent of its decision within 6 weeks [{reg}]. "
            "Most councils agree to nearly every request. "
            f"The local authority must finish the whole assessment within 16 weeks [{reg}]. "
            "The tribunal must hear an appeal within 2 weeks [S42]."
        )

    model.reply = reply
    answer = llm_pipeline(small_services, url).answer(ASSESSMENT_QUESTION, persona=Persona.ADVISER)

    assert answer.engine == "llm" and answer.status is AnswerStatus.ANSWERED
    assert "within 6 weeks. [1]" in answer.text
    for removed in ("Most councils", "16 weeks", "2 weeks", "S42"):
        assert removed not in answer.text
    assert "3 of the model's sentences were left out" in answer.text
    assert [c.ref for c in answer.citations] == ["reg 5(1)"]


@pytest.mark.integration
def test_a_reply_with_nothing_supported_falls_back(small_services: Any, fake_model: tuple[FakeModel, str]) -> None:
    model, url = fake_model
    model.reply = lambda labels: "You will definitely win your appeal. Councils always lose [S1]."
    answer = llm_pipeline(small_services, url).answer(ASSESSMENT_QUESTION)
    assert answer.engine == "extractive" and messages.LLM_FALLBACK in answer.notices
    assert "definitely" not in answer.text


@pytest.mark.integration
def test_personas_and_proposals_are_framed_by_code(small_services: Any, fake_model: tuple[FakeModel, str]) -> None:
    model, url = fake_model

    def reply(labels: dict[str, str]) -> str:
        isp = labels["Schools White Paper 2026, Individual Support Plans"]
        return f"Individual Support Plans would be for pupils with SEND in mainstream schools [{isp}]."

    model.reply = reply
    answer = llm_pipeline(small_services, url).answer(
        "What are the Individual Support Plans in the schools white paper?", persona=Persona.CASEWORKER
    )
    assert answer.engine == "llm"
    assert answer.text.startswith(DRAFT_MARK)
    assert "(proposal, not law). [1]" in answer.text and messages.ANSWER_PROPOSAL_WARNING in answer.text
    assert "drafting a reply that a local authority SEN caseworker" in model.requests[0]["messages"][0]["content"]


@pytest.mark.integration
def test_no_answer_from_the_model_abstains(small_services: Any, fake_model: tuple[FakeModel, str]) -> None:
    model, url = fake_model
    model.reply = lambda labels: "NO_ANSWER"
    answer = llm_pipeline(small_services, url).answer(ASSESSMENT_QUESTION)
    assert answer.status is AnswerStatus.ABSTAINED and answer.citations == []


# --- the generator and its prompts on their own --------------------------------------------

REG = Chunk("c1", "d1", "The local authority must notify the parent or young person of its decision within 6 weeks "
            "of receiving the request. The notice must explain the right to appeal to the First-tier Tribunal.",
            "SEND Regulations 2014", "reg 5(1)", "Decision whether to secure an EHC needs assessment", LegalStatus.LAW)
GLOSSARY = Chunk("c2", "d2", "The LGSCO is the Local Government and Social Care Ombudsman, which looks at complaints "
                 "about councils after the council's own complaints procedure has finished.",
                 "SEND Assistant glossary", "LGSCO", "LGSCO", LegalStatus.GUIDANCE)
LABELS = {"S1": REG, "S2": GLOSSARY}


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("The council must tell the parent its decision within 6 weeks [S1].", ""),
        ("The council must tell the parent its decision within six weeks. [S1]", ""),
        ("The LGSCO looks at complaints about councils [S2].", ""),
        ("The council must tell the parent its decision within 6 weeks.", "uncited"),
        ("The council must tell the parent its decision within 6 weeks [S7].", "unknown_label"),
        ("The council must tell the parent its decision within 16 weeks [S1].", "number_not_in_source"),
        ("The council must tell the parent its decision within 6 months [S1].", "number_not_in_source"),
        ("Under regulation 7 the council must tell the parent its decision [S1].", "number_not_in_source"),
        ("Under regulation 6 the council must tell the parent its decision within 6 weeks [S1].", "reference_not_in_source"),
        ("The council must tell the parent its decision under reg 5(1) [S1].", ""),
        ("The council must tell the parent its decision within 6 weeks (see [S1]).", ""),
        ("Councils must complete the complaints procedure before the LGSCO looks at complaints [S2].", "must_without_law"),
        ("You are very likely to win at the tribunal and get compensation [S1].", "unsupported"),
    ],
)
def test_each_sentence_is_checked_against_its_passage(sentence: str, reason: str) -> None:
    checked = grounding.check(sentence, LABELS)
    assert [d.reason for d in checked.dropped] == ([reason] if reason else [])
    assert bool(checked.kept) is (reason == "")


def test_labels_become_numbered_markers_in_order_of_first_use() -> None:
    checked = grounding.check(
        "The LGSCO looks at complaints about councils [S2]. The notice must explain the right to appeal [S1][S2].\n\n"
        "- The local authority must notify the parent within 6 weeks [S1, S2].",
        LABELS,
    )
    assert checked.text == (
        "The LGSCO looks at complaints about councils. [1] The notice must explain the right to appeal. [2][1]\n\n"
        "- The local authority must notify the parent within 6 weeks. [2][1]"
    )
    assert checked.chunks == [GLOSSARY, REG]


def test_every_persona_renders_and_a_missing_variable_is_an_error() -> None:
    env = prompt_environment()
    seen = set()
    for persona in Persona:
        system, user = build_messages(env, "How long?", LABELS, persona=persona)
        assert "[S1] SEND Regulations 2014, reg 5(1)" in user.content and "Status: Guidance" in user.content
        assert "NO_ANSWER" in system.content
        seen.add(system.content)
    assert len(seen) == 3
    assert "plain English" in build_messages(env, "q", LABELS, persona=Persona.PARENT)[0].content
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("answer.j2").render(question="q")


def test_from_settings_builds_a_client_without_retries() -> None:
    openai_model = LangChainGenerator.from_settings(
        Settings(llm_backend="openai", llm_base_url="http://127.0.0.1:9/v1", llm_timeout_s=3.5)
    ).model
    assert openai_model.max_retries == 0 and openai_model.request_timeout == 3.5  # type: ignore[attr-defined]
    assert openai_model.openai_api_base == "http://127.0.0.1:9/v1"  # type: ignore[attr-defined]
    ollama_model = LangChainGenerator.from_settings(Settings(llm_backend="ollama", llm_base_url="http://127.0.0.1:9"))
    assert type(ollama_model.model).__name__ == "ChatOllama"
    with pytest.raises(ConfigError, match="'none'"):
        LangChainGenerator.from_settings(Settings(llm_backend="none"))


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_an_unreachable_server_is_backend_unavailable(backend: str) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}" + ("/v1" if backend == "openai" else "")
    generator = LangChainGenerator.from_settings(Settings(llm_backend=backend, llm_base_url=base, llm_timeout_s=2))
    from assistant.models import Passage

    with pytest.raises(BackendUnavailable) as caught:
        generator.generate("How long?", [Passage(REG, 1.0)], persona=Persona.PARENT)
    assert caught.value.__cause__ is not None


@pytest.mark.parametrize("module", ["assistant.answer.grounding", "assistant.adapters.llm"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
