"""Check a written answer sentence by sentence against the passages it cites.

A writing model is handed passages labelled ``[S1]..[Sn]`` (`label_passages`) and asked to
put the labels after every sentence. `check` then reads its answer one sentence at a time
and keeps a sentence only when

- it carries at least one label, and every label is one that was handed out;
- its content words are mostly found in the passages it cites;
- every number in it is in a cited passage, and every duration ("6 weeks", "fifteen days")
  appears there with the same unit;
- every reference it names ("reg 5(1)", "section 36(8)") is a cited passage's own reference
  or is quoted in its text - a reference number never comes from generated text alone;
- it says "must" only when a cited passage is law or itself says "must".

A sentence that cites a proposal and does not say so is marked "(proposal, not law)".
Labels then become ``[n]`` markers numbered by first use: the model cites tokens, code makes
the links. Pure Python, no vendor imports.

    >>> from assistant.models import Chunk, LegalStatus
    >>> reg = Chunk("c1", "d1", "The local authority must notify the parent of its decision within 6 weeks.",
    ...             "SEND Regulations 2014", "reg 5(1)", "Decision", LegalStatus.LAW)
    >>> checked = check("The council must tell the parent its decision within 6 weeks [S1]. "
    ...                 "It has 16 weeks to finish [S1]. Ask the school [S2].", {"S1": reg})
    >>> checked.text
    'The council must tell the parent its decision within 6 weeks. [1]'
    >>> [d.reason for d in checked.dropped]
    ['number_not_in_source', 'unknown_label']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.answer.render import ACRONYMS
from assistant.models import Chunk, LegalStatus, Passage
from assistant.sources import find_refs, parse_ref
from assistant.text import content_words, split_sentences

MIN_OVERLAP = 0.5
"""The share of a sentence's content words that must be found in the passages it cites."""

_LABEL = re.compile(r"\[\s*(S\d{1,3}(?:\s*[,;]\s*S?\d{1,3})*)\s*\]", re.IGNORECASE)
_LABELS_BEFORE_STOP = re.compile(r"([.!?])((?:\s*" + _LABEL.pattern + r")+)", re.IGNORECASE)
_LABELS_THEN_NEW_SENTENCE = re.compile(r"(" + _LABEL.pattern + r")\s+(?=[A-Z])", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_NUMBER_WORDS = {
    w: str(n)
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": "30", "forty": "40", "fifty": "50"}
_QUANTITY = re.compile(
    r"\b(\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r")\b(?:[\s-]+(?:working\s+|school\s+|calendar\s+)?"
    r"(days?|weeks?|months?|years?|hours?|terms?))?",
    re.IGNORECASE,
)
_MUST = re.compile(r"\bmust\b", re.IGNORECASE)
_SAYS_PROPOSAL = re.compile(r"propos|not (?:yet )?(?:the )?law|white paper|green paper|consultation", re.IGNORECASE)
_SAME_WORD = {"council": "authority", "councils": "authority", "la": "authority", "las": "authority",
              "children": "child", "ehcp": "ehc", "ehcps": "ehc", "youngster": "child"}
_EXTRA_ACRONYMS = {"EHC": "education, health and care", "LA": "local authority"}


def label_passages(passages: Sequence[Passage]) -> dict[str, Chunk]:
    """Give each distinct retrieved chunk a label, in retrieval order.

    >>> from assistant.models import Chunk, LegalStatus, Passage
    >>> c = Chunk("c1", "d1", "text", "SEND Regulations 2014", "reg 5(1)", "t", LegalStatus.LAW)
    >>> list(label_passages([Passage(c, 1.0), Passage(c, 0.9)]))
    ['S1']
    """
    labels: dict[str, Chunk] = {}
    seen: set[str] = set()
    for passage in passages:
        if passage.chunk.chunk_id not in seen:
            seen.add(passage.chunk.chunk_id)
            labels[f"S{len(labels) + 1}"] = passage.chunk
    return labels


@dataclass(frozen=True)
class Dropped:
    """A sentence left out, and why: uncited | unknown_label | unsupported | number_not_in_source |
    reference_not_in_source | must_without_law."""

    sentence: str
    reason: str


@dataclass(frozen=True)
class Checked:
    text: str  # Markdown; every sentence ends with its [n] markers
    chunks: list[Chunk]  # chunks[n - 1] is what [n] cites
    kept: tuple[str, ...]
    dropped: tuple[Dropped, ...]


def check(text: str, labels: Mapping[str, Chunk], *, min_overlap: float = MIN_OVERLAP) -> Checked:
    """Keep the supported sentences of `text`, with labels turned into numbered markers."""
    numbers: dict[str, int] = {}
    blocks: list[tuple[str, str]] = []
    kept: list[str] = []
    dropped: list[Dropped] = []
    for kind, unit in _units(text):
        out: list[str] = []
        for sentence in split_sentences(_normalise(unit)):
            claim, cited = _claim(sentence)
            if not content_words(claim):
                continue  # a stray label or punctuation, not a claim
            reason = _problem(claim, cited, labels, min_overlap)
            if reason:
                dropped.append(Dropped(claim or sentence, reason))
                continue
            chunks = [labels[label] for label in cited]
            if any(c.status is LegalStatus.PROPOSAL for c in chunks) and not _SAYS_PROPOSAL.search(claim):
                claim = claim.rstrip(".!?") + " (proposal, not law)."
            for label in cited:
                numbers.setdefault(label, len(numbers) + 1)
            markers = "".join(f"[{numbers[label]}]" for label in cited)
            out.append(f"{claim} {markers}")
            kept.append(claim)
        if out:
            blocks.append((kind, " ".join(out)))
    return Checked(
        text=_join(blocks),
        chunks=[labels[label] for label in sorted(numbers, key=numbers.__getitem__)],
        kept=tuple(kept),
        dropped=tuple(dropped),
    )


def _units(text: str) -> list[tuple[str, str]]:
    """Paragraphs and bullet items, in order. Headings carry no label, so they are not kept."""
    units: list[tuple[str, str]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            units.append(("para", " ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or _HEADING.match(line):
            flush()
        elif _BULLET.match(line):
            flush()
            units.append(("bullet", _BULLET.sub("", line)))
        elif units and units[-1][0] == "bullet" and not paragraph and raw[:1].isspace():
            units[-1] = ("bullet", f"{units[-1][1]} {line}")  # a wrapped bullet
        else:
            paragraph.append(line)
    flush()
    return units


def _normalise(unit: str) -> str:
    """'... 6 weeks. [S1] Next' -> '... 6 weeks [S1]. Next', so each sentence owns its labels."""
    unit = _LABELS_BEFORE_STOP.sub(lambda m: m.group(2) + m.group(1), unit)
    return _LABELS_THEN_NEW_SENTENCE.sub(lambda m: m.group(1) + ". ", unit)


def _claim(sentence: str) -> tuple[str, list[str]]:
    """The sentence without its labels, and the labels in order of appearance."""
    cited: list[str] = []
    for match in _LABEL.finditer(sentence):
        for part in re.split(r"\s*[,;]\s*", match.group(1)):
            label = "S" + part.upper().lstrip("S")
            if label not in cited:
                cited.append(label)
    claim = re.sub(r"\((?:see|source:?)?\s*\)", "", _LABEL.sub("", sentence), flags=re.IGNORECASE)
    claim = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", claim)).strip()
    claim = re.sub(r"[.,;:]{2,}$", ".", claim)
    if claim and not claim.endswith((".", "!", "?", ":")):
        claim += "."
    return claim, cited


def _problem(claim: str, cited: list[str], labels: Mapping[str, Chunk], min_overlap: float) -> str:
    """Why `claim` may not stay in the answer, or "" when it may."""
    if not cited:
        return "uncited"
    if any(label not in labels for label in cited):
        return "unknown_label"
    chunks = [labels[label] for label in cited]
    haystack = " ".join(f"{c.citation_label} {c.title} {c.text}" for c in chunks)
    if not _quantities_supported(claim, haystack):
        return "number_not_in_source"
    if not _references_supported(claim, chunks):
        return "reference_not_in_source"
    if _overlap(claim, haystack) < min_overlap:
        return "unsupported"
    if _MUST.search(claim) and not any(c.status is LegalStatus.LAW or _MUST.search(c.text) for c in chunks):
        return "must_without_law"
    return ""


def quantities(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    """The numbers in a text, and the (number, unit) durations.

    >>> numbers, durations = quantities("within six weeks, or 15 working days")
    >>> sorted(numbers), sorted(durations)
    (['15', '6'], [('15', 'day'), ('6', 'week')])
    """
    found: set[str] = set()
    durations: set[tuple[str, str]] = set()
    for match in _QUANTITY.finditer(text):
        number = _NUMBER_WORDS.get(match.group(1).lower(), match.group(1))
        if match.group(1).lower() in ("one", "zero") and not match.group(2):
            continue  # "one of the ..." is not a quantity
        found.add(number)
        if match.group(2):
            durations.add((number, match.group(2).lower().rstrip("s")))
    return found, durations


def _quantities_supported(claim: str, haystack: str) -> bool:
    numbers, durations = quantities(claim)
    have_numbers, have_durations = quantities(haystack)
    return numbers <= have_numbers and durations <= have_durations


def _references_supported(claim: str, chunks: Sequence[Chunk]) -> bool:
    """Each reference the claim names is a cited passage's own, or one that passage names itself."""
    for found in find_refs(claim):
        if not any(
            parse_ref(c.ref).covers(found.ref) or any(named.ref.covers(found.ref) for named in find_refs(c.text))
            for c in chunks
        ):
            return False
    return True


def _overlap(claim: str, haystack: str) -> float:
    """The share of the claim's content words found in the cited passages (light stemming)."""
    words = {_stem(w) for w in content_words(claim)}
    if not words:
        return 0.0
    have = {_stem(w) for w in content_words(_with_expansions(haystack))}
    return len(words & have) / len(words)


def _with_expansions(text: str) -> str:
    """Add the long form of each acronym a passage uses (and the acronym of each long form)."""
    extra: list[str] = []
    for acronym, meaning in (ACRONYMS | _EXTRA_ACRONYMS).items():
        if re.search(rf"\b{re.escape(acronym)}\b", text):
            extra.append(meaning)
        elif meaning.lower() in text.lower():
            extra.append(acronym)
    return " ".join([text, *extra])


def _stem(word: str) -> str:
    """A rough stem, so that "decides", "decided" and "decide" match."""
    word = _SAME_WORD.get(word, word).removesuffix("'s")
    for suffix, replacement in (("ing", ""), ("ies", "y"), ("ed", ""), ("es", ""), ("s", ""), ("e", "")):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix) and not (suffix == "s" and word.endswith("ss")):
            return word[: -len(suffix)] + replacement
    return word


def _join(blocks: Sequence[tuple[str, str]]) -> str:
    out: list[str] = []
    for i, (kind, text) in enumerate(blocks):
        if kind == "bullet":
            joiner = "\n" if i and blocks[i - 1][0] == "bullet" else "\n\n"
            out.append((joiner if out else "") + f"- {text}")
        else:
            out.append(("\n\n" if out else "") + text)
    return "".join(out)
