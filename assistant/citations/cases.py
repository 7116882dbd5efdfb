"""The cases the corpus may name (corpus/cases.yaml), and finding a case named in a passage.

A case is named by its citation ("[2022] EWHC 493 (Admin)") or by its parties ("Kumar v
London Borough of Hillingdon", "ex parte E"). `CaseList.unlisted(text)` returns each case a
text names that is not on the list, so `corpus check` can refuse it.

    >>> cases = CaseList.from_records([{"citation": "[2020] EWHC 3326 (Admin)", "names": ["Kumar v Hillingdon"],
    ...     "court": "High Court", "year": 2020, "holding": "h", "link": "https://x"}])
    >>> cases.unlisted("Kumar v Hillingdon [2020] EWHC 3326 (Admin) held so."), cases.unlisted("Smith v Jones [2001] EWCA Civ 1 held so.")
    ([], ['Smith v Jones [2001] EWCA Civ 1'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CASES_FILE = "cases.yaml"
REQUIRED = ("citation", "names", "court", "year", "holding", "link")

# A law report or neutral citation: [2020] EWHC 3326 (Admin), [1992] 1 FLR 377, [2010] UKUT 406 (AAC).
CITATION = re.compile(
    r"\[(?:19|20)\d{2}\]\s+(?:\d+\s+)?(?:EWHC|EWCA|UKUT|UKSC|UKHL|EWFC|ELR|FLR|AACR|PTSR|WLR|BLGR|CCLR|All ER|ACD)"
    r"(?:\s+Civ|\s+Admin)?(?:\s+[A-Z]?\d+[\w-]*)?(?:\s*\((?:Admin|AAC|Fam|QB|KB|Ch)\))?"
)
# Parties: "Kumar v London Borough of Hillingdon", "R (BA) v Nottinghamshire", "C & C v The Governing Body".
PARTIES = re.compile(
    r"(?:\bR\s*\([^()]{1,40}\)|\b[A-Z][\w'’.-]*(?:\s+(?:&|and)\s+[A-Z][\w'’.-]*)?(?:\s+[A-Z][\w'’.-]*){0,3})"
    r"\s+v\.?\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:(?:of|for|and|the|a|an|in|on)\s+){0,2}[A-Z][\w'’.-]*){0,7}"
)
EX_PARTE = re.compile(r"\b(?:[A-Z][\w'’.-]*\s+){0,5}ex\s+(?:parte|p\.?)\s+[A-Z]\b")
# Words that say case law is relied on without naming it.
CASE_LAW = re.compile(
    r"\b(case law|case-law|(?:the )?(?:courts?|high court|court of appeal|upper tribunal|supreme court) "
    r"(?:has |have )?(?:held|said|decided|ruled|found|confirmed)|(?:held|ruled) (?:in|that)|judicial decisions?|"
    r"a judge (?:held|ruled|decided))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Case:
    citation: str
    names: tuple[str, ...]
    court: str
    year: int
    holding: str
    link: str

    def named_in(self, text: str) -> bool:
        lowered = " ".join(text.lower().split())
        return _norm(self.citation) in lowered or any(_norm(n) in lowered for n in self.names)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class CaseList:
    cases: tuple[Case, ...] = ()

    @classmethod
    def load(cls, corpus_dir: Path) -> CaseList:
        """corpus_dir/cases.yaml, or the project's own list when a corpus has none."""
        path = corpus_dir / CASES_FILE
        if not path.is_file():
            path = Path(__file__).resolve().parents[2] / "corpus" / CASES_FILE
        if not path.is_file():
            return cls()
        return cls.from_records(yaml.safe_load(path.read_text(encoding="utf-8")) or [])

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> CaseList:
        cases = []
        for record in records:
            missing = [key for key in REQUIRED if not record.get(key)]
            if missing:
                raise ValueError(f"{CASES_FILE}: {record.get('citation', '?')} lacks {', '.join(missing)}")
            cases.append(
                Case(
                    citation=" ".join(str(record["citation"]).split()),
                    names=tuple(str(n) for n in record["names"]),
                    court=str(record["court"]),
                    year=int(record["year"]),
                    holding=" ".join(str(record["holding"]).split()),
                    link=str(record["link"]),
                )
            )
        return cls(tuple(cases))

    def by_citation(self, citation: str) -> Case | None:
        wanted = _norm(citation)
        return next((c for c in self.cases if _norm(c.citation) == wanted), None)

    def unlisted(self, text: str) -> list[str]:
        """Each case the text names that is not on the list: an unknown citation, parties that
        do not go with their citation, or parties named without a citation that no case has."""
        out: list[str] = []
        for mention in mentions(text):
            cited = CITATION.search(mention)
            if cited:
                case = self.by_citation(cited.group(0))
                parties = (mention[: cited.start()] + mention[cited.end() :]).strip(" ,")
                if case is None or (parties and not any(_norm(n) in _norm(parties) for n in case.names)):
                    out.append(mention)
            elif not any(case.named_in(mention) for case in self.cases):
                out.append(mention)
        return out

    def named(self, text: str) -> list[Case]:
        """The listed cases a text names."""
        found = mentions(text)
        return [case for case in self.cases if any(case.named_in(m) for m in found)]


def mentions(text: str) -> list[str]:
    """Every case a text names: a citation with the parties before it, parties alone, or ex parte."""
    spans: list[tuple[int, int]] = []
    for pattern in (PARTIES, EX_PARTE):
        spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
    for m in CITATION.finditer(text):
        joined = next((i for i, (s, e) in enumerate(spans) if 0 <= m.start() - e <= 3), None)
        if joined is not None:
            spans[joined] = (spans[joined][0], m.end())
        else:
            spans.append((m.start(), m.end()))
    return [text[s:e].strip() for s, e in _merge(spans)]


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def relies_on_case_law(text: str) -> bool:
    """True when a text names a case or says it relies on case law."""
    return bool(mentions(text) or CASE_LAW.search(text))
