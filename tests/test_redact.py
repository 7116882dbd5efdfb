"""Redaction: every seeded identifier goes, every legal term, deadline and helpline stays.

tests/data/pii_messages.jsonl holds messages written for this test, in the voices of parents on
a phone, advisers and caseworkers. Each lists the identifiers seeded in it ("seeded", with
their kind), the strings that must survive ("keep") and, for some, the exact counts ("found").
All names, numbers and addresses in it are made up.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from assistant.screening.redact import (
    PERSONAL_DATA_NOTICE,
    Redaction,
    first_names,
    nhs_number_is_valid,
    redact,
    upn_is_valid,
)

DATA = Path(__file__).parent / "data" / "pii_messages.jsonl"
MESSAGES: list[dict[str, Any]] = [
    json.loads(line) for line in DATA.read_text("utf-8").splitlines() if line.strip()
]
COUNTED = [m for m in MESSAGES if "found" in m]
KINDS = {"NAME", "EMAIL", "PHONE", "NHS_NUMBER", "NI_NUMBER", "UPN", "POSTCODE", "DATE_OF_BIRTH",
         "ADDRESS", "SCHOOL"}


def _still_there(fragment: str, text: str) -> bool:
    """Whole-word search, so a seeded "Sam" is not found inside "Samaritans"."""
    return re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text) is not None


def test_the_seeded_set_is_large_and_well_formed() -> None:
    assert len(MESSAGES) >= 100
    assert len({m["id"] for m in MESSAGES}) == len(MESSAGES)
    seeded_kinds = {s["kind"] for m in MESSAGES for s in m["seeded"]}
    assert seeded_kinds == KINDS
    for message in MESSAGES:
        for fragment in [s["text"] for s in message["seeded"]] + message["keep"]:
            assert fragment in message["text"], (message["id"], fragment)


def test_recall_on_the_seeded_set_is_total() -> None:
    missed = [
        (m["id"], s["text"])
        for m in MESSAGES
        for s in m["seeded"]
        if _still_there(s["text"], redact(m["text"]).text)
    ]
    assert missed == []


@pytest.mark.parametrize("message", MESSAGES, ids=[m["id"] for m in MESSAGES])
def test_seeded_identifiers_go_and_kept_terms_stay(message: dict[str, Any]) -> None:
    result = redact(message["text"])
    for seeded in message["seeded"]:
        assert not _still_there(seeded["text"], result.text), seeded
    for kept in message["keep"]:
        assert kept in result.text, kept
    assert result.has_personal_data == bool(message["seeded"])


@pytest.mark.parametrize("message", COUNTED, ids=[m["id"] for m in COUNTED])
def test_counts_by_kind(message: dict[str, Any]) -> None:
    assert redact(message["text"]).found == message["found"]
    assert dict(Counter(s["kind"] for s in message["seeded"])) == message["found"]


def test_redacting_twice_changes_nothing() -> None:
    for message in MESSAGES:
        once = redact(message["text"])
        assert redact(once.text) == Redaction(once.text, {}), message["id"]


def test_placeholders_are_typed() -> None:
    result = redact("Email kim@example.org, call 07700 900123, postcode LS6 2AB")
    assert result.text == "Email [EMAIL], call [PHONE], postcode [POSTCODE]"
    assert result.found == {"EMAIL": 1, "PHONE": 1, "POSTCODE": 1}


def test_clean_text_is_returned_unchanged() -> None:
    text = "Can the LA refuse to assess? See para 9.14 and s.36(8)."
    assert redact(text) == Redaction(text, {})
    assert redact(text).has_personal_data is False
    assert redact("") == Redaction("", {})


# --- NHS numbers: modulus 11 ---------------------------------------------------------------


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "609-139-0996", "4010232137"])
def test_valid_nhs_numbers_are_redacted_without_a_cue(number: str) -> None:
    assert nhs_number_is_valid(number)
    assert redact(f"his number is {number} ok").text == "his number is [NHS_NUMBER] ok"


@pytest.mark.parametrize("number", ["5260181590", "8301661318", "4829175631", "943 476 5918"])
def test_ten_digit_numbers_failing_the_check_are_kept(number: str) -> None:
    assert not nhs_number_is_valid(number)
    text = f"Invoice {number} was paid on 3 March."
    assert redact(text) == Redaction(text, {})


@pytest.mark.parametrize("cue", ["NHS number", "NHS no", "NHS No.", "nhs number is", "NHS:"])
def test_any_ten_digits_after_an_nhs_cue_are_redacted(cue: str) -> None:
    result = redact(f"{cue} 5260181590 and invoice 8301661318")
    assert result.text.endswith("[NHS_NUMBER] and invoice 8301661318")
    assert result.found == {"NHS_NUMBER": 1}


def test_nhs_check_digit_of_ten_is_never_valid() -> None:
    # 1000000010: weighted sum 10 + 2 = 12, 11 - 12 % 11 = 10, so no check digit can work
    assert not any(nhs_number_is_valid(f"100000001{d}") for d in range(10))


# --- UPNs, NI numbers, phones, postcodes, dates, addresses, schools -----------------------


def test_upn_check_letter() -> None:
    assert upn_is_valid("B801200005001")
    assert not upn_is_valid("A801200005001")
    assert upn_is_valid("q873330693031")
    assert redact("ref A801200005001").text == "ref A801200005001"
    assert redact("ref B801200005001").text == "ref [UPN]"
    assert redact("UPN: A801200005001").text == "UPN: [UPN]"  # by shape when introduced


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NI AB123456C", "NI [NI_NUMBER]"),
        ("mine is JM 48 22 19 B", "mine is [NI_NUMBER]"),
        ("code GB123456A", "code GB123456A"),  # GB is never issued
        ("code DA123456A", "code DA123456A"),  # D is never a first letter
        ("code AB123456E", "code AB123456E"),  # the last letter is A to D
        ("National Insurance number QQ 12 34 56 C", "National Insurance number [NI_NUMBER]"),
    ],
)
def test_national_insurance_numbers(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "phone",
    ["07700 900123", "07700900123", "07700-900-123", "+44 7700 900123", "+447700900123",
     "0044 7700 900123", "+44 (0)20 7946 0958", "020 7946 0958", "(0161) 496 0571",
     "0113 496 0571", "01632 960123", "0300 555 0182"],
)
def test_uk_phone_numbers(phone: str) -> None:
    assert redact(f"ring {phone} today").text == "ring [PHONE] today"


@pytest.mark.parametrize(
    "kept",
    ["Childline 0800 1111", "Samaritans 116 123", "NSPCC 0808 800 5000", "call 999", "call 111",
     "9.14", "s.36(8)", "reg 5(1)", "para 6.44", "20 weeks", "15 February", "2 months",
     "paragraphs 6.44 to 6.56", "reg 13(2)", "Section 19", "the 2014 Act", "Y6 2nd term",
     "12/05/2024", "£1,250.00", "Upper Tribunal [2019] UKUT 123 (AAC)"],
)
def test_references_deadlines_and_helplines_survive(kept: str) -> None:
    assert redact(f"See {kept}.").text == f"See {kept}."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postcode LS6 2AB", "postcode [POSTCODE]"),
        ("at SW1A 1AA", "at [POSTCODE]"),
        ("near ls6 2ab", "near [POSTCODE]"),
        ("our postcode is BS5", "our postcode is [POSTCODE]"),
        ("flight BS5 today", "flight BS5 today"),  # outward code alone needs the cue
    ],
)
def test_postcodes(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOB 12/04/2015", "DOB [DATE_OF_BIRTH]"),
        ("born on 3rd May 2016", "born on [DATE_OF_BIRTH]"),
        ("date of birth: 2014-11-30", "date of birth: [DATE_OF_BIRTH]"),
        ("his birthday is 3 May", "his birthday is [DATE_OF_BIRTH]"),
        ("04/05/2016 (DOB)", "[DATE_OF_BIRTH] (DOB)"),
        ("the request was made on 3 March", "the request was made on 3 March"),
        ("born at 28 weeks", "born at 28 weeks"),
        ("her birthday party is on 3 May", "her birthday party is on 3 May"),
    ],
)
def test_dates_of_birth_go_and_other_dates_stay(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we live at 14 Acacia Avenue", "we live at [ADDRESS]"),
        ("Flat 2, 45 High Street", "[ADDRESS]"),
        ("12b church road", "[ADDRESS]"),
        ("it's 5 minutes up the road", "it's 5 minutes up the road"),
        ("after 3 months in place", "after 3 months in place"),
        ("the 2014 High Court ruling", "the 2014 High Court ruling"),
    ],
)
def test_street_addresses(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("he goes to Oakfield Primary School", "he goes to [SCHOOL]"),
        ("at St Mary's C of E Primary", "at [SCHOOL]"),
        ("a special school or a mainstream school", "a special school or a mainstream school"),
        ("an Independent Special School", "an Independent Special School"),
        ("the Virtual School Head", "the Virtual School Head"),
        ("Demoshire College", "Demoshire College"),
    ],
)
def test_school_names(text: str, expected: str) -> None:
    assert redact(text).text == expected


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my son is Jack", "my son is [NAME]"),
        ("my daughter's name is poppy", "my daughter's name is [NAME]"),
        ("Kacper is 9 and has autism", "[NAME] is 9 and has autism"),
        ("he's called Wojciech", "he's called [NAME]"),
        ("Dear Mrs Patel", "Dear Mrs [NAME]"),
        ("Dear Bartholomew,", "Dear [NAME],"),
        ("I'm Sarah Jones, mum of two", "I'm [NAME], mum of two"),
        ("signed Mia", "signed [NAME]"),
        ("a letter from Priya Sharma.", "a letter from [NAME]."),
        ("Many thanks,\nMark", "Many thanks,\n[NAME]"),
        ("Can Amelia get a taxi?", "Can [NAME] get a taxi?"),
        ("Dr O'Neill and Mr McDonald", "Dr [NAME] and Mr [NAME]"),
    ],
)
def test_names_after_cues_and_from_the_list(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Children and Families Act and the SEND Code of Practice apply.",
        "Appeal to the Tribunal about Section F of the EHC plan; ask the SENCO.",
        "We are from North Lincolnshire. I'm from Bristol. A letter from Demoshire Council.",
        "Does this apply in Wales or Scotland? Dear Sir or Madam, Dear SEND Team.",
        "Will the LA pay? May I ask? Can I sue? Grace period. Mark scheme.",
        "Monday 4 March, Tuesday, June, August, Christmas Eve and the Easter holidays.",
        "Nobody has told us. Everybody has a right to education. It is 9 weeks since.",
        "It's Mental Health Awareness Week. Settings called Targeted and Specialist.",
        "The school called me back. Thanks in advance!",
    ],
)
def test_legal_terms_places_and_everyday_words_are_not_names(text: str) -> None:
    assert redact(text) == Redaction(text, {})


def test_first_name_list_ships_with_the_package() -> None:
    path = resources.files("assistant").joinpath("data/first_names.txt")
    assert path.is_file()
    names = first_names()
    assert len(names) >= 300
    assert {"oliver", "amelia", "muhammad", "siobhan"} <= names
    ambiguous = {"may", "june", "april", "august", "will", "mark", "grace", "hope", "sue", "rose"}
    assert not names & ambiguous


# --- the notice shown to the user -----------------------------------------------------------


def test_notice_is_kind_and_does_not_refuse() -> None:
    notice = PERSONAL_DATA_NOTICE.lower()
    assert "personal details" in notice
    assert "removed" in notice and "stored" in notice
    assert "don't need to share" in notice and "names or numbers" in notice
    assert not any(word in notice for word in ("cannot help", "can't help", "unable", "refuse"))
