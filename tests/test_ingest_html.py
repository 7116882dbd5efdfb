"""HTML pages: main content only, heading paths, URL#anchor links; a polite, resumable crawl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures_ingest import local_server

from assistant.config import Settings
from assistant.errors import IngestError
from assistant.ingest.dispatch import Request
from assistant.ingest.html import parse_page
from assistant.ingest.html_crawl import Crawler, read_sitemap
from assistant.ingest.html_ingest import ingest_html
from assistant.models import LegalStatus, PassageKind

BOILERPLATE_TOP = """<header><a class="skip" href="#main">Skip to main content</a>
<div class="cookie-banner"><p>We use cookies to make this website work and to understand how you use it. Accept cookies or change settings.</p></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/education">Education</a></li><li><a href="/health">Health</a></li><li><a href="/contact-us">Contact us</a></li></ul></nav></header>"""
BOILERPLATE_BOTTOM = """<aside><h2>Related pages</h2><ul><li><a href="/transport">School transport</a></li><li><a href="/breaks">Short breaks</a></li></ul></aside>
<footer><ul><li><a href="/privacy">Privacy notice</a></li><li><a href="/accessibility">Accessibility statement</a></li></ul><p>Copyright Demoshire County Council. All rights reserved.</p></footer>"""

LOCAL_OFFER_PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Autism outreach | Demoshire Local Offer</title></head><body>
{BOILERPLATE_TOP}
<main id="main"><h1>Autism outreach for schools</h1>
<p>The Demoshire autism outreach team visits schools to help pupils who find social communication hard. Any teacher can ask for advice.</p>
<h2 id="who-can-get-help">Who can get help</h2>
<p>Children at any Demoshire school or nursery can be referred, with or without a diagnosis. The family is asked to agree first.</p>
<ul><li>pupils in primary schools and nurseries</li><li>pupils in secondary schools and colleges</li></ul>
<h2>How to ask for support</h2>
<p>Ask the school's special needs co-ordinator to send the referral form. The team replies to every referral within four weeks.</p>
<h3><a id="after"></a>After a referral</h3>
<p>An outreach teacher observes the pupil in class and writes a short report with ideas the school can use straight away.</p>
</main>
{BOILERPLATE_BOTTOM}</body></html>"""

SENDIASS_PAGE = f"""<html><head><title>Independent advice - Demoshire SENDIASS</title></head><body>{BOILERPLATE_TOP}
<div id="content" class="article"><h1>Free, impartial advice about SEND</h1>
<section id="what-we-do"><h2>What we do</h2><p>Demoshire SENDIASS gives free and confidential advice to parents, children and young people about special educational needs, including help with letters and meetings.</p></section>
</div>{BOILERPLATE_BOTTOM}</body></html>"""

EMPTY_PAGE = f"<html><head><title>Search</title></head><body>{BOILERPLATE_TOP}{BOILERPLATE_BOTTOM}</body></html>"


def test_main_content_sections_with_heading_paths_and_anchor_links() -> None:
    docs = parse_page(LOCAL_OFFER_PAGE, url="https://localoffer.example/autism", source="Demoshire Local Offer", status=LegalStatus.LOCAL, local_authority="Demoshire")
    by_ref = {d.ref: d for d in docs}
    assert list(by_ref) == ["Autism outreach for schools", "Who can get help", "How to ask for support", "After a referral"]
    who = by_ref["Who can get help"]
    assert who.url == "https://localoffer.example/autism#who-can-get-help"
    assert who.extra["heading"] == "Autism outreach for schools > Who can get help"
    assert who.text.splitlines()[-2:] == ["- pupils in primary schools and nurseries", "- pupils in secondary schools and colleges"]
    assert by_ref["After a referral"].url == "https://localoffer.example/autism#after"
    assert by_ref["After a referral"].extra["heading"] == "Autism outreach for schools > How to ask for support > After a referral"
    assert by_ref["How to ask for support"].url == "https://localoffer.example/autism"  # no id on that heading
    everything = " ".join(d.text for d in docs)
    for boilerplate in ("cookies", "Skip to main content", "Related pages", "Privacy notice", "All rights reserved", "Contact us"):
        assert boilerplate not in everything
    assert all(d.local_authority == "Demoshire" and d.status is LegalStatus.LOCAL for d in docs)
    assert all(d.kind is PassageKind.OFFICIAL for d in docs)  # the publisher's own words


def test_section_id_gives_the_anchor() -> None:
    (doc,) = [d for d in parse_page(SENDIASS_PAGE, url="https://sendiass.example/", source="Demoshire SENDIASS", status=LegalStatus.GUIDANCE) if d.ref == "What we do"]
    assert doc.url == "https://sendiass.example/#what-we-do"


def test_page_with_no_main_content_is_an_error() -> None:
    with pytest.raises(IngestError, match="has no main content"):
        parse_page(EMPTY_PAGE, url="https://localoffer.example/search", source="S", status=LegalStatus.LOCAL)


def test_sitemap_parsing() -> None:
    xml = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://a.example/one</loc></url><url><loc> https://a.example/two </loc></url></urlset>"""
    assert read_sitemap(xml) == (["https://a.example/one", "https://a.example/two"], [])


def site(pages: dict[str, str], robots: str = "User-agent: *\nDisallow: /private\n"):  # type: ignore[no-untyped-def]
    def handler(path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        if path == "/robots.txt":
            return 200, "text/plain", robots.encode()
        if path == "/sitemap.xml":
            locs = "".join(f"<url><loc>{base_holder[0]}{p}</loc></url>" for p in pages)
            return 200, "application/xml", f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'.encode()
        if path in pages:
            return 200, "text/html; charset=utf-8", pages[path].encode()
        return 404, "text/plain", b"not found"

    base_holder: list[str] = []
    server = local_server(handler)
    return server, base_holder


def test_sitemap_crawl_is_polite_and_resumable(tmp_path: Path) -> None:
    pages = {"/autism": LOCAL_OFFER_PAGE, "/sendiass": SENDIASS_PAGE, "/private/notes": LOCAL_OFFER_PAGE, "/search": EMPTY_PAGE}
    server, holder = site(pages)
    settings = Settings(data_dir=tmp_path / "data")
    with server as (base, requested):
        holder.append(base)
        request = Request(base + "/sitemap.xml", LegalStatus.LOCAL, local_authority="Demoshire", delay=0.0)
        source, result = ingest_html(settings, request, delay=0.0)
        assert source == "Demoshire Local Offer"
        assert {d.url for d in result.documents} >= {f"{base}/autism#who-can-get-help", f"{base}/sendiass#what-we-do"}
        assert "/private/notes" not in requested  # robots.txt said no
        assert result.skipped_reasons == [f"{base}/private/notes is disallowed by robots.txt"]
        assert len(result.errors) == 1 and "/search has no main content" in result.errors[0]
        state = json.loads((tmp_path / "data" / "ingest-state" / "demoshire-local-offer--demoshire.json").read_text())
        assert state["complete"] is True and set(state["pages"]) == {f"{base}/autism", f"{base}/sendiass"}
        assert all(len(p["hash"]) == 64 for p in state["pages"].values())

        # an interrupted run: the state says incomplete, so pages already done are not fetched again
        state["complete"] = False
        (tmp_path / "data" / "ingest-state" / "demoshire-local-offer--demoshire.json").write_text(json.dumps(state))
        requested.clear()
        _, again = ingest_html(settings, request, delay=0.0)
        assert "/autism" not in requested and "/sendiass" not in requested
        assert sorted(d.doc_id for d in again.documents) == sorted(d.doc_id for d in result.documents)


def test_rate_limit_waits_between_requests(tmp_path: Path) -> None:
    waits: list[float] = []
    server, holder = site({"/a": LOCAL_OFFER_PAGE, "/b": SENDIASS_PAGE}, robots="User-agent: *\nCrawl-delay: 2\n")
    with server as (base, requested):
        crawler = Crawler(state_path=tmp_path / "state.json", delay=0.5, sleep=waits.append)
        crawler.crawl([base + "/a", base + "/b"], lambda content, url: parse_page(content, url=url, source="S", status=LegalStatus.GUIDANCE))
    assert len(waits) == 1 and 1.5 < waits[0] <= 2.0  # robots.txt's Crawl-delay beats our 0.5s


def test_user_agent_is_sent(tmp_path: Path) -> None:
    crawler = Crawler(state_path=tmp_path / "s.json")
    assert "SEND-Assistant" in crawler.client.headers["User-Agent"]


def test_saved_html_file(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(LOCAL_OFFER_PAGE)
    source, result = ingest_html(Settings(data_dir=tmp_path / "d"), Request(str(path), LegalStatus.LOCAL, local_authority="Demoshire", url="https://localoffer.example/autism"))
    assert source == "Demoshire Local Offer" and result.documents[1].url == "https://localoffer.example/autism#who-can-get-help"
