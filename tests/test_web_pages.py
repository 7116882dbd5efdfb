"""The web pages without a browser: templates and context, escaping, the no-JS flow, feedback, headers.

Most tests use a scripted pipeline (answers queued by the test, calls recorded) so they run in
milliseconds; the last group runs the real pipeline over the small index.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import ValidationError
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.embedding_policy import frame_ancestors, install_embed_policy
from assistant.api.feedback import Reason
from assistant.api.rendering import (
    FEEDBACK_REASONS,
    accent_colours,
    answer_html,
    contrast_ratio,
)
from assistant.config import Settings
from assistant.errors import ConfigError, IndexMissing
from assistant.storage.conversations import SqlConversationStore, Turn
from assistant.models import (
    Answer,
    AnswerStatus,
    Citation,
    LegalStatus,
    PassageKind,
    Persona,
    Signpost,
)

EVIL = "<script>alert('x')</script>"


def cited_answer(text: str = "The council must decide within 6 weeks. [1]", **overrides: Any) -> Answer:
    citation = Citation(
        n=1, source="SEND Regulations 2014", ref="reg 5(1)", title="Decision whether to assess",
        url="https://www.legislation.gov.uk/uksi/2014/1530/regulation/5", status=LegalStatus.LAW,
        passage="The local authority must notify the parent within 6 weeks.", last_checked="2026-01-05",
    )
    fields: dict[str, Any] = {
        "status": AnswerStatus.ANSWERED,
        "text": text + "\n\n**Sources**\n[1] SEND Regulations 2014, reg 5(1) — Decision whether to assess (Law)",
        "citations": [citation],
        "signposts": [Signpost(name="Your local SENDIASS", url="https://councilfordisabledchildren.org.uk/")],
    }
    return Answer(**{**fields, **overrides})


SAFEGUARDING = Answer(
    status=AnswerStatus.SAFEGUARDING,
    text="**If anyone is in immediate danger, call 999 now.**\n\n- **Childline: 0800 1111** - free.",
    signposts=[Signpost(name="Emergency services", phone="999"), Signpost(name="Childline", phone="0800 1111",
                                                                            url="https://www.childline.org.uk")],
)


@dataclass
class ScriptedPipeline:
    """Answers from a queue; records each call; writes turns like the real pipeline."""

    conversations: SqlConversationStore
    replies: deque[Answer] = field(default_factory=deque)
    calls: list[dict[str, Any]] = field(default_factory=list)

    def answer(self, message: str, *, persona: Persona = Persona.PARENT, local_authority: str | None = None,
               conversation_id: str | None = None) -> Answer:
        cid = conversation_id or f"c{len(self.calls) + 1:03d}"
        self.calls.append({"message": message, "persona": persona, "local_authority": local_authority, "cid": cid})
        reply = self.replies.popleft() if self.replies else cited_answer()
        self.conversations.append(cid, Turn(question=message.replace("Jack", "[NAME]"), query=message, status=reply.status.value))
        return Answer(**{**reply.__dict__, "conversation_id": cid})


@dataclass
class FakeIndex:
    local_authorities: list[str]


@dataclass
class FakeServices:
    settings: Settings
    conversations: SqlConversationStore
    pipeline: ScriptedPipeline
    index: FakeIndex | None = None
    ready: bool = True

    def ensure_ready(self) -> ScriptedPipeline:
        if not self.ready:
            raise IndexMissing("no index; run `send-assistant index`")
        return self.pipeline


@pytest.fixture
def services(tmp_path) -> FakeServices:  # type: ignore[no-untyped-def]
    store = SqlConversationStore("sqlite://", redact=lambda t: t.replace("Jack", "[NAME]"))
    settings = Settings(data_dir=tmp_path / "data", retention_days=21,
                        embed_allowed_origins=["https://www.council.example", "https://partner.example:8443/"])
    return FakeServices(settings=settings, conversations=store, pipeline=ScriptedPipeline(store),
                        index=FakeIndex(["Demoshire", "Northshire"]))


@pytest.fixture
def client(services: FakeServices):  # type: ignore[no-untyped-def]
    with TestClient(create_app(services=services)) as test_client:  # type: ignore[arg-type]
        yield test_client


def form_values(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]*)"', html)


# --- pages and their context ---------------------------------------------------------------


def test_home_page_template_context_and_landmarks(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.template.name == "chat.html"  # type: ignore[attr-defined]
    assert page.context["local_authorities"] == ["Demoshire", "Northshire"]  # type: ignore[attr-defined]
    assert page.context["personas"] == ["parent", "adviser", "caseworker"]  # type: ignore[attr-defined]
    html = page.text
    assert '<html lang="en-GB">' in html and 'class="skip-link" href="#main"' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert html.count("<h1") == 1
    assert '<label for="message">' in html and '<label for="persona">' in html and '<label for="local_authority">' in html
    assert 'id="transcript"' in html and 'action="/#latest"' in html  # a no-JS answer opens at the newest answer
    assert "Information, not legal advice. Please don't include names or other personal details." in html
    assert 'aria-describedby="message-hint message-privacy"' in html


def test_about_page_reads_retention_and_says_what_is_kept(client: TestClient) -> None:
    page = client.get("/about")
    assert page.template.name == "about.html"  # type: ignore[attr-defined]
    text = page.text
    assert "21 days" in text and "not legal advice" in text
    assert "SENDIASS" in text and "ipsea.org.uk" in text
    assert "Proposal, not law" in text and "You can keep my question" in text


def test_no_js_ask_shows_the_answer_with_citation_details(client: TestClient, services: FakeServices) -> None:
    page = client.post("/", data={"message": "How long to decide?", "persona": "adviser", "local_authority": "Demoshire"})
    assert page.status_code == 200
    html = page.text
    assert services.pipeline.calls[-1]["persona"] is Persona.ADVISER
    assert services.pipeline.calls[-1]["local_authority"] == "Demoshire"
    assert 'id="t1-cite-1"' in html and 'href="#t1-cite-1"' in html  # the [1] opens the passage in place
    assert "<details" in html and "The local authority must notify the parent within 6 weeks." in html
    assert 'class="force force-law">Law<' in html and "2026-01-05" in html and "reg 5(1)" in html
    assert "Read the official document" in html and "Talk to a person" in html
    assert "**Sources**" not in html  # the plain list is replaced by the rich one
    assert form_values(html, "conversation_id")[0] == services.pipeline.calls[-1]["cid"]
    assert re.fullmatch(r"[0-9a-f]{32}", services.pipeline.calls[-1]["cid"]), "the server makes the id"
    assert 'name="conversation_token"' not in html, "the full page keeps the secret in its HttpOnly cookie"
    assert '<option value="adviser" selected>' in html


def test_no_js_conversation_keeps_earlier_turns(client: TestClient, services: FakeServices) -> None:
    first = client.post("/", data={"message": "My son Jack needs help. What is an EHC plan?"})
    cid = form_values(first.text, "conversation_id")[0]
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"send_conversation={cid}.") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = client.post("/", data={"message": "And how long does it take?", "conversation_id": cid})
    html = page.text
    assert 'id="turn-1"' in html and 'id="turn-2"' in html
    assert "My son [NAME] needs help" in html  # earlier turns come back redacted, as stored
    assert "And how long does it take?" in html
    assert [c["cid"] for c in services.pipeline.calls] == [cid, cid]
    assert 'href="#turn-2">Skip to the latest answer' in html


@pytest.mark.parametrize("message, error", [("   ", "Type your question"), ("x" * 4001, "4,000 characters or fewer")])
def test_no_js_errors_are_tied_to_the_field(client: TestClient, message: str, error: str) -> None:
    page = client.post("/", data={"message": message})
    assert page.status_code == 422
    html = page.text
    assert error in html and "There is a problem" in html and '<a href="#message">' in html
    assert 'aria-describedby="message-hint message-privacy message-error"' in html and 'aria-invalid="true"' in html
    assert page.context["error"]  # type: ignore[attr-defined]
    assert html.startswith("<!doctype html>") and "<title>Error:" in html


def test_an_unready_index_gives_a_friendly_page_not_json(client: TestClient, services: FakeServices) -> None:
    services.ready = False
    page = client.post("/", data={"message": "hello"})
    assert page.status_code == 503 and "cannot answer right now" in page.text


def test_safeguarding_urgent_help_comes_first(client: TestClient, services: FakeServices) -> None:
    services.pipeline.replies.append(SAFEGUARDING)
    html = client.post("/", data={"message": "I am scared"}).text
    main = html[html.index('<main id="main"'):]
    assert main.index("Get help now") < main.index("<h1")
    assert 'href="tel:999"' in main and 'href="tel:08001111"' in main
    turn = main[main.index('id="turn-1"'):]
    assert turn.index('class="urgent"') < turn.index("turn-extras")


def test_an_answer_with_a_lead_comes_first_and_folds_the_law(client: TestClient, services: FakeServices) -> None:
    lead = cited_answer("**What the law says**\n\n- The council must decide within 6 weeks. [1][1]")
    lead.lead = "Yes. You can ask the council yourself.\n\nA letter is enough."
    lead.next_steps = ["Write to the SEN team.", "Keep a copy. [1]"]
    lead.law = "**What the law says**\n\n- The council must decide within 6 weeks. [1]"
    services.pipeline.replies.append(lead)
    html = client.post("/", data={"message": "Can I ask myself?"}).text
    turn = html[html.index('id="turn-1"'):]
    assert turn.index("Yes. You can ask the council yourself.") < turn.index("What you can do next") < turn.index("The law behind this")
    assert "<p>Yes. You can ask the council yourself.</p><p>A letter is enough.</p>" in turn
    assert '<details class="law" id="t1-law">' in turn and "<h3 class=\"answer-heading\">What the law says</h3>" in turn
    assert '[1]<span class="visually-hidden"> source: SEND Regs 2014 reg 5(1) (official text)</span></a>' in turn  # labelled by `label`
    assert "<span class=\"cite-label\">SEND Regs 2014 reg 5(1) (official text)</span>" in turn
    assert 'Answer 1<span class="visually-hidden">:</span></span> <span class="turn-q">Can I ask myself?</span>' in turn


def test_talk_to_a_person_on_every_answer(client: TestClient, services: FakeServices) -> None:
    html = client.post("/", data={"message": "hello"}).text
    cid = html.split('data-conversation="', 1)[1].split('"', 1)[0]  # the server's id (the cookie holds its secret)
    people = html[html.index('class="people"'):html.index("turn-actions")]
    assert "Find your local SENDIASS" in people and "Book a call with IPSEA&#39;s advice line" in people
    assert 'href="tel:08088083555">Call 0808 808 3555' in people and "Monday to Friday, 9.30am to 5pm" in people
    assert "Your local SENDIASS" not in people  # the answer's own national signpost is not listed twice
    wales = Answer(status=AnswerStatus.OUT_OF_SCOPE, text="This is about Wales.",
                   signposts=[Signpost(name="SNAP Cymru", url="https://www.snapcymru.org")])
    services.pipeline.replies.append(wales)
    html = client.post("/", data={"message": "Wales?", "conversation_id": cid}).text
    people = html[html.index('id="t2-people"') - 60:]
    people = people[:people.index("turn-actions")]
    assert "SNAP Cymru" in people and "IPSEA" not in people  # IPSEA advises on the law in England only


# --- escaping -----------------------------------------------------------------------------


def test_html_and_js_in_questions_and_passages_are_escaped(client: TestClient, services: FakeServices) -> None:
    bad = cited_answer(text=f"Answer {EVIL} [1] [7]")
    bad.citations[0] = Citation(
        n=1, source=f"Src {EVIL}", ref="reg 1", title='T"><img src=x onerror=alert(1)>', url="javascript:alert(1)",
        status=LegalStatus.GUIDANCE, passage=f"Passage {EVIL} <b>bold</b>", last_checked=EVIL,
    )
    bad.signposts = [Signpost(name=EVIL, url="javascript:alert(2)", phone="0800<script>")]
    services.pipeline.replies.append(bad)
    html = client.post("/", data={"message": f"{EVIL} what?"}).text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert 'href="#t1-cite-7"' not in html  # only real citations become links


def test_answer_html_escapes_markdown_raw_html() -> None:
    html = answer_html(f"Hi {EVIL} [1]", prefix="t3", labels={1: f"x{EVIL}"})
    assert "<script>" not in html and 'href="#t3-cite-1"' in html


# --- streaming ----------------------------------------------------------------------------


def parse_sse(body: str) -> list[tuple[str, Any]]:
    events = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_stream_sends_meta_deltas_html_done(client: TestClient, services: FakeServices) -> None:
    with client.stream("POST", "/api/chat/stream", json={"message": f"{EVIL} how long?", "persona": "caseworker"}) as resp:
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(resp.read().decode())
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["html", "done"] and set(names[1:-2]) == {"delta"}
    meta, done = events[0][1], events[-1][1]
    cid = services.pipeline.calls[-1]["cid"]
    assert meta == {"conversation_id": cid, "conversation_token": done["conversation_token"], "status": "answered", "turn": 1}
    assert "".join(data["text"] for name, data in events if name == "delta") == done["answer"]
    assert set(done) >= {"conversation_id", "status", "answer", "citations", "signposts"}
    html = events[-2][1]["html"]
    assert html.startswith("<article") and 'id="turn-1"' in html and "<script>" not in html and "&lt;script&gt;" in html
    assert services.pipeline.calls[-1]["persona"] is Persona.CASEWORKER
    # A later no-JS post shows the streamed turn as an earlier one.
    page = client.post("/", data={"message": "next", "conversation_id": cid})  # the stream set the cookie
    assert 'id="turn-1"' in page.text and 'id="turn-2"' in page.text


def test_stream_rejects_a_bad_request_before_streaming(client: TestClient) -> None:
    response = client.post("/api/chat/stream", json={"message": "  "})
    assert response.status_code == 422 and response.json()["error"] == "invalid_request"


# --- feedback -----------------------------------------------------------------------------


def test_feedback_reasons_match_the_form() -> None:
    from typing import get_args

    assert set(get_args(Reason)) == set(FEEDBACK_REASONS)


def test_feedback_api_stores_without_the_question_unless_agreed(client: TestClient, services: FakeServices) -> None:
    asked = client.post("/api/chat", json={"message": "Jack's school says no. Can I appeal?"}).json()
    mine = {"conversation_id": asked["conversation_id"], "conversation_token": asked["conversation_token"]}
    first = client.post("/api/feedback", json={**mine, "helpful": False,
                                               "reasons": ["hard_to_understand"], "comment": "Jack got confused"})
    assert first.status_code == 201 and set(first.json()) == {"id"}
    second = client.post("/api/feedback", json={**mine, "helpful": True, "keep_question": True})
    assert second.status_code == 201
    stored = {row["id"]: row for row in services.conversations.list_feedback()}
    one, two = stored[first.json()["id"]], stored[second.json()["id"]]
    assert one["message_text"] is None and one["helpful"] is False
    assert one["reasons"] == "hard_to_understand; comment: [NAME] got confused"
    assert two["message_text"] == "[NAME]'s school says no. Can I appeal?"  # redacted, as the store keeps it


@pytest.mark.parametrize("payload, status", [
    ({"conversation_id": "nope", "helpful": True}, 404),
    ({"helpful": True, "conversation_token": "not-the-token"}, 404),
    ({"helpful": True}, 404),
    ({"helpful": True, "reasons": ["bad"]}, 422),
    ({"helpful": True, "message_text": "sneaky"}, 422),
    ({"helpful": 1}, 422),
    ({}, 422),
])
def test_feedback_api_refuses_bad_input(client: TestClient, payload: dict[str, Any], status: int) -> None:
    asked = client.post("/api/chat", json={"message": "hello"}).json()
    body = {"conversation_id": asked["conversation_id"], "conversation_token": asked["conversation_token"], **payload}
    if "conversation_token" not in payload and status == 404 and "conversation_id" not in payload:
        del body["conversation_token"]  # the right id without its token
    assert client.post("/api/feedback", json=body).status_code == status


def test_no_js_feedback_form(client: TestClient, services: FakeServices) -> None:
    cid = form_values(client.post("/", data={"message": "What is an EHC plan?"}).text, "conversation_id")[0]
    missing = client.post("/feedback", data={"conversation_id": cid, "turn": "1"})
    assert missing.status_code == 422 and "Choose yes or no" in missing.text
    assert 'aria-describedby="t1-fb-error"' in missing.text
    sent = client.post("/feedback", data={"conversation_id": cid, "turn": "1", "helpful": "no",
                                          "reasons": ["looks_wrong", "made_up"], "comment": "hmm"})
    assert sent.status_code == 200 and "Thank you. We have your feedback" in sent.text
    assert 'id="turn-1"' in sent.text  # the conversation is still on the page
    [row] = services.conversations.list_feedback()
    assert row["helpful"] is False and row["reasons"] == "looks_wrong; comment: hmm" and row["message_text"] is None
    client.post("/feedback", data={"conversation_id": cid, "turn": "1", "helpful": "yes", "keep_question": "yes"})
    kept = [r for r in services.conversations.list_feedback() if r["helpful"]]
    assert kept[0]["message_text"] == "What is an EHC plan?"


# --- embedding and headers ----------------------------------------------------------------


def test_frame_ancestors_and_csp_header(client: TestClient, services: FakeServices) -> None:
    assert frame_ancestors(services.settings) == "frame-ancestors 'self' https://www.council.example https://partner.example:8443"
    assert frame_ancestors(Settings()) == "frame-ancestors 'self'"
    for path in ("/", "/embed", "/about"):
        csp = client.get(path).headers["content-security-policy"]
        assert "frame-ancestors 'self' https://www.council.example https://partner.example:8443" in csp, path
        assert "default-src 'self'" in csp  # the security middleware's full policy survives


def test_frame_ancestors_without_the_security_middleware() -> None:
    app = FastAPI()
    app.get("/")(lambda: {"ok": True})
    install_embed_policy(app, Settings())
    with TestClient(app) as bare:
        assert bare.get("/").headers["content-security-policy"] == "frame-ancestors 'self'"


@pytest.mark.parametrize("origin", ["*", "https://council.example/path", "council.example", "https://a.example; script-src *",
                                    "http://www.council.example"])
def test_bad_embed_origins_fail_fast(origin: str) -> None:
    with pytest.raises((ConfigError, ValidationError), match="embed_allowed_origins|https"):
        frame_ancestors(Settings(embed_allowed_origins=[origin]))


def test_cors_only_for_configured_origins(client: TestClient) -> None:
    preflight = {"Origin": "https://www.council.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    allowed = client.options("/api/chat", headers=preflight)
    assert allowed.headers.get("access-control-allow-origin") == "https://www.council.example"
    other = client.options("/api/chat", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in other.headers


def test_embed_page_is_compact_and_keeps_its_council(client: TestClient, services: FakeServices) -> None:
    page = client.get("/embed", params={"local_authority": "North Lincolnshire", "colour": "#ffdd00"})
    html = page.text
    assert page.context["layout"] == "embed" and "<nav" not in html  # type: ignore[attr-defined]
    assert 'name="fixed_local_authority" value="North Lincolnshire"' in html
    assert 'href="/embed/theme.css?colour=ffdd00"' in html and 'action="/embed#latest"' in html
    answered = client.post("/embed", data={"message": "hi", "fixed_local_authority": "North Lincolnshire", "colour": "#ffdd00"})
    assert services.pipeline.calls[-1]["local_authority"] == "North Lincolnshire"
    assert 'target="_blank"' in answered.text and "(opens in a new tab)" in answered.text
    css = client.get("/embed/theme.css", params={"colour": "ffdd00"}).text
    assert "--accent: #ffdd00" in css and "--on-accent: #0b0c0c" in css
    assert "--accent: #00703c" in client.get("/embed/theme.css", params={"colour": "zzz;}"}).text


def test_accent_colours_keep_contrast() -> None:
    for colour in ("#005ea5", "#ffdd00", "#777777", "#ffffff", "not a colour"):
        colours = accent_colours(colour)
        assert contrast_ratio(colours["accent"], colours["on_accent"]) >= 4.5, colour


def test_embed_script_is_served(client: TestClient) -> None:
    script = client.get("/static/embed.js")
    assert script.status_code == 200 and "data-local-authority" in script.text and "/embed" in script.text


# --- the real pipeline over the small index -----------------------------------------------


@pytest.mark.integration
def test_real_pipeline_page_and_stream(small_services) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(services=small_services)) as real:
        page = real.post("/", data={"message": "How long does the council have to decide on an assessment?"})
        assert page.status_code == 200 and 'class="force force-law">Law<' in page.text and "reg 5(1)" in page.text
        cid = form_values(page.text, "conversation_id")[0]
        with real.stream("POST", "/api/chat/stream", json={"message": "What is the LGSCO?", "conversation_id": cid}) as resp:
            events = parse_sse(resp.read().decode())
        assert events[0][1]["conversation_id"] == cid and events[0][1]["turn"] == 2
        done = events[-1][1]
        assert done["status"] == "answered" and done["citations"]
        created = real.post("/api/feedback", json={"conversation_id": cid, "helpful": True, "turn": 1})
        assert created.status_code == 201
        [row] = small_services.conversations.list_feedback()
        assert row["message_text"] is None


# --- the tools as pages -------------------------------------------------------------------


def test_tools_pages_are_in_the_navigation(client: TestClient) -> None:
    html = client.get("/tools").text
    assert '<a href="/tools" aria-current="page">Tools</a>' in html
    for path in ("/tools/deadlines", "/tools/appeal", "/tools/letters"):
        assert f'href="{path}"' in html and client.get(path).status_code == 200


def test_deadlines_page_results_and_errors(client: TestClient) -> None:
    page = client.post("/tools/deadlines", data={"request_received": "2026-01-05", "transfer_kind": ""})  # ISO still works
    assert page.status_code == 200 and page.template.name == "tools/deadlines.html"  # type: ignore[attr-defined]
    assert "Your deadlines" in page.text and "16 February 2026" in page.text  # 6 weeks after 5 January
    assert 'class="force force-law">Law<' in page.text and "reg 5(1)" in page.text
    bad = client.post("/tools/deadlines", data={"situation": "assessment", "request_received-day": "31",
                                                "request_received-month": "2", "request_received-year": "2026"})
    assert bad.status_code == 422 and "Enter a real date" in bad.text
    assert 'aria-describedby="request_received-hint request_received-error"' in bad.text
    assert 'id="request_received" name="request_received-day" inputmode="numeric" autocomplete="off" value="31" aria-invalid="true"' in bad.text
    assert '<a href="#request_received">' in bad.text
    partial = client.post("/tools/deadlines", data={"situation": "assessment", "request_received-day": "5",
                                                    "request_received-year": "2026"})
    assert partial.status_code == 422 and "The date must include a month" in partial.text
    future = client.post("/tools/deadlines", data={"request_received": "2098-01-01"})
    assert future.status_code == 422 and "after today" in future.text
    far = client.post("/tools/deadlines", data={"request_received": "9999-12-01"})
    assert far.status_code == 422 and "Enter a date from 1 January 2000 to 31 December 2099" in far.text
    assert client.post("/tools/deadlines", data={}).status_code == 422
    missing = client.post("/tools/deadlines", data={"situation": "assessment", "assessment_decision-day": "1",
                                                    "assessment_decision-month": "2", "assessment_decision-year": "2026"})
    assert missing.status_code == 422 and "Enter the date the council got the request for an EHC" in missing.text


def test_deadlines_page_asks_one_question_then_only_what_that_rule_needs(client: TestClient) -> None:
    first = client.get("/tools/deadlines").text
    assert "What has happened?" in first and first.count('type="radio"') >= 10 and 'class="date-input"' not in first
    assert 'method="get"' in first and "enter them all on one page" in first
    assessment = client.get("/tools/deadlines", params={"situation": "assessment"}).text
    assert assessment.count('class="date-input"') == 2 and 'type="date"' not in assessment
    assert "The council got the request for an EHC needs assessment" in assessment
    assert 'action="/tools/deadlines#result"' in assessment  # without JavaScript the page opens at the result
    assert client.get("/tools/deadlines", params={"situation": "all"}).text.count('class="date-input"') > 20
    assert "Choose what you want to check" in client.get("/tools/deadlines", params={"situation": "nope"}).text
    page = client.post("/tools/deadlines", data={"situation": "assessment", "request_received-day": "5",
                                                 "request_received-month": "jan", "request_received-year": "2026"})
    html = page.text
    assert page.status_code == 200 and "16 February 2026" in html
    assert html.index('id="result"') < html.index('<form method="post"')  # the result comes first
    assert 'name="request_received-month" inputmode="numeric" autocomplete="off" value="jan"' in html


def test_appeal_page(client: TestClient) -> None:
    missing = client.post("/tools/appeal", data={})
    assert missing.status_code == 422 and 'aria-describedby="decision-error"' in missing.text
    page = client.post("/tools/appeal", data={"decision": "plan_contents", "sections": ["B", "I"], "decision_date-day": "5",
                                              "decision_date-month": "1", "decision_date-year": "2026"})
    assert page.status_code == 200 and "First-tier Tribunal" in page.text and "5 March 2026" in page.text
    assert page.text.index('id="result"') < page.text.index('<form method="post"')
    assert 'value="B" checked' in page.text and 'value="F" checked' not in page.text


def test_letters_page_text_and_docx(client: TestClient) -> None:
    form = client.get("/tools/letters", params={"template": "request_assessment"}).text
    assert '<label for="parent_name">Your name</label>' in form
    page = client.post("/tools/letters", data={"template": "request_assessment", "parent_name": f"A {EVIL}"})
    assert page.status_code == 200 and "A &lt;script&gt;" in page.text and "<script>alert" not in page.text
    docx = client.post("/tools/letters", data={"template": "request_assessment", "format": "docx"})
    assert docx.headers["content-type"].startswith("application/vnd.openxmlformats") and docx.content[:2] == b"PK"
    assert client.post("/tools/letters", data={"template": "nope"}).status_code == 422


def test_a_citation_says_whose_words_and_an_explainer_lists_its_basis(client: TestClient, services: FakeServices) -> None:
    summary = Citation(
        n=1, source="SEND Regulations 2014", ref="reg 5(1)", title="Decision whether to assess",
        url="https://www.legislation.gov.uk/uksi/2014/1530/regulation/5", status=LegalStatus.LAW,
        passage="The local authority must notify the parent within 6 weeks.", kind=PassageKind.SUMMARY,
    )
    explainer = Citation(
        n=2, source="SEND Assistant explainers", ref="regulations/send-regs-reg-05-1-explained",
        title="If the 6-week deadline is missed", url=None, status=LegalStatus.LAW,
        passage="A council that misses the 6 weeks is in breach (SEND Regulations 2014, reg 5(4)).",
        kind=PassageKind.EXPLAINER, basis=("SEND Regulations 2014, reg 5(4)", "IPSEA: https://www.ipsea.org.uk"),
    )
    services.pipeline.replies.append(cited_answer("Must decide. [1] Complain if late. [2]", citations=[summary, explainer]))
    html = client.post("/", data={"message": "deadline?", "persona": "parent"}).text
    assert "Summary of SEND Regs 2014 reg 5(1)" in html and 'class="force force-law">Law<' in html
    assert "Our explanation: If the 6-week deadline is missed" in html
    assert "Our explanation · based on law" in html and "Our explanation, not the words of the law" in html
    assert '<a href="https://www.ipsea.org.uk">IPSEA</a>' in html and "SEND Regulations 2014, reg 5(4)" in html


def test_about_page_explains_the_three_kinds_in_plain_words(client: TestClient) -> None:
    text = client.get("/about").text
    assert "Whose words you are reading" in text
    for words in ("Official text", "Summary", "Our explanation", "based on law"):
        assert words in text
