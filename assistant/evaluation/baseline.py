"""A naive LangChain RAG retriever, the baseline our hybrid retrieval is measured against.

RecursiveCharacterTextSplitter (1000/200) over the same corpus, Chroma, the same MiniLM
model, top 5 — what a first RAG prototype would do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.ports import Embedder


class EmbedderAdapter(Embeddings):
    """Our embedder behind LangChain's Embeddings interface (never Chroma's default)."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._embedder.embed([text])[0].tolist()


class NaiveRag:
    def __init__(self, store: Any) -> None:
        self._store = store

    @classmethod
    def build(cls, settings: Settings, embedder: Embedder) -> NaiveRag:
        import chromadb
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from assistant.indexing import all_documents

        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        pieces: list[LCDocument] = []
        for doc in all_documents(settings):
            for text in splitter.split_text(doc.text):
                pieces.append(LCDocument(page_content=text, metadata={"source": doc.source, "ref": doc.ref}))
        client = chromadb.EphemeralClient()
        store = Chroma(client=client, collection_name="naive", embedding_function=EmbedderAdapter(embedder))
        store.add_documents(pieces)
        return cls(store)

    def cited(self, row: dict[str, Any]) -> Sequence[tuple[str, str]]:
        docs = self._store.similarity_search(row["question"], k=5)
        return [(d.metadata["source"], d.metadata["ref"]) for d in docs]
