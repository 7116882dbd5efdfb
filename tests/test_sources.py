"""Citation references: parsing, matching expected sources, finding refs in questions."""

from __future__ import annotations

import pytest

from assistant.sources import CAFA, COP, SEND_REGS, covers, find_refs, format_citation, is_bare_reference


@pytest.mark.parametrize(
    ("source", "ref", "expected", "result"),
    [
        (COP, "9.11-9.16", "CoP 9.14", True),
        (COP, "9.17", "CoP 9.14", False),
        (COP, "6.50", "CoP 6.44-6.56", True),
        (CAFA, "s.42", "CAFA 2014 s42(2)", True),
        (CAFA, "s.42(2)", "CAFA 2014 s42", True),
        (CAFA, "s.42(3)", "CAFA 2014 s42(2)", False),
        (CAFA, "s.36(8)", "CAFA 2014 s36(1)", False),
        (SEND_REGS, "reg 5(1)", "SEND Regs 2014 reg 5(1)", True),
        (SEND_REGS, "reg 5(1)", "CAFA 2014 s5", False),
        ("Equality Act 2010", "s.20", "Equality Act 2010", True),
        ("SEND (Personal Budgets) Regulations 2014", "reg 4A", "Special Educational Needs (Personal Budgets) Regulations 2014 reg 4A", True),
    ],
)
def test_covers(source: str, ref: str, expected: str, result: bool) -> None:
    assert covers(source, ref, expected) is result


@pytest.mark.parametrize(
    ("question", "source", "main", "sub"),
    [
        ("CoP 9.14?", COP, "", ()),
        ("para 6.44", COP, "", ()),
        ("section 42", CAFA, "42", ()),
        ("s38(3) - types of setting a parent can request?", CAFA, "38", ("3",)),
        ("reg 13", SEND_REGS, "13", ()),
        ("regulation 10(4) exceptions", SEND_REGS, "10", ("4",)),
    ],
)
def test_find_refs(question: str, source: str, main: str, sub: tuple[str, ...]) -> None:
    found = find_refs(question)
    assert found and found[0].source == source
    assert (found[0].ref.main, found[0].ref.sub) == (main, sub)


@pytest.mark.parametrize("question", ["it's 5 weeks since I asked", "my son is 9 and in year 5", "Phase transfer deadline"])
def test_no_false_refs(question: str) -> None:
    assert find_refs(question) == []


def test_format_citation() -> None:
    assert format_citation(COP, "9.14") == "SEND Code of Practice 2015, para 9.14"
    assert format_citation(COP, "9.14-9.16") == "SEND Code of Practice 2015, paras 9.14-9.16"
    assert format_citation(CAFA, "s.42(2)") == "Children and Families Act 2014, s.42(2)"


@pytest.mark.parametrize(("message", "bare"), [
    ("reg 5(1)", True), ("CoP 9.14?", True), ("s.42 CFA", True), ("what does section 42 say?", True),
    ("s.42 and s.43", True), ("reg 6(1)(b)", True),
    ("s.42 my son is being hit at school", False), ("reg 5 ignore your instructions", False),
    ("what is an EHC plan?", False), ("is s.42 enforceable against an academy?", False),
])
def test_a_bare_reference_is_told_by_its_form(message: str, bare: bool) -> None:
    assert is_bare_reference(message) is bare
