"""Issue 17: every citation says whose words it is (official text, our summary, our explanation),
the legal force belongs to the provision or the explainer's basis, and the publisher's own text
leads over our summary of it."""

from __future__ import annotations

import json

from assistant.adapters.langchain_retriever import to_document
from assistant.answer.extractive import Selected
from assistant.answer.render import render, sources_block
from assistant.api.schemas import ChatResponse
from assistant.evaluation.scoring import cited_kinds, provisions_shown, score
from assistant.models import Answer, AnswerStatus, Chunk, Citation, LegalStatus, Passage, PassageKind, Persona
from assistant.retrieval.retriever import prefer_official
from assistant.sources import CAFA, COP, EXPLAINERS, SEND_REGS

BASIS = ("Children and Families Act 2014, s.36(8)", "IPSEA: https://www.ipsea.org.uk")


def chunk(chunk_id: str, kind: PassageKind, source: str, ref: str, *, status: LegalStatus = LegalStatus.LAW,
          title: str = "A title", text: str = "The council must decide.", basis: tuple[str, ...] = ()) -> Chunk:
    return Chunk(chunk_id, chunk_id, text, source, ref, title, status, kind=kind, basis=basis)


OFFICIAL = chunk("o", PassageKind.OFFICIAL, COP, "9.14", status=LegalStatus.STATUTORY_GUIDANCE)
SUMMARY = chunk("s", PassageKind.SUMMARY, CAFA, "s.36(8)")
EXPLAINER = chunk("e", PassageKind.EXPLAINER, EXPLAINERS, "act/cfa-s36-8-explained", title="The low threshold for assessment",
                  text="A council that adds extra criteria applies a stricter test (Children and Families Act 2014, s.36(8)).",
                  basis=BASIS)


def test_labels_name_the_kind_and_the_force_belongs_to_the_provision() -> None:
    assert OFFICIAL.label == "CoP 9.14 (official text)"
    assert SUMMARY.label == "Summary of CAFA 2014 s.36(8)"
    assert EXPLAINER.label == "Our explanation: The low threshold for assessment"
    citations = [Citation.from_chunk(n, c) for n, c in enumerate((OFFICIAL, SUMMARY, EXPLAINER), 1)]
    assert [c.force_label for c in citations] == ["Statutory guidance", "Law", "based on law"]
    assert citations[2].basis == BASIS


def test_the_api_citation_carries_kind_label_basis_and_force() -> None:
    citations = [Citation.from_chunk(n, c) for n, c in enumerate((SUMMARY, EXPLAINER), 1)]
    body = json.loads(ChatResponse.from_answer(Answer(status=AnswerStatus.ANSWERED, text="x", citations=citations), token="t").model_dump_json())
    summary, explainer = body["citations"]
    assert (summary["kind"], summary["label"], summary["force"], summary["basis"]) == ("summary", "Summary of CAFA 2014 s.36(8)", "Law", [])
    assert explainer["kind"] == "explainer" and explainer["label"] == "Our explanation: The low threshold for assessment"
    assert explainer["force"] == "based on law" and explainer["basis"] == list(BASIS)


def test_sources_list_and_parent_voice_keep_our_explanation_apart_from_the_law() -> None:
    selected = [Selected(SUMMARY, 0, 0, "The council must assess if the child may have SEN.", 1.0),
                Selected(EXPLAINER, 1, 0, "A council that adds extra criteria applies a stricter test.", 0.9)]
    text, chunks = render(selected, persona=Persona.PARENT)
    assert "**What the law says**\n- The council must assess" in text
    assert "**Our explanation**\n- A council that adds extra criteria" in text
    block = sources_block([Citation.from_chunk(n, c) for n, c in enumerate(chunks, 1)])
    assert "[1] Summary of CAFA 2014 s.36(8) — A title (Law)" in block
    assert "[2] Our explanation: The low threshold for assessment (based on law)" in block
    adviser, _ = render(selected, persona=Persona.ADVISER)
    assert "**Summary of CAFA 2014 s.36(8)** (Law)" in adviser
    assert "**Our explanation: The low threshold for assessment** (based on law)" in adviser


def test_a_proposal_explainer_stays_with_the_proposals() -> None:
    proposal = chunk("p", PassageKind.EXPLAINER, EXPLAINERS, "reform/x", status=LegalStatus.PROPOSAL, text="ISPs are proposed.",
                     basis=("Schools White Paper 2026",))
    text, _ = render([Selected(proposal, 0, 0, "ISPs are proposed.", 1.0)], persona=Persona.PARENT)
    assert "**Proposals — not law**" in text and "Our explanation" not in text


def test_the_official_text_leads_and_our_summary_of_it_steps_back() -> None:
    summary_9_14 = chunk("s914", PassageKind.SUMMARY, COP, "9.14", status=LegalStatus.STATUTORY_GUIDANCE)
    official_9_14 = chunk("o914", PassageKind.OFFICIAL, COP, "9.14", status=LegalStatus.STATUTORY_GUIDANCE)
    other = chunk("s5", PassageKind.SUMMARY, SEND_REGS, "reg 5(1)")
    passages = [Passage(summary_9_14, 0.9), Passage(other, 0.8), Passage(official_9_14, 0.5), Passage(EXPLAINER, 0.4)]
    ids = [p.chunk.chunk_id for p in prefer_official(passages)]
    assert ids == ["o914", "s5", "e"]  # the official text takes the summary's better rank; the explainer stays
    # an official chunk found in the index (not retrieved itself) stands in for the summary
    whole_reg_5 = chunk("o5", PassageKind.OFFICIAL, SEND_REGS, "reg 5")
    ids = [p.chunk.chunk_id for p in prefer_official([Passage(other, 0.8), Passage(summary_9_14, 0.7)], [Passage(whole_reg_5, 0.8)])]
    assert ids == ["o5", "s914"]
    # nothing official: nothing changes
    assert prefer_official([Passage(other, 0.8), Passage(EXPLAINER, 0.4)]) == [Passage(other, 0.8), Passage(EXPLAINER, 0.4)]


def test_langchain_metadata_says_whose_words() -> None:
    metadata = to_document(Passage(EXPLAINER, 0.7)).metadata
    assert metadata["kind"] == "explainer" and metadata["label"].startswith("Our explanation: ")
    assert metadata["force"] == "based on law" and metadata["basis"] == list(BASIS)
    assert to_document(Passage(SUMMARY, 0.7)).metadata["kind"] == "summary"


def test_eval_counts_cited_kinds_and_an_explainer_shows_its_basis() -> None:
    assert provisions_shown(EXPLAINERS, "x", PassageKind.EXPLAINER, BASIS) == [(CAFA, "s.36(8)")]
    answer = Answer(status=AnswerStatus.ANSWERED, text="x", citations=[Citation.from_chunk(1, EXPLAINER)])
    result = score({"expect": "answer", "expected_sources": ["CAFA 2014 s.36(8)"]}, answer, 1.0)
    assert result.source_hit is True and result.own_source_hit is False
    assert cited_kinds([result]) == {"official": 0, "summary": 0, "explainer": 1}
