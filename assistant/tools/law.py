"""The provisions the tools cite, each summarised in our own words.

A `Cite` is one provision: its canonical source (see `assistant.sources`), its reference, a
plain-English summary and its legal force. Tools attach Cites to every date and route they
produce; `to_citations` turns them into numbered `assistant.models.Citation` objects.

>>> REG_5_1.label
'SEND Regulations 2014, reg 5(1)'
>>> REG_5_1.url
'https://www.legislation.gov.uk/uksi/2014/1530/regulation/5'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant import sources as S
from assistant.models import Citation, LegalStatus, PassageKind

LGA_1974 = "Local Government Act 1974"
CPR = "Civil Procedure Rules"
TRAVEL_GUIDANCE = "Travel to school for children of compulsory school age (DfE statutory guidance)"
DEVON_CASE = "R (L, M and P) v Devon County Council [2022] EWHC 493 (Admin)"

_EXTRA_URLS = {
    LGA_1974: "https://www.legislation.gov.uk/ukpga/1974/7/section/{n}",
    CPR: "https://www.justice.gov.uk/courts/procedure-rules/civil/rules/part54",
    TRAVEL_GUIDANCE: "https://www.gov.uk/government/publications/home-to-school-travel-and-transport-guidance",
    DEVON_CASE: "https://caselaw.nationalarchives.gov.uk/ewhc/admin/2022/493",
}


@dataclass(frozen=True)
class Cite:
    """One cited provision. `summary` is our paraphrase, never the statutory text."""

    source: str
    ref: str
    summary: str
    status: LegalStatus = LegalStatus.LAW

    @property
    def label(self) -> str:
        return S.format_citation(self.source, self.ref)

    @property
    def url(self) -> str | None:
        if self.source == S.EQUALITY_ACT and self.ref.lower().startswith("sch"):
            return "https://www.legislation.gov.uk/ukpga/2010/15/schedule/17"
        template = S.LEGISLATION_URLS.get(self.source) or _EXTRA_URLS.get(self.source)
        if template is None:
            return S.COP_URL if self.source == S.COP else None
        main = S.parse_ref(self.ref).main
        return template.format(n=main.lower()) if "{n}" in template and main else template.split("/{n}")[0]


def to_citations(cites: Iterable[Cite], *, start: int = 1) -> list[Citation]:
    """Number distinct Cites in order of first appearance as `Citation` objects."""
    seen: dict[tuple[str, str], Citation] = {}
    for cite in cites:
        key = (cite.source, cite.ref)
        if key not in seen:
            seen[key] = Citation(
                n=start + len(seen), source=cite.source, ref=cite.ref, title=cite.label,
                url=cite.url, status=cite.status, passage=cite.summary,
                kind=PassageKind.SUMMARY,  # our paraphrase of the provision, never its text
            )
    return list(seen.values())


def cite_list(cites: Iterable[Cite]) -> str:
    """Cites grouped by source: "SEND Regulations 2014, reg 5(1) and reg 5(3); ..."."""
    grouped: dict[str, list[str]] = {}
    for cite in cites:
        refs = grouped.setdefault(cite.source, [])
        if cite.ref and cite.ref not in refs:
            refs.append(cite.ref)
    parts = []
    for source, refs in grouped.items():
        joined = refs[0] if len(refs) == 1 else ", ".join(refs[:-1]) + " and " + refs[-1] if refs else ""
        parts.append(f"{source}, {joined}" if joined else source)
    return "; ".join(parts)


def _regs(ref: str, summary: str) -> Cite:
    return Cite(S.SEND_REGS, ref, summary)


def _act(ref: str, summary: str) -> Cite:
    return Cite(S.CAFA, ref, summary)


# --- SEND Regulations 2014 (SI 2014/1530) ---------------------------------------------------
REG_5_1 = _regs("reg 5(1)", "The council must tell the parent or young person whether it will carry out an EHC needs assessment as soon as practicable and at the latest 6 weeks after it received the request.")
REG_5_3 = _regs("reg 5(3)", "A refusal to assess must come with the right to appeal, the time limit for appealing, the mediation information in reg 32, and where to find disagreement resolution and information, advice and support.")
REG_5_4 = _regs("reg 5(4)", "The 6-week limit does not bind the council where meeting it is impractical because advice was sought from a school or college around a closure of 4 weeks or more, because of exceptional personal circumstances, or because the family was away from the area for 4 weeks or more.")
REG_8 = _regs("reg 8", "A body the council asks to co-operate in an EHC needs assessment must answer within 6 weeks of receiving the request, unless exceptional circumstances, the family's absence from the area for 4 weeks or more, or a missed appointment make that impractical.")
REG_10_1 = _regs("reg 10(1)", "If, after assessing, the council decides not to issue an EHC plan, it must say so as soon as practicable and at the latest 16 weeks after the request for assessment.")
REG_10_4 = _regs("reg 10(4)", "The 16-week limit gives way where meeting it is impractical for a listed reason: advice sought from a school, college or early years provider around a closure of 4 weeks or more, exceptional personal circumstances, or absence from the area for 4 weeks or more.")
REG_13_1 = _regs("reg 13(1)", "With a draft plan the council must allow at least 15 days, counting the day the draft was served as day one, to comment, ask for a school or college to be named, and ask for a meeting with an officer.")
REG_13_2 = _regs("reg 13(2)", "The final EHC plan must be sent as soon as practicable and at the latest 20 weeks after the council received the request for assessment.")
REG_13_3 = _regs("reg 13(3)", "The 20-week limit gives way only where meeting it is impractical for one of the reasons in reg 10(4)(a) to (d).")
REG_18_1 = _regs("reg 18(1)", "When a move between phases is within 12 months, the plan must be reviewed and, where needed, amended to name the new school or institution before 15 February of the year of transfer (before 31 March for a move from secondary school to a post-16 institution).")
REG_18_2 = _regs("reg 18(2)", "For a move between post-16 institutions at another time, the plan must be reviewed and amended to name the new institution at least 5 months before the move.")
REG_20_3_4 = _regs("reg 20(3)-(4)", "At least two weeks' notice of an annual review meeting must be given, and the advice and information gathered must be circulated to those invited at least two weeks before it.")
REG_20_REPORT = _regs("reg 20", "After the review meeting a report with recommended amendments must be prepared and sent out within two weeks; within four weeks of the meeting the council must decide whether to keep, amend or cease the plan and tell the family.")
REG_22_2 = _regs("reg 22(2)", "A proposal to amend a plan after review must come with the existing plan, a notice of the proposed changes and the supporting evidence, and at least 15 days (counting the day it was served) to comment and ask for a school.")
REG_22_3_4 = _regs("reg 22(3)-(4)", "The amended plan, or a notice with reasons that the council will not amend after all, must be sent as soon as practicable and within 8 weeks of the council sending the proposed amendments.")
REG_31 = _regs("reg 31", "Before ceasing a plan the council must tell and consult the family and the school or college; a decision to cease must give the right of appeal, the time limit, mediation information and where to get advice.")
REG_32 = _regs("reg 32", "Appealable decisions must explain the right to mediation, the need for a mediation certificate before appealing, the mediation adviser's contact details and the timescales.")
REG_33 = _regs("reg 33", "Anyone who needs a mediation certificate must contact the mediation adviser within 2 months after the written decision was sent and say whether they want mediation.")
REG_34_1 = _regs("reg 34(1)", "If the parent or young person tells the mediation adviser they do not want mediation, the adviser must issue the certificate within 3 working days.")
REG_MEDIATION = _regs("regs 32-42", "If the family wants mediation the council must arrange it within 30 days of being told; if it cannot, the adviser issues a certificate within 3 working days of hearing so; after mediation the certificate must be issued within 3 working days.")
REG_42_2 = _regs("reg 42(2)", "Where mediation ends in a written agreement on matters that could be appealed, the council must meet the reg 44 time limits as if the agreement were a Tribunal order.")
REG_42_3 = _regs("reg 42(3)", "Where the agreement covers something that cannot be appealed, the council or health body must do it within two weeks of the agreement, unless the parties agreed another timescale in writing.")
REG_44_2 = _regs("reg 44(2)", "The council must comply with a Tribunal order within the period set for that kind of order; orders to continue or cease a plan take effect immediately.")
REG_44_2_B = _regs("reg 44(2)(b)", "An order to assess: tell the family within 2 weeks that the assessment will happen; a decision not to issue a plan is due within 10 weeks, and a final plan within 14 weeks, of the order.")
REG_44_2_C = _regs("reg 44(2)(c)", "An order to make and maintain a plan: a draft within 5 weeks and the final plan within 11 weeks of the order.")
REG_44_2_E = _regs("reg 44(2)(e)", "An order to amend the special educational needs or provision in a plan: the amended plan within 5 weeks of the order.")
REG_44_2_F = _regs("reg 44(2)(f)", "An order to change only the school or type of school named: the amended plan within 2 weeks of the order.")
REG_44_3 = _regs("reg 44(3)", "These periods can give way in listed circumstances, such as exceptional personal circumstances or the family's absence from the area.")
REG_45 = _regs("reg 45(3)-(4)", "If the council tells the Tribunal it will not oppose an appeal: about assessment, it must confirm the assessment within 2 weeks, decide against a plan within 10 weeks or issue the plan within 14 weeks; about plan contents or a refusal to amend, it must issue the amended plan within 5 weeks of telling the Tribunal.")

# --- Children and Families Act 2014 ----------------------------------------------------------
S36_1 = _act("s.36(1)", "A parent, a young person or a school or college may ask the council for an EHC needs assessment; the Act prescribes no form, so a letter or email is enough.")
S38 = _act("s.38", "The council must send a draft plan and tell the family of their right to ask for a particular school or college to be named.")
S39 = _act("s.39", "If a particular school or college is requested, the council must consult it and name it unless it is unsuitable or its attendance would be incompatible with others' efficient education or the efficient use of resources.")
S42_2 = _act("s.42(2)", "The council must secure the special educational provision specified in the plan.")
S44_1 = _act("s.44(1)", "A plan must be reviewed within 12 months starting with the date it was first made, and then within each 12 months starting with the date of the last review.")
S45 = _act("s.45", "A council may cease a plan only if it is no longer responsible or the plan is no longer necessary; if the family appeals, the plan must be kept until the appeal is decided.")
S51_1 = _act("s.51(1)", "The parent of a child, or a young person, may appeal to the First-tier Tribunal against the matters in s.51(2), subject to the mediation rule in s.55.")
S51_2 = _act("s.51(2)", "Appealable: refusal to assess; refusal to issue a plan; the needs, provision, school named or no school named in a plan; refusal to re-assess; refusal to amend after a review or re-assessment; a decision to cease the plan.")
S51_3 = _act("s.51(3)", "The contents of a plan can be appealed when it is first finalised and after each amendment or replacement.")
S52_54 = _act("ss.52-54", "Families have a right to mediation about education, health and social care elements of a plan.")
S55 = _act("s.55", "Before appealing, the family must get information about mediation from a mediation adviser and hold a certificate; this does not apply to an appeal only about the school or institution named, the type named, or that none is named.")
S83_2 = _act("s.83(2)", "A 'young person' is someone over compulsory school age but under 25; from then the rights in Part 3, including appeals, are theirs rather than their parent's.")

# --- Tribunal rules, Equality Act, Education Act, Recommendations regs -----------------------
RULE_20 = Cite(S.TRIBUNAL_RULES, "rule 20(1)(c)", "A special educational needs appeal must reach the Tribunal within 2 months after the written decision was sent, or within 1 month of the mediation certificate being issued if that is later.")
RULE_12 = Cite(S.TRIBUNAL_RULES, "rule 12", "Time that ends on a non-working day runs to the next working day; for SEN appeals a deadline ending between 25 December and 1 January, or in August, moves to the first working day after 1 January or 31 August.")
EQA_SCH17_3 = Cite(S.EQUALITY_ACT, "Sch 17 para 3", "A claim that a school's responsible body discriminated against a disabled pupil is made to the First-tier Tribunal (claims about a refused admission go to an admission appeal panel instead; a permanent exclusion claim can go to the Tribunal as well as to an independent review panel).")
EQA_SCH17_4 = Cite(S.EQUALITY_ACT, "Sch 17 para 4", "A disability discrimination claim must be brought within 6 months starting with the date of the conduct (extended by 3 months if conciliation starts in time); the Tribunal may hear a late claim.")
RECS_REGS_4_5 = Cite(S.RECS_REGS, "regs 4-5", "In an appeal under s.51(2)(b) to (f) the Tribunal may also make non-binding recommendations about the health and social care needs and provision in a plan; there is no appeal about health or social care alone.")
EA_508B = Cite(S.EDUCATION_ACT, "s.508B", "The council must make free travel arrangements for eligible children of compulsory school age; disputes go through the council's review process, not the SEND Tribunal.")
TRAVEL_REVIEW = Cite(TRAVEL_GUIDANCE, "review and appeal process", "Councils should offer a two-stage review of travel decisions; the family has 20 working days from receiving the decision to ask for a review, and can then go to the Ombudsman.", LegalStatus.STATUTORY_GUIDANCE)

# --- Complaints and judicial review ---------------------------------------------------------
LGA_26_5 = Cite(LGA_1974, "s.26(5)", "The Ombudsman will normally look at a complaint only after the council has had the chance to investigate and reply to it.")
LGA_26B = Cite(LGA_1974, "s.26B", "A complaint to the Local Government and Social Care Ombudsman must be made in writing within 12 months of first knowing of the matter; the Ombudsman can waive this.")
CPR_54_5 = Cite(CPR, "r 54.5(1)", "A judicial review claim must be filed promptly and in any event within 3 months of the grounds first arising; a pre-action letter comes first.")
DEVON = Cite(DEVON_CASE, "", "The 4-week review decision and the reg 22 amendment notice go together, so an amended plan after an annual review is due at the latest 12 weeks after the review meeting.")
