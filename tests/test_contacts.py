""""Talk to a person": the council's own SENDIASS and SEN team from its Local Offer, then IPSEA and Contact."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from assistant.api.contacts import DATA_FILE, local_contacts, national_contacts, talk_to_a_person
from assistant.ingest.markdown import load_corpus
from assistant.ingest.oruk import parse_services
from assistant.models import Chunk, LegalStatus

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def as_chunks(documents) -> list[Chunk]:  # type: ignore[no-untyped-def]
    return [Chunk(d.doc_id, d.doc_id, d.text, d.source, d.ref, d.title, d.status, d.url, d.local_authority)
            for d in documents]


def test_demoshire_local_offer_gives_its_sendiass_and_sen_team() -> None:
    loaded = load_corpus(CORPUS)
    chunks = as_chunks(getattr(loaded, "documents", loaded))
    people = talk_to_a_person(chunks, "Demoshire")
    assert [c.key for c in people] == ["sendiass", "sen_team", "ipsea", "contact"]
    sendiass, team = people[0], people[1]
    assert sendiass.name == "Demoshire SENDIASS (demo)" and sendiass.phone == "01632 960200"
    assert sendiass.email == "sendiass@demoshire.example"
    assert team.phone == "01632 960100" and team.hours == "Monday to Friday, 9am to 5pm"
    assert team.email == "sen.team@demoshire.example"
    # Another council's pages are never used, and with no council the national directory comes first.
    assert [c.key for c in talk_to_a_person(chunks, "Northshire")] == ["sendiass_directory", "ipsea", "contact"]
    assert [c.key for c in talk_to_a_person(chunks, None)] == ["sendiass_directory", "ipsea", "contact"]


def test_an_ingested_oruk_directory_gives_local_contacts() -> None:
    records = [
        {"id": "s1", "name": "North Lincolnshire SENDIASS", "description": "Free impartial advice about SEND.",
         "email": "sendiass@northlincs.example", "phones": [{"number": "01724 297000"}],
         "schedules": [{"description": "Monday to Friday 9am to 4.30pm"}]},
        {"id": "s2", "name": "Play club", "description": "Fun on Saturdays.", "phones": [{"number": "01724 111111"}]},
    ]
    chunks = as_chunks(parse_services(records, local_authority="North Lincolnshire").documents)
    [sendiass] = local_contacts(chunks, "North Lincolnshire")
    assert sendiass.name == "North Lincolnshire SENDIASS" and sendiass.phone == "01724 297000"
    assert sendiass.email == "sendiass@northlincs.example" and sendiass.hours == "Monday to Friday 9am to 4.30pm"


def test_a_passage_without_a_phone_or_email_is_not_a_contact() -> None:
    chunk = Chunk("c", "d", "SENDIASS helps families.", "X Local Offer", "sendiass", "X SENDIASS", LegalStatus.LOCAL,
                  local_authority="X")
    assert local_contacts([chunk], "X") == []


def test_every_national_contact_records_when_and_how_it_was_checked() -> None:
    data = json.loads(DATA_FILE.read_text())
    for entry in data["contacts"]:
        assert date.fromisoformat(entry["checked"]) <= date.today(), entry["key"]
        assert entry["verification"].startswith(("Checked on", "Not found")), entry["key"]
        assert entry["url"].startswith("https://"), entry["key"]
        assert all(url.startswith("https://") for url in entry["evidence"])
        if "phone" in entry:
            assert re.fullmatch(r"0\d{3} \d{3} \d{4}", entry["phone"]), entry["phone"]
    ipsea = next(c for c in national_contacts(with_directory=False) if c.key == "ipsea")
    assert "booked online" in ipsea.what and ipsea.url_text and "Book" in ipsea.url_text
