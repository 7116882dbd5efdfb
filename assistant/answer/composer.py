"""The default composer: answer first, from the answer bank when a question matches an entry,
else from the passages retrieval found, in the voice of the person asking.

    composer = GroundedComposer(index)
    composed = composer.compose(Question(text, vector, persona, mask), passages)

`compose` returns None when nothing it holds answers the question; the pipeline then
abstains with `composer.suggestions(...)`: the nearest questions it can answer.
Nothing is generated: every sentence shown is a sentence of a cited passage, or one of the
bank entry's own answer and next steps (which cite the entry).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.asks import Form, ask_of
from assistant.answer.bank import AnswerBank, BankMatch
from assistant.answer.extractive import ExtractiveComposer, Selected, stands_alone
from assistant.answer.voices import Cited, Draft, Spoken, pinpoints_of, speak
from assistant.models import Chunk, LegalStatus, Passage, PassageKind, Persona
from assistant.ports import SearchIndex
from assistant.sources import CAFA, SEND_REGS, parse_ref
from assistant.tuning import ANSWER

_DECISION = re.compile(
    r"\b(refus\w*|decid\w*|decision|not to (?:assess|issue|amend)|ceas\w*|turn(?:ed)? down|reject\w*|letter|notice|notify)\b",
    re.IGNORECASE,
)
# The provisions whose passages state a family's rights after a decision: the right of
# appeal (s.51), mediation advice first (s.55), what a decision notice must say (regs 10(3), 31(3)).
_RIGHTS_REFS = ((CAFA, "s.51(1)"), (CAFA, "s.55"), (SEND_REGS, "reg 10(3)"), (SEND_REGS, "reg 31(3)"))
_RIGHTS_WORDS = re.compile(r"\b(appeal|mediation|disagreement resolution|information and advice|tribunal)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Question:
    text: str
    vector: np.ndarray
    persona: Persona
    mask: np.ndarray


@dataclass(frozen=True)
class Composed:
    spoken: Spoken
    engine: str  # "answer_bank" or "passages"
    entry: Chunk | None = None


class GroundedComposer:
    name = "extractive"

    def __init__(self, index: SearchIndex, *, extractive: ExtractiveComposer | None = None) -> None:
        self.index = index
        self.bank = AnswerBank(index)
        self.extractive = extractive or ExtractiveComposer(index)

    def match(self, question: Question, passages: Sequence[Passage] = ()) -> BankMatch | None:
        return self.bank.match(question.text, question.vector, question.mask, retrieved=[p.chunk for p in passages])

    def compose(self, question: Question, passages: Sequence[Passage]) -> Composed | None:
        found = self.match(question, passages)
        if found is not None:
            return Composed(speak(self._from_entry(question, found, passages), persona=question.persona), "answer_bank", found.entry)
        draft = self._from_passages(question, passages)
        if draft is None:
            return None
        return Composed(speak(draft, persona=question.persona), "passages")

    def suggestions(self, question: Question) -> list[str]:
        return self.bank.nearest_titles(question.text, question.vector, question.mask)

    # --- drafts ---------------------------------------------------------------------------

    def _from_entry(self, question: Question, found: BankMatch, passages: Sequence[Passage]) -> Draft:
        entry = found.entry
        limit = _law_items(question.persona)
        basis = self.bank.basis_passages(entry, question.vector, question.mask, limit=limit)
        law: list[Cited] = [(b.sentence, b.chunk) for b in basis]
        if len(law) < limit:
            # "The law behind this" answer on current law is topped up with current law: a
            # proposal's passage joins only an entry that is itself about a proposal.
            if entry.status is not LegalStatus.PROPOSAL:
                passages = [p for p in passages if p.chunk.status is not LegalStatus.PROPOSAL]
            law += self._supporting(question, passages, shown=law, limit=limit - len(law))
        return Draft(
            lead=[(fit_to_form(reply_first(entry.answer), ask_of(question.text)), entry)],
            next_steps=[(step, entry) for step in entry.next_steps],
            law=law,
            rights=self._rights(question, law),
            pinpoints=pinpoints_of(entry.basis),
        )

    def _from_passages(self, question: Question, passages: Sequence[Passage]) -> Draft | None:
        """Answer first from passages: the sentence that best answers the question leads, then
        the few others that bear on it (each at least `relevance_floor` near the question)."""
        candidates = self._ranked_sentences(question, passages)
        if not candidates:
            return None
        lead_score, lead_similarity, lead, lead_vector = candidates[0]
        if lead_similarity < ANSWER.relevance_floor:
            return None
        chosen: list[tuple[Cited, np.ndarray]] = []
        per_chunk: dict[str, int] = {lead.chunk.chunk_id: 1}
        for score, similarity, selected, vector in candidates[1:]:
            if len(chosen) >= _support(question.persona):
                break
            if similarity < ANSWER.relevance_floor or score < lead_score * 0.6:
                continue
            if per_chunk.get(selected.chunk.chunk_id, 0) >= 2:
                continue
            if float(vector @ lead_vector) > 0.82 or any(float(vector @ v) > 0.82 for _, v in chosen):
                continue
            chosen.append(((selected.text, selected.chunk), vector))
            per_chunk[selected.chunk.chunk_id] = per_chunk.get(selected.chunk.chunk_id, 0) + 1
        law = [c for c, _ in chosen]
        return Draft(lead=[(lead.text, lead.chunk)], law=law, rights=self._rights(question, law))

    def _supporting(self, question: Question, passages: Sequence[Passage], *, shown: Sequence[Cited], limit: int) -> list[Cited]:
        """The retrieved passages' sentences nearest the question, beyond what is shown already:
        each at least `relevance_floor` near it, none repeating another."""
        candidates = self._ranked_sentences(question, passages)
        shown_texts = {s for s, _ in shown}
        shown_vectors = [self._vector_of(s, c) for s, c in shown]
        out: list[Cited] = []
        for _, similarity, selected, vector in candidates:
            if len(out) >= limit:
                break
            if similarity < ANSWER.relevance_floor or selected.text in shown_texts:
                continue
            if any(v is not None and float(vector @ v) > 0.82 for v in shown_vectors):
                continue
            out.append((selected.text, selected.chunk))
            shown_vectors.append(vector)
        return out

    def _ranked_sentences(self, question: Question, passages: Sequence[Passage]) -> list[tuple[float, float, Selected, np.ndarray]]:
        """(score, similarity, sentence, vector) for each sentence that stands alone in the
        passages (bank entries left out: they answer through `_from_entry`), best first."""
        pool = [p for p in passages if not p.chunk.is_bank_entry]
        found = self.extractive._candidates(question.text, question.vector, pool[: self.extractive.max_passages])
        return sorted((c for c in found if stands_alone(c[2])), key=lambda c: -c[0])

    def _vector_of(self, sentence: str, chunk: Chunk) -> np.ndarray | None:
        pos = self.index.position.get(chunk.chunk_id)
        if pos is None:
            return None
        try:
            return self.index.sentence_vectors_of(pos)[self.index.sentences[pos].index(sentence)]
        except (ValueError, IndexError):
            return None

    def _rights(self, question: Question, shown: Sequence[Cited]) -> list[Cited]:
        """A caseworker's reply about a decision states the family's rights: appeal, mediation,
        disagreement resolution, information and advice, in the words of the passages on them."""
        if question.persona is not Persona.CASEWORKER or not _DECISION.search(question.text):
            return []
        cited = {c.chunk_id for _, c in shown}
        out: list[Cited] = []
        for source, ref in _RIGHTS_REFS:
            wanted = parse_ref(ref)
            for pos, chunk in enumerate(self.index.chunks):
                if (
                    chunk.source != source or chunk.chunk_id in cited or not question.mask[pos]
                    or chunk.kind is PassageKind.EXPLAINER or chunk.status is not LegalStatus.LAW
                    or not parse_ref(chunk.ref).covers(wanted)
                ):
                    continue
                sentences = [s for s in self.index.sentences[pos] if _RIGHTS_WORDS.search(s)][:1]
                out.extend((s, chunk) for s in sentences)
                cited.add(chunk.chunk_id)
                break
        return out


_SHORT_REPLY = re.compile(r"^((?:\S+\s?){1,3}?)\.\s+(\S+)(.*)$", re.DOTALL)
_JOINED = re.compile(r"^[^.?!]{1,40}?\s[—–-]\s")  # already "Yes — ...", "Not automatically — ..."
_ARTICLES = {"The", "A", "An", "Every", "Each", "This", "That", "These", "Those", "It", "They", "You", "Your"}


def reply_first(answer: str) -> str:
    """An answer that opens with a bare reply ("Yes.", "No.", "Not automatically.") says it in
    one sentence with what follows, so its first sentence is both the reply and its substance.
    The next word keeps its capital when it is an acronym or starts a name ("Disabled Students'");
    an answer already joined ("Yes — you can ...") is left as it is, so the reply is never doubled.

    >>> reply_first("Yes. You can ask the council yourself.")
    'Yes — you can ask the council yourself.'
    >>> reply_first("No. Schools must use their best endeavours.")
    'No — schools must use their best endeavours.'
    >>> reply_first("No. Disabled Students' Allowance helps instead.")
    "No — Disabled Students' Allowance helps instead."
    >>> reply_first("No. The Ombudsman cannot look at academies.")
    'No — the Ombudsman cannot look at academies.'
    >>> reply_first("Yes — you can ask the council yourself. A letter is enough.")
    'Yes — you can ask the council yourself. A letter is enough.'
    >>> reply_first("6 weeks from the request.")
    '6 weeks from the request.'
    """
    answer = answer.strip()
    match = _SHORT_REPLY.match(answer)
    if not match or _JOINED.match(answer):
        return answer
    reply, word, rest = match.groups()
    following = rest.split(maxsplit=1)[0] if rest.strip() else ""
    if word in _ARTICLES or (not word[1:2].isupper() and not following[:1].isupper()):
        word = word[0].lower() + word[1:]
    return f"{reply.strip()} — {word}{rest}"


# "Yes —" or "No," before the substance; not before a condition, where the yes or no carries it.
_YES_NO_REPLY = re.compile(r"^(?:yes|no)\s*(?:[—–-]|,)\s+(?!(?:if|unless|only|but|provided|as long as|not)\b)(?=\S)",
                           re.IGNORECASE)
# The forms a "yes" or "no" answers; every other form (a time, a name, a place, an amount, a
# definition...) is not answered by one.
_YES_NO_ANSWERS = (Form.YES_NO, Form.NONE)


def fit_to_form(lead: str, asked: Form) -> str:
    """A lead that opens "Yes —" or "No —" answers a yes-or-no question. Asked "who", "how much",
    "what happens", the yes or no answers nothing, so the lead starts at its substance instead.

    >>> fit_to_form("No — the council decides, not the school.", Form.WHO)
    'The council decides, not the school.'
    >>> fit_to_form("No — the council decides, not the school.", Form.YES_NO)
    'No — the council decides, not the school.'
    >>> fit_to_form("Yes, the law lets a school ask, with your knowledge.", Form.WHO)
    'The law lets a school ask, with your knowledge.'
    >>> fit_to_form("No — SEN support is not the same as an EHC plan.", Form.WHAT_IS)
    'SEN support is not the same as an EHC plan.'
    >>> fit_to_form("Yes, if you move within England.", Form.WHO)
    'Yes, if you move within England.'
    """
    match = _YES_NO_REPLY.match(lead)
    if asked in _YES_NO_ANSWERS or not match:
        return lead
    rest = lead[match.end():]
    return rest[:1].upper() + rest[1:]  # "the council ..." takes a capital; "SEN support" keeps its own


def _law_items(persona: Persona) -> int:
    return {
        Persona.PARENT: ANSWER.law_items_parent,
        Persona.ADVISER: ANSWER.law_items_adviser,
        Persona.CASEWORKER: ANSWER.law_items_caseworker,
    }[persona]


def _support(persona: Persona) -> int:
    return {
        Persona.PARENT: ANSWER.support_parent,
        Persona.ADVISER: ANSWER.support_adviser,
        Persona.CASEWORKER: ANSWER.support_caseworker,
    }[persona]
