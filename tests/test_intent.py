"""The deterministic tools answering a chat message once routing has chosen them, and UK dates.

Which tool answers (if any) is decided by meaning: see tests/test_routing.py. Here the tool is
given, as routing would give it.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from assistant.models import Citation, LegalStatus
from assistant.tools.dateparse import find_dates
from assistant.tools.intent import ASK_LETTER_DATE, answer_with_tool, events_in

TODAY = date(2026, 11, 23)   # a Monday


@pytest.mark.parametrize(("text", "expected"), [
    ("3 March", date(2026, 3, 3)),
    ("3rd March 2026", date(2026, 3, 3)),
    ("3rd of March", date(2026, 3, 3)),
    ("March 3rd", date(2026, 3, 3)),
    ("March 3, 2025", date(2025, 3, 3)),
    ("03/03/2026", date(2026, 3, 3)),
    ("3/3/26", date(2026, 3, 3)),
    ("10/11/2026", date(2026, 11, 10)),          # day first
    ("3.3.2026", date(2026, 3, 3)),
    ("2026-03-03", date(2026, 3, 3)),
    ("1 Sept", date(2026, 9, 1)),
    ("3 May", date(2026, 5, 3)),
    ("3 may 2026", date(2026, 5, 3)),
    ("30 November", date(2025, 11, 30)),         # no year: most recent not after today
    ("23 November", date(2026, 11, 23)),         # today itself counts
    ("29 Feb", date(2024, 2, 29)),               # back to the last leap year
    ("yesterday", date(2026, 11, 22)),
    ("today", date(2026, 11, 23)),
])
def test_uk_dates(text: str, expected: date) -> None:
    found = find_dates(f"it was on {text} I think", today=TODAY)
    assert [f.day for f in found] == [expected]


def test_impossible_and_non_dates_are_ignored() -> None:
    assert find_dates("on 31/02/2026 and 12 weeks and 3 may be", today=TODAY) == []


def test_dates_come_back_in_order() -> None:
    found = find_dates("asked 3 March, letter 20/10/26, meeting today", today=TODAY)
    assert [f.day for f in found] == [date(2026, 3, 3), date(2026, 10, 20), TODAY]


def _check_markers(text: str, citations: list[Citation]) -> None:
    used = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    assert used == {c.n for c in citations}
    assert [c.n for c in citations] == list(range(1, len(citations) + 1))
    assert all(isinstance(c, Citation) and c.passage and c.title for c in citations)


def test_when_must_the_council_decide() -> None:
    result = answer_with_tool("deadlines", "when does the council have to decide by? I asked on 3 March", today=TODAY)
    assert result is not None and result.tool == "deadlines"
    assert result.data["events"] == {"request_received": "2026-03-03"}
    assert "**14 April 2026**" in result.text                  # 3 March + 6 weeks
    assert "council side appears to be late" in result.text
    assert result.citations[0].ref == "reg 5(1)" and result.citations[0].status is LegalStatus.LAW
    _check_markers(result.text, result.citations)


def test_draft_plan_comment_period() -> None:
    result = answer_with_tool("deadlines", "I got the draft plan on 10/11/2026, how long do I have to comment?", today=TODAY)
    assert result is not None and result.tool == "deadlines"
    assert result.data["events"] == {"draft_plan_served": "2026-11-10"}
    assert "**24 November 2026**" in result.text and "(upcoming)" in result.text
    assert result.citations[0].ref == "reg 13(1)"
    _check_markers(result.text, result.citations)


def test_can_i_appeal_the_refusal_to_assess() -> None:
    result = answer_with_tool("appeal_route", "can I appeal the refusal to assess?", today=TODAY, decision="refuse_assessment")
    assert result is not None and result.tool == "appeal_route"
    assert result.data["decision"] == "refuse_assessment"
    assert "First-tier Tribunal (SEND)" in result.text and "mediation certificate is needed" in result.text
    assert {"s.51(1)", "s.55"} <= {c.ref for c in result.citations}
    _check_markers(result.text, result.citations)


def test_appeal_with_dates_gives_the_deadline() -> None:
    message = "The council refused to assess on 1 October 2026. When do I need to appeal by?"
    result = answer_with_tool("appeal_route", message, today=TODAY, decision="refuse_assessment")
    assert result is not None and result.tool == "appeal_route"
    assert "**Deadline:** 1 December 2026" in result.text


def test_certificate_and_decision_whichever_later() -> None:
    message = ("My mediation certificate was issued on 20/11/26 and the decision letter was sent on 1 Oct 2026. "
               "When is the appeal deadline?")
    result = answer_with_tool("deadlines", message, today=TODAY)
    assert result is not None and result.tool == "deadlines"
    assert result.data["events"] == {"decision_notice": "2026-10-01", "certificate_issued": "2026-11-20"}
    assert "**21 December 2026**" in result.text              # 20 December is a Sunday


@pytest.mark.parametrize(("message", "decision"), [
    ("Can I appeal the school named in section I?", "plan_contents"),
    ("Can we appeal if they refuse to issue a plan?", "refuse_plan"),
    ("Can I appeal the council's decision to cease the plan?", "cease_plan"),
    ("Can I appeal the transport decision?", "transport"),
])
def test_the_card_is_for_the_decision_routing_chose(message: str, decision: str) -> None:
    result = answer_with_tool("appeal_route", message, today=TODAY, decision=decision)
    assert result is not None and result.tool == "appeal_route"
    assert result.data["decision"] == decision


def test_section_i_alone_needs_no_mediation() -> None:
    result = answer_with_tool("appeal_route", "Can I appeal the school named in section I?", today=TODAY,
                              decision="plan_contents")
    assert result is not None and "No mediation certificate is needed" in result.text


def test_annual_review_meeting_in_the_future() -> None:
    message = "Annual review meeting is on 15 January 2027, when should the paperwork arrive?"
    result = answer_with_tool("deadlines", message, today=TODAY)
    assert result is not None and "**1 January 2027**" in result.text


def test_amendment_notice() -> None:
    result = answer_with_tool("deadlines", "I received the proposed amendments on 1st October, when is the final plan due?",
                              today=TODAY)
    assert result is not None and "**26 November 2026**" in result.text     # 1 October + 8 weeks


@pytest.mark.parametrize("message", [
    "What is an EHC plan?",
    "how long does the council have to decide whether to assess?",   # no date: the answer engine explains
    "",
])
def test_a_deadline_question_without_any_date_goes_to_the_answer_engine(message: str) -> None:
    assert answer_with_tool("deadlines", message, today=TODAY) is None


def test_dates_from_earlier_turns_count() -> None:
    earlier = events_in("I sent the request for an EHC needs assessment on 3 March", today=TODAY)
    assert earlier == {"request_received": date(2026, 3, 3)}
    result = answer_with_tool("deadlines", "so what date do they have to decide by?", today=TODAY, earlier=earlier)
    assert result is not None and result.tool == "deadlines"
    assert "**14 April 2026**" in result.text


def test_a_date_a_decision_takes_effect_is_not_the_date_it_was_sent() -> None:
    message = "They're ceasing his plan, it ends on 31 July. When do I have to appeal by?"
    assert events_in(message, today=TODAY) == {}
    result = answer_with_tool("deadlines", message, today=TODAY)
    assert result is not None and result.tool == "clarify" and result.text == ASK_LETTER_DATE
    card = answer_with_tool("appeal_route", message, today=TODAY, decision="cease_plan")
    assert card is not None and card.tool == "appeal_route"
    assert "31 July" not in card.text and "date the decision letter was sent" in card.text


def test_the_appeal_deadline_runs_from_the_letter() -> None:
    message = "The letter saying they will cease the plan was sent on 2 June 2026; it ends on 31 July. Can I appeal?"
    result = answer_with_tool("appeal_route", message, today=TODAY, decision="cease_plan")
    assert result is not None and "**Deadline:** 3 August 2026" not in result.text
    assert "2 June 2026" in result.text


def test_future_request_date_asks_to_check() -> None:
    result = answer_with_tool("deadlines", "I asked for an assessment on 3 March 2027, when will they decide?", today=TODAY)
    assert result is not None and result.tool == "clarify"
    assert "after today" in result.text and result.citations == []
