"""Turns selected, cited sentences into an answer in the persona's voice.

One grounded core, three voices:
- parent: plain words, grouped by legal force, acronyms expanded once, what to do next;
- adviser: terse, the reference first on every line, no framing;
- caseworker: a draft reply for officer review that states the duty and the family's rights.
Every sentence keeps its [n] marker; the sources list at the end spells each one out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant import messages
from assistant.answer.extractive import Selected
from assistant.models import Chunk, Citation, LegalStatus, PassageKind, Persona

GROUPS = (
    (LegalStatus.LAW, "What the law says"),
    (LegalStatus.STATUTORY_GUIDANCE, "What the statutory guidance says"),
    (LegalStatus.GUIDANCE, "Other guidance"),
    (LegalStatus.LOCAL, "Local information"),
    (LegalStatus.PROPOSAL, "Proposals — not law"),
)
EXPLAINED = "explained"  # the group of our explanations: never shown as what the law or guidance says
EXPLAINED_HEADING = "Our explanation"

# First-use expansions for the parent voice (reading age about 11: spell things out).
ACRONYMS = {
    "EHCP": "education, health and care plan",
    "EHC plan": "education, health and care plan",
    "EHCNA": "education, health and care needs assessment",
    "SENCO": "special educational needs co-ordinator",
    "SENDIASS": "SEND Information, Advice and Support Service",
    "LGSCO": "Local Government and Social Care Ombudsman",
    "SEN": "special educational needs",
    "SEND": "special educational needs and disabilities",
    "LA": "local authority (the council)",
    "IPSEA": "Independent Provider of Special Education Advice",
    "SENDIST": "the SEND Tribunal",
    "CAMHS": "children and young people's mental health services",
    "SALT": "speech and language therapy",
    "PfA": "preparing for adulthood",
    "ICB": "integrated care board (the local NHS)",
}


def number_citations(selected: Sequence[Selected]) -> tuple[dict[str, int], list[Chunk]]:
    numbers: dict[str, int] = {}
    chunks: list[Chunk] = []
    for item in selected:
        if item.chunk.chunk_id not in numbers:
            numbers[item.chunk.chunk_id] = len(numbers) + 1
            chunks.append(item.chunk)
    return numbers, chunks


def render(
    selected: Sequence[Selected],
    *,
    persona: Persona,
    local_authority: str | None = None,
    lead: str | None = None,
) -> tuple[str, list[Chunk]]:
    """Markdown answer text and the chunks cited, numbered in order of first use."""
    numbers, chunks = number_citations(selected)
    if persona is Persona.ADVISER:
        body = _adviser(selected, numbers)
    else:
        body = _grouped(selected, numbers, local_authority=local_authority)
    parts = [lead] if lead else []
    if persona is Persona.CASEWORKER:
        parts.insert(0, "**Draft reply — for officer review before it is sent.**")
    parts.append(body)
    if any(c.status is LegalStatus.PROPOSAL for c in chunks):
        parts.append(f"> **Proposal, not law.** {messages.ANSWER_PROPOSAL_WARNING}")
    text = "\n\n".join(parts)
    if persona is Persona.PARENT:
        text = expand_acronyms(text)
    return text, chunks


def sources_block(citations: Sequence[Citation]) -> str:
    """The numbered sources, each saying whose words it is: "[1] Summary of CoP 9.14 — <title>
    (Statutory guidance)", "[2] Our explanation: <title> (based on law)"."""
    lines = ["**Sources**"]
    for c in citations:
        checked = f", last checked {c.last_checked}" if c.last_checked else ""
        if c.kind is PassageKind.EXPLAINER:
            lines.append(f"[{c.n}] {c.label} ({c.force_label}{checked})")
        else:
            lines.append(f"[{c.n}] {c.label} — {c.title} ({c.force_label}{checked})")
    return "\n".join(lines)


def _group(chunk: Chunk) -> LegalStatus | str:
    """Where a sentence goes in the parent voice: by the legal force of its provision, except that
    our explanations get their own group (their force is their basis's, not their own)."""
    if chunk.kind is PassageKind.EXPLAINER and chunk.status not in (LegalStatus.PROPOSAL, LegalStatus.LOCAL):
        return EXPLAINED
    return chunk.status


def _grouped(selected: Sequence[Selected], numbers: dict[str, int], *, local_authority: str | None) -> str:
    sections: list[str] = []
    first_use: dict[LegalStatus | str, int] = {}
    for i, item in enumerate(selected):
        first_use.setdefault(_group(item.chunk), i)
    groups: list[tuple[LegalStatus | str, str]] = [*GROUPS, (EXPLAINED, EXPLAINED_HEADING)]
    order = sorted(groups, key=lambda g: (g[0] is LegalStatus.PROPOSAL, first_use.get(g[0], len(selected))))
    for group, heading in order:
        lines = [f"- {_clean(s.text)} [{numbers[s.chunk.chunk_id]}]" for s in selected if _group(s.chunk) == group]
        if not lines:
            continue
        if group is LegalStatus.LOCAL:
            heading = f"Services and local information in {local_authority}" if local_authority else heading
        sections.append(f"**{heading}**\n" + "\n".join(lines))
    return "\n\n".join(sections)


def _adviser(selected: Sequence[Selected], numbers: dict[str, int]) -> str:
    """One line per cited passage, the reference first: what an adviser scans for."""
    lines: list[str] = []
    by_chunk: dict[str, list[str]] = {}
    for s in selected:
        by_chunk.setdefault(s.chunk.chunk_id, []).append(_clean(s.text))
    for s in selected:
        sentences = by_chunk.pop(s.chunk.chunk_id, None)
        if sentences is None:
            continue
        label = f"**{s.chunk.label}** ({s.chunk.kind.force_label(s.chunk.status)})"
        lines.append(f"- {label}: {' '.join(sentences)} [{numbers[s.chunk.chunk_id]}]")
    return "\n".join(lines)


def _clean(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if sentence.endswith((".", "?", "!", ":", ")")) else sentence + "."


# Each acronym as a whole word, not inside a name ("SOS!SEN") or already in brackets: compiled once,
# with one pattern for all of them that finds, in a single pass, which ones a text uses at all.
_ACRONYM_PATTERNS = [
    (acronym, meaning, re.compile(rf"(?<![\w(!]){re.escape(acronym)}(?![\w)])")) for acronym, meaning in ACRONYMS.items()
]
_ANY_ACRONYM = re.compile(
    rf"(?<![\w(!])({'|'.join(re.escape(a) for a in sorted(ACRONYMS, key=len, reverse=True))})(?![\w)])"
)


def expand_acronyms(text: str) -> str:
    """Spell out each acronym the first time it is used, unless it is already spelt out."""
    used = set(_ANY_ACRONYM.findall(text))
    for acronym, meaning, pattern in _ACRONYM_PATTERNS:
        if acronym not in used:
            continue
        match = pattern.search(text)
        if not match or meaning.lower() in text[: match.end() + 60].lower():
            continue
        used.update(_ANY_ACRONYM.findall(meaning))  # a spelt-out name can hold another acronym ("SEND Information...")
        text = text[: match.start()] + f"{meaning} ({acronym})" + text[match.end() :]
    return text
