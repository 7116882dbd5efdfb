"""Our hybrid retriever as a LangChain retriever, for a council's own chains.

`SendRetriever` wraps `assistant.retrieval.retriever.Retriever` (dense + BM25, reference look-ups, only
national material plus the chosen local authority's) and returns LangChain `Document`s. The
passage text is the `page_content`; the citation travels in the metadata, so a chain can
print "SEND Regulations 2014, reg 5(1)" without parsing anything:

    {source, ref, title, url, link_host, status, local_authority, citation, kind, label, force, basis, score, chunk_id}

Ingested text has been screened (`assistant.ingest.screen`): records holding instructions aimed
at a model are quarantined, and `url` is only ever an https link the deployer trusts
(`link_host` names a website the source gave that is not linked).

    >>> retriever = SendRetriever.from_services(services, k=4, local_authority="Demoshire")  # doctest: +SKIP
    >>> docs = retriever.invoke("How long does the council have to decide?")                  # doctest: +SKIP
    >>> docs[0].metadata["citation"]                                                           # doctest: +SKIP
    'SEND Regulations 2014, reg 5(1)'

`k` and `local_authority` can also be given per call: ``retriever.invoke(q, k=2)``. It is a
Runnable, so it composes with LCEL: ``retriever | RunnableLambda(format_docs)``.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from assistant.models import Passage
from assistant.retrieval.retriever import Retriever


def to_document(passage: Passage) -> Document:
    """One retrieved passage as a LangChain Document, its citation in the metadata."""
    chunk = passage.chunk
    return Document(
        page_content=chunk.text,
        id=chunk.chunk_id,
        metadata={
            "source": chunk.source,
            "ref": chunk.ref,
            "title": chunk.title,
            "url": chunk.url,
            "link_host": chunk.extra.get("link_host"),
            "status": chunk.status.value,
            "local_authority": chunk.local_authority,
            "citation": chunk.citation_label,
            "kind": chunk.kind.value,  # official | summary | explainer: whose words these are
            "label": chunk.label,  # "Summary of CoP 9.14", "Our explanation: <title>"
            "force": chunk.kind.force_label(chunk.status),  # "Law"; for an explainer "based on law"
            "basis": list(chunk.basis),
            "score": float(passage.score),
            "chunk_id": chunk.chunk_id,
        },
    )


class SendRetriever(BaseRetriever):
    """LangChain face of the SEND Assistant hybrid retriever."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever = Field(description="The hybrid retriever over a loaded index.")
    k: int = Field(default=8, gt=0, description="How many documents to return.")
    local_authority: str | None = Field(default=None, description="Also search this council's Local Offer.")

    @classmethod
    def from_services(cls, services: Any, **kwargs: Any) -> SendRetriever:
        """Built from `assistant.services.build_services(...)`, loading the index if needed."""
        return cls(retriever=services.ensure_ready().retriever, **kwargs)

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        local_authority: str | None = None,
    ) -> list[Document]:
        top_k = self.k if k is None else k
        if top_k <= 0:
            raise ValueError(f"k must be greater than 0, got {top_k}")
        found = self.retriever.retrieve(query, local_authority=local_authority or self.local_authority, top_k=top_k)
        return [to_document(passage) for passage in found.passages[:top_k]]
