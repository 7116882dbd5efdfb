"""The default composer: picks the sentences that answer the question, cites each one.

No text is generated. Every sentence in the answer is a sentence of a retrieved passage,
so every sentence carries a citation that resolves to the passage it came from. Sentence
vectors were computed at index time; at question time only arithmetic happens here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.models import Chunk, Passage
from assistant.ports import SearchIndex
from assistant.retrieval.keyword import stem
from assistant.text import content_words

_TIME_QUESTION = re.compile(
    r"\b(how long|how many (?:weeks|days|months)|deadline|timescale|time ?limit|by when|when (?:do|does|must|should|will)|"
    r"how soon|how quickly|within|time frame|timeframe|late)\b",
    re.IGNORECASE,
)
_TIME_FACT = re.compile(
    r"\b(\d+|one|two|three|four|five|six|eight|ten|twelve|fifteen|sixteen|twenty|thirty)\s*"
    r"(?:working |school |calendar )?(weeks?|days?|months?)\b|\b\d{1,2} (?:january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.IGNORECASE,
)


# A sentence that opens like this leans on the one before it ("A typical example is ...",
# "This means ..."): taken alone out of a supporting passage it reads as a non sequitur.
_LEANS_BACK = re.compile(
    r"^(?:this|these|that|those|it|its|they|their|such|here|both|either|neither|the same|"
    r"a typical example|for example|for instance|in that case|in this case|otherwise|however|also)\b",
    re.IGNORECASE,
)

_ASK = re.compile(
    r"^\s*(?:and\s+|so\s+|but\s+)?(who|what|when|where|why|how|can|could|do|does|did|is|are|should|will|would|which|must|have|has|may)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Selected:
    chunk: Chunk
    passage_rank: int
    sentence_index: int
    text: str
    score: float


@dataclass(frozen=True)
class Composition:
    selected: list[Selected]
    best_sentence: float  # the best sentence-to-question similarity, for abstention


class ExtractiveComposer:
    """Selects up to `max_sentences` sentences from the top `max_passages` passages."""

    name = "extractive"

    def __init__(
        self, index: SearchIndex, *, max_passages: int = 6, duplicate_threshold: float = 0.82, keep_ratio: float = 0.45,
        support_ratio: float = 0.55, lead_margin: float = 0.05,
    ) -> None:
        self.index = index
        self.max_passages = max_passages
        self.duplicate_threshold = duplicate_threshold
        self.keep_ratio = keep_ratio
        self.support_ratio = support_ratio
        self.lead_margin = lead_margin
        self._stem_cache: dict[int, list[frozenset[str]]] = {}

    def _stems(self, pos: int) -> list[frozenset[str]]:
        """The stemmed content words of each sentence of chunk `pos`: worked out once per chunk."""
        found = self._stem_cache.get(pos)
        if found is None:
            found = [frozenset(stem(w) for w in content_words(s)) for s in self.index.sentences[pos]]
            self._stem_cache[pos] = found  # a whole list at once: safe for the server's threads
        return found

    def whole(self, passages: Sequence[Passage], *, sentences_each: int | None = None) -> Composition:
        """The sentences of the given passages, in order: the answer to a direct look-up."""
        selected = [
            Selected(p.chunk, rank, i, sentence, 1.0)
            for rank, p in enumerate(passages)
            for i, sentence in enumerate(self.index.sentences[self.index.position[p.chunk.chunk_id]][:sentences_each])
        ]
        return Composition(selected, 1.0)

    def lead_and_support(
        self,
        question: str,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        *,
        extra: int = 4,
        parts: Sequence[tuple[str, np.ndarray]] = (),
        lead_sentences: int = 7,
        per_passage: int = 2,
    ) -> Composition:
        """The best passage in full (it was written to stand alone), then the best sentences
        of the others — one for each part of a question that asks several things. Up to two
        sentences come from any one supporting passage: a passage's second-best sentence is
        often the one holding the number or the exception that was asked about."""
        if not passages:
            return Composition([], 0.0)
        first = self._lead_position(passages, parts)
        ordered = [passages[first], *passages[:first], *passages[first + 1 :]]
        lead = self.whole(ordered[:1]).selected[:lead_sentences]
        lead_best = self._candidates(question, query_vector, ordered[:1])
        floor = self.support_ratio * max((c[0] for c in lead_best), default=0.0)
        support = self.select(
            question, query_vector, ordered[1:], max_sentences=extra, parts=parts, per_passage=per_passage, floor=floor
        )
        shifted = [Selected(s.chunk, s.passage_rank + 1, s.sentence_index, s.text, s.score) for s in support.selected]
        best = max([support.best_sentence] + [c[1] for c in lead_best])
        return Composition(lead + shifted, best)

    def _lead_position(self, passages: Sequence[Passage], parts: Sequence[tuple[str, np.ndarray]]) -> int:
        """Which passage leads: the first, unless the question has an explicit ask ("who do I
        complain to?") after some context, when the passage that best answers the ask leads.

        Only a passage that retrieval scored within `lead_margin` of the first can take the lead:
        one sentence that echoes the ask ("will it stop on his birthday?") must not let a passage
        about something else displace the one that answers the whole question."""
        asks = [vector for text, vector in parts if _ASK.match(text) or text.rstrip().endswith("?")]
        if not asks:
            return 0
        best, best_score = 0, -1.0
        for rank, passage in enumerate(passages[:4]):
            if rank and passages[0].score - passage.score > self.lead_margin:
                continue
            pos = self.index.position[passage.chunk.chunk_id]
            vectors = self.index.sentence_vectors_of(pos)
            if not len(vectors):
                continue
            similarity = max(float(np.max(vectors @ v)) for v in asks)
            score = similarity + 0.06 / (1 + rank)
            if score > best_score:
                best, best_score = rank, score
        return best

    def select(
        self,
        question: str,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        *,
        max_sentences: int = 5,
        per_passage: int = 3,
        parts: Sequence[tuple[str, np.ndarray]] = (),
        floor: float = 0.0,
    ) -> Composition:
        """The best sentences for the question; a question that asks several things gets the
        best sentence for each of its parts first, then the best for the whole."""
        pool = passages[: self.max_passages + len(parts)]
        candidates = [c for c in self._candidates(question, query_vector, pool) if stands_alone(c[2])]
        if not candidates:
            return Composition([], 0.0)
        best_similarity = max(c[1] for c in candidates)
        chosen: list[tuple[Selected, np.ndarray]] = []
        per_chunk: dict[str, int] = {}

        def take(ranked: list[tuple[float, float, Selected, np.ndarray]], limit: int, floor: float) -> None:
            for score, _, selected, vector in ranked:
                if len(chosen) >= limit or score < floor:
                    return
                if per_chunk.get(selected.chunk.chunk_id, 0) >= per_passage:
                    continue
                if any(float(vector @ other) > self.duplicate_threshold for _, other in chosen):
                    continue
                chosen.append((selected, vector))
                per_chunk[selected.chunk.chunk_id] = per_chunk.get(selected.chunk.chunk_id, 0) + 1

        for part, vector in parts:
            ranked = sorted((c for c in self._candidates(part, vector, pool) if stands_alone(c[2])), key=lambda c: -c[0])
            if ranked:
                take(ranked, len(chosen) + 1, max(floor * 0.9, ranked[0][0] * 0.9))
        candidates.sort(key=lambda c: -c[0])
        take(candidates, max_sentences, max(floor, candidates[0][0] * self.keep_ratio))
        ordered = sorted((c[0] for c in chosen), key=lambda s: (s.passage_rank, s.sentence_index))
        return Composition(ordered, best_similarity)

    def _candidates(
        self, question: str, query_vector: np.ndarray, passages: Sequence[Passage]
    ) -> list[tuple[float, float, Selected, np.ndarray]]:
        q_words = {stem(w) for w in content_words(question)}
        wants_time = bool(_TIME_QUESTION.search(question))
        out: list[tuple[float, float, Selected, np.ndarray]] = []
        for rank, passage in enumerate(passages):
            pos = self.index.position[passage.chunk.chunk_id]
            sentences = self.index.sentences[pos]
            vectors = self.index.sentence_vectors_of(pos)
            if len(vectors) != len(sentences):
                continue
            similarities = vectors @ query_vector
            rank_weight = 1.0 / (1.0 + 0.35 * rank)
            for i, (sentence, similarity, s_words) in enumerate(zip(sentences, similarities, self._stems(pos), strict=True)):
                if len(sentence.split()) < 4:
                    continue
                overlap = len(q_words & s_words) / max(1, len(q_words))
                score = 0.55 * float(similarity) + 0.25 * rank_weight + 0.25 * overlap
                if wants_time and _TIME_FACT.search(sentence):
                    score += 0.08
                if i == 0:
                    score += 0.02  # a passage's first sentence usually states its point
                selected = Selected(passage.chunk, rank, i, sentence, score)
                out.append((score, float(similarity), selected, vectors[i]))
        return out


def stands_alone(selected: Selected) -> bool:
    """Whether a sentence makes sense without the one before it in its passage.

    >>> from assistant.models import Chunk, LegalStatus
    >>> c = Chunk("c", "d", "", "SEND Regulations 2014", "reg 4A", "t", LegalStatus.LAW)
    >>> stands_alone(Selected(c, 0, 2, "A typical example is therapy bought through a block contract.", 0.5))
    False
    >>> stands_alone(Selected(c, 0, 0, "This regulation limits personal budgets.", 0.5))
    True
    """
    return selected.sentence_index == 0 or not _LEANS_BACK.match(selected.text)

