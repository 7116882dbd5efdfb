"""The answer bank: our question-and-answer explainers, matched question to question.

A bank entry is an `explainer` passage with a direct `answer`, up to three `next_steps`, the
ways people ask it (`questions`, embedded at index time) and the `basis` it rests on. A
message is matched against every way of asking every entry, by meaning (the MiniLM vectors
the index already holds) and by shared words; the entry is used only when the best match is
clear of the threshold calibrated on the bank itself (`bench/calibrate_bank.py`), otherwise
the pipeline falls back to passages.

    >>> bank = AnswerBank(index)                                   # doctest: +SKIP
    >>> bank.match("can i ask for an ehcp myself", vector, mask)  # doctest: +SKIP
    BankMatch(entry=<can a parent ask...>, score=0.83, runner_up=0.61)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.asks import Form, agreement, ask_of
from assistant.models import Chunk, LegalStatus, PassageKind
from assistant.ports import SearchIndex
from assistant.retrieval.keyword import stem
from assistant.sources import canonical_source, parse_ref
from assistant.text import asks_about_change, content_words
from assistant.tuning import BANK


@dataclass(frozen=True)
class BankMatch:
    entry: Chunk
    position: int
    score: float
    runner_up: float


@dataclass(frozen=True)
class BasisPassage:
    """A passage holding a provision an entry rests on, and its sentence nearest the question."""

    chunk: Chunk
    sentence: str
    similarity: float


class AnswerBank:
    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.entries = [pos for pos, chunk in enumerate(index.chunks) if chunk.is_bank_entry]
        owners = np.asarray(index.question_chunk if index.question_chunk is not None else [], dtype=np.int64)
        in_bank = np.isin(owners, self.entries) if owners.size else np.zeros(0, dtype=bool)
        self._rows = np.flatnonzero(in_bank)
        self._row_owner = owners[self._rows] if owners.size else owners
        # the entries that have ways of asking, and each row's place among them
        columns, self._row_column = np.unique(self._row_owner, return_inverse=True)
        self._columns: list[int] = columns.tolist()
        # Each entry's own vector (its title and explanation), from the dense rows when held in process.
        chunk_vectors = index.chunk_vectors
        self._entry_vectors = (
            {pos: chunk_vectors[pos] for pos in self.entries} if chunk_vectors is not None and len(chunk_vectors) >= len(index.chunks) else {}
        )
        # Each entry's own question (its title), when the build holds it (the first of an entry's
        # bank rows: a format-2 build also kept the direct answer after it, which is not used).
        self._title_vectors: dict[int, np.ndarray] = {}
        bank_vectors, bank_chunk = getattr(index, "bank_vectors", None), getattr(index, "bank_chunk", None)
        if bank_vectors is not None and bank_chunk is not None and len(bank_chunk):
            for pos in self.entries:
                rows = np.flatnonzero(bank_chunk == pos)
                if len(rows):
                    self._title_vectors[pos] = bank_vectors[rows[0]]
        # The body and title vectors side by side, so one product scores them both.
        owned = [pos for pos in self.entries if pos in self._title_vectors and pos in self._entry_vectors]
        self._own_row = {pos: i for i, pos in enumerate(owned)}
        self._own_vectors = (
            np.stack([np.stack([self._entry_vectors[p], self._title_vectors[p]]) for p in owned])
            if owned else np.zeros((0, 2, 1), dtype=np.float32)
        )
        if len(owned) != len(self.entries):  # an entry without them: score every entry the old way
            self._title_vectors = {}
        vectors = index.question_vectors
        self._vectors = vectors[self._rows] if vectors is not None and len(self._rows) else np.zeros((0, 1), dtype=np.float32)
        self._words = {pos: _stems(" ".join([index.chunks[pos].title, *index.chunks[pos].questions])) for pos in self.entries}
        # The form of each entry's own question (its title): what its direct answer answers.
        self._forms = {pos: ask_of(index.chunks[pos].title) for pos in self.entries}
        self._by_ref: dict[str, list[int]] = {}
        for pos, chunk in enumerate(index.chunks):
            if chunk.kind is not PassageKind.EXPLAINER:
                self._by_ref.setdefault(canonical_source(chunk.source), []).append(pos)

    @property
    def _cuts(self) -> tuple[float, float, float]:
        """(threshold, sure, suggest) for the scoring this index allows."""
        if self._title_vectors:
            return BANK.threshold, BANK.sure, BANK.suggest
        return BANK.threshold_old, BANK.sure_old, BANK.suggest_old

    def __len__(self) -> int:
        return len(self.entries)

    def scores(self, question: str, vector: np.ndarray, mask: np.ndarray) -> dict[int, float]:
        """Each bank entry's match score: its nearest way of asking, plus a little for shared words
        and a little for asking in the same form (a yes-or-no question, a time, a name...)."""
        if not len(self._rows):
            return {}
        similarities = self._vectors @ vector
        nearest = np.full(len(self._columns), -np.inf, dtype=np.float32)
        np.maximum.at(nearest, self._row_column, similarities)  # each entry's nearest way of asking
        best = {pos: float(nearest[j]) for j, pos in enumerate(self._columns) if mask[pos] and nearest[j] > -np.inf}
        if self._entry_vectors and self._title_vectors:
            own = self._own_vectors @ vector  # body and title similarity, one row an entry
            for pos in best:
                body, title = own[self._own_row[pos]]
                best[pos] = BANK.question_weight * best[pos] + BANK.body_weight * float(body) + BANK.title_weight * float(title)
        elif self._entry_vectors:
            for pos in best:
                best[pos] = (1 - BANK.entry_weight) * best[pos] + BANK.entry_weight * float(self._entry_vectors[pos] @ vector)
        asked = _stems(question)
        word_weight = BANK.word_weight if self._title_vectors else BANK.word_weight_old
        if asked:
            for pos in best:
                best[pos] += word_weight * len(asked & self._words[pos]) / len(asked)
        form = ask_of(question)
        if form is not Form.NONE and BANK.form_weight:
            for pos in best:
                best[pos] += BANK.form_weight * (agreement(form, self._forms[pos]) - 0.5)
        return best

    def match(
        self, question: str, vector: np.ndarray, mask: np.ndarray, *, retrieved: Sequence[Chunk] = ()
    ) -> BankMatch | None:
        """The entry that answers the question, or None when no entry is clearly close enough.

        Below `sure`, the entry must also agree with retrieval, which reads the passages
        themselves: the entry is among the top passages retrieved, or it rests on a provision
        one of them holds. Two readings of the question that agree are rarely both wrong."""
        ranked = sorted(self.scores(question, vector, mask).items(), key=lambda item: -item[1])
        if not asks_about_change(question):  # an entry on a proposal answers only a question about change
            ranked = [(p, sc) for p, sc in ranked if self.index.chunks[p].status is not LegalStatus.PROPOSAL]
        if not ranked:
            return None
        (pos, score), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        threshold, sure, _ = self._cuts
        if score < threshold:
            return None
        # Entries within `margin` of the best are a tie that meaning alone cannot break: the one
        # retrieval agrees with first (reading the passages themselves) is taken.
        close = [(p, sc) for p, sc in ranked if sc >= score - BANK.margin]
        agreeing = [(rank, p, sc) for p, sc in close if (rank := self.agreement(self.index.chunks[p], retrieved)) is not None]
        if agreeing:
            _, pos, score = min(agreeing, key=lambda item: item[0])
        elif score < sure:
            return None
        return BankMatch(self.index.chunks[pos], pos, score, runner_up)

    def agrees(self, entry: Chunk, retrieved: Sequence[Chunk]) -> bool:
        return self.agreement(entry, retrieved) is not None

    def agreement(self, entry: Chunk, retrieved: Sequence[Chunk]) -> int | None:
        """Where, among the top passages retrieved, retrieval first agrees with an entry: the entry
        itself, or a passage holding a provision it rests on. None when it does not."""
        basis = [(canonical_source(src), parse_ref(ref)) for src, _, ref in (b.rpartition(", ") for b in entry.basis) if src and ref]
        for rank, chunk in enumerate(retrieved[: BANK.agree_top]):
            if chunk.chunk_id == entry.chunk_id:
                return rank
            if chunk.is_bank_entry:
                continue
            have = parse_ref(chunk.ref)
            if any(canonical_source(chunk.source) == src and _overlaps(have, want) for src, want in basis):
                return rank
        return None

    def nearest_titles(self, question: str, vector: np.ndarray, mask: np.ndarray, n: int = 3) -> list[str]:
        """Titles of the entries nearest a question no entry answers: what we can answer instead."""
        ranked = sorted(self.scores(question, vector, mask).items(), key=lambda item: -item[1])
        return [self.index.chunks[pos].title for pos, score in ranked[:n] if score >= self._cuts[2]]

    def basis_passages(self, entry: Chunk, vector: np.ndarray, mask: np.ndarray, *, limit: int) -> list[BasisPassage]:
        """The summaries (or official texts, which come first) of the provisions an entry rests on,
        in the order of its basis, each with the sentence nearest the question."""
        out: list[BasisPassage] = []
        seen: set[int] = set()
        shown: list[np.ndarray] = []
        for item in entry.basis:
            source, _, ref = item.rpartition(", ")
            if not source or not ref:
                continue
            wanted = parse_ref(ref)
            found = [
                pos for pos in self._by_ref.get(canonical_source(source), ())
                if mask[pos] and pos not in seen and _overlaps(parse_ref(self.index.chunks[pos].ref), wanted)
            ]
            if not found:
                continue
            found.sort(key=lambda pos: (self.index.chunks[pos].kind is not PassageKind.OFFICIAL, -self._nearness(pos, vector, [])[1]))
            pos = found[0]
            seen.add(pos)
            sentence, similarity, sentence_vector = self._nearness(pos, vector, shown)
            if sentence_vector is None:
                continue
            shown.append(sentence_vector)
            out.append(BasisPassage(self.index.chunks[pos], sentence, similarity))
            if len(out) >= limit:
                break
        return out

    def _nearness(self, pos: int, vector: np.ndarray, shown: list[np.ndarray]) -> tuple[str, float, np.ndarray | None]:
        """A chunk's sentence nearest the question that does not repeat one already shown."""
        sentences = self.index.sentences[pos]
        vectors = self.index.sentence_vectors_of(pos)
        if not sentences or len(vectors) != len(sentences):
            return (sentences[0] if sentences else self.index.chunks[pos].text), 0.0, None
        similarities = vectors @ vector
        for i in np.argsort(-similarities):
            if all(float(vectors[i] @ other) < BANK.duplicate for other in shown):
                return sentences[int(i)], float(similarities[int(i)]), vectors[int(i)]
        return sentences[0], float(similarities[0]), None


def _overlaps(have: object, want: object) -> bool:
    from assistant.sources import Ref

    assert isinstance(have, Ref) and isinstance(want, Ref)
    return have.covers(want) or want.covers(have)


_WORD = re.compile(r"[a-z0-9]+")


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in content_words(text))


def strip_refs(sentence: str) -> str:
    """A parent's sentence without bracketed legal references: they live in the citations.

    >>> strip_refs("The council must decide within 6 weeks (SEND Regulations 2014, reg 5(1)).")
    'The council must decide within 6 weeks.'
    """
    out = _BRACKETED_REF.sub("", sentence)
    out = re.sub(r"\s+([.,;:])", r"\1", out)
    return re.sub(r"\s{2,}", " ", out).strip()


_REF_WORDS = r"(?:\bs\.\s?\d|\bss\.\s?\d|\bsection\s\d|\breg(?:ulation)?s?\.?\s?\d|\brule\s\d|\bpara(?:graph)?s?\.?\s?\d|\bSch(?:edule)?\.?\s?\d|\bCode\b|\bAct\b|\bRegulations\b|\bCoP\b|\bEWHC\b|\bUKUT\b|\bEWCA\b|\d+\.\d+)"
_BRACKETED_REF = re.compile(rf"\s*\((?=[^()]*{_REF_WORDS})(?:[^()]|\([^()]*\))*\)")


def has_bare_ref(text: str) -> bool:
    """Whether a parent's sentence still shows a legal reference such as "s.36(1)" or "reg 5"."""
    return bool(re.search(r"\b(?:s|ss)\.\s?\d|\breg(?:ulation)?s?\.?\s\d|\bpara(?:graph)?\s\d|\bCoP\s\d", text))


def words(text: str) -> int:
    return len(_WORD.findall(text.lower()))


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(?:\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def unique(items: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x in seen or seen.add(x))]  # type: ignore[func-returns-value]
