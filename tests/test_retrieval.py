"""Hybrid retrieval over the real corpus with the real model and Chroma."""

from __future__ import annotations

import pytest

from assistant.retrieval.retriever import Retriever
from assistant.sources import covers

pytestmark = pytest.mark.integration


def _top(services, question: str, k: int = 5, local_authority: str | None = None):  # type: ignore[no-untyped-def]
    retriever = Retriever(services.index, services.embedder, top_k=k)
    return retriever.retrieve(question, local_authority=local_authority).passages


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("CoP 9.14?", "CoP 9.14"),
        ("reg 13", "SEND Regs 2014 reg 13"),
        ("s38(3) - types of setting a parent can request be named?", "CAFA 2014 s38"),
        ("section 42", "CAFA 2014 s42"),
    ],
)
def test_a_paragraph_or_section_number_finds_its_passage_first(full_services, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    top = _top(full_services, question)
    assert covers(top[0].chunk.source, top[0].chunk.ref, expected), [(p.chunk.source, p.chunk.ref) for p in top]


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("LGSCO?", "ombudsman"),
        ("what does a SENCO do", "co-ordinator"),
    ],
)
def test_an_acronym_query_finds_passages_about_it(full_services, question: str, word: str) -> None:  # type: ignore[no-untyped-def]
    top = _top(full_services, question, k=3)
    assert any(word in (p.chunk.text + p.chunk.title).lower() for p in top)


def test_local_services_only_for_the_selected_authority(full_services) -> None:  # type: ignore[no-untyped-def]
    question = "how do I contact the SEN team in my council"
    with_la = _top(full_services, question, k=8, local_authority="Demoshire")
    assert any(p.chunk.local_authority == "Demoshire" for p in with_la)
    for la in (None, "Bristol"):
        assert all(p.chunk.local_authority in (None, la) for p in _top(full_services, question, k=8, local_authority=la))


def test_guidance_brings_in_the_law_it_names(full_services) -> None:  # type: ignore[no-untyped-def]
    """The Code's annual-review paragraph names s.44; the section itself joins right after it."""
    question = "my sons needs have changed a lot since his annual review, do i have to wait a year to change the EHCP?"
    refs = [(p.chunk.source, p.chunk.ref, p.chunk.status.value) for p in _top(full_services, question, k=8)]
    guidance = [i for i, r in enumerate(refs) if r[1] == "9.166"]
    assert guidance, refs
    law = [i for i, r in enumerate(refs) if r[0] == "Children and Families Act 2014" and r[1].startswith("s.44")]
    assert law and law[0] <= 4, refs


def test_named_law_already_shown_is_not_added_again(full_services) -> None:  # type: ignore[no-untyped-def]
    retriever = Retriever(full_services.index, full_services.embedder, top_k=8)
    question = "when does the council have to decide whether to assess? reg 5"
    refs = [(p.chunk.source, p.chunk.ref) for p in retriever.retrieve(question).passages]
    assert len(refs) == len(set(refs)), refs


def test_answer_bank_entries_leave_room_for_the_law(full_services) -> None:  # type: ignore[no-untyped-def]
    """Each bank entry has 12-15 ways of asking, so entries can fill the whole list; at most
    RETRIEVAL.bank_places of them are kept and passages of law fill the rest."""
    from assistant.tuning import RETRIEVAL

    for question in ("how long do i have to appeal the final ehcp", "can the school refuse to let him go on the trip"):
        top = Retriever(full_services.index, full_services.embedder, top_k=8)._rank(
            question, full_services.embedder.embed([question])[0], full_services.index.mask(None), None, 8)[0]
        entries = [p for p in top if p.chunk.answer]
        assert len(entries) <= RETRIEVAL.bank_places, [p.chunk.ref for p in top]
        assert len(top) - len(entries) >= 8 - RETRIEVAL.bank_places, [p.chunk.ref for p in top]
