r"""One explicit Jinja2 environment for the web pages: autoescape on, StrictUndefined.

Filters turn an answer's Markdown into safe HTML: a paragraph that is only a short bold
label ("**What the law says**") becomes a real heading, and each group of [n] markers
("[1][2]") becomes one link to the cited passages of the same turn (one tab stop, one
target to tap). `render_fragment` renders a partial (one chat turn) for the streaming
endpoint, so the page and the stream share one template.

    >>> print(answer_html("**What the law says**\n\nDuty. [1][2]", prefix="t", labels={1: "reg 5", 2: "s.36"}))
    <h3 class="answer-heading">What the law says</h3>
    <p>Duty. <a class="cite" href="#t-cite-1" data-cite="t-cite-1 t-cite-2">[1, 2]<span class="visually-hidden"> sources: reg 5; s.36</span></a></p>
    <BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from assistant.models import Persona
from assistant.sources import format_ref

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False})
_MARKER = re.compile(r"\[(\d{1,2})\]")
_MARKER_RUN = re.compile(r"\[\d{1,2}\](?:[ \t]*\[\d{1,2}\])*")
# A paragraph that is only a short bold label, and one that opens with "**Label:**" and goes on.
_BOLD_LABEL = re.compile(r"<p><strong>([^<.!?]{1,60})</strong></p>")
_LABEL_LEAD = re.compile(r"<p><strong>([^<.!?]{1,60}):</strong>\s+(?=\S)(.)")
# The pipeline appends a plain "**Sources**" list; the page shows the citations richly instead.
_SOURCES_BLOCK = re.compile(r"^\*\*Sources\*\*[ \t]*\n(?:\[\d{1,2}\][^\n]*(?:\n|$))+", re.MULTILINE)
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")

PERSONA_LABELS = {
    Persona.PARENT.value: "a parent or carer",
    Persona.ADVISER.value: "an adviser (for example SENDIASS)",
    Persona.CASEWORKER.value: "a council caseworker",
}
# What the feedback form offers when an answer did not help (values are the API's `reasons`).
FEEDBACK_REASONS = {
    "not_answered": "It did not answer my question",
    "hard_to_understand": "It was hard to understand",
    "looks_wrong": "Something in it looks wrong or out of date",
    "sources_not_helpful": "The sources did not help me",
}
DEFAULT_ACCENT = "#00703c"
INK = "#0b0c0c"


def markdown_html(text: str) -> Markup:
    """Render Markdown safely (raw HTML is escaped) and link [n] markers to #cite-n."""
    return answer_html(text, prefix="", labels={})


def answer_html(text: str, *, prefix: str, labels: Mapping[int, str], heading_level: int = 3) -> Markup:
    """An answer's Markdown as HTML: raw HTML escaped, bold labels made headings, [n] groups linked."""
    html = _MD.render(strip_sources_block(text) if labels else text)
    html = _BOLD_LABEL.sub(lambda m: f'<h{heading_level} class="answer-heading">{m.group(1)}</h{heading_level}>', html)
    html = _LABEL_LEAD.sub(lambda m: f'<h{heading_level} class="answer-heading">{m.group(1)}</h{heading_level}>\n<p>'
                           f"{m.group(2)[:1].upper()}{m.group(2)[1:]}", html)
    return Markup(link_citations(html, prefix=prefix, labels=labels))  # noqa: S704 - markdown-it escaped all text


def inline_html(text: str, *, prefix: str, labels: Mapping[int, str]) -> Markup:
    """One line of Markdown (a next step) as inline HTML, its [n] groups linked."""
    return Markup(link_citations(_MD.renderInline(text), prefix=prefix, labels=labels))  # noqa: S704


def paragraphs(text: str) -> Markup:
    """Plain text (an answer's lead) as escaped paragraphs, one per blank-line-separated block."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text or "") if b.strip()]
    return Markup("".join(f"<p>{escape(b)}</p>" for b in blocks))  # noqa: S704 - every block is escaped


def link_citations(html: str, *, prefix: str, labels: Mapping[int, str]) -> str:
    """Each run of [n] markers in rendered HTML becomes one link naming every source in it.

    Numbers that are not this answer's citations stay as text (only when `labels` is given).
    """
    anchor = f"{prefix}-cite-" if prefix else "cite-"

    def link(match: re.Match[str]) -> str:
        numbers = list(dict.fromkeys(int(n) for n in _MARKER.findall(match.group(0))))
        known = [n for n in numbers if not labels or n in labels]
        if not known:
            return match.group(0)  # numbers that are not this answer's citations
        names = [labels[n] for n in known if labels.get(n)]
        noun = "source" if len(known) == 1 else "sources"
        hidden = f'<span class="visually-hidden"> {noun}: {escape("; ".join(names))}</span>' if names else ""
        targets = " ".join(f"{anchor}{n}" for n in known)
        shown = ", ".join(str(n) for n in known)
        others = "".join(f" [{n}]" for n in numbers if n not in known)  # not this answer's: left as text
        return f'<a class="cite" href="#{anchor}{known[0]}" data-cite="{targets}">[{shown}]{hidden}</a>{others}'

    return _MARKER_RUN.sub(link, html)


def strip_sources_block(text: str) -> str:
    """Remove the plain-text "**Sources**" list; the page renders the citations itself."""
    return _SOURCES_BLOCK.sub("", text)


def safe_colour(value: str | None) -> str | None:
    """A #rgb or #rrggbb colour, or None: nothing else may reach a style attribute."""
    if value and _COLOUR.match(value.strip()):
        colour = value.strip().lower()
        if len(colour) == 4:
            colour = "#" + "".join(c * 2 for c in colour[1:])
        return colour
    return None


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours.

    >>> round(contrast_ratio("#ffffff", "#000000"))
    21
    """

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def accent_colours(value: str | None) -> dict[str, str]:
    """The embed's accent colour and a text colour on it with at least 4.5:1 contrast.

    A council colour too light for white text gets dark text; if neither reaches 4.5:1,
    the default accent is used.

    >>> accent_colours("#005ea5")
    {'accent': '#005ea5', 'on_accent': '#ffffff'}
    >>> accent_colours("#ffdd00")["on_accent"]
    '#0b0c0c'
    """
    colour = safe_colour(value) or DEFAULT_ACCENT
    if contrast_ratio(colour, "#ffffff") >= 4.5:
        return {"accent": colour, "on_accent": "#ffffff"}
    if contrast_ratio(colour, INK) >= 4.5:
        return {"accent": colour, "on_accent": INK}
    return {"accent": DEFAULT_ACCENT, "on_accent": "#ffffff"}


def tel(phone: str) -> str:
    """A tel: href from a displayed phone number ("0800 1111" -> "tel:08001111")."""
    return "tel:" + re.sub(r"[^\d+]", "", phone)


def safe_url(url: str | None) -> str | None:
    """Only https links reach an href; anything else (http:, javascript:, data:) is dropped.

    >>> safe_url("https://www.gov.uk/x"), safe_url("http://evil.example/login"), safe_url("javascript:alert(1)")
    ('https://www.gov.uk/x', None, None)
    """
    if url and re.match(r"^https://[^\s\"'<>]+$", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


def ref_label(source: str, ref: str) -> str:
    """The paragraph, section or regulation as people write it ("para 9.14", "reg 5(1)")."""
    return format_ref(source, ref) if ref else ""


def cite_labels(citations: Any) -> dict[int, str]:
    """n -> the citation's label ("Summary of SEND Regs 2014 reg 5(1)", "Our explanation: ...") for an answer's citations."""
    return {c.n: c.label if getattr(c, "label", "") else f"{c.source}, {ref_label(c.source, c.ref)}".rstrip(", ") for c in citations}


def basis_item(item: str) -> dict[str, str | None]:
    """One item of an explainer's basis for the page: its words, and a link when it has one.

    >>> basis_item("IPSEA: https://www.ipsea.org.uk")
    {'text': 'IPSEA', 'url': 'https://www.ipsea.org.uk'}
    >>> basis_item("SEND Regulations 2014, reg 5(1)")["url"] is None
    True
    """
    name, sep, url = item.partition(": https://")
    if sep and " " not in url:
        return {"text": name.strip(), "url": safe_url("https://" + url)}
    return {"text": item, "url": None}


def heading_question(question: str, limit: int = 90) -> str:
    """The question as an answer's heading shows it: one line of text, cut at a word near `limit`.

    >>> heading_question("how long do they have   to decide?")
    'how long do they have to decide?'
    >>> len(heading_question("word " * 40)) <= 91
    True
    """
    text = " ".join(question.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def letter_blocks(text: str) -> list[tuple[str, str]]:
    r"""A letter's text as ("heading" | "paragraph", text): a title underlined with hyphens is a heading.

    >>> letter_blocks("Request\n-------\n\nDear Sir")
    [('heading', 'Request'), ('paragraph', 'Dear Sir')]
    """
    out = []
    for block in (b.strip("\n") for b in text.split("\n\n")):
        lines = block.split("\n")
        if len(lines) == 2 and lines[1].strip() and set(lines[1].strip()) == {"-"}:
            out.append(("heading", lines[0].strip()))
        elif block.strip():
            out.append(("paragraph", block))
    return out


def long_date(value: date | None) -> str:
    """3 March 2026 (no leading zero), the way GOV.UK writes dates."""
    return f"{value.day} {value:%B %Y}" if value else ""


def field_label(name: str) -> str:
    """A form field name as words: "child_dob" -> "Child dob"."""
    return name.replace("_", " ").capitalize()


def make_templates(web_dir: Path) -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(web_dir / "templates")),
        autoescape=select_autoescape(["html", "xml", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = markdown_html
    env.filters["answer_html"] = lambda text, prefix, labels: answer_html(text, prefix=prefix, labels=labels)
    env.filters["inline_html"] = lambda text, prefix, labels: inline_html(text, prefix=prefix, labels=labels)
    env.filters["paragraphs"] = paragraphs
    env.filters["heading_question"] = heading_question
    env.filters["letter_blocks"] = letter_blocks
    env.filters["tel"] = tel
    env.filters["field_label"] = field_label
    env.filters["safe_url"] = safe_url
    env.filters["long_date"] = long_date
    env.filters["cite_labels"] = cite_labels
    env.filters["ref_label"] = lambda c: ref_label(c.source, c.ref)
    env.filters["basis_item"] = basis_item
    env.globals["persona_labels"] = PERSONA_LABELS
    env.globals["feedback_reasons"] = list(FEEDBACK_REASONS.items())
    env.globals["nav_links"] = [("/", "Ask a question"), ("/about", "About")]
    return Jinja2Templates(env=env)


def render_fragment(templates: Jinja2Templates, name: str, context: Mapping[str, Any]) -> str:
    """Render a partial template to a string (for the streaming endpoint)."""
    return templates.env.get_template(name).render(dict(context))
