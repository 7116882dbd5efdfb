"""The web pages in a real browser: Debian's Chromium driven by Playwright, over a small real index.

Needs `/usr/bin/chromium` (apt-get install chromium) and `playwright` + `axe-playwright-python`
(pip). Skips, saying which, only when Chromium or Playwright is missing. Screenshots and the
axe report go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import functools
import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

if sync_playwright is None:
    pytest.skip("playwright is not installed: pip install playwright axe-playwright-python", allow_module_level=True)
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402 - only once Playwright is known to exist

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.timeout(300)]

PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT / "test-artifacts"
LAUNCH_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
QUESTION = "How long does the council have to decide on an EHC needs assessment request?"
WIDTHS = (1280, 320)
# axe's defaults plus WCAG 2.2's target size (24 x 24 CSS px), which axe leaves off by default.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Site:
    def __init__(self, *, app_port: int, council_port: int, other_port: int, services: Any) -> None:
        self.base = f"http://127.0.0.1:{app_port}"
        self.council = f"http://127.0.0.1:{council_port}"
        self.other = f"http://127.0.0.1:{other_port}"
        self.services = services


def _serve_static(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[Site]:
    import uvicorn
    from conftest import SMALL_CORPUS, write_corpus

    from assistant.api.app import create_app
    from assistant.config import Settings
    from assistant.services import build_services, run_index

    root = tmp_path_factory.mktemp("browser")
    app_port, council_port, other_port = free_port(), free_port(), free_port()
    settings = Settings(
        data_dir=root / "data", corpus_dir=write_corpus(root / "corpus", SMALL_CORPUS),
        embed_allowed_origins=[f"http://127.0.0.1:{council_port}"], rate_limit="1000/minute",
    )
    run_index(settings, embedder)
    services = build_services(settings, embedder=embedder)
    services.ensure_ready()

    pages = root / "council"
    pages.mkdir()
    snippet = (f'<script src="http://127.0.0.1:{app_port}/static/embed.js" data-local-authority="North Lincolnshire" '
               f'data-colour="#005ea5" async></script>')
    for name, title in (("council.html", "North Lincolnshire Local Offer"), ("other.html", "Some other site")):
        pages.joinpath(name).write_text(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f"<body><main><h1>{title}</h1><p>Ask our SEND assistant:</p>{snippet}</main></body></html>"
        )
    council = _serve_static(pages, council_port)
    other = _serve_static(pages, other_port)

    config = uvicorn.Config(create_app(settings=settings, services=services), host="127.0.0.1", port=app_port,
                            log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield Site(app_port=app_port, council_port=council_port, other_port=other_port, services=services)
    server.should_exit = True
    thread.join(timeout=10)
    council.shutdown()
    other.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def ask(page: Page, question: str, *, turn: int) -> None:
    page.fill("#message", question)
    page.click("#ask-form button[type=submit]")
    expect(page.locator(f"#turn-{turn}")).to_be_visible()


def watch_preview(page: Page) -> None:
    page.evaluate("""() => {
      window.__previews = [];
      const el = document.getElementById('stream-preview');
      new MutationObserver(() => window.__previews.push(el.hidden ? -1 : el.textContent.length))
        .observe(el, {childList: true, characterData: true, subtree: true, attributes: true});
    }""")


def feedback_rows(site: Site) -> list[dict[str, Any]]:
    return list(site.services.conversations.list_feedback())


# --- chat with JavaScript ------------------------------------------------------------------


def test_streamed_answer_citations_persona_and_feedback(site: Site, page: Page) -> None:
    page.goto(site.base + "/")
    watch_preview(page)
    with page.expect_response("**/api/chat/stream") as streamed:
        ask(page, QUESTION, turn=1)
    assert streamed.value.headers["content-type"].startswith("text/event-stream")
    assert page.url == site.base + "/"  # no reload: the answer came through the stream
    previews = page.evaluate("window.__previews")
    assert len([n for n in previews if n > 0]) >= 3, previews  # the text arrived in pieces
    turn = page.locator("#turn-1")
    expect(turn.locator(".answer-text")).to_contain_text("6 weeks")
    assert page.locator("#transcript").get_attribute("aria-live") == "polite"
    assert turn.locator(".turn-extras").get_attribute("aria-live") == "off"
    expect(turn.locator(".citations > li")).not_to_have_count(0)
    shot(page, "chat-answer-1280")

    # A [n] link opens its passage in place, with source, section, legal force and official link.
    first_link = turn.locator("a.cite").first
    target = first_link.get_attribute("data-cite")
    body = page.locator(f"#{target}")
    expect(body).to_be_hidden()
    first_link.click()
    expect(body).to_be_visible()
    expect(body).to_be_focused()
    expect(body.locator(".passage")).not_to_be_empty()
    expect(body.locator(".cite-meta")).to_contain_text("Legal force")
    expect(body.get_by_role("link", name="Read the official document")).to_be_visible()
    shot(page, "citation-open", full_page=False)

    # Switch persona: an adviser gets no parent lead-in or next steps; the first turn stays.
    page.select_option("#persona", "adviser")
    ask(page, "CoP 9.14?", turn=2)
    expect(page.locator("#turn-1")).to_be_visible()
    expect(page.locator("#turn-1 .answer-text")).to_contain_text("What you can do next")
    expect(page.locator("#turn-2 .answer-text")).not_to_contain_text("What you can do next")
    cid = page.locator("#ask-form input[name=conversation_id]").input_value()
    assert cid and page.locator("#turn-2").get_attribute("data-conversation") == cid

    # Feedback: not helpful, with a reason and a note; the question is not kept.
    before = len(feedback_rows(site))
    form = page.locator("#turn-1 form.feedback")
    form.get_by_label("No", exact=True).check()
    form.get_by_text("Tell us more").click()
    form.get_by_label("It was hard to understand").check()
    form.get_by_label("Anything else you want to tell us").fill("Too many long words")
    form.get_by_role("button", name="Send feedback").click()
    expect(form.locator(".feedback-status")).to_have_text("Thank you. We have your feedback on this answer.")
    rows = feedback_rows(site)
    assert len(rows) == before + 1
    newest = rows[0]
    assert newest["conversation_id"] == cid and newest["helpful"] is False
    assert newest["reasons"] == "hard_to_understand; comment: Too many long words"
    assert newest["message_text"] is None
    # ... and with consent, the (redacted) question is kept.
    form2 = page.locator("#turn-2 form.feedback")
    form2.get_by_label("Yes", exact=True).check()
    form2.get_by_text("Tell us more").click()
    form2.get_by_label("You can keep my question to improve the service").check()
    form2.get_by_role("button", name="Send feedback").click()
    expect(form2.locator(".feedback-status")).to_contain_text("Thank you")
    assert feedback_rows(site)[0]["message_text"] == "CoP 9.14?"
    shot(page, "feedback-sent")

    # Print or save this answer: one turn, citations expanded, the form hidden.
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.locator("#turn-1 button", has_text="Print or save this answer").click()
    assert page.evaluate("window.__printed") is True
    assert page.locator("#turn-1 details.citation-details").evaluate_all("ds => ds.every(d => d.open)")
    page.emulate_media(media="print")
    expect(page.locator("#ask-form")).to_be_hidden()
    expect(page.locator("#turn-2")).to_be_hidden()
    expect(page.locator("#turn-1 .citation-body").first).to_be_visible()
    shot(page, "print-answer")
    page.pdf(path=str(ARTIFACTS / "print-answer.pdf"))
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    expect(page.locator("#turn-2")).to_be_visible()


def test_safeguarding_help_first(site: Site, page: Page) -> None:
    page.goto(site.base + "/")
    ask(page, "My dad hits me and I am scared to go home", turn=1)
    urgent = page.locator("#turn-1 .urgent")
    expect(urgent).to_be_visible()
    expect(urgent).to_be_focused()
    expect(urgent.get_by_role("link", name="Call 999")).to_be_visible()
    first_block = page.locator("#turn-1 > :not(.turn-question)").first
    assert "urgent" in (first_block.get_attribute("class") or "")
    shot(page, "safeguarding")


def test_keyboard_only(site: Site, page: Page) -> None:
    page.goto(site.base + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link").first
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "message":
            break
    assert page.evaluate("document.activeElement.id") == "message"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.type("What is the LGSCO?")
    page.keyboard.press("Tab")  # persona
    page.keyboard.press("Tab")  # council
    page.keyboard.press("Tab")  # Ask
    assert page.evaluate("document.activeElement.textContent") == "Ask"
    page.keyboard.press("Enter")
    expect(page.locator("#turn-1 .answer-text")).to_contain_text("Ombudsman")


# --- without JavaScript ----------------------------------------------------------------------


def test_chat_without_javascript(site: Site, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site.base + "/")
    page.fill("#message", QUESTION)
    page.select_option("#persona", "parent")
    page.select_option("#local_authority", "Demoshire")
    with page.expect_navigation():
        page.click("#ask-form button[type=submit]")
    turn = page.locator("#turn-1")
    expect(turn.locator(".answer-text")).to_contain_text("6 weeks")
    expect(page.locator("button.print-button").first).to_be_hidden()  # needs JavaScript, so not offered
    summary = turn.locator("details.citation-details > summary").first
    summary.click()  # <details> opens without JavaScript
    expect(turn.locator(".citation-body").first).to_be_visible()
    shot(page, "no-js-answer")

    with page.expect_navigation():
        ask_again = page.locator("#message")
        ask_again.fill("What is the LGSCO?")
        page.click("#ask-form button[type=submit]")
    expect(page.locator("#turn-1")).to_be_visible()  # the earlier turn is still on the page
    expect(page.locator("#turn-2 .answer-text")).to_contain_text("Ombudsman")
    cid = page.locator("#ask-form input[name=conversation_id]").input_value()

    before = len(feedback_rows(site))
    form = page.locator("#turn-2 form.feedback")
    form.get_by_label("Yes", exact=True).check()
    with page.expect_navigation():
        form.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Thank you. We have your feedback.")).to_be_visible()
    rows = feedback_rows(site)
    assert len(rows) == before + 1
    assert rows[0]["conversation_id"] == cid and rows[0]["helpful"] is True and rows[0]["message_text"] is None

    with page.expect_navigation():
        page.fill("#message", "")
        page.click("#ask-form button[type=submit]")
    expect(page.locator(".error-summary")).to_contain_text("Type your question")
    assert page.locator("#message").get_attribute("aria-describedby") == "message-hint message-error"
    shot(page, "no-js-error")
    context.close()


# --- embedding ---------------------------------------------------------------------------------


def test_embed_on_an_allowed_council_page(site: Site, page: Page) -> None:
    page.goto(site.council + "/council.html")
    iframe = page.locator("iframe.send-assistant-frame")
    expect(iframe).to_be_visible()
    src = iframe.get_attribute("src") or ""
    assert src.startswith(site.base + "/embed?") and "local_authority=North+Lincolnshire" in src
    frame = page.frame_locator("iframe.send-assistant-frame")
    expect(frame.locator("h1")).to_have_text("Ask about SEND")
    expect(frame.locator(".fixed-la")).to_contain_text("North Lincolnshire")
    accent = frame.locator(".site-header").evaluate("el => getComputedStyle(el).borderBottomColor")
    assert accent == "rgb(0, 94, 165)"  # data-colour="#005ea5"
    frame.locator("#message").fill(QUESTION)
    frame.locator("#ask-form button[type=submit]").click()
    expect(frame.locator("#turn-1 .answer-text")).to_contain_text("6 weeks")
    page.wait_for_function("document.querySelector('iframe.send-assistant-frame').getBoundingClientRect().height > 700")
    shot(page, "embed-council-page")


def test_embed_refused_on_another_origin(site: Site, page: Page) -> None:
    with page.expect_response(lambda r: "/embed?" in r.url) as embed_response:
        page.goto(site.other + "/other.html")
    csp = embed_response.value.headers["content-security-policy"]
    assert f"frame-ancestors 'self' {site.council}" in csp and site.other not in csp
    page.wait_for_timeout(1000)
    frame = next(f for f in page.frames if f != page.main_frame)
    assert not frame.url.startswith(site.base + "/embed") or frame.locator("#message").count() == 0
    assert page.frame_locator("iframe.send-assistant-frame").locator("#message").count() == 0
    shot(page, "embed-refused")


# --- tools -------------------------------------------------------------------------------------


def test_tools_pages(site: Site, page: Page) -> None:
    page.goto(site.base + "/tools/deadlines")
    page.get_by_label("The council got the request for an EHC needs assessment").fill("2026-01-05")
    page.get_by_role("button", name="Work out deadlines").click()
    expect(page.locator("#result")).to_contain_text("Your deadlines")
    expect(page.locator(".deadline").first).to_contain_text("2026")
    shot(page, "tools-deadlines")

    page.goto(site.base + "/tools/appeal")
    page.get_by_label("What is the decision about?").select_option("refuse_assessment")
    page.get_by_label("The date of the decision letter").fill("2026-01-05")
    page.get_by_role("button", name="Show my options").click()
    expect(page.locator("#result")).to_contain_text("First-tier Tribunal")

    page.goto(site.base + "/tools/letters")
    page.get_by_role("link", name="Parent's request for an EHC needs assessment").click()
    page.get_by_label("Your name").fill("A Parent")
    page.get_by_role("button", name="Make the letter").click()
    expect(page.locator(".letter")).to_contain_text("A Parent")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as a Word document").click()
    assert download.value.suggested_filename.endswith(".docx")


# --- accessibility: axe on every page, at 1280 and 320 CSS px --------------------------------


def _states(site: Site) -> list[tuple[str, Any]]:
    def answered(page: Page) -> None:
        page.goto(site.base + "/")
        ask(page, QUESTION, turn=1)
        ask(page, "What is the LGSCO?", turn=2)
        page.locator("#turn-1 a.cite").first.click()
        page.locator("#turn-1 .feedback-more > summary").click()

    def safeguarding(page: Page) -> None:
        page.goto(site.base + "/")
        ask(page, "My dad hits me and I am scared to go home", turn=1)

    def posted_safeguarding(page: Page) -> None:  # the page as served without JavaScript
        page.goto(site.base + "/")
        page.fill("#message", "My dad hits me and I am scared to go home")
        with page.expect_navigation():
            page.evaluate("document.getElementById('ask-form').submit()")
        expect(page.locator(".urgent-banner")).to_be_visible()

    def feedback_error(page: Page) -> None:
        posted_safeguarding(page)
        with page.expect_navigation():
            page.evaluate("document.querySelector('form.feedback').submit()")
        expect(page.locator("#t1-fb-error")).to_be_visible()

    def error(page: Page) -> None:
        page.goto(site.base + "/")
        page.click("#ask-form button[type=submit]")
        expect(page.locator("#message-error")).to_be_visible()

    def deadlines(page: Page) -> None:
        page.goto(site.base + "/tools/deadlines")
        page.get_by_label("The council got the request for an EHC needs assessment").fill("2026-01-05")
        page.get_by_role("button", name="Work out deadlines").click()
        page.locator(".deadline details > summary").first.click()

    def appeal(page: Page) -> None:
        page.goto(site.base + "/tools/appeal")
        page.get_by_label("What is the decision about?").select_option("plan_contents")
        page.get_by_role("button", name="Show my options").click()

    def letters(page: Page) -> None:
        page.goto(site.base + "/tools/letters?template=chase_deadline")
        page.get_by_role("button", name="Make the letter").click()

    def simple(path: str) -> Any:
        return lambda page: page.goto(site.base + path)

    return [
        ("home", simple("/")), ("answer", answered), ("safeguarding", safeguarding), ("ask-error", error),
        ("posted-safeguarding", posted_safeguarding), ("feedback-error", feedback_error),
        ("about", simple("/about")), ("embed", simple("/embed?local_authority=North%20Lincolnshire&colour=%23ffdd00")),
        ("tools", simple("/tools")), ("deadlines", deadlines), ("appeal", appeal),
        ("letters", simple("/tools/letters")), ("letter", letters),
    ]


def test_axe_and_reflow_on_every_page(site: Site, browser: Browser) -> None:
    axe = Axe()
    report: dict[str, dict[str, Any]] = {}
    failures = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        context.set_default_timeout(20_000)
        page = context.new_page()
        for name, go in _states(site):
            go(page)
            results = axe.run(page, options=AXE_OPTIONS)
            violations = results.response["violations"]
            by_impact: dict[str, list[str]] = {}
            for v in violations:
                by_impact.setdefault(v["impact"] or "none", []).append(f"{v['id']} ({len(v['nodes'])})")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            report[f"{name}@{width}"] = {"url": page.url, "violations": by_impact, "horizontal_overflow_px": overflow}
            serious = [v for v in violations if v["impact"] in ("serious", "critical")]
            if serious:
                failures.append(f"{name}@{width}: " + "; ".join(
                    f"{v['id']} {v['impact']}: {[n['target'] for n in v['nodes']][:3]}" for v in serious))
            if overflow > 0:
                failures.append(f"{name}@{width}: scrolls sideways by {overflow}px")
            if width == 320 and name in ("answer", "about", "deadlines", "safeguarding"):
                shot(page, f"{name}-320")
        context.close()
    (ARTIFACTS / "axe-report.json").write_text(json.dumps(report, indent=2))
    assert failures == []
