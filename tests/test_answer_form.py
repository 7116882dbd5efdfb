"""Answer the question asked: the form of a question (yes or no, a time, a name...) is read in
every register, the answer bank prefers the entry asked in the same form, and the appeal card's
first words answer a "can I appeal?" or a "how long do I have?"."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from assistant.answer.asks import Form, agreement, ask_of
from assistant.answer.bank import AnswerBank
from assistant.retrieval.load import LoadedIndex
from assistant.models import Chunk, LegalStatus, PassageKind
from assistant.tools.intent import answer_with_tool

FORMS = [
    # parents, with typos and feeling
    ("can i ask for an ehcp myself??", Form.YES_NO),
    ("im 17 can i ask for an assessment for myself", Form.YES_NO),
    ("school put her on a part time timetable for 6 months, is this legal", Form.YES_NO),
    ("does the council HAVE to give us short breaks", Form.YES_NO),
    ("the draft plan came, how long do i have to say which school i want", Form.TIME),
    ("council said no to assessing my daughter what can i do", Form.OPTIONS),
    ("ehcp is 2 weeks late what now", Form.OPTIONS),
    ("who pays for the therapy in my childs ehcp", Form.WHO),
    ("whats eotas", Form.WHAT_IS),
    ("the 2 year check said she is behind. what should happen now??", Form.HAPPENS),
    ("how do i complain about the school", Form.HOW),
    ("where do i send the letter asking for mediation", Form.WHERE),
    ("where do we stand if they wont name the school", Form.OPTIONS),
    # a young person
    ("I'm 20 and at college, can I still have my EHCP?", Form.YES_NO),
    ("how much will my personal budget be", Form.AMOUNT),
    # adviser shorthand
    ("LA timescale to decide on EHCNA request?", Form.TIME),
    ("Post-16 transfer amendment deadline?", Form.TIME),
    ("Which EHCP sections are appealable?", Form.WHICH),
    # caseworker officialese
    ("Within what period must the LA notify its decision following an annual review?", Form.TIME),
    ("Is the authority obliged to name the parent's preferred maintained school?", Form.YES_NO),
    ("Apart from our reasons, what does the notice legally have to tell the parent?", Form.CONTENTS),
    ("Which LA is responsible for her EHC needs assessment?", Form.WHO),
    # no question form at all
    ("reasonable adjustments for attendance autism", Form.NONE),
]


@pytest.mark.parametrize(("text", "form"), FORMS)
def test_the_form_of_a_question_is_read_in_every_register(text: str, form: Form) -> None:
    assert ask_of(text) is form


def test_forms_agree_fully_related_forms_half_and_unknown_forms_are_neutral() -> None:
    assert agreement(Form.YES_NO, Form.YES_NO) == 1.0
    assert agreement(Form.TIME, Form.WHEN) == 0.5
    assert agreement(Form.YES_NO, Form.WHO) == 0.0
    assert agreement(Form.NONE, Form.WHO) == 0.5


DIM = 4


def _unit(*values: float) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def _entry(slug: str, title: str, answer: str) -> Chunk:
    return Chunk(
        f"answers/{slug}", f"answers/{slug}", "The body.", "SEND Assistant answers", slug, title, LegalStatus.LAW,
        questions=("ehc needs assessment request",), kind=PassageKind.EXPLAINER,
        basis=("Children and Families Act 2014, s.36(1)",), answer=answer,
    )


# Two entries about the same thing, asked in different forms. The "how" entry is a shade nearer
# by meaning, as a neighbour often is: the form decides between them.
HOW = _entry("how-to-request", "How do I ask for an EHC needs assessment?", "Write to the council's SEN team.")
CAN = _entry("can-a-parent-ask", "Can a parent ask for an EHC needs assessment?", "Yes. You can ask the council yourself.")
WHO = _entry("who-decides", "Who decides whether to carry out an EHC needs assessment?", "The council.")


def _bank() -> AnswerBank:
    chunks = [HOW, CAN, WHO]
    vectors = [_unit(1, 0.10), _unit(1, 0.12), _unit(1, 0.14)]
    index = LoadedIndex(
        build="test", chunks=chunks, sentences=[["The body."]] * 3,
        sentence_chunk=np.arange(3, dtype=np.int32), sentence_vectors=np.stack(vectors),
        keyword=None, store=None, manifest={},  # type: ignore[arg-type]
        question_vectors=np.stack(vectors), question_chunk=np.arange(3, dtype=np.int32), chunk_vectors=np.stack(vectors),
    )
    return AnswerBank(index)


@pytest.mark.parametrize(("question", "wanted"), [
    ("can i ask for an ehc needs assessment myself", CAN),
    ("Is a parent allowed to request an EHC needs assessment?", CAN),
    ("how do i request an ehc needs assessment", HOW),
    ("who decides on an ehc needs assessment request", WHO),
])
def test_the_bank_prefers_the_entry_asked_in_the_same_form(question: str, wanted: Chunk) -> None:
    bank = _bank()
    found = bank.match(question, _unit(1, 0.1), np.ones(3, dtype=bool))
    assert found is not None and found.entry.chunk_id == wanted.chunk_id


TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("message", "decision"), [
    ("council want to cease the ehcp, can i appeal", "cease_plan"),
    ("the council wont reassess, can i appeal", "refuse_reassessment"),
    ("can I take the refusal to assess to the tribunal?", "refuse_assessment"),
])
def test_can_i_appeal_is_answered_yes_first_when_the_tribunal_hears_it(message: str, decision: str) -> None:
    result = answer_with_tool("appeal_route", message, today=TODAY, decision=decision, ask=ask_of(message).value)
    assert result is not None and result.text.startswith("Yes: ")


def test_how_long_to_appeal_is_answered_with_the_time_limit_first() -> None:
    message = "how long do we have to appeal the refusal to assess"
    result = answer_with_tool("appeal_route", message, today=TODAY, decision="refuse_assessment", ask=ask_of(message).value)
    assert result is not None and result.text.startswith("You have 2 months from the date the decision letter was sent")
    dated = "the council refused to assess on 1 October 2026, how long do I have to appeal?"
    result = answer_with_tool("appeal_route", dated, today=TODAY, decision="refuse_assessment", ask=ask_of(dated).value)
    assert result is not None and result.text.startswith("Your deadline is 1 December 2026")


def test_no_yes_is_put_before_a_card_that_does_not_answer_the_question_asked() -> None:
    # a yes-or-no question that is not about appealing, and a decision the Tribunal does not hear
    trip = "can the school refuse to let my child go on a trip because of his disability"
    result = answer_with_tool("appeal_route", trip, today=TODAY, decision="disability_discrimination_school", ask=ask_of(trip).value)
    assert result is not None and not result.text.startswith("Yes")
    late = "the plan is 10 weeks late, can i appeal"
    result = answer_with_tool("appeal_route", late, today=TODAY, decision="delay", ask=ask_of(late).value)
    assert result is not None and not result.text.startswith("Yes")


def test_the_bank_matches_a_question_to_each_entry_own_question() -> None:
    # Both entries' ways of asking and bodies are equally near; only the title of one of them is
    # near the question asked.
    chunks = [HOW, CAN]
    shared = [_unit(1, 0, 0, 1), _unit(1, 0, 0, 1)]
    titles = {0: _unit(0, 0, 1), 1: _unit(1, 0.1)}
    index = LoadedIndex(
        build="test", chunks=chunks, sentences=[["The body."]] * 2,
        sentence_chunk=np.arange(2, dtype=np.int32), sentence_vectors=np.stack(shared),
        keyword=None, store=None, manifest={},  # type: ignore[arg-type]
        question_vectors=np.stack(shared), question_chunk=np.arange(2, dtype=np.int32), chunk_vectors=np.stack(shared),
        bank_vectors=np.stack([titles[0], titles[1]]),
        bank_chunk=np.array([0, 1], dtype=np.int32),
    )
    found = AnswerBank(index).match("ehc needs assessment request", _unit(1, 0.1), np.ones(2, dtype=bool))
    assert found is not None and found.entry.chunk_id == CAN.chunk_id


@pytest.mark.parametrize(("answer", "first"), [
    ("Yes. You can ask the council yourself.", "Yes — you can ask the council yourself."),
    ("No. The plan stays in place while you appeal.", "No — the plan stays in place while you appeal."),
    ("Not automatically. The council decides after an assessment.", "Not automatically — the council decides after an assessment."),
    ("No. SENDIASS can help for free.", "No — SENDIASS can help for free."),
    ("No. Schools must use their best endeavours.", "No — schools must use their best endeavours."),
    ("No. Disabled Students' Allowance helps instead.", "No — Disabled Students' Allowance helps instead."),
    ("6 weeks from the day the council gets the request.", "6 weeks from the day the council gets the request."),
    ("Yes, if you move within England.", "Yes, if you move within England."),
])
def test_a_bare_reply_is_one_sentence_with_its_substance(answer: str, first: str) -> None:
    from assistant.answer.bank import first_sentence
    from assistant.answer.composer import reply_first

    assert first_sentence(reply_first(answer)) == first


@pytest.mark.parametrize(("question", "lead", "first"), [
    # asked "who", "how much notice", "what happens": the yes or no answers nothing, so it goes
    ("who decides if the school can meet his needs", "No — the council decides, not the school.",
     "The council decides, not the school."),
    ("how much notice must the council give before ending a plan",
     "Yes — before deciding, the council must tell you and consult you.",
     "Before deciding, the council must tell you and consult you."),
    ("what happens if I miss the 15 days", "No, you can still send comments late.", "You can still send comments late."),
    # asked yes or no, it stays; before a condition it stays whatever was asked
    ("can the school decide it cannot meet his needs", "No — the council decides, not the school.",
     "No — the council decides, not the school."),
    ("who pays for transport if we move", "Yes, if you move within England.", "Yes, if you move within England."),
    ("what if he is over 19", "No — not because of his age alone.", "No — not because of his age alone."),
])
def test_a_yes_or_no_lead_is_kept_only_for_a_question_it_answers(question: str, lead: str, first: str) -> None:
    from assistant.answer.composer import fit_to_form

    assert fit_to_form(lead, ask_of(question)) == first
