"""Open Referral UK: the two real council directories (read from ../shared, never copied), the
ORUK 3.0 examples, and a live endpoint served on 127.0.0.1 by the test."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import pytest
from fixtures_ingest import BRISTOL, NORTH_LINCS, SHARED_ORUK, as_json, local_server, oruk3_pages, oruk3_service

from assistant.errors import IngestError
from assistant.ingest.oruk import load_file, parse_services, service_records, staff_emails
from assistant.ingest.oruk_live import fetch_services
from assistant.models import LegalStatus, PassageKind

needs_shared = pytest.mark.skipif(not SHARED_ORUK.is_dir(), reason=f"the shared ORUK files are not here ({SHARED_ORUK})")


def dump(result) -> str:  # type: ignore[no-untyped-def]
    return json.dumps([asdict(d) for d in result.documents], ensure_ascii=False, default=str).lower()


@needs_shared
@pytest.mark.parametrize(("path", "la", "services", "skipped"), [(NORTH_LINCS, "North Lincolnshire", 738, 0), (BRISTOL, "Bristol", 818, 1)])
def test_real_directories_counts_and_no_staff_email_anywhere(path: Path, la: str, services: int, skipped: int) -> None:
    result = load_file(path, local_authority=la)
    assert len(result.documents) == services and result.skipped == skipped
    assert len({d.doc_id for d in result.documents}) == services
    assert all(d.status is LegalStatus.LOCAL and d.local_authority == la for d in result.documents)
    assert all(d.source == f"{la} Local Offer directory" for d in result.documents)
    staff = staff_emails(service_records(json.loads(path.read_text())))
    assert staff, "the real files do name staff in pc_metadata"
    out = dump(result)
    assert [e for e in staff if e in out] == []
    assert "pc_metadata" not in out and "assured_by" not in out


@needs_shared
def test_bristol_record_without_a_name_is_counted() -> None:
    result = load_file(BRISTOL, local_authority="Bristol")
    assert result.skipped_reasons == ["record 1 (id def5ccd4-f121-df4d-60d2-4dc0d69ff555) has no name"]


@needs_shared
def test_real_service_text_is_clean_with_date_link_and_contact() -> None:
    docs = {d.title: d for d in load_file(NORTH_LINCS, local_authority="North Lincolnshire").documents}
    aset = docs["Autism Spectrum Education Team"]
    assert aset.ref == aset.title == "Autism Spectrum Education Team"
    assert aset.extra["last_checked"] == "6 Dec 2024"
    assert aset.url == "https://localoffer.northlincs.gov.uk/parents-and-carers/emotional-health-and-wellbeing/autism-spectrum-education-team-aset/"
    assert aset.text.startswith("Autism Spectrum Education Team: Our aim is to support and enable children")
    assert "- have equal access to every part of education" in aset.text.splitlines()
    assert "email nledpsychology@northlincs.gov.uk" in aset.text
    for doc in docs.values():
        assert not re.search(r"<[a-z/][^>]*>|&nbsp;|&amp;|\u200b|\u00a0| {2,}", doc.text), doc.title
    # a staff address repeated inside a description is withheld there too
    assert "[email withheld]" in docs["Crowle coffee morning"].text


@needs_shared
@pytest.mark.parametrize("name", ["service_full", "service_list", "service_at_location_full", "service_at_location_list"])
def test_oruk3_examples(name: str) -> None:
    result = load_file(SHARED_ORUK / f"oruk-3.0-example-{name}.json", local_authority="MyCity")
    (doc,) = result.documents
    assert doc.title == "Community Counselling" and doc.extra["last_checked"] == "15 Mar 2023"
    assert "Ages: 12 to 100." in doc.text
    assert "email@example.com" not in dump(result)  # the assurer's address, even where reused as a contact
    assert "Ann Persona" not in doc.text  # named contacts are staff, not service-level contact
    if name.endswith("full"):
        assert "Fees: Under 18s and Over 60s: £35 per 1 hour session." in doc.text


def test_records_without_name_or_inactive_are_skipped_not_fatal() -> None:
    result = parse_services([{"id": "a", "name": " "}, oruk3_service(1), oruk3_service(2, status="defunct")], local_authority="Demoshire")
    assert [d.title for d in result.documents] == ["Test service 1"] and result.skipped == 2
    assert result.documents[0].kind is PassageKind.OFFICIAL  # the directory's own record


def test_bare_web_addresses_are_links_and_a_service_without_one_links_to_its_provider() -> None:
    records = [
        oruk3_service(1, url="www.samaritans.org/branches/bristol/"),
        oruk3_service(2, url="", organization={"name": "Kind Hearts", "url": "kindhearts.example"}),
        oruk3_service(3, url="n/a"),
    ]
    one, two, three = parse_services(records, local_authority="Demoshire").documents
    assert one.url == "https://www.samaritans.org/branches/bristol/"
    assert "website https://www.samaritans.org/branches/bristol/" in one.text
    assert two.url == "https://kindhearts.example" and "website" not in two.text
    assert three.url is None and "n/a" not in three.text


@needs_shared
def test_real_services_with_bare_addresses_keep_their_link() -> None:
    docs = {d.title: d for d in load_file(BRISTOL, local_authority="Bristol").documents}
    records = [r for r in json.loads(BRISTOL.read_text()) if (r.get("url") or "").startswith("www.") and (r.get("name") or "").strip()]
    assert records, "the Bristol file has services whose url lacks https://"
    for record in records:
        assert docs[record["name"].strip()].url == "https://" + record["url"].strip()


def test_a_description_that_already_names_the_service_is_not_prefixed_again() -> None:
    (doc,) = parse_services([oruk3_service(1, name="Play Club", description="<p>Play Club (PC) meets on Fridays.</p>")], local_authority="Demoshire").documents
    assert doc.text.startswith("Play Club (PC) meets on Fridays.")
    (doc,) = parse_services([oruk3_service(1, name="Play", description="<p>Playgroups meet on Fridays.</p>")], local_authority="Demoshire").documents
    assert doc.text.startswith("Play: Playgroups meet on Fridays.")


def test_local_authority_is_required() -> None:
    with pytest.raises(IngestError, match="--local-authority"):
        parse_services([oruk3_service(1)], local_authority=None)


def test_not_oruk_json(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(IngestError, match="does not look like Open Referral UK"):
        load_file(path, local_authority="Demoshire")


# --- live endpoint -------------------------------------------------------------------------

SERVICES = [oruk3_service(n) for n in range(1, 8)]
PAGES = oruk3_pages(SERVICES, size=3)


def serve(failures: dict[int, list[tuple[int, str, bytes]]]):  # type: ignore[no-untyped-def]
    """Pages of SERVICES; `failures[page]` lists replies given before the real page."""

    def handler(path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        assert path == "/api/services"
        page = int(query.get("page", "1"))
        if failures.get(page):
            return failures[page].pop(0)
        return as_json(PAGES[page - 1])

    return local_server(handler)


def test_pages_through_every_page_and_retries_a_500() -> None:
    error = (500, "text/plain", b"oops")
    with serve({2: [error]}) as (base, requested):
        records = fetch_services(base + "/api", per_page=3, backoff=0.0, retries=2)
    assert [r["id"] for r in records] == [s["id"] for s in SERVICES]
    assert [p.split("?")[1] for p in requested] == ["page=1&per_page=3", "page=2&per_page=3", "page=2&per_page=3", "page=3&per_page=3"]
    docs = parse_services(records, local_authority="Demoshire").documents
    assert all("checker" not in d.text for d in docs)


def test_a_page_that_keeps_failing_names_the_page() -> None:
    with serve({2: [(500, "text/plain", b"down")] * 5}) as (base, _):
        with pytest.raises(IngestError, match=r"page 2 of .*/api/services failed \(HTTP 500\) after 3 attempt\(s\); 3 services fetched before it were not saved"):
            fetch_services(base + "/api", per_page=3, backoff=0.0, retries=2)


def test_malformed_json_page_is_a_clear_error() -> None:
    with serve({3: [(200, "application/json", b'{"contents": [')]}) as (base, _):
        with pytest.raises(IngestError, match="page 3 of .* is not valid JSON"):
            fetch_services(base + "/api", per_page=3, backoff=0.0)


def test_timeout_half_way_is_a_clear_error() -> None:
    import time

    def handler(path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        if query.get("page") == "2":
            time.sleep(1.0)
        return as_json(PAGES[int(query["page"]) - 1])

    with local_server(handler) as (base, _):
        with pytest.raises(IngestError, match=r"page 2 .* \(the request timed out\)"):
            fetch_services(base + "/api/services", per_page=3, timeout=0.2, retries=1, backoff=0.0)
