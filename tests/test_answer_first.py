"""Answer first: the bank match, the three voices and the relevance floor, on a small in-memory
index with hand-made vectors (no model needed)."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from assistant.answer.bank import AnswerBank, has_bare_ref, strip_refs
from assistant.answer.composer import GroundedComposer, Question
from assistant.models import Chunk, LegalStatus, Passage, PassageKind, Persona
from assistant.retrieval.load import LoadedIndex
from assistant.tuning import BANK

DIM = 6


def _unit(*values: float) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


ASK = Chunk(
    "answers/requesting-assessment/can-a-parent-ask", "answers/requesting-assessment/can-a-parent-ask",
    "A parent can ask the local authority for an assessment (Children and Families Act 2014, s.36(1)).",
    "SEND Assistant answers", "requesting-assessment/can-a-parent-ask",
    "Can a parent ask for an EHC needs assessment?", LegalStatus.LAW,
    questions=("can i ask for an ehc needs assessment myself", "parental request for EHCNA"),
    kind=PassageKind.EXPLAINER,
    basis=("Children and Families Act 2014, s.36(1)", "SEND Regulations 2014, reg 5(1)"),
    answer="Yes. You can ask the council yourself, by letter or email.",
    next_steps=("Write to the council's SEN team and keep a copy.",),
)
S36 = Chunk(
    "act/s36-1", "act/s36-1", "", "Children and Families Act 2014", "s.36(1)", "Who can ask", LegalStatus.LAW,
    kind=PassageKind.SUMMARY,
)
REG5 = Chunk(
    "regs/reg-5", "regs/reg-5", "", "SEND Regulations 2014", "reg 5(1)", "The 6-week decision", LegalStatus.LAW,
    kind=PassageKind.SUMMARY,
)
S51 = Chunk(
    "act/s51", "act/s51", "", "Children and Families Act 2014", "s.51(1)", "Appeals", LegalStatus.LAW,
    kind=PassageKind.SUMMARY,
)
TRANSPORT = Chunk(
    "eda/s508b", "eda/s508b", "", "Education Act 1996", "s.508B", "Travel", LegalStatus.LAW, kind=PassageKind.SUMMARY,
)

SENTENCES = {
    ASK.chunk_id: [("A parent can ask the local authority for an assessment (Children and Families Act 2014, s.36(1)).", _unit(1, 0.2))],
    S36.chunk_id: [("A parent, a young person or a school can ask for an EHC needs assessment (s.36(1)).", _unit(1, 0.3))],
    REG5.chunk_id: [
        ("The local authority must decide whether to assess within 6 weeks of the request (reg 5(1)).", _unit(0.8, 0, 0.6)),
        ("A parent, a young person or a school may make the request.", _unit(1, 0.31)),
    ],
    S51.chunk_id: [("A parent or young person can appeal to the Tribunal against a decision not to assess (s.51(2)(a)).", _unit(0.3, 0, 0, 1))],
    TRANSPORT.chunk_id: [("The local authority must arrange free travel for an eligible child (s.508B).", _unit(0, 0, 0, 0, 1))],
}


def _index() -> LoadedIndex:
    chunks = [ASK, S36, REG5, S51, TRANSPORT]
    sentences = [[t for t, _ in SENTENCES[c.chunk_id]] for c in chunks]
    vectors = [v for c in chunks for _, v in SENTENCES[c.chunk_id]]
    return LoadedIndex(
        build="test",
        chunks=chunks,
        sentences=sentences,
        sentence_chunk=np.array([i for i, c in enumerate(chunks) for _ in SENTENCES[c.chunk_id]], dtype=np.int32),
        sentence_vectors=np.stack(vectors),
        keyword=None,  # type: ignore[arg-type]
        store=None,  # type: ignore[arg-type]
        manifest={},
        question_vectors=np.stack([_unit(1, 0.05), _unit(0.95, 0.1, 0.1)]),
        question_chunk=np.array([0, 0], dtype=np.int32),
    )


def _question(text: str, vector: np.ndarray, persona: Persona = Persona.PARENT) -> Question:
    return Question(text, vector, persona, np.ones(5, dtype=bool))


def _passages(index: LoadedIndex) -> list[Passage]:
    return [Passage(c, 1.0 - i / 10) for i, c in enumerate(index.chunks)]


def test_a_question_near_a_way_of_asking_gets_that_entry_and_a_far_one_gets_none() -> None:
    bank = AnswerBank(_index())
    near = bank.match("can I ask for an assessment myself", _unit(1, 0.06), np.ones(5, dtype=bool))
    assert near is not None and near.entry.chunk_id == ASK.chunk_id and near.score >= BANK.threshold
    assert bank.match("how do I get free school transport", _unit(0, 0, 0, 0, 1), np.ones(5, dtype=bool)) is None


def test_an_entry_outside_the_mask_is_never_matched() -> None:
    bank = AnswerBank(_index())
    mask = np.ones(5, dtype=bool)
    mask[0] = False
    assert bank.match("can I ask for an assessment myself", _unit(1, 0.06), mask) is None


def test_parent_answer_leads_with_the_answer_then_next_steps_then_the_law() -> None:
    composed = GroundedComposer(_index()).compose(_question("can I ask for an assessment myself", _unit(1, 0.06)), _passages(_index()))
    assert composed is not None and composed.engine == "answer_bank"
    text = composed.spoken.text
    assert text.startswith("Yes — you can ask the council yourself")  # the reply and its substance, one sentence
    assert text.index("### What you can do next") < text.index("### The law behind this")
    before_law = text.split("### The law behind this")[0]
    assert not has_bare_ref(before_law), before_law
    law_lines = [line for line in text.splitlines() if line.startswith("- ")]
    assert law_lines and all(re.search(r"\[\d+\]$", line) for line in law_lines)
    assert composed.spoken.lead.startswith("Yes —") and composed.spoken.next_steps


def test_basis_sentences_that_repeat_one_already_shown_are_skipped() -> None:
    composed = GroundedComposer(_index()).compose(_question("can I ask for an assessment myself", _unit(1, 0.06)), _passages(_index()))
    assert composed is not None
    law = composed.spoken.law
    assert "may make the request" not in law  # same as the s.36(1) sentence: reg 5(1)'s other sentence is used
    assert "6 weeks" in law


def test_adviser_answer_puts_the_pinpoint_references_first() -> None:
    composed = GroundedComposer(_index()).compose(
        _question("parental request EHCNA?", _unit(1, 0.06), Persona.ADVISER), _passages(_index())
    )
    assert composed is not None
    assert composed.spoken.text.startswith("**CAFA 2014 s.36(1); SEND Regs 2014 reg 5(1)**")


def test_caseworker_reply_about_a_decision_states_the_right_of_appeal() -> None:
    composed = GroundedComposer(_index()).compose(
        _question("parent has asked for an assessment, we are refusing: what must the decision letter say", _unit(1, 0.06), Persona.CASEWORKER),
        _passages(_index()),
    )
    assert composed is not None
    text = composed.spoken.text
    assert text.startswith("**Draft reply")
    assert "appeal to the Tribunal" in text


# The relevance floor: a passage answer shows only sentences that bear on the question.
OFF_TOPIC = [
    ("when must the council decide whether to assess", _unit(0.5, 0, 0.85), "free travel"),
    ("can the parent appeal a refusal to assess", _unit(0.3, 0, 0, 1), "free travel"),
    ("is my child eligible for free school transport", _unit(0, 0, 0, 0, 1), "appeal to the Tribunal"),
]


@pytest.mark.parametrize(("text", "vector", "unwanted"), OFF_TOPIC)
def test_a_passage_answer_leaves_out_sentences_that_do_not_bear_on_the_question(text: str, vector: np.ndarray, unwanted: str) -> None:
    index = _index()
    passages = [p for p in _passages(index) if p.chunk.kind is not PassageKind.EXPLAINER]
    composed = GroundedComposer(index).compose(_question(text, vector), passages)
    assert composed is not None and composed.engine == "passages"
    assert unwanted not in composed.spoken.text


def test_nothing_near_the_question_gives_no_answer() -> None:
    index = _index()
    passages = [p for p in _passages(index) if p.chunk.kind is not PassageKind.EXPLAINER]
    assert GroundedComposer(index).compose(_question("mortgage rates", _unit(0, 0, 0, 0, 0, 1)), passages) is None


def test_strip_refs_removes_bracketed_references_but_keeps_other_brackets() -> None:
    assert strip_refs("Ask the SEN team (the council) within 6 weeks (reg 5(1)).") == "Ask the SEN team (the council) within 6 weeks."
    assert strip_refs("Schools must do this (SEND Code of Practice 2015, 6.2).") == "Schools must do this."


REFORM = Chunk(
    "reform/white-paper-assessment", "reform/white-paper-assessment", "", "Schools White Paper 2026", "chapter 4",
    "Proposed changes to assessments", LegalStatus.PROPOSAL, kind=PassageKind.SUMMARY,
)
REFORM_SENTENCE = "The white paper proposes that parents could ask for an assessment through the school instead."


def _index_with_a_proposal(entry: Chunk) -> LoadedIndex:
    """The small index plus a proposal whose sentence is near the question (cosine 0.75) and unlike the law shown."""
    chunks = [entry, S36, REG5, S51, TRANSPORT, REFORM]
    table = {**SENTENCES, entry.chunk_id: SENTENCES[ASK.chunk_id], REFORM.chunk_id: [(REFORM_SENTENCE, _unit(1, -0.3, 0, 0, 0, 0.8))]}
    return LoadedIndex(
        build="test", chunks=chunks, sentences=[[t for t, _ in table[c.chunk_id]] for c in chunks],
        sentence_chunk=np.array([i for i, c in enumerate(chunks) for _ in table[c.chunk_id]], dtype=np.int32),
        sentence_vectors=np.stack([v for c in chunks for _, v in table[c.chunk_id]]),
        keyword=None, store=None, manifest={},  # type: ignore[arg-type]
        question_vectors=np.stack([_unit(1, 0.05), _unit(0.95, 0.1, 0.1)]), question_chunk=np.array([0, 0], dtype=np.int32),
    )


@pytest.mark.parametrize(("status", "shown"), [(LegalStatus.LAW, False), (LegalStatus.PROPOSAL, True)])
def test_the_law_behind_an_answer_on_current_law_is_never_topped_up_with_a_proposal(status: LegalStatus, shown: bool) -> None:
    entry = dataclasses.replace(ASK, status=status)
    index = _index_with_a_proposal(entry)
    # a question about change, as only such a question may be answered by an entry on a proposal
    question = Question("will the white paper change how I ask for an assessment myself", _unit(1, 0.06), Persona.ADVISER, np.ones(6, dtype=bool))
    composed = GroundedComposer(index).compose(question, [Passage(c, 1.0 - i / 10) for i, c in enumerate(index.chunks)])
    assert composed is not None and composed.engine == "answer_bank"
    assert (REFORM_SENTENCE in composed.spoken.text) is shown


def test_the_first_sentence_scored_is_a_sentence_not_a_heading() -> None:
    import doctest

    from assistant.evaluation import scoring
    from assistant.models import Answer, AnswerStatus

    looked_up = Answer(AnswerStatus.ANSWERED, "**What the law says**\n\n- Section 19 sets the principles. [1]")
    assert scoring.first_sentence_of(looked_up) == "Section 19 sets the principles."
    answered = Answer(AnswerStatus.ANSWERED, "whole text", lead="No — mediation does not stop an appeal. More.")
    assert scoring.first_sentence_of(answered) == "No — mediation does not stop an appeal."
    assert scoring.first_sentence_of(Answer(AnswerStatus.ANSWERED, "### Heading\n6 weeks from the request. [1]")) == "6 weeks from the request."
    assert doctest.testmod(scoring).failed == 0
