"""Letters: every template renders with no undefined variable, and the .docx opens."""

from __future__ import annotations

import io
import re
from datetime import date

import jinja2
import pytest
from docx import Document

from assistant.errors import InvalidInput
from assistant.tools.letter_specs import SPECS
from assistant.tools.letters import DRAFT_MARK, ENV, TEMPLATE_DIR, list_templates, render_letter, to_docx

TODAY = date(2026, 11, 23)

FULL = {
    "request_assessment": {"parent_name": "Ann Lee", "parent_address": "1 High St, Leeds", "council_name": "Leeds City Council",
                           "child_name": "Sam Lee", "child_dob": "2016-05-04", "school_name": "Hill Primary",
                           "reasons": "Sam is far behind in reading despite a year of support.", "evidence": "EP report"},
    "chase_deadline": {"parent_name": "Ann Lee", "parent_address": "1 High St", "council_name": "Leeds City Council",
                       "child_name": "Sam", "deadline": "final_plan", "event_date": "2026-03-03"},
    "mediation_certificate": {"parent_name": "Ann Lee", "parent_address": "1 High St", "adviser_name": "Global Mediation",
                              "council_name": "Leeds City Council", "child_name": "Sam", "decision_date": "2026-10-20",
                              "decision_summary": "not to carry out an EHC needs assessment."},
    "draft_plan_response": {"parent_name": "Ann Lee", "parent_address": "1 High St", "council_name": "Leeds City Council",
                            "child_name": "Sam", "draft_served_date": "2026-11-10", "request_date": "2026-07-01",
                            "school_preference": "Oak Special School", "comments_b": "Add sensory needs.",
                            "comments_f": "Specify 1 hour of speech therapy weekly.", "other_comments": "None.",
                            "meeting": "yes"},
    "decision_not_to_assess": {"officer_name": "J Smith", "council_name": "Leeds City Council", "parent_name": "Ann Lee",
                               "parent_address": "1 High St", "child_name": "Sam", "request_date": "2026-09-01",
                               "letter_date": "2026-11-23", "reasons": "The school's support is meeting needs.",
                               "mediation_adviser": "Global Mediation, 0800 000 000", "sendiass": "Leeds SENDIASS",
                               "disagreement_resolution": "Global Mediation"},
    "delay_complaint_reply": {"officer_name": "J Smith", "council_name": "Leeds City Council", "parent_name": "Ann Lee",
                              "parent_address": "1 High St", "child_name": "Sam", "deadline": "final_plan",
                              "event_date": "2026-03-03", "complaint_date": "2026-11-01",
                              "explanation": "We did not have enough educational psychologists.",
                              "action_plan": "Issue the final plan.", "new_date": "2026-12-11"},
}


def test_every_template_has_a_spec_and_a_full_example() -> None:
    files = {p.name.removesuffix(".txt.j2") for p in TEMPLATE_DIR.glob("*.txt.j2")}
    assert files == set(SPECS) == set(FULL)
    assert len(list_templates()) >= 6


def test_environment_is_strict_plain_text() -> None:
    assert ENV.undefined is jinja2.StrictUndefined
    assert ENV.autoescape is False
    with pytest.raises(jinja2.UndefinedError):
        ENV.from_string("{{ nowhere }}").render()
    # plain text: an ampersand is not turned into &amp;
    letter = render_letter("request_assessment", {"reasons": "reading & writing"}, today=TODAY)
    assert "reading & writing" in letter.text


@pytest.mark.parametrize("template", sorted(SPECS))
def test_empty_form_shows_placeholders(template: str) -> None:
    letter = render_letter(template, {}, today=TODAY)
    assert letter.missing == [f.name for f in SPECS[template].fields]
    shown = [f.placeholder for f in SPECS[template].fields if f.placeholder in letter.text]
    assert shown, "at least one placeholder is visible"
    assert "{{" not in letter.text and "{%" not in letter.text


@pytest.mark.parametrize("template", sorted(SPECS))
def test_full_form_leaves_no_placeholder(template: str) -> None:
    letter = render_letter(template, FULL[template], today=TODAY)
    assert letter.missing == []
    leftovers = [f.placeholder for f in SPECS[template].fields if f.placeholder in letter.text]
    assert leftovers == []
    assert not re.search(r"\[(date|due date|the law)\]", letter.text)


@pytest.mark.parametrize("template", sorted(SPECS))
def test_docx_opens_with_headings(template: str) -> None:
    letter = render_letter(template, FULL[template], today=TODAY)
    document = Document(io.BytesIO(to_docx(letter)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [b.text for b in letter.blocks if b.kind == "heading"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert FULL[template]["council_name"] in body


@pytest.mark.parametrize("template", sorted(SPECS))
def test_docx_is_a4_with_uk_margins_and_a_title(template: str) -> None:
    letter = render_letter(template, FULL[template], today=TODAY)
    document = Document(io.BytesIO(to_docx(letter)))
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, not US Letter
        margins = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
        assert [round(m.mm) for m in margins] == [25, 25, 25, 25]
    assert document.core_properties.title == letter.title and document.core_properties.author == "SEND Assistant"


def test_caseworker_letters_are_marked_draft() -> None:
    for template, spec in SPECS.items():
        letter = render_letter(template, {}, today=TODAY)
        assert letter.draft is spec.draft
        assert (letter.blocks[0].text == DRAFT_MARK) is spec.draft
    assert {t for t, s in SPECS.items() if s.draft} == {"decision_not_to_assess", "delay_complaint_reply"}


def test_request_letter_cites_section_36_and_the_six_weeks() -> None:
    text = render_letter("request_assessment", FULL["request_assessment"], today=TODAY).text
    assert "section 36(1)" in text and "does not require a form" in text
    assert "within 6 weeks" in text and "4 January 2027" in text    # 23 November 2026 + 6 weeks
    assert "4 May 2016" in text                                     # date of birth written the UK way


def test_chase_letter_quotes_the_computed_deadline() -> None:
    text = render_letter("chase_deadline", FULL["chase_deadline"], today=TODAY).text
    assert "21 July 2026" in text                                   # 3 March 2026 + 20 weeks
    assert "reg 13(2)" in text and "125 days ago" in text
    assert "The council had to send the final EHC plan" in text
    assert "7 December 2026" in text                                # reply within 10 working days


def test_chase_letter_speaks_in_the_parents_voice() -> None:
    form = {"deadline": "assessment_decision", "event_date": "2026-09-01"}
    text = render_letter("chase_deadline", form, today=TODAY).text
    assert "The council had to tell me whether it will carry out" in text
    assert "13 October 2026" in text and "reg 5(1), reg 5(3) and reg 5(4)" in text


def test_chase_letter_refuses_a_deadline_not_yet_passed() -> None:
    with pytest.raises(InvalidInput, match="has not passed yet"):
        render_letter("chase_deadline", {"deadline": "assessment_decision", "event_date": "2026-11-01"}, today=TODAY)


def test_refusal_letter_states_appeal_and_mediation_rights() -> None:
    text = render_letter("decision_not_to_assess", FULL["decision_not_to_assess"], today=TODAY).text
    assert "section 51(2)(a)" in text and "section 55" in text
    assert "regulation 34(1)" in text and "regulation 33" in text and "rule 20" in text
    assert "23 January 2027" in text          # contact the adviser within 2 months of the letter
    assert "25 January 2027" in text          # appeal: 23 January 2027 is a Saturday
    assert "13 October 2026" in text and "We apologise" in text   # 1 September + 6 weeks, missed
    on_time = dict(FULL["decision_not_to_assess"], letter_date="2026-10-12")
    assert "We apologise" not in render_letter("decision_not_to_assess", on_time, today=TODAY).text


def test_draft_plan_response_dates() -> None:
    text = render_letter("draft_plan_response", FULL["draft_plan_response"], today=TODAY).text
    assert "24 November 2026" in text         # 15 days beginning with 10 November
    assert "18 November 2026" in text         # 1 July + 20 weeks
    assert "section 39" in text and "Oak Special School" in text


def test_mediation_certificate_letter_dates() -> None:
    text = render_letter("mediation_certificate", FULL["mediation_certificate"], today=TODAY).text
    assert "26 November 2026" in text         # 3 working days after Monday 23 November
    assert "20 December 2026" in text         # 2 months after the decision (reg 33)
    late = dict(FULL["mediation_certificate"], decision_date="2026-08-01")
    assert "explain the timing" in render_letter("mediation_certificate", late, today=TODAY).text


def test_delay_reply_counts_days_late() -> None:
    text = render_letter("delay_complaint_reply", FULL["delay_complaint_reply"], today=TODAY).text
    assert "We missed that date by 125 days" in text and "11 December 2026" in text
    assert "Ombudsman" in text


@pytest.mark.parametrize(("template", "form", "message"), [
    ("no_such_letter", {}, "Unknown letter template"),
    ("request_assessment", {"favourite_colour": "red"}, "Unknown field"),
    ("request_assessment", {"child_dob": "04/05/2016"}, "YYYY-MM-DD"),
    ("chase_deadline", {"deadline": "whenever"}, "must be one of"),
    ("decision_not_to_assess", {"request_date": "2026-11-01", "letter_date": "2026-10-01"}, "cannot be before"),
    ("decision_not_to_assess", {"letter_date": "2027-01-01"}, "after today"),
    ("draft_plan_response", {"request_date": "2026-11-01", "draft_served_date": "2026-10-01"}, "cannot be before"),
])
def test_bad_input_is_rejected(template: str, form: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        render_letter(template, form, today=TODAY)
