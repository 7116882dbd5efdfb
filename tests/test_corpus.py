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
