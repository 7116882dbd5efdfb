"""Hybrid retrieval: dense (MiniLM vectors; see ports.SearchIndex.dense) and keyword (BM25), fused by reciprocal rank.

A question that names a reference ("CoP 9.14", "reg 13", "s38(3)") puts the passages with
that reference first. Only national material and the selected local authority's material
can be returned; another authority's services never appear.

    >>> retriever = Retriever(index, embedder, top_k=8)        # doctest: +SKIP
    >>> [p.chunk.ref for p in retriever.retrieve("reg 13?")]    # doctest: +SKIP
    ['reg 13(1)', 'reg 13(2)', ...]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.models import Chunk, LegalStatus, Passage, PassageKind
from assistant.ports import Embedder, SearchIndex
from assistant.sources import FoundRef, Ref, canonical_source, chunk_matches, find_refs, parse_ref
from assistant.text import STOPWORDS, asks_about_change
from assistant.tuning import RETRIEVAL

MAX_PARTS = 3  # sub-questions searched on their own as well
BASIS_MIN_SIMILARITY = 0.45  # a named law passage joins only when one of its sentences is this near the question
GLOSSARY = "SEND Assistant glossary"
_LEGAL = re.compile(r"\b(law|legal|legally|lawful|unlawful|statutory|duty|duties|must they|obliged|required to)\b", re.IGNORECASE)
_DEFINITION = re.compile(r"\b(what (?:is|are|does)|what's|whats|meaning of|stand for|stands for|define|definition)\b", re.IGNORECASE)


def prefer_official(passages: list[Passage], officials: list[Passage] = ()) -> list[Passage]:  # type: ignore[assignment]
    """The publisher's own words lead: our summary of a provision steps back when an official text
    of it is present.

    A summary is dropped when an official passage with the same source whose ref covers the
    summary's ref is among `passages` or `officials` (official chunks of the index that the caller
    found for the summaries shown). The official passage takes the better of the two ranks, so an
    ingested "SEND Regulations 2014, reg 5" comes where our "Summary of reg 5(1)" would have been.
    Explainers are never dropped: they are our explanation, not a stand-in for the text.
    """
    pool = [p for p in (*passages, *officials) if p.chunk.kind is PassageKind.OFFICIAL]
    if not pool:
        return passages

    def official_for(summary: Passage) -> Passage | None:
        source, ref = canonical_source(summary.chunk.source), parse_ref(summary.chunk.ref)
        for candidate in pool:
            if canonical_source(candidate.chunk.source) == source and parse_ref(candidate.chunk.ref).covers(ref):
                return candidate
        return None

    out: list[Passage] = []
    placed: set[str] = set()
    for passage in passages:
        chosen = passage
        if passage.chunk.kind is PassageKind.SUMMARY:
            official = official_for(passage)
            if official is not None:
                chosen = official
        if chosen.chunk.chunk_id not in placed:
            placed.add(chosen.chunk.chunk_id)
            out.append(chosen)
    return out


@dataclass(frozen=True)
class Retrieval:
    passages: list[Passage]
    query_vector: np.ndarray
    direct: bool  # the question named a reference and passages with it were found
    parts: tuple[tuple[str, np.ndarray], ...] = ()  # the sub-questions of a question that asks several things


_PART_SPLIT = re.compile(
    r"(?<=[?.!])\s+|\s+(?:and|also|plus)\s+(?=(?:what|who|how|when|whether|can|could|do|does|is|are|should|which)\b)",
    re.IGNORECASE,
)


def split_parts(question: str) -> list[str]:
    """The separate things a question asks: "who is responsible and what can I do?" -> two parts."""
    parts = [p.strip(" ?.!-") for p in _PART_SPLIT.split(question) if p and p.strip(" ?.!-")]
    parts = [p for p in parts if len(p.split()) >= 3]
    return parts if len(parts) >= 2 else []


def _phrases(question: str) -> set[str]:
    """Two-word phrases of the question that name a thing ("section f", "mediation certificate")."""
    words = [w for w in re.findall(r"[a-z0-9]+", question.lower())]
    pairs = zip(words, words[1:], strict=False)
    return {f"{a} {b}" for a, b in pairs if a not in STOPWORDS and (b not in STOPWORDS or len(b) == 1)}


class Retriever:
    def __init__(
        self, index: SearchIndex, embedder: Embedder, *, top_k: int = 8, candidates: int = 40, rerank_pool: int = 24
    ) -> None:
        if top_k <= 0:
            raise ValueError(f"top_k must be greater than 0, got {top_k}")
        self.index = index
        self.embedder = embedder
        self.top_k = top_k
        self.candidates = candidates
        self.rerank_pool = rerank_pool
        # Each chunk's reference, parsed once, and the references its text names (filled on first use).
        self._refs_by_source: dict[str, list[tuple[int, Ref]]] = {}
        for pos, chunk in enumerate(index.chunks):
            self._refs_by_source.setdefault(canonical_source(chunk.source), []).append((pos, parse_ref(chunk.ref)))
        # Official (ingested) chunks by source, to stand in for our summary of the same provision.
        self._official_refs: dict[str, list[tuple[int, Ref]]] = {}
        for pos, chunk in enumerate(index.chunks):
            if chunk.kind is PassageKind.OFFICIAL and chunk.source not in (GLOSSARY,):
                self._official_refs.setdefault(canonical_source(chunk.source), []).append((pos, parse_ref(chunk.ref)))
        self._refs_in_text: dict[int, list[FoundRef]] = {}
        # The chunks a reference found in a chunk's own text points at: a finite set, so kept.
        self._named_from_text: dict[tuple[str, Ref, str | None, bool], list[int]] = {}

    def question_vectors(self, question: str) -> np.ndarray:
        """The vectors retrieval searches with: the question, then each of its parts (one embed call).

        Routing decides by meaning from row 0 and hands the whole array back to ``retrieve``, so
        nothing is embedded twice."""
        return self.embedder.embed([question, *split_parts(question)[:MAX_PARTS]])

    def retrieve(self, question: str, *, local_authority: str | None = None, top_k: int | None = None,
                 vectors: np.ndarray | None = None) -> Retrieval:
        """``vectors``: ``question_vectors(question)``, when the caller has them already."""
        k = top_k or self.top_k
        mask = self.index.mask(local_authority)
        parts = split_parts(question)[:MAX_PARTS]
        if vectors is None or len(vectors) != 1 + len(parts):
            vectors = self.question_vectors(question)
        passages, direct = self._rank(question, vectors[0], mask, local_authority, k)
        if parts:
            seen = {p.chunk.chunk_id for p in passages}
            extra: list[Passage] = []
            for part, vector in zip(parts, vectors[1:], strict=True):
                for passage in self._rank(part, vector, mask, local_authority, 3)[0]:
                    if passage.chunk.chunk_id not in seen:
                        seen.add(passage.chunk.chunk_id)
                        extra.append(passage)
            passages = passages[: max(k - len(extra), 5)] + extra
        return Retrieval(
            passages=passages,
            query_vector=vectors[0],
            direct=direct,
            parts=tuple(zip(parts, vectors[1:], strict=True)),
        )

    def _rank(
        self, question: str, vector: np.ndarray, mask: np.ndarray, local_authority: str | None, k: int
    ) -> tuple[list[Passage], bool]:
        chunks = self.index.chunks
        dense = self.index.dense.query(vector, top_k=self.candidates, local_authority=local_authority)
        dense_score = {cid: score for cid, score in dense}
        keyword = self.index.keyword.scores(question, mask)
        keyword_order = [int(i) for i in np.argsort(-keyword)[: self.candidates] if keyword[i] > 0]

        fused: dict[int, float] = {}
        for rank, (chunk_id, _) in enumerate(dense):
            pos = self.index.position.get(chunk_id)
            if pos is not None:
                fused[pos] = fused.get(pos, 0.0) + 1.0 / (RETRIEVAL.rrf_k + rank)
        for rank, pos in enumerate(keyword_order):
            fused[pos] = fused.get(pos, 0.0) + RETRIEVAL.keyword_rank_weight / (RETRIEVAL.rrf_k + rank)

        direct_hits = self._direct(question, mask)
        top_keyword = float(keyword.max()) if keyword.size else 0.0
        pool = [pos for pos in sorted(fused, key=lambda pos: -fused[pos])[: self.rerank_pool] if mask[pos]]
        pool += [pos for pos in direct_hits if pos not in pool]
        best_fused = max((fused.get(pos, 0.0) for pos in pool), default=1.0) or 1.0
        sentence_best = self._best_sentences(pool, vector)
        wants_definition = bool(_DEFINITION.search(question))
        wants_law = bool(_LEGAL.search(question))
        wants_reform = asks_about_change(question)
        phrases = _phrases(question)
        final: dict[int, float] = {}
        for pos in pool:
            chunk = chunks[pos]
            score = (
                RETRIEVAL.fused_weight * fused.get(pos, 0.0) / best_fused
                + RETRIEVAL.dense_weight * max(dense_score.get(chunk.chunk_id, 0.0), 0.0)
                + RETRIEVAL.sentence_weight * sentence_best.get(pos, 0.0)
            )
            if chunk.source == GLOSSARY and not wants_definition:
                score -= RETRIEVAL.glossary_penalty
            if chunk.status is LegalStatus.PROPOSAL and not wants_reform:
                score -= RETRIEVAL.proposal_penalty
            if wants_law and chunk.status is LegalStatus.LAW and chunk.kind is not PassageKind.EXPLAINER:
                score += RETRIEVAL.law_bonus
            if pos in direct_hits:
                score += RETRIEVAL.named_ref_bonus
            score += RETRIEVAL.title_phrase_bonus * min(RETRIEVAL.title_phrase_max, sum(phrase in chunk.title.lower() for phrase in phrases))
            final[pos] = score
        ranked = self._follow_cross_references(_capped(sorted(final, key=lambda pos: -final[pos]), chunks, k), mask, k, vector)
        passages = [
            Passage(
                chunk=chunks[pos],
                score=final.get(pos, 0.0),
                dense=dense_score.get(chunks[pos].chunk_id, 0.0),
                keyword=float(keyword[pos]) / top_keyword if top_keyword else 0.0,
            )
            for pos in ranked
        ]
        return prefer_official(passages, self._officials_for(passages, mask)), bool(direct_hits)

    def _officials_for(self, passages: list[Passage], mask: np.ndarray) -> list[Passage]:
        """Official chunks of the index covering the summaries shown (none unless a text was ingested)."""
        if not self._official_refs:
            return []
        out: list[Passage] = []
        for passage in passages:
            if passage.chunk.kind is not PassageKind.SUMMARY:
                continue
            wanted = parse_ref(passage.chunk.ref)
            for pos, ref in self._official_refs.get(canonical_source(passage.chunk.source), ()):
                if mask[pos] and ref.covers(wanted):
                    out.append(Passage(chunk=self.index.chunks[pos], score=passage.score))
                    break
        return out

    def _follow_cross_references(
        self, ranked: list[int], mask: np.ndarray, k: int, vector: np.ndarray
    ) -> list[int]:
        """Bring in the provisions the top passages rest on.

        A top law passage that points at another provision of the same instrument ("the
        reasons in reg 10(4)") brings that provision in after the top five, so the answer can
        say what it contains. A top passage of guidance, or one of our explanations, that names
        the section or regulation behind it ("Children and Families Act 2014, s.44") brings that law passage in right
        after itself, so the answer can cite the duty beside the guidance: at most two such
        additions, and only law the passage names explicitly.
        """
        out = list(ranked)
        added_basis = 0
        for pos in ranked[:3]:
            chunk = self.index.chunks[pos]
            if chunk.status is LegalStatus.LAW and chunk.kind is not PassageKind.EXPLAINER:
                for found in self._named_in(pos):
                    if not found.ref.sub or chunk_matches(chunk.source, chunk.ref, found):
                        continue
                    targets = [i for i in self._named_by_text(found, mask, source=chunk.source) if i not in out]
                    for target in targets[:1]:
                        out.insert(min(len(out), 5), target)
            elif (chunk.status is LegalStatus.STATUTORY_GUIDANCE or chunk.kind is PassageKind.EXPLAINER) and added_basis < 2:
                target = self._basis(pos, mask, out[:5], vector)
                if target is not None:
                    if target in out:
                        out.remove(target)
                    out.insert(out.index(pos) + 1, target)
                    added_basis += 1
        return out[:k]

    def _basis(self, pos: int, mask: np.ndarray, shown: list[int], vector: np.ndarray) -> int | None:
        """The law passage a guidance passage names that is nearest the question, unless some of
        the law it names is already shown or none of it is near the question."""
        candidates: list[int] = []
        for found in self._named_in(pos):
            if found.ref.kind not in ("s", "reg"):
                continue
            targets = self._named_by_text(found, mask, law_only=True)
            if any(i in shown for i in targets):
                return None
            candidates += targets
        nearness = self._best_sentences(candidates, vector)
        best = max(candidates, key=lambda i: nearness.get(i, 0.0), default=None)
        return best if best is not None and nearness.get(best, 0.0) >= BASIS_MIN_SIMILARITY else None

    def _best_sentences(self, pool: list[int], vector: np.ndarray) -> dict[int, float]:
        """Each candidate's best sentence similarity: a cheap rerank from precomputed vectors."""
        best: dict[int, float] = {}
        for pos in pool:
            vectors = self.index.sentence_vectors_of(pos)
            if len(vectors):
                best[pos] = float(np.max(vectors @ vector))
        return best

    def _direct(self, question: str, mask: np.ndarray) -> list[int]:
        named: set[int] = set()
        for found in find_refs(question):
            named.update(self._named(found, mask))
        return sorted(named)

    def _named(self, found: FoundRef, mask: np.ndarray, *, source: str | None = None, law_only: bool = False) -> list[int]:
        """Positions, in index order, of the chunks a reference points at (same test as
        ``chunk_matches``, on references parsed once per index)."""
        chunks = self.index.chunks
        return [
            pos for pos, ref in self._refs_by_source.get(found.source, ())
            if mask[pos] and ref.covers(found.ref)
            and (source is None or chunks[pos].source == source)
            and (not law_only or chunks[pos].status is LegalStatus.LAW)
        ]

    def _named_by_text(self, found: FoundRef, mask: np.ndarray, *, source: str | None = None, law_only: bool = False) -> list[int]:
        """`_named` for a reference found in a chunk's text, worked out once for every authority."""
        key = (found.source, found.ref, source, law_only)
        if key not in self._named_from_text:
            self._named_from_text[key] = self._named(found, np.ones(len(self.index.chunks), dtype=bool), source=source, law_only=law_only)
        return [pos for pos in self._named_from_text[key] if mask[pos]]

    def _named_in(self, pos: int) -> list[FoundRef]:
        """The references a chunk's own text names, found once per chunk."""
        if pos not in self._refs_in_text:
            self._refs_in_text[pos] = find_refs(self.index.chunks[pos].text)
        return self._refs_in_text[pos]


def _capped(order: list[int], chunks: Sequence[Chunk], k: int) -> list[int]:
    """The first ``k`` positions of ``order`` with at most ``RETRIEVAL.bank_places`` answer-bank
    entries among them (an explanation shaped as a question and answer), the rest passages."""
    out: list[int] = []
    entries = 0
    for pos in order:
        if chunks[pos].is_bank_entry:
            if entries >= RETRIEVAL.bank_places:
                continue
            entries += 1
        out.append(pos)
        if len(out) >= k:
            break
    return out
