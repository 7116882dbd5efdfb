"""Canonical source names, citation references and how they match.

A reference is what a passage cites: "9.14" in the Code of Practice, "s.42(2)" in an Act,
"reg 5(1)" in regulations. This module parses references written the many ways people
write them ("CoP 9.14", "section 42(2)", "reg. 5", "s38(3)") so that

- citations are printed one way (`format_citation`),
- a question such as "reg 13?" can be answered with that regulation (`find_refs`),
- an eval's expected source ("SEND Regs 2014 reg 5(1)") is matched against a citation
  (`covers`), where a run such as "9.11-9.16" covers 9.14 and a whole section covers its
  subsections.

>>> covers("SEND Code of Practice 2015", "9.11-9.16", "CoP 9.14")
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

COP = "SEND Code of Practice 2015"
CAFA = "Children and Families Act 2014"
SEND_REGS = "SEND Regulations 2014"
PB_REGS = "SEND (Personal Budgets) Regulations 2014"
RECS_REGS = "SEND (First-tier Tribunal Recommendations Power) Regulations 2017"
TRIBUNAL_RULES = "Tribunal Procedure Rules 2008 (HESC)"
EQUALITY_ACT = "Equality Act 2010"
EDUCATION_ACT = "Education Act 1996"
CHILDREN_ACT = "Children Act 1989"
CARE_ACT = "Care Act 2014"
CSDPA = "Chronically Sick and Disabled Persons Act 1970"
BREAKS_REGS = "Breaks for Carers of Disabled Children Regulations 2011"
EDUCATION_ACT_2002 = "Education Act 2002"
ESA_2008 = "Education and Skills Act 2008"
LGA_1974 = "Local Government Act 1974"
CWSA_2026 = "Children's Wellbeing and Schools Act 2026"
CYPA_2008 = "Children and Young Persons Act 2008"
EIA_2006 = "Education and Inspections Act 2006"
MCA_2005 = "Mental Capacity Act 2005"
CHILDREN_ACT_2004 = "Children Act 2004"
DETAINED_REGS = "SEND (Detained Persons) Regulations 2015"
EXCLUSION_REGS = "School Discipline (Pupil Exclusions and Reviews) (England) Regulations 2012"
EXCLUDED_PUPILS_REGS = "Education (Provision of Full-Time Education for Excluded Pupils) (England) Regulations 2007"
DISABILITY_REGS = "Equality Act 2010 (Disability) Regulations 2010"
SSFA_1998 = "School Standards and Framework Act 1998"
CARE_PLANNING_REGS = "Care Planning, Placement and Case Review (England) Regulations 2010"
ANSWERS = "SEND Assistant answers"
GREEN_PAPER = "SEND Review green paper 2022"
IMPROVEMENT_PLAN = "SEND and AP Improvement Plan 2023"
WHITE_PAPER = "Schools White Paper 2026"
REFORM_CONSULTATION = "SEND reform consultation 2026"
EFA_BILL = "Education for All Bill"
EXPLAINERS = "SEND Assistant explainers"  # our explanations outside the answer bank (kind: explainer)
# Statutory and departmental guidance beyond the Code (a paragraph or a section heading as ref).
ATTENDANCE_GUIDANCE = "Attendance guidance 2024"
EXCLUSION_GUIDANCE = "Exclusion guidance 2024"
TRAVEL_GUIDANCE = "Home to school travel guidance 2024"
POST16_TRAVEL_GUIDANCE = "Post-16 transport guidance 2019"
MEDICAL_GUIDANCE = "Medical conditions guidance 2015"
HEALTH_NEEDS_GUIDANCE = "Health needs education guidance 2023"
LAC_GUIDANCE = "Looked-after children education guidance 2018"
EHE_GUIDANCE = "Elective home education guidance 2019"
AP_GUIDANCE = "Alternative provision guidance 2013"
CARE_GUIDANCE = "Care and support statutory guidance"
SAFEGUARDING_GUIDANCE = "Working together to safeguard children 2023"

# Canonical name -> other names people and evals use for it (matched case-insensitively).
ALIASES: dict[str, tuple[str, ...]] = {
    COP: ("SEND Code of Practice", "Code of Practice", "CoP", "SEND CoP"),
    CAFA: ("CAFA 2014", "CAFA", "CFA 2014", "Children and Families Act"),
    SEND_REGS: (
        "SEND Regs 2014",
        "SEND Regs",
        "Special Educational Needs and Disability Regulations 2014",
        "SEN Regulations 2014",
    ),
    PB_REGS: (
        "Special Educational Needs (Personal Budgets) Regulations 2014",
        "Personal Budgets Regulations 2014",
        "SEN (Personal Budgets) Regulations 2014",
    ),
    RECS_REGS: (
        "Special Educational Needs and Disability (First-tier Tribunal Recommendations Power) "
        "Regulations 2017",
        "Recommendations Power Regulations 2017",
    ),
    TRIBUNAL_RULES: (
        "Tribunal Procedure (First-tier Tribunal) (Health, Education and Social Care Chamber) "
        "Rules 2008",
        "HESC Rules 2008",
        "Tribunal Rules 2008",
    ),
    EQUALITY_ACT: ("EqA 2010", "Equality Act"),
    EDUCATION_ACT: ("EA 1996",),
    CHILDREN_ACT: ("CA 1989", "Children Act"),
    CARE_ACT: ("Care Act",),
    CSDPA: ("CSDPA 1970", "CSDPA"),
    BREAKS_REGS: ("Short Breaks Regulations 2011", "Breaks for Carers Regulations 2011"),
    EDUCATION_ACT_2002: ("EA 2002",),
    ESA_2008: ("ESA 2008",),
    LGA_1974: ("LGA 1974",),
    CWSA_2026: ("Childrens Wellbeing and Schools Act 2026", "CWSA 2026"),
    CYPA_2008: ("CYPA 2008",),
    EIA_2006: ("EIA 2006",),
    MCA_2005: ("MCA 2005",),
    CHILDREN_ACT_2004: ("CA 2004",),
    DETAINED_REGS: ("Special Educational Needs and Disability (Detained Persons) Regulations 2015", "Detained Persons Regulations 2015"),
    EXCLUSION_REGS: ("Exclusion Regulations 2012", "School Discipline Regulations 2012"),
    EXCLUDED_PUPILS_REGS: ("Excluded Pupils Regulations 2007",),
    DISABILITY_REGS: ("Disability Regulations 2010",),
    SSFA_1998: ("SSFA 1998",),
    CARE_PLANNING_REGS: ("Care Planning Regulations 2010", "Care Planning, Placement and Case Review Regulations 2010"),
    ATTENDANCE_GUIDANCE: ("Working together to improve school attendance",),
    EXCLUSION_GUIDANCE: ("Suspension and permanent exclusion guidance",),
    TRAVEL_GUIDANCE: ("Travel to school guidance 2024",),
    POST16_TRAVEL_GUIDANCE: ("Post-16 transport and travel support guidance",),
    MEDICAL_GUIDANCE: ("Supporting pupils at school with medical conditions",),
    HEALTH_NEEDS_GUIDANCE: (
        "Arranging education for children who cannot attend school because of health needs",
        "Health needs guidance 2023",
    ),
    LAC_GUIDANCE: ("Promoting the education of looked-after and previously looked-after children",),
    EHE_GUIDANCE: ("Elective home education guidance",),
    AP_GUIDANCE: ("Alternative provision statutory guidance",),
    SAFEGUARDING_GUIDANCE: ("Working together to safeguard children",),
}

# Where each legislation source lives: used to build official links for refs.
LEGISLATION_URLS = {
    CAFA: "https://www.legislation.gov.uk/ukpga/2014/6/section/{n}",
    SEND_REGS: "https://www.legislation.gov.uk/uksi/2014/1530/regulation/{n}",
    PB_REGS: "https://www.legislation.gov.uk/uksi/2014/1652/regulation/{n}",
    RECS_REGS: "https://www.legislation.gov.uk/uksi/2017/1306/regulation/{n}",
    TRIBUNAL_RULES: "https://www.legislation.gov.uk/uksi/2008/2699/rule/{n}",
    EQUALITY_ACT: "https://www.legislation.gov.uk/ukpga/2010/15/section/{n}",
    EDUCATION_ACT: "https://www.legislation.gov.uk/ukpga/1996/56/section/{n}",
    CHILDREN_ACT: "https://www.legislation.gov.uk/ukpga/1989/41/section/{n}",
    CARE_ACT: "https://www.legislation.gov.uk/ukpga/2014/23/section/{n}",
    CSDPA: "https://www.legislation.gov.uk/ukpga/1970/44/section/{n}",
    BREAKS_REGS: "https://www.legislation.gov.uk/uksi/2011/707/regulation/{n}",
    EDUCATION_ACT_2002: "https://www.legislation.gov.uk/ukpga/2002/32/section/{n}",
    ESA_2008: "https://www.legislation.gov.uk/ukpga/2008/25/section/{n}",
    LGA_1974: "https://www.legislation.gov.uk/ukpga/1974/7/section/{n}",
    CYPA_2008: "https://www.legislation.gov.uk/ukpga/2008/23/section/{n}",
    EIA_2006: "https://www.legislation.gov.uk/ukpga/2006/40/section/{n}",
    MCA_2005: "https://www.legislation.gov.uk/ukpga/2005/9/section/{n}",
    CHILDREN_ACT_2004: "https://www.legislation.gov.uk/ukpga/2004/31/section/{n}",
    DETAINED_REGS: "https://www.legislation.gov.uk/uksi/2015/62/regulation/{n}",
    EXCLUSION_REGS: "https://www.legislation.gov.uk/uksi/2012/1033/regulation/{n}",
    EXCLUDED_PUPILS_REGS: "https://www.legislation.gov.uk/uksi/2007/1870/regulation/{n}",
    DISABILITY_REGS: "https://www.legislation.gov.uk/uksi/2010/2128/regulation/{n}",
    SSFA_1998: "https://www.legislation.gov.uk/ukpga/1998/31/section/{n}",
    CARE_PLANNING_REGS: "https://www.legislation.gov.uk/uksi/2010/959/regulation/{n}",
}

# How a label names a source in a few characters ("CoP 9.14", "CAFA 2014 s.36(8)").
SHORT_NAMES = {
    COP: "CoP",
    CAFA: "CAFA 2014",
    SEND_REGS: "SEND Regs 2014",
    PB_REGS: "Personal Budgets Regs 2014",
    RECS_REGS: "Recommendations Power Regs 2017",
    TRIBUNAL_RULES: "HESC Rules 2008",
    EQUALITY_ACT: "EqA 2010",
    EDUCATION_ACT: "EA 1996",
    CHILDREN_ACT: "CA 1989",
    CSDPA: "CSDPA 1970",
    EDUCATION_ACT_2002: "EA 2002",
    LGA_1974: "LGA 1974",
    CYPA_2008: "CYPA 2008",
    EIA_2006: "EIA 2006",
    MCA_2005: "MCA 2005",
}
COP_URL = "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25"

_ALIAS_INDEX: list[tuple[str, str]] = sorted(
    [(name.lower(), name) for name in ALIASES]
    + [(alias.lower(), name) for name, names in ALIASES.items() for alias in names],
    key=lambda pair: -len(pair[0]),
)


def canonical_source(name: str) -> str:
    """The canonical name for a source name or alias; unknown names come back unchanged."""
    lowered = name.strip().lower()
    for alias, canonical in _ALIAS_INDEX:
        if lowered == alias:
            return canonical
    return name.strip()


@dataclass(frozen=True)
class Ref:
    """A parsed reference. kind: para | s | reg | rule | sch | text."""

    kind: str
    main: str = ""
    sub: tuple[str, ...] = ()
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None
    text: str = ""

    def covers(self, other: Ref) -> bool:
        """True when this citation's ref covers the expected ref `other` (or overlaps it)."""
        if self.kind != other.kind:
            return False
        if self.kind == "para":
            assert self.start and self.end and other.start and other.end
            return self.start <= other.end and other.start <= self.end
        if self.kind == "text":
            return self.text == other.text
        if self.main.lower() != other.main.lower():
            return False
        shorter = min(len(self.sub), len(other.sub))
        return self.sub[:shorter] == other.sub[:shorter]


_PARA = re.compile(r"^(?:paras?\.?\s*|paragraphs?\s*)?(\d{1,2})\.(\d{1,3})(?:\s*[-–]\s*(?:(\d{1,2})\.)?(\d{1,3}))?$")
_NUMBERED = re.compile(
    r"^(s|ss|sec|section|reg|regs|regulation|regulations|r|rule|sch|schedule)\.?\s*"
    r"(\d{1,3}[A-Z]{0,3})((?:\s*\(\s*[0-9a-z]{1,4}\s*\))*)",
    re.IGNORECASE,
)
_KINDS = {
    "s": "s", "ss": "s", "sec": "s", "section": "s",
    "reg": "reg", "regs": "reg", "regulation": "reg", "regulations": "reg",
    "r": "rule", "rule": "rule",
    "sch": "sch", "schedule": "sch",
}


def parse_ref(ref: str) -> Ref:
    """Parse "9.14", "9.14-9.16", "s.42(2)", "reg 5(1)", "rule 20"; anything else is text."""
    cleaned = ref.strip().rstrip("?.,;:")
    para = _PARA.match(cleaned)
    if para:
        start = (int(para.group(1)), int(para.group(2)))
        end_chapter = int(para.group(3)) if para.group(3) else start[0]
        end = (end_chapter, int(para.group(4))) if para.group(4) else start
        return Ref(kind="para", start=start, end=max(start, end))
    numbered = _NUMBERED.match(cleaned)
    if numbered:
        subs = tuple(s.strip().lower() for s in re.findall(r"\(\s*([0-9a-z]+)\s*\)", numbered.group(3)))
        return Ref(kind=_KINDS[numbered.group(1).lower()], main=numbered.group(2).upper(), sub=subs)
    return Ref(kind="text", text=" ".join(cleaned.lower().split()))


def split_expected(expected: str) -> tuple[str, str]:
    """Split "SEND Regs 2014 reg 5(1)" into ("SEND Regulations 2014", "reg 5(1)")."""
    lowered = expected.strip().lower()
    for alias, canonical in _ALIAS_INDEX:
        if lowered.startswith(alias) and (len(lowered) == len(alias) or not lowered[len(alias)].isalnum()):
            return canonical, expected.strip()[len(alias):].strip(" ,")
    return expected.strip(), ""


def covers(source: str, ref: str, expected: str) -> bool:
    """Does a citation (source, ref) cover an expected source such as "CAFA 2014 s42"?"""
    want_source, want_ref = split_expected(expected)
    if canonical_source(source).lower() != want_source.lower():
        return False
    if not want_ref:
        return True
    return parse_ref(ref).covers(parse_ref(want_ref))


def format_ref(source: str, ref: str) -> str:
    parsed = parse_ref(ref)
    if parsed.kind == "para":
        return f"paras {ref}" if parsed.start != parsed.end else f"para {ref}"
    return ref


def short_citation(source: str, ref: str) -> str:
    """A citation in a few characters, for labels: "CoP 9.14", "CAFA 2014 s.36(8)", "SEND Regs 2014 reg 5(1)".

    >>> short_citation("SEND Code of Practice 2015", "9.14-9.16"), short_citation("Children and Families Act 2014", "s.36(8)")
    ('CoP 9.14-9.16', 'CAFA 2014 s.36(8)')
    """
    name = SHORT_NAMES.get(canonical_source(source), source)
    return f"{name} {ref}".strip() if ref else name


def format_citation(source: str, ref: str) -> str:
    """"SEND Code of Practice 2015, para 9.14"; "Children and Families Act 2014, s.42(2)"."""
    return f"{source}, {format_ref(source, ref)}" if ref else source


# --- finding references inside a question -------------------------------------------------

_Q_PARA = re.compile(
    r"(?:\b(?:cop|code of practice|code)\s*(?:para(?:graph)?s?\.?\s*)?|\bpara(?:graph)?s?\.?\s*)"
    r"(\d{1,2}\.\d{1,3})\b",
    re.IGNORECASE,
)
_Q_BARE_PARA = re.compile(r"^\s*(\d{1,2}\.\d{1,3})\s*\??\s*$")
_Q_NUMBERED = re.compile(
    r"(?<![\w'’])(ss?(?=\.\s?\d|\d)|sec|section|reg|regs|regulation|rule|sch|schedule)\.?\s*"
    r"(\d{1,3}[A-Z]{0,3})\b((?:\(\s*[0-9a-z]{1,4}\s*\))*)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundRef:
    source: str
    ref: Ref
    text: str


def _source_for(kind: str, main: str, question: str) -> str:
    q = question.lower()
    if kind in ("s", "sch"):
        if "equality act" in q or "eqa" in q:
            return EQUALITY_ACT
        if "education act" in q or main.upper().startswith("508"):
            return EDUCATION_ACT
        return CAFA
    if kind == "rule":
        return TRIBUNAL_RULES
    if "personal budget" in q:
        return PB_REGS
    if "recommendation" in q:
        return RECS_REGS
    return SEND_REGS


def find_refs(question: str) -> list[FoundRef]:
    """References a question names explicitly: "CoP 9.14", "para 6.44", "section 42", "reg 13"."""
    found: list[FoundRef] = []
    for match in _Q_PARA.finditer(question):
        found.append(FoundRef(COP, parse_ref(match.group(1)), match.group(0)))
    bare = _Q_BARE_PARA.match(question)
    if bare and not found:
        found.append(FoundRef(COP, parse_ref(bare.group(1)), bare.group(1)))
    for match in _Q_NUMBERED.finditer(question):
        ref = parse_ref(f"{match.group(1)} {match.group(2)}{match.group(3)}")
        found.append(FoundRef(_source_for(ref.kind, ref.main, question), ref, match.group(0)))
    return found


_LOOKUP_FILLER = re.compile(
    r"\b(?:what|does|do|say|says|said|is|in|of|the|and|see|show|me|please|pls|cfa|act|2014|2015|"
    r"send|regs?|regulations|code|cop|practice|tribunal|rules|para(?:graph)?s?)\b|[?.,:;!&/()'’\s-]",
    re.IGNORECASE,
)


def is_bare_reference(question: str, found: Sequence[FoundRef] | None = None) -> bool:
    """True when a message is nothing but references ("reg 5(1)", "CoP 9.14?", "s.42 CFA and
    s.43"), perhaps with "what does ... say": a look-up of those passages, certain from its form.
    ``found``: the question's references, when the caller has already found them."""
    found = find_refs(question) if found is None else found
    if not found:
        return False
    rest = question
    for ref in found:
        rest = rest.replace(ref.text, " ")
    return not _LOOKUP_FILLER.sub("", rest).strip()


def chunk_matches(source: str, ref: str, found: FoundRef) -> bool:
    """True when a chunk (source, ref) is the passage a found reference points at."""
    if canonical_source(source) != found.source:
        return False
    return parse_ref(ref).covers(found.ref)
