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
    link_host: str | None = None  # a website the source gave that is not linked: shown as text only

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
            link_host=chunk.extra.get("link_host"),
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
