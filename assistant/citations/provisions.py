"""Known provisions (corpus/refs.yaml), an explainer's basis, and the citations in a sentence.

A summary's ref and every provision an explainer rests on must exist: `KnownRefs.problem`
says why a ref does not ("9.230 is beyond chapter 9, which ends at 9.217"). An explainer's
`basis` lists provisions, cases and organisations' guidance (`parse_basis`); each of its
sentences that states a duty, a right or a time limit must cite one of them in brackets
(`cites_basis`).

    >>> refs = KnownRefs.from_mapping({"SEND Regulations 2014": {"regulations": "1-64"}})
    >>> refs.problem("SEND Regulations 2014", "reg 5(1)") is None, refs.problem("SEND Regulations 2014", "reg 65")
    (True, 'reg 65 is not a provision of SEND Regulations 2014 (refs.yaml)')
    >>> item = parse_basis("SEND Regulations 2014, reg 5")
    >>> cites_basis("The LA must decide within 6 weeks (reg 5(1)).", [item])
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.sources import ALIASES, COP, Ref, canonical_source, parse_ref

REFS_FILE = "refs.yaml"
_KEYS = {"sections": "s", "regulations": "reg", "rules": "rule", "schedules": "sch"}
_TOKEN = re.compile(r"^(\d+)([A-Z]*)$")


@dataclass(frozen=True)
class NumberSet:
    """Section or regulation numbers: runs of plain numbers plus the lettered ones listed."""

    runs: tuple[tuple[int, int], ...] = ()
    lettered: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, spec: str) -> NumberSet:
        """ "19-83, 4A, 508A-508I" -> the numbers 19..83 and 4A, 508A, 508B, ... 508I."""
        runs: list[tuple[int, int]] = []
        lettered: set[str] = set()
        for token in (t.strip().upper() for t in str(spec).split(",") if t.strip()):
            low, _, high = token.partition("-")
            high = high or low
            if low.isdigit() and high.isdigit():
                runs.append((int(low), int(high)))
                continue
            prefix = _common_prefix(low, high)
            first, last = low[len(prefix):] or "A", high[len(prefix):] or "A"
            if len(first) != 1 or len(last) != 1:
                raise ValueError(f"cannot read the run {token!r} in {REFS_FILE}")
            lettered.update(prefix + chr(c) for c in range(ord(first), ord(last) + 1))
        return cls(tuple(runs), frozenset(lettered))

    def __contains__(self, main: object) -> bool:
        text = str(main).upper()
        if text.isdigit():
            return any(low <= int(text) <= high for low, high in self.runs)
        return text in self.lettered


def _common_prefix(a: str, b: str) -> str:
    if a == b:
        return a[:-1] if not a.isdigit() else a
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


@dataclass(frozen=True)
class KnownRefs:
    """The provisions of each listed source that exist (and so may be cited)."""

    chapters: Mapping[str, Mapping[int, int]] = field(default_factory=dict)  # source -> chapter -> last paragraph
    numbers: Mapping[tuple[str, str], NumberSet] = field(default_factory=dict)  # (source, kind) -> numbers

    @classmethod
    def load(cls, corpus_dir: Path) -> KnownRefs:
        """corpus_dir/refs.yaml, or the project's own list when a corpus has none."""
        path = corpus_dir / REFS_FILE
        if not path.is_file():
            path = Path(__file__).resolve().parents[2] / "corpus" / REFS_FILE
        if not path.is_file():
            return cls()
        return cls.from_mapping(yaml.safe_load(path.read_text(encoding="utf-8")) or {})

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> KnownRefs:
        chapters: dict[str, dict[int, int]] = {}
        numbers: dict[tuple[str, str], NumberSet] = {}
        for source, spec in data.items():
            name = canonical_source(str(source))
            for key, value in (spec or {}).items():
                if key == "paragraphs":
                    chapters[name] = {int(ch): int(last) for ch, last in value.items()}
                elif key in _KEYS:
                    numbers[(name, _KEYS[key])] = NumberSet.parse(value)
                else:
                    raise ValueError(f"{REFS_FILE}: {source}: unknown key {key!r}")
        return cls(chapters, numbers)

    def lists(self, source: str) -> bool:
        name = canonical_source(source)
        return name in self.chapters or any(s == name for s, _ in self.numbers)

    def problem(self, source: str, ref: str) -> str | None:
        """Why (source, ref) is not a known provision, or None when it is (or the source is not listed)."""
        name = canonical_source(source)
        if not self.lists(name):
            return None
        parsed = parse_ref(ref)
        where = f"({REFS_FILE})"
        if parsed.kind == "para":
            chapters = self.chapters.get(name)
            assert parsed.start and parsed.end
            if not chapters:
                return f"{ref} is not a provision of {name}: it has no numbered paragraphs {where}"
            (ch, first), (end_ch, last) = parsed.start, parsed.end
            if ch not in chapters or end_ch != ch:
                return f"{ref} is not a paragraph run within one chapter of {name} {where}"
            if first < 1 or last > chapters[ch]:
                return f"{ref} is beyond chapter {ch}, which ends at {ch}.{chapters[ch]} {where}"
            return None
        allowed = self.numbers.get((name, parsed.kind))
        if allowed is None or parsed.main not in allowed:
            return f"{ref} is not a provision of {name} {where}"
        return None


# --- an explainer's basis ------------------------------------------------------------------

@dataclass(frozen=True)
class BasisItem:
    """One thing an explainer rests on: a provision, a case, or an organisation's guidance."""

    kind: str  # provision | case | org | unknown
    text: str
    source: str = ""
    ref: str = ""
    citation: str = ""
    name: str = ""
    url: str = ""


_CITATION = re.compile(r"^\[\d{4}\]\s+\S")
_ORG = re.compile(r"^(?P<name>[^:\[\]]+?):\s*(?P<url>https://\S+)$")


def known_sources(extra: Iterable[str] = ()) -> set[str]:
    return set(ALIASES) | {canonical_source(s) for s in extra}


def parse_basis(text: str, sources: Iterable[str] = ()) -> BasisItem:
    """ "SEND Regulations 2014, reg 5" | "[2022] EWHC 493 (Admin)" | "IPSEA: https://..." """
    text = " ".join(str(text).split())
    if _CITATION.match(text):
        return BasisItem("case", text, citation=text)
    org = _ORG.match(text)
    if org:
        return BasisItem("org", text, name=org.group("name").strip(), url=org.group("url"))
    names = known_sources(sources)
    for i in [m.start() for m in re.finditer(r",\s", text)] + [len(text)]:
        source = canonical_source(text[:i])
        if source in names:
            return BasisItem("provision", text, source=source, ref=text[i:].lstrip(", ").strip())
    return BasisItem("unknown", text)


# --- citations in a sentence ----------------------------------------------------------------

_PARA_IN = re.compile(r"(?<![\d.])(\d{1,2}\.\d{1,3}(?:\s*[-–]\s*(?:\d{1,2}\.)?\d{1,3})?)(?![\d.]*\d)")
_NUMBERED_IN = re.compile(
    r"(?<![\w'’])(ss?(?=\.\s?\d|\d)|sec|section|reg|regs|regulation|rules?|sch|schedule)\.?\s*"
    r"(\d{1,3}[A-Z]{0,3})\b((?:\(\s*[0-9a-z]{1,4}\s*\))*)",
    re.IGNORECASE,
)


def brackets(sentence: str) -> list[str]:
    """The outermost bracketed groups of a sentence, nested brackets kept: "(reg 5(1))" -> ["reg 5(1)"]."""
    groups: list[str] = []
    depth, start = 0, 0
    for i, char in enumerate(sentence):
        if char == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append(sentence[start:i])
    return groups


def refs_in(text: str) -> list[Ref]:
    """The provision references written in a piece of text: "Code 9.14", "s.36(8)", "reg 5(1)"."""
    found = [parse_ref(m.group(1)) for m in _PARA_IN.finditer(text)]
    found += [parse_ref(f"{m.group(1)} {m.group(2)}{m.group(3)}") for m in _NUMBERED_IN.finditer(text)]
    return found


def sources_named(text: str) -> set[str]:
    """The canonical sources a piece of text names ("Code" counts as the Code of Practice)."""
    lowered = text.lower()
    named = {name for name in ALIASES if _names(lowered, name)}
    named |= {name for name, aliases in ALIASES.items() for alias in aliases if _names(lowered, alias)}
    if re.search(r"\bcode\b", lowered):
        named.add(COP)
    return named


def _names(lowered: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", lowered) is not None


def cites_basis(sentence: str, basis: Sequence[BasisItem]) -> bool:
    """True when a bracketed citation in the sentence names one of the basis items, or the
    sentence itself attributes what it says to a case or an organisation in the basis
    ("IPSEA says ...", "The High Court held in ... [2022] EWHC 493 (Admin) ...")."""
    if any(_group_cites(group, item) for group in brackets(sentence) for item in basis):
        return True
    lowered = " ".join(sentence.lower().split())
    return any(
        (item.kind == "case" and " ".join(item.citation.lower().split()) in lowered)
        or (item.kind == "org" and re.search(rf"(?<!\w){re.escape(item.name.lower())}(?!\w)", lowered) is not None)
        for item in basis
    )


def _group_cites(group: str, item: BasisItem) -> bool:
    lowered = " ".join(group.lower().split())
    if item.kind == "case":
        return " ".join(item.citation.lower().split()) in lowered
    if item.kind == "org":
        return item.name.lower() in lowered
    if item.kind != "provision":
        return False
    named = sources_named(group)
    if named and item.source not in named:
        return False
    if not item.ref:
        return item.source in named or item.source.lower() in lowered
    wanted = parse_ref(item.ref)
    if wanted.kind == "text":
        return item.ref.lower() in lowered
    return any(r.kind == wanted.kind and (r.covers(wanted) or wanted.covers(r)) for r in refs_in(group))
