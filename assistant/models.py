"""The nouns of SEND Assistant: documents, chunks, passages, citations and answers.

Plain dataclasses and string enums, no vendor imports, so every layer can share them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class LegalStatus(StrEnum):
    """How much legal force a passage carries."""

    LAW = "law"
    STATUTORY_GUIDANCE = "statutory_guidance"
    GUIDANCE = "guidance"
    LOCAL = "local"
    PROPOSAL = "proposal"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    LegalStatus.LAW: "Law",
    LegalStatus.STATUTORY_GUIDANCE: "Statutory guidance",
    LegalStatus.GUIDANCE: "Guidance",
    LegalStatus.LOCAL: "Local information",
    LegalStatus.PROPOSAL: "Proposal, not law",
}


class PassageKind(StrEnum):
    """Whose words a passage is: the publisher's, our summary of one provision, or our explanation.

    Legal force (LegalStatus) belongs to the provision or to an explainer's basis, never to our words.
    """

    OFFICIAL = "official"  # the publisher's own words, only from a text ingested at deployment
    SUMMARY = "summary"  # our plain-English summary of one provision: no views, cases or advice
    EXPLAINER = "explainer"  # our explanation or answer, resting on its `basis`

    def label(self, citation: str) -> str:
        """How a citation of this kind is shown: "CoP 9.14 (official text)", "Summary of s.36(8)"."""
        if self is PassageKind.OFFICIAL:
            return f"{citation} (official text)"
        if self is PassageKind.SUMMARY:
            return f"Summary of {citation}"
        return f"Our explanation: {citation}"


class AnswerStatus(StrEnum):
    """Every outcome of a question has exactly one of these."""

    ANSWERED = "answered"
    ABSTAINED = "abstained"
    SAFEGUARDING = "safeguarding"
    OUT_OF_SCOPE = "out_of_scope"
    REFUSED = "refused"
    CLARIFY = "clarify"


class Persona(StrEnum):
    PARENT = "parent"
    ADVISER = "adviser"
    CASEWORKER = "caseworker"


@dataclass(frozen=True)
class Document:
    """A source document before chunking: one corpus file, one PDF, one ORUK service..."""

    doc_id: str
    text: str
    source: str
    ref: str
    title: str
    status: LegalStatus
    url: str | None = None
    local_authority: str | None = None
    questions: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    kind: PassageKind = PassageKind.OFFICIAL
    basis: tuple[str, ...] = ()
    answer: str = ""
    next_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A citable unit of text: what is embedded, searched and cited."""

    chunk_id: str
    doc_id: str
    text: str
    source: str
    ref: str
    title: str
    status: LegalStatus
    url: str | None = None
    local_authority: str | None = None
    questions: tuple[str, ...] = ()
    heading: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    kind: PassageKind = PassageKind.OFFICIAL
    basis: tuple[str, ...] = ()
    answer: str = ""
    next_steps: tuple[str, ...] = ()

    @property
    def citation_label(self) -> str:
        """The human form of the citation: "SEND Regulations 2014, reg 5(1)"."""
        from assistant.sources import format_citation

        return format_citation(self.source, self.ref)


@dataclass(frozen=True)
class Passage:
    """A chunk retrieved for a question, with how well it matched."""

    chunk: Chunk
    score: float
    dense: float = 0.0
    keyword: float = 0.0


@dataclass(frozen=True)
class Citation:
    n: int
    source: str
    ref: str
    title: str
    url: str | None
    status: LegalStatus
    passage: str
    last_checked: str | None = None
    kind: PassageKind = PassageKind.OFFICIAL
    basis: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The citation as the page shows it, saying whose words it is."""
        from assistant.sources import format_ref

        if self.kind is PassageKind.EXPLAINER:
            return self.kind.label(self.title)
        return self.kind.label(format_ref(self.source, self.ref) if self.ref else self.source)

    @classmethod
    def from_chunk(cls, n: int, chunk: Chunk) -> Citation:
        return cls(
            n=n,
            source=chunk.source,
            ref=chunk.ref,
            title=chunk.title,
            url=chunk.url,
            status=chunk.status,
            passage=chunk.text,
            last_checked=chunk.extra.get("last_checked"),
            kind=chunk.kind,
            basis=chunk.basis,
        )


@dataclass(frozen=True)
class Signpost:
    name: str
    url: str | None = None
    phone: str | None = None
    note: str | None = None


@dataclass
class Answer:
    status: AnswerStatus
    text: str
    citations: list[Citation] = field(default_factory=list)
    signposts: list[Signpost] = field(default_factory=list)
    conversation_id: str = ""
    notices: list[str] = field(default_factory=list)
    engine: str = "extractive"
    # The answer's parts, for pages that lay it out answer-first (empty when the engine gives
    # only `text`): the direct answer, what the person can do next, and the cited law behind it.
    lead: str = ""
    next_steps: list[str] = field(default_factory=list)
    law: str = ""
