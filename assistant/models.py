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
        """How a citation of this kind is shown: "CoP 9.14 (official text)", "Summary of CAFA 2014 s.36(8)"."""
        if self is PassageKind.OFFICIAL:
            return f"{citation} (official text)"
        if self is PassageKind.SUMMARY:
            return f"Summary of {citation}"
        return f"Our explanation: {citation}"

    @property
    def plain(self) -> str:
        """The kind in a few plain words, for lists and reports."""
        return _KIND_WORDS[self]

    def force_label(self, status: LegalStatus) -> str:
        """The legal-force badge: the provision's force, or for our explanation the force it rests on.

        >>> PassageKind.SUMMARY.force_label(LegalStatus.LAW), PassageKind.EXPLAINER.force_label(LegalStatus.LAW)
        ('Law', 'based on law')
        """
        if self is not PassageKind.EXPLAINER:
            return status.label
        return _BASED_ON[status]


_KIND_WORDS = {
    PassageKind.OFFICIAL: "official text",
    PassageKind.SUMMARY: "our summary",
    PassageKind.EXPLAINER: "our explanation",
}
_BASED_ON = {
    LegalStatus.LAW: "based on law",
    LegalStatus.STATUTORY_GUIDANCE: "based on statutory guidance",
    LegalStatus.GUIDANCE: "based on guidance",
    LegalStatus.LOCAL: "based on local information",
    LegalStatus.PROPOSAL: "based on a proposal, not law",
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


def passage_label(kind: PassageKind, source: str, ref: str, title: str) -> str:
    """"CoP 9.14 (official text)", "Summary of CAFA 2014 s.36(8)", "Our explanation: <title>"."""
    if kind is PassageKind.EXPLAINER:
        return kind.label(title)
    from assistant.sources import short_citation

    return kind.label(short_citation(source, ref))


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
    def is_bank_entry(self) -> bool:
        """An answer-bank entry: our explanation shaped as a question with a direct answer."""
        return self.kind is PassageKind.EXPLAINER and bool(self.answer)

    @property
    def label(self) -> str:
        """Whose words and what they cite: "Summary of SEND Regs 2014 reg 5(1)", "Our explanation: <title>"."""
        return passage_label(self.kind, self.source, self.ref, self.title)

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
    link_host: str | None = None  # a website the source gave that is not linked: shown as text only

    @property
    def label(self) -> str:
        """The citation as the page shows it, saying whose words it is: "CoP 9.14 (official text)",
        "Summary of CAFA 2014 s.36(8)", "Our explanation: <title>"."""
        return passage_label(self.kind, self.source, self.ref, self.title)

    @property
    def force_label(self) -> str:
        """The legal-force badge: "Law" for a provision, "based on law" for our explanation."""
        return self.kind.force_label(self.status)

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
    # The answer's parts, for pages that lay it out answer-first (empty when the engine gives
    # only `text`): the direct answer, what the person can do next, and the cited law behind it.
    lead: str = ""
    next_steps: list[str] = field(default_factory=list)
    law: str = ""
    # Where routing sent the message: "answer", "prediction", "distress", "out_of_scope", "no_data",
    # "clarify", "refused/injection", "refused/falsify", "safeguarding/<kind>", "jurisdiction/<nation>",
    # "tool/deadlines", "tool/appeal_route".
    route: str = "answer"


# A conversation's stored turns and feedback (kept by a ConversationStore, see assistant.ports).
@dataclass(frozen=True)
class Turn:
    question: str
    query: str
    status: str
    # Structured facts this turn established (JSON: a nation code, ISO event dates; see
    # assistant.routing.facts), kept because question and query are stored redacted. Never names.
    facts: str = ""


@dataclass(frozen=True)
class Feedback:
    conversation_id: str
    helpful: bool
    reasons: str = ""
    message_text: str | None = None  # kept only when the user agreed
