"""Hybrid retrieval: dense (Chroma + MiniLM) and keyword (BM25), fused by reciprocal rank.

A question that names a reference ("CoP 9.14", "reg 13", "s38(3)") puts the passages with
that reference first. Only national material and the selected local authority's material
can be returned; another authority's services never appear.

    >>> retriever = Retriever(index, embedder, top_k=8)        # doctest: +SKIP
    >>> [p.chunk.ref for p in retriever.retrieve("reg 13?")]    # doctest: +SKIP
    ['reg 13(1)', 'reg 13(2)', ...]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.index import LoadedIndex
from assistant.models import LegalStatus, Passage
from assistant.ports import Embedder
from assistant.sources import chunk_matches, find_refs

RRF_K = 60
GLOSSARY = "SEND Assistant glossary"
_LEGAL = re.compile(r"\b(law|legal|legally|lawful|unlawful|statutory|duty|duties|must they|obliged|required to)\b", re.IGNORECASE)
_DEFINITION = re.compile(r"\b(what (?:is|are|does)|what's|whats|meaning of|stand for|stands for|define|definition)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Retrieval:
    passages: list[Passage]
    query_vector: np.ndarray
    direct: bool  # the question named a reference and passages with it were found


class Retriever:
    def __init__(
        self, index: LoadedIndex, embedder: Embedder, *, top_k: int = 8, candidates: int = 40, rerank_pool: int = 24
    ) -> None:
        if top_k <= 0:
            raise ValueError(f"top_k must be greater than 0, got {top_k}")
        self.index = index
        self.embedder = embedder
        self.top_k = top_k
        self.candidates = candidates
        self.rerank_pool = rerank_pool

    def retrieve(self, question: str, *, local_authority: str | None = None, top_k: int | None = None) -> Retrieval:
        k = top_k or self.top_k
        chunks = self.index.chunks
        mask = self.index.mask(local_authority)
        vector = self.embedder.embed([question])[0]

        dense = self.index.store.query(vector, top_k=self.candidates, local_authority=local_authority)
        dense_score = {cid: score for cid, score in dense}
        keyword = self.index.keyword.scores(question, mask)
        keyword_order = [int(i) for i in np.argsort(-keyword)[: self.candidates] if keyword[i] > 0]

        fused: dict[int, float] = {}
        for rank, (chunk_id, _) in enumerate(dense):
            pos = self.index.position.get(chunk_id)
            if pos is not None:
                fused[pos] = fused.get(pos, 0.0) + 1.0 / (RRF_K + rank)
        for rank, pos in enumerate(keyword_order):
            fused[pos] = fused.get(pos, 0.0) + 0.8 / (RRF_K + rank)

        direct_hits = self._direct(question, mask)
        top_keyword = float(keyword.max()) if keyword.size else 0.0
        pool = [pos for pos in sorted(fused, key=lambda pos: -fused[pos])[: self.rerank_pool] if mask[pos]]
        pool += [pos for pos in direct_hits if pos not in pool]
        best_fused = max((fused.get(pos, 0.0) for pos in pool), default=1.0) or 1.0
        sentence_best = self._best_sentences(pool, vector)
        wants_definition = bool(_DEFINITION.search(question))
        wants_law = bool(_LEGAL.search(question))
        final: dict[int, float] = {}
        for pos in pool:
            chunk = chunks[pos]
            score = (
                0.35 * fused.get(pos, 0.0) / best_fused
                + 0.35 * max(dense_score.get(chunk.chunk_id, 0.0), 0.0)
                + 0.30 * sentence_best.get(pos, 0.0)
            )
            if chunk.source == GLOSSARY and not wants_definition:
                score -= 0.08
            if wants_law and chunk.status is LegalStatus.LAW:
                score += 0.04
            if pos in direct_hits:
                score += 1.0
            final[pos] = score
        ranked = self._follow_cross_references(sorted(final, key=lambda pos: -final[pos])[:k], mask, k)
        passages = [
            Passage(
                chunk=chunks[pos],
                score=final.get(pos, 0.0),
                dense=dense_score.get(chunks[pos].chunk_id, 0.0),
                keyword=float(keyword[pos]) / top_keyword if top_keyword else 0.0,
            )
            for pos in ranked
        ]
        return Retrieval(passages=passages, query_vector=vector, direct=bool(direct_hits))

    def _follow_cross_references(self, ranked: list[int], mask: np.ndarray, k: int) -> list[int]:
        """A top law passage that points at another provision ("the reasons in reg 10(4)")
        brings that provision in right after it, so the answer can say what it contains."""
        out = list(ranked)
        for pos in ranked[:3]:
            chunk = self.index.chunks[pos]
            if chunk.status is not LegalStatus.LAW:
                continue
            for found in find_refs(chunk.text):
                if not found.ref.sub or chunk_matches(chunk.source, chunk.ref, found):
                    continue
                targets = [
                    i for i, c in enumerate(self.index.chunks)
                    if mask[i] and i not in out and c.source == chunk.source and chunk_matches(c.source, c.ref, found)
                ]
                for target in targets[:1]:
                    out.insert(out.index(pos) + 1, target)
        return out[:k]

    def _best_sentences(self, pool: list[int], vector: np.ndarray) -> dict[int, float]:
        """Each candidate's best sentence similarity: a cheap rerank from precomputed vectors."""
        owners = self.index.sentence_chunk
        best: dict[int, float] = {}
        for pos in pool:
            start, end = np.searchsorted(owners, [pos, pos + 1])
            if end > start:
                best[pos] = float(np.max(self.index.sentence_vectors[start:end] @ vector))
        return best

    def _direct(self, question: str, mask: np.ndarray) -> list[int]:
        found = find_refs(question)
        if not found:
            return []
        return [
            pos
            for pos, chunk in enumerate(self.index.chunks)
            if mask[pos] and any(chunk_matches(chunk.source, chunk.ref, f) for f in found)
        ]
