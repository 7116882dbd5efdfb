"""SendRetriever: our hybrid retriever as a LangChain retriever, on a real index."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda, RunnablePassthrough
from pydantic import ValidationError

from assistant.adapters.langchain_retriever import SendRetriever

pytestmark = pytest.mark.integration

ASSESSMENT_QUESTION = "How long does the council have to decide on an EHC needs assessment request?"
PHONE_QUESTION = "What is the phone number for the SEN team?"
METADATA_KEYS = {"source", "ref", "title", "url", "link_host", "status", "local_authority", "citation", "score", "chunk_id",
                 "kind", "label", "force", "basis"}


def test_documents_carry_the_passage_and_its_citation(small_services: Any) -> None:
    docs = SendRetriever.from_services(small_services, k=3).invoke(ASSESSMENT_QUESTION)

    assert 1 <= len(docs) <= 3 and all(isinstance(d, Document) for d in docs)
    assert all(set(d.metadata) == METADATA_KEYS for d in docs)
    reg = next(d for d in docs if d.metadata["ref"] == "reg 5(1)")
    assert reg.metadata["citation"] == "SEND Regulations 2014, reg 5(1)"
    assert reg.metadata["status"] == "law" and reg.metadata["source"] == "SEND Regulations 2014"
    assert reg.metadata["url"] == "https://www.legislation.gov.uk/uksi/2014/1530/regulation/5"
    assert "within 6 weeks" in reg.page_content
    assert reg.id == reg.metadata["chunk_id"]
    scores = [d.metadata["score"] for d in docs]
    assert all(isinstance(s, float) for s in scores) and scores == sorted(scores, reverse=True)


def test_a_councils_local_offer_only_appears_when_that_council_is_chosen(small_services: Any) -> None:
    national = SendRetriever.from_services(small_services, k=5).invoke(PHONE_QUESTION)
    demoshire = SendRetriever.from_services(small_services, k=5, local_authority="Demoshire").invoke(PHONE_QUESTION)
    other = SendRetriever.from_services(small_services, k=5).invoke(PHONE_QUESTION, local_authority="Otherton")

    assert all(d.metadata["local_authority"] is None for d in national + other)
    local = [d for d in demoshire if d.metadata["local_authority"] == "Demoshire"]
    assert local and local[0].metadata["status"] == "local" and "01632 960123" in local[0].page_content
    per_call = SendRetriever.from_services(small_services, k=5).invoke(PHONE_QUESTION, local_authority="Demoshire")
    assert [d.metadata["chunk_id"] for d in per_call] == [d.metadata["chunk_id"] for d in demoshire]


def test_k_limits_the_documents_and_must_be_positive(small_services: Any) -> None:
    retriever = SendRetriever.from_services(small_services, k=4)
    assert len(retriever.invoke(ASSESSMENT_QUESTION, k=1)) == 1
    assert len(retriever.invoke(ASSESSMENT_QUESTION)) > 1
    with pytest.raises(ValidationError, match="k"):
        SendRetriever.from_services(small_services, k=0)
    with pytest.raises(ValueError, match="k must be greater than 0, got 0"):
        retriever.invoke(ASSESSMENT_QUESTION, k=0)  # 0 per call is refused, not taken as the default


def test_it_composes_in_an_lcel_chain(small_services: Any) -> None:
    """A council's own chain: retrieve, format with citations, fill a prompt (no model needed)."""

    def cite(docs: list[Document]) -> str:
        return "\n".join(f"{d.page_content} ({d.metadata['citation']})" for d in docs)

    retriever = SendRetriever.from_services(small_services, k=2)
    chain = {"context": retriever | RunnableLambda(cite), "question": RunnablePassthrough()} | RunnableLambda(
        lambda x: f"Context:\n{x['context']}\n\nQuestion: {x['question']}"
    )
    prompt = chain.invoke(ASSESSMENT_QUESTION)
    assert "(SEND Regulations 2014, reg 5(1))" in prompt
    assert prompt.endswith(f"Question: {ASSESSMENT_QUESTION}")
    batch = (retriever | RunnableLambda(cite)).batch([ASSESSMENT_QUESTION, "What is the LGSCO?"])
    assert "Local Government and Social Care Ombudsman" in batch[1]
