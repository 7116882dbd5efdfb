"""What each kind of passage may say, as `send-assistant corpus check` enforces it.

A **summary** is our plain-English summary of ONE provision, saying only what that provision
says. It fails when it
- names a third party (a charity, a law firm, a council's own guidance, any organisation
  other than the provision's publisher) or attributes a view to one ("IPSEA says ..."),
- cites or relies on a case,
- uses advice wording ("you should ask", "we recommend", "in practice", "tip"),
- is not of one provision: its ref is a catch-all run (more than `MAX_RUN` Code paragraphs),
  or a bracketed citation in it names another provision,
- or its ref is not a known provision (corpus/refs.yaml).

An **explainer** is our explanation, resting on its `basis`. It fails when
- its basis is empty, or an item is not a known provision, a case on corpus/cases.yaml, or
  "Organisation: https://...",
- a sentence that states a duty, a right or a time limit cites nothing in its basis,
- it names a case that is not in its basis.

Every passage fails when it names a case that is not on corpus/cases.yaml.

    >>> from assistant.models import Document, LegalStatus, PassageKind
    >>> doc = Document("x", "IPSEA says the council must act (reg 5(1)).", "SEND Regulations 2014", "reg 5(1)",
    ...                "T", LegalStatus.LAW, kind=PassageKind.SUMMARY)
    >>> check_kind(doc, Rules())
    ['a summary names a third party or their view ("IPSEA"): move it to an explainer']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.citations.cases import CaseList, mentions, relies_on_case_law
from assistant.citations.provisions import BasisItem, KnownRefs, brackets, cites_basis, parse_basis, refs_in, sources_named
from assistant.models import Document, PassageKind
from assistant.sources import COP, Ref, canonical_source, parse_ref
from assistant.text import split_sentences

MAX_RUN = 5  # a Code summary may cover a short run of paragraphs (9.157-9.161), not a chapter's worth

# Organisations that are never the publisher of a provision we summarise.
THIRD_PARTIES = re.compile(
    r"\b(IPSEA|SOS!?\s?SEN|Noddy Guide|Special Needs Jungle|National Autistic Society|Mencap|Scope|nasen|"
    r"Council for Disabled Children|Information, Advice and Support Services Network|Talem Law|SEN Legal|SEN Help|"
    r"Leon Glenister|Simpson Millar|Irwin Mitchell|Sinclairslaw|Boyes Turner|Cerebra|Family Fund|Coram|"
    r"Child Law Advice|Kids charity|family hubs?|[Nn]ews reports?|[A-Z][a-z]+ SENDIASS|SENDIASS (?:services? )?"
    r"(?:say|says|explain|explains|advise|advises|suggest|suggests|note|notes)|"
    r"[A-Z][a-z]+(?:shire)?(?:'s| County Council's| Council's) (?:guidance|policy|website|local offer))\b"
)
_CONTACT = re.compile(r"(?<=\S )Contact\b|\bContact (?:says|advises|explains|suggests|recommends|notes)\b")
_ATTRIBUTION = re.compile(
    r"\b(?:according to (?P<a>[A-Z][\w!&'’-]*(?: [A-Z][\w!&'’-]*)*)|"
    r"(?P<b>[A-Z][\w!&'’-]*(?: [A-Z][\w!&'’-]*){0,4})(?:'s|’s)? (?:says|explains|points out|describes|advises|notes|"
    r"suggests|recommends|reports|reported|explained|warns|argues|cites|stresses|emphasises|summary|summaries|view|factsheet))\b"
)
_PUBLISHERS = re.compile(
    r"^(?:The |This )?(?:Code(?: of Practice| paragraph [\d.]+)?|Practice|DfE|Department(?: for Education)?|Government|"
    r"Act|Regulations?|Section [A-K]\d?|Sections|Schedule|Tribunal|SEND Tribunal|First-tier Tribunal|Upper Tribunal|"
    r"Ombudsman|LGSCO|Secretary of State|Parliament|Bill|White Paper|Green Paper|Plan|Improvement Plan|"
    r"Consultation|Ofsted|CQC|HMCTS|Local Offer|Guidance|[\w ]*[Gg]uidance|Part \w+|Chapter \d+|Paragraph [\d.]+)$"
)
ADVICE = re.compile(
    r"\b(you should|you may want|you might want|we recommend|we suggest|we advise|in practice|tips?|"
    r"it is (?:worth|a good idea|wise|sensible|best|helpful)|it'?s (?:worth|a good idea)|it helps to|make sure you|"
    r"keep a (?:copy|record|diary)|(?<!should )consider (?:asking|writing|requesting|getting|making)|"
    r"(?<!the )(?:families|parents) (?:often|may want to|might want to|should consider)|this means that)\b",
    re.IGNORECASE,
)
# A sentence that states a duty, a right or a time limit.
DUTY = re.compile(
    r"\b(must|shall|has a duty|have a duty|duty (?:to|on)|(?:is|are) required|required to|has to|have to|"
    r"(?:is|are) entitled|entitled to|(?:has|have) the right|right to|right of appeal|can appeal|may appeal|"
    r"cannot|may not|is not allowed|unlawful|time limit|deadline|no later than|"
    r"within \w+ (?:working |school |calendar )?(?:days?|weeks?|months?|years?)|"
    r"\d+ (?:working |school |calendar )?(?:days?|weeks?|months?))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rules:
    """What the checks compare against: known provisions, listed cases, the corpus's own sources and refs."""

    refs: KnownRefs = field(default_factory=KnownRefs)
    cases: CaseList = field(default_factory=CaseList)
    sources: frozenset[str] = frozenset()  # every source a corpus passage uses
    summarised: frozenset[tuple[str, str]] = frozenset()  # (source, ref) of every summary

    @classmethod
    def for_documents(cls, documents: Iterable[Document], *, refs: KnownRefs, cases: CaseList) -> Rules:
        docs = list(documents)
        return cls(
            refs=refs,
            cases=cases,
            sources=frozenset(canonical_source(d.source) for d in docs),
            summarised=frozenset((canonical_source(d.source), d.ref.lower()) for d in docs if d.kind is PassageKind.SUMMARY),
        )


def check_kind(doc: Document, rules: Rules) -> list[str]:
    """Every way the passage breaks the rules of its kind (messages, no path)."""
    problems = [f"names a case that is not on corpus/cases.yaml: {m!r}" for m in rules.cases.unlisted(doc.text)]
    if doc.kind is PassageKind.SUMMARY:
        problems += _summary_problems(doc, rules)
    elif doc.kind is PassageKind.EXPLAINER:
        problems += _explainer_problems(doc, rules)
    return problems


def third_parties(text: str, *, publisher: str | None = None) -> list[str]:
    """The third parties a text names or attributes a view to (`publisher`, e.g. the council
    whose Local Offer a passage summarises, is not one)."""
    found = [m.group(0) for m in THIRD_PARTIES.finditer(text)]
    found += ["Contact" for _ in _CONTACT.finditer(text)]
    found += [(m.group("a") or m.group("b") or "").strip() for m in _ATTRIBUTION.finditer(text)]
    kept = [f for f in found if f and not _is_publisher(f, publisher)]
    return list(dict.fromkeys(kept))


def _is_publisher(name: str, publisher: str | None) -> bool:
    first, _, rest = name.partition(" ")
    if first in _QUANTIFIERS:
        return not rest or _is_publisher(rest, publisher)
    subject = re.sub(r"(?:'s|’s)? (?:guidance|policy|website|local offer)$", "", name)
    if publisher and publisher.lower() in name.lower():
        return True
    return bool(_PUBLISHERS.match(subject)) or _is_source(subject)


_QUANTIFIERS = {"Many", "Some", "Most", "All", "Each", "Every", "Your", "Local", "The", "A", "An", "Other"}


def _is_source(subject: str) -> bool:
    name = canonical_source(subject)
    return name != subject.strip() or bool(sources_named(subject))


def _summary_problems(doc: Document, rules: Rules) -> list[str]:
    problems: list[str] = []
    named = third_parties(doc.text, publisher=doc.local_authority)
    if named:
        problems.append(f"a summary names a third party or their view ({', '.join(repr(n) for n in named)}): move it to an explainer".replace("'", '"'))
    if relies_on_case_law(doc.text):
        problems.append("a summary cites or relies on case law: move it to an explainer with the case in its basis")
    advice = sorted({m.group(0).lower() for m in ADVICE.finditer(doc.text)})
    if advice:
        problems.append(f"a summary gives advice ({', '.join(repr(a) for a in advice)}): move it to an explainer".replace("'", '"'))
    unknown = rules.refs.problem(doc.source, doc.ref)
    if unknown:
        problems.append(f"unknown provision: {unknown}")
    problems += _one_provision(doc)
    return problems


def _one_provision(doc: Document) -> list[str]:
    own = parse_ref(doc.ref)
    if own.kind == "para" and own.start and own.end and own.end[1] - own.start[1] + 1 > MAX_RUN:
        return [f"a summary is of one provision, not the run {doc.ref} ({own.end[1] - own.start[1] + 1} paragraphs; at most {MAX_RUN})"]
    if own.kind == "text":
        return []  # a page of guidance or a Local Offer, cited by topic, may itself refer to the law
    others = [part for sentence in split_sentences(doc.text) for part in foreign_citations(sentence, doc.source, doc.ref)]
    if others:
        listed = ", ".join(f'"{o}"' for o in dict.fromkeys(others))
        return [f"a summary is of one provision ({doc.ref}) but cites others: {listed}"]
    return []


def foreign_citations(sentence: str, source: str, ref: str) -> list[str]:
    """The bracketed citations in a sentence that name a provision other than (source, ref).

    Another subsection of the same section or regulation is the same provision; a citation
    part that names no source means the passage's own source (a bare "9.14" means the Code).

    >>> foreign_citations("It must decide (reg 5(1); Code 9.16) and tell them (reg 5(3)).", "SEND Regulations 2014", "reg 5(1)")
    ['Code 9.16']
    """
    own_source, own = canonical_source(source), parse_ref(ref)
    found: list[str] = []
    for group in brackets(sentence):
        for part in (p.strip() for p in re.split(r";", group) if p.strip()):
            refs = refs_in(part)
            named = sources_named(part) - ({COP} if "code of practice" not in part.lower() and refs and all(r.kind != "para" for r in refs) else set())
            if named and own_source not in named:
                found.append(part)
            elif any(not _same_provision(r, own, own_source) for r in refs):
                found.append(part)
    return found


def _same_provision(ref: Ref, own: Ref, own_source: str) -> bool:
    if ref.kind == "para":
        return own_source == COP and own.kind == "para" and (own.covers(ref) or ref.covers(own))
    if ref.kind != own.kind:
        return False
    return ref.main.lower() == own.main.lower()


#: An answer-bank entry's direct answer is read first, often on a phone: the yes, the no, the
#: number or the name in one or two sentences, with the detail left to the body.
ANSWER_MOST_WORDS = 60
#: ...and at most this many next steps, so the first screen stays short.
NEXT_STEPS_MOST = 3


def _explainer_problems(doc: Document, rules: Rules) -> list[str]:
    if not doc.basis:
        return ["an explainer needs a basis: the provisions, cases and guidance it rests on"]
    problems: list[str] = []
    words = len(doc.answer.split())
    if words > ANSWER_MOST_WORDS:
        problems.append(f"the direct answer has {words} words; at most {ANSWER_MOST_WORDS} (leave the detail to the body)")
    if len(doc.next_steps) > NEXT_STEPS_MOST:
        problems.append(f"{len(doc.next_steps)} next steps; at most {NEXT_STEPS_MOST}")
    items = [parse_basis(b, rules.sources) for b in doc.basis]
    for item in items:
        problem = _basis_problem(item, rules)
        if problem:
            problems.append(problem)
    for sentence in split_sentences(doc.text):
        if DUTY.search(sentence) and not cites_basis(sentence, items):
            problems.append(f"states a duty, a right or a time limit without citing its basis in brackets: {sentence[:90]!r}")
    cited = {i.citation.lower() for i in items if i.kind == "case"}
    for case in rules.cases.named(doc.text):
        if case.citation.lower() not in cited:
            problems.append(f"names {case.names[0]} but {case.citation} is not in its basis")
    return problems


def _basis_problem(item: BasisItem, rules: Rules) -> str | None:
    if item.kind == "case":
        return None if rules.cases.by_citation(item.citation) else f"basis {item.text!r} is not a case on corpus/cases.yaml"
    if item.kind == "org":
        return None
    if item.kind == "provision":
        if rules.refs.lists(item.source):
            if not item.ref:
                return f"basis {item.text!r} names {item.source} without a section, regulation or paragraph"
            unknown = rules.refs.problem(item.source, item.ref)
            return f"basis {item.text!r}: {unknown}" if unknown else None
        if item.ref and (item.source, item.ref.lower()) not in rules.summarised:
            return f"basis {item.text!r}: no passage summarises that ref of {item.source}"
        return None
    return f'basis {item.text!r} is not "Source, ref", a case citation, or "Organisation: https://..."'


def mentions_case(text: str) -> bool:
    return bool(mentions(text))
