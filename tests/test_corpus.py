"""The corpus format: front matter validation and the project corpus passing its own check."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.ingest.markdown import check_corpus, load_corpus, parse_passage
from assistant.models import LegalStatus

from conftest import PROJECT, write_corpus

GOOD = """---
source: Children and Families Act 2014
ref: "s.42(2)"
title: Securing the provision in the plan
url: https://www.legislation.gov.uk/ukpga/2014/6/section/42
status: law
---
The local authority must secure the special educational provision set out in an EHC plan.
"""


def test_parses_a_passage() -> None:
    doc = parse_passage(GOOD, "act/s42")
    assert (doc.source, doc.ref, doc.status) == ("Children and Families Act 2014", "s.42(2)", LegalStatus.LAW)
    assert doc.doc_id == "act/s42"
    assert doc.text.startswith("The local authority must secure")


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (GOOD.replace("status: law", "status: rumour"), "status 'rumour' is not one of"),
        (GOOD.replace('ref: "s.42(2)"\n', ""), "missing required field(s): ref"),
        (GOOD.replace("---\nsource", "source", 1), "no YAML front matter"),
        (GOOD.replace("title: Securing", "title: [unclosed"), "not valid YAML"),
        (GOOD.split("---\n", 2)[0] + "---\n" + GOOD.split("---\n", 2)[1] + "---\n", "no text"),
    ],
)
def test_rejects_broken_front_matter(broken: str, message: str) -> None:
    with pytest.raises(CorpusError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_passage(broken, "bad")


def test_check_finds_unofficial_urls_bad_refs_and_undated_proposals(tmp_path: Path) -> None:
    corpus = write_corpus(
        tmp_path / "c",
        {
            "a.md": GOOD.replace("https://www.legislation.gov.uk/ukpga/2014/6/section/42", "https://example.com/s42"),
            "b.md": GOOD.replace('"s.42(2)"', '"chapter nine"'),
            "c.md": GOOD.replace("status: law", "status: proposal").replace("Children and Families Act 2014", "Schools White Paper 2026"),
        },
    )
    _, problems = check_corpus(corpus)
    text = "\n".join(str(p) for p in problems)
    assert "a: url https://example.com/s42 is not an official" in text
    assert "b: an Act's ref must be a section" in text
    assert "c: a proposal needs an as_at date" in text


def test_load_corpus_reports_every_problem(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"one.md": "no front matter", "two.md": GOOD.replace("status: law", "status: x")})
    with pytest.raises(CorpusError) as info:
        load_corpus(corpus)
    assert "2 problem(s)" in str(info.value)


def test_the_project_corpus_passes_its_check() -> None:
    documents, problems = check_corpus(PROJECT / "corpus")
    assert problems == []
    assert len(documents) >= 300
    statuses = {d.status for d in documents}
    assert {LegalStatus.LAW, LegalStatus.STATUTORY_GUIDANCE, LegalStatus.PROPOSAL, LegalStatus.LOCAL} <= statuses


def test_every_proposal_says_it_is_not_law() -> None:
    documents, _ = check_corpus(PROJECT / "corpus")
    for doc in documents:
        if doc.status is LegalStatus.PROPOSAL:
            assert "propos" in doc.text.lower(), doc.doc_id


# --- issue 17: what each kind of passage may say ---------------------------------------------

EXPLAINER = """---
kind: explainer
source: SEND Assistant explainers
ref: act/s42-explained
title: When the provision in section F is not delivered
status: law
basis:
  - "Children and Families Act 2014, s.42(2)"
  - "IPSEA: https://www.ipsea.org.uk"
---
The local authority must secure the provision in section F of the plan (Children and Families Act 2014, s.42(2)). IPSEA describes the duty as absolute.
"""


def _problems(tmp_path: Path, text: str) -> str:
    corpus = write_corpus(tmp_path / "c", {"p.md": text})
    _, problems = check_corpus(corpus)
    return "\n".join(str(p) for p in problems)


def test_a_clean_summary_and_a_grounded_explainer_pass(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"s.md": GOOD, "e.md": EXPLAINER})
    documents, problems = check_corpus(corpus)
    assert problems == []
    assert {d.kind.value for d in documents} == {"summary", "explainer"}


@pytest.mark.parametrize(
    ("added", "message"),
    [
        ("IPSEA says the duty is absolute.", 'a summary names a third party or their view ("IPSEA")'),
        ("SOS!SEN points out that budgets are no excuse.", "a summary names a third party"),
        ("Contact advises parents to keep a diary.", "a summary names a third party"),
        ("The Noddy Guide calls this the key duty.", "a summary names a third party"),
        ("Kent County Council's guidance says it will act within a week.", "a summary names a third party"),
        ("The High Court held in R (BA) v Nottinghamshire County Council [2021] EWHC 1348 (Admin) that delay breaches it.",
         "a summary cites or relies on case law"),
        ("In practice, you should ask for it in writing.", 'a summary gives advice ("in practice", "you should")'),
        ("We recommend keeping a copy of the plan.", "a summary gives advice"),
        ("Tip: write to the council.", "a summary gives advice"),
        ("The final plan must be issued within 20 weeks (SEND Regulations 2014, reg 13(2)).",
         'a summary is of one provision (s.42(2)) but cites others: "SEND Regulations 2014, reg 13(2)"'),
    ],
)
def test_a_summary_keeps_to_its_provision(tmp_path: Path, added: str, message: str) -> None:
    assert message in _problems(tmp_path, GOOD.rstrip("\n") + " " + added + "\n")


@pytest.mark.parametrize(
    ("source", "ref", "message"),
    [
        ("Children and Families Act 2014", "s.142", "unknown provision"),
        ("SEND Regulations 2014", "reg 65", "unknown provision"),
        ("SEND Code of Practice 2015", "9.218", "unknown provision"),
        ("SEND Code of Practice 2015", "9.95-9.124", "a summary is of one provision, not the run 9.95-9.124"),
    ],
)
def test_a_summary_ref_must_exist_and_be_one_provision(tmp_path: Path, source: str, ref: str, message: str) -> None:
    text = GOOD.replace("Children and Families Act 2014", source).replace('"s.42(2)"', f'"{ref}"')
    if source.startswith("SEND Code"):
        text = text.replace("status: law", "status: statutory_guidance").replace(
            "https://www.legislation.gov.uk/ukpga/2014/6/section/42", "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25")
    assert message in _problems(tmp_path, text)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('basis:\n  - "Children and Families Act 2014, s.42(2)"\n  - "IPSEA: https://www.ipsea.org.uk"\n', ""),
         "an explainer needs a basis"),
        (lambda t: t.replace('"IPSEA: https://www.ipsea.org.uk"', '"a blog post"'),
         "basis 'a blog post' is not \"Source, ref\", a case citation, or \"Organisation: https://...\""),
        (lambda t: t.replace('"Children and Families Act 2014, s.42(2)"', '"Children and Families Act 2014, s.150"'),
         "s.150 is not a provision of Children and Families Act 2014"),
        (lambda t: t.replace('"Children and Families Act 2014, s.42(2)"', '"Children and Families Act 2014"'),
         "names Children and Families Act 2014 without a section"),
        (lambda t: t.replace(" (Children and Families Act 2014, s.42(2))", ""),
         "states a duty, a right or a time limit without citing its basis"),
        (lambda t: t.replace("(Children and Families Act 2014, s.42(2))", "(SEND Regulations 2014, reg 13(2))"),
         "states a duty, a right or a time limit without citing its basis"),
        (lambda t: t.rstrip("\n") + " The High Court held in R (BA) v Nottinghamshire County Council [2021] EWHC 1348 (Admin) that delay breaches the duty (Children and Families Act 2014, s.42(2)).\n",
         "names R (BA) v Nottinghamshire County Council but [2021] EWHC 1348 (Admin) is not in its basis"),
        (lambda t: t.replace('  - "IPSEA: https://www.ipsea.org.uk"\n', '  - "IPSEA: https://www.ipsea.org.uk"\n  - "[2021] EWHC 9999 (Admin)"\n'),
         "is not a case on corpus/cases.yaml"),
    ],
)
def test_an_explainer_cites_a_known_basis(tmp_path: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    assert message in _problems(tmp_path, change(EXPLAINER))


def _bank_entry(answer: str, steps: int = 2) -> str:
    listed = "".join(f'  - "Ask the council in writing, step {n}."\n' for n in range(steps))
    return EXPLAINER.replace("status: law\n", f'status: law\nanswer: "{answer}"\nnext_steps:\n{listed}')


def test_a_direct_answer_keeps_to_sixty_words_and_three_next_steps(tmp_path: Path) -> None:
    short = "Yes. " + " ".join(["word"] * 59)
    assert "direct answer" not in _problems(tmp_path / "a", _bank_entry(short))
    assert "the direct answer has 61 words; at most 60" in _problems(tmp_path / "b", _bank_entry(short + " more"))
    assert "4 next steps; at most 3" in _problems(tmp_path / "c", _bank_entry(short, steps=4))
    assert "next steps" not in _problems(tmp_path / "d", _bank_entry(short, steps=3))


@pytest.mark.parametrize(
    "sentence",
    [
        "The court decided this in Smith v Jonesshire County Council [2019] EWHC 1 (Admin).",
        "Kumar v London Borough of Hillingdon [2020] EWHC 3362 (Admin) is about mediation.",  # the wrong number
        "R v Harrow LBC ex parte M [1997] ELR 62 is often cited.",
    ],
)
def test_every_case_named_anywhere_is_on_the_list(tmp_path: Path, sentence: str) -> None:
    text = EXPLAINER.rstrip("\n") + " " + sentence + "\n"
    assert "names a case that is not on corpus/cases.yaml" in _problems(tmp_path, text)


def test_the_case_list_has_the_kumar_citation_and_a_holding_for_each_case() -> None:
    from assistant.citations.cases import CaseList

    cases = CaseList.load(PROJECT / "corpus")
    assert cases.by_citation("[2020] EWHC 3326 (Admin)") is not None
    assert cases.by_citation("[2020] EWHC 3362 (Admin)") is None
    for case in cases.cases:
        assert case.holding and case.link.startswith("https://") and case.court and case.year


def test_no_corpus_file_claims_to_be_official_text(tmp_path: Path) -> None:
    text = GOOD.replace("---\nsource", "---\nkind: official\nsource", 1)
    with pytest.raises(CorpusError, match="official"):
        parse_passage(text, "x")


# --- issue 17: one bad passage per rule, through the same check CI runs ------------------------


@pytest.mark.parametrize(
    ("sentence", "message"),
    [
        ("The parent has the right to appeal to the SEND Tribunal.", "states a duty, a right or a time limit without citing its basis"),
        ("The council has to reply within 15 days.", "states a duty, a right or a time limit without citing its basis"),
        ("The review meeting takes place no later than 12 months after the plan was issued.",
         "states a duty, a right or a time limit without citing its basis"),
    ],
)
def test_an_explainer_right_or_time_limit_without_a_basis_fails(tmp_path: Path, sentence: str, message: str) -> None:
    assert message in _problems(tmp_path, EXPLAINER.rstrip("\n") + " " + sentence + "\n")


@pytest.mark.parametrize(
    "sentence",
    [
        "Kumar v London Borough of Hillingdon decided who may come to mediation.",  # a listed case by its parties alone
        "Case law says the provision must be specific.",
    ],
)
def test_a_summary_naming_a_case_without_its_citation_fails(tmp_path: Path, sentence: str) -> None:
    assert "a summary cites or relies on case law" in _problems(tmp_path, GOOD.rstrip("\n") + " " + sentence + "\n")


def test_a_listed_case_under_another_cases_citation_fails(tmp_path: Path) -> None:
    """[2021] EWHC 1348 (Admin) is on the list, but it is BA v Nottinghamshire, not Kumar."""
    text = EXPLAINER.rstrip("\n") + " Kumar v London Borough of Hillingdon [2021] EWHC 1348 (Admin) is about mediation.\n"
    assert "names a case that is not on corpus/cases.yaml: 'Kumar v London Borough of Hillingdon [2021] EWHC 1348 (Admin)'" in _problems(tmp_path, text)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a summary naming a third party", GOOD.rstrip("\n") + " IPSEA says the duty is absolute.\n"),
        ("a summary citing a case", GOOD.rstrip("\n") + " The court agreed in Kumar v London Borough of Hillingdon [2020] EWHC 3326 (Admin).\n"),
        ("a summary giving advice", GOOD.rstrip("\n") + " You should ask for it in writing.\n"),
        ("an explainer duty without a basis", EXPLAINER.replace(" (Children and Families Act 2014, s.42(2))", "")),
        ("an unknown ref", GOOD.replace('"s.42(2)"', '"s.142"')),
        ("an unlisted case", EXPLAINER.rstrip("\n") + " Smith v Jonesshire County Council [2019] EWHC 1 (Admin) agrees.\n"),
        ("a wrong citation for a listed case", EXPLAINER.rstrip("\n") + " Kumar v London Borough of Hillingdon [2020] EWHC 3362 (Admin) agrees.\n"),
    ],
)
def test_the_corpus_check_command_fails_on_each_bad_passage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    """`send-assistant corpus check` (what CI runs) exits 1 and prints the problem; the clean pair passes."""
    from assistant.cli import main
    from assistant.config import get_settings

    clean = write_corpus(tmp_path / "clean", {"s.md": GOOD, "e.md": EXPLAINER})
    monkeypatch.setenv("SEND_ASSISTANT_CORPUS_DIR", str(clean))
    assert main(["corpus", "check"]) == 0, capsys.readouterr().out
    capsys.readouterr()
    bad = write_corpus(tmp_path / "bad", {"s.md": GOOD, "e.md": EXPLAINER, "bad.md": text})
    monkeypatch.setenv("SEND_ASSISTANT_CORPUS_DIR", str(bad))
    get_settings.cache_clear()
    assert main(["corpus", "check"]) == 1, name
    out = capsys.readouterr().out
    assert "PROBLEM" in out and "bad" in out, out
