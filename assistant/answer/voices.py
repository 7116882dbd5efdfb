"""Answer first, in the voice of the person asking.

A `Draft` holds what an answer says, whatever produced it (an answer-bank entry or passages):
the direct answer, what the person can do next, and the cited sentences behind it. `speak`
lays it out for one persona:

- parent: the direct answer, "What you can do next", then "The law behind this"; no legal
  references inside the parent's sentences (they live in the citations); acronyms spelt out once;
- adviser: the pinpoint references first, terse, then each provision on a line;
- caseworker: a draft reply to the family that states the duty and their rights, then an
  internal note of the provisions, marked for officer review.

Every sentence taken from a passage keeps its [n] marker, so the grounding check can hold
each one to the passage it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant import messages
from assistant.answer.bank import strip_refs
from assistant.answer.render import expand_acronyms
from assistant.models import Chunk, LegalStatus, Persona
from assistant.sources import short_citation

Cited = tuple[str, Chunk]


@dataclass
class Draft:
    lead: list[Cited]
    next_steps: list[Cited] = field(default_factory=list)  # a bank entry's own steps, citing the entry
    law: list[Cited] = field(default_factory=list)
    rights: list[Cited] = field(default_factory=list)  # a decision's appeal and advice rights (caseworker)
    pinpoints: list[str] = field(default_factory=list)  # "CAFA 2014 s.36(8)", for the adviser's first line


@dataclass
class Spoken:
    text: str
    lead: str
    next_steps: list[str]
    law: str
    chunks: list[Chunk]


def speak(draft: Draft, *, persona: Persona) -> Spoken:
    numbers: dict[str, int] = {}
    chunks: list[Chunk] = []
    for _, chunk in [*draft.lead, *draft.law, *draft.rights]:
        if chunk.chunk_id not in numbers:
            numbers[chunk.chunk_id] = len(numbers) + 1
            chunks.append(chunk)

    def cite(sentence: str, chunk: Chunk, *, plain: bool) -> str:
        text = _end(strip_refs(sentence) if plain else sentence.strip())
        return f"{text} [{numbers[chunk.chunk_id]}]"

    proposal = any(c.status is LegalStatus.PROPOSAL for c in chunks)
    if persona is Persona.ADVISER:
        spoken = _adviser(draft, cite)
    elif persona is Persona.CASEWORKER:
        spoken = _caseworker(draft, cite)
    else:
        spoken = _parent(draft, cite)
    text, lead, steps, law = spoken
    if proposal:
        text += f"\n\n> **Proposal, not law.** {messages.ANSWER_PROPOSAL_WARNING}"
    if persona is Persona.PARENT:
        text, lead = expand_acronyms(text), expand_acronyms(lead)
    return Spoken(text=text, lead=lead, next_steps=steps, law=law, chunks=chunks)


def _parent(draft: Draft, cite) -> tuple[str, str, list[str], str]:  # type: ignore[no-untyped-def]
    lead = " ".join(cite(s, c, plain=True) for s, c in draft.lead)
    parts = [lead]
    if all(c.status is LegalStatus.LOCAL for _, c in [*draft.lead, *draft.law]):
        parts.insert(0, messages.PARENT_LEAD_LOCAL)
    steps = [_end(strip_refs(s)) for s, _ in draft.next_steps]
    if steps:
        parts.append("### What you can do next\n" + "\n".join(f"- {cite(s, c, plain=True)}" for s, c in draft.next_steps))
    law = "\n".join(f"- {cite(s, c, plain=True)}" for s, c in draft.law)
    if law:
        parts.append("### The law behind this\n" + law)
    return "\n\n".join(parts), _unmarked(lead), steps, law


def _adviser(draft: Draft, cite) -> tuple[str, str, list[str], str]:  # type: ignore[no-untyped-def]
    refs = "; ".join(draft.pinpoints) or "; ".join(_pinpoint(c) for _, c in draft.law[:3])
    lead = " ".join(cite(s, c, plain=False) for s, c in draft.lead)
    first = f"**{refs}**: {lead}" if refs else lead  # a colon: the lead may itself hold a dash ("Yes — ...")
    lines = [f"- **{_pinpoint(c)}** ({c.status.label}): {cite(s, c, plain=False)}" for s, c in draft.law]
    law = "\n".join(lines)
    return "\n\n".join([first, law] if law else [first]), _unmarked(lead), [], law


def _caseworker(draft: Draft, cite) -> tuple[str, str, list[str], str]:  # type: ignore[no-untyped-def]
    lead = " ".join(cite(s, c, plain=False) for s, c in draft.lead)
    body = " ".join(cite(s, c, plain=False) for s, c in draft.law[:2])
    letter = [messages.CASEWORKER_DRAFT_MARK, "Dear [parent or young person],", lead]
    if body:
        letter.append(body)
    if draft.rights:
        letter.append(" ".join(cite(s, c, plain=False) for s, c in draft.rights))
    letter.append(messages.CASEWORKER_ADVICE_LINE)
    letter.append("Yours sincerely,\n[Officer name], SEN team")
    note = [f"- **{_pinpoint(c)}** ({c.status.label}): {cite(s, c, plain=False)}" for s, c in [*draft.law, *draft.rights]]
    law = "\n".join(note)
    steps = [_end(s) for s, _ in draft.next_steps]
    text = "\n\n".join(letter)
    if law:
        text += "\n\n### Internal note: provisions relied on (not for sending)\n" + law
    return text, _unmarked(lead), steps, law


def _pinpoint(chunk: Chunk) -> str:
    return short_citation(chunk.source, chunk.ref)


def _end(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if sentence.endswith((".", "?", "!", ":", ")")) else sentence + "."


def _unmarked(text: str) -> str:
    import re

    return re.sub(r"\s*\[\d{1,2}\]", "", text).strip()


def pinpoints_of(basis: Sequence[str], limit: int = 4) -> list[str]:
    """The provisions of an entry's basis in the adviser's short form: "CAFA 2014 s.36(8)"."""
    out: list[str] = []
    for item in basis:
        source, _, ref = item.rpartition(", ")
        if source and ref:
            out.append(short_citation(source, ref))
        if len(out) >= limit:
            break
    return out
