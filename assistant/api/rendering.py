"""One explicit Jinja2 environment for the web pages: autoescape on, StrictUndefined.

Filters turn an answer's Markdown into safe HTML with its [n] markers linked to the cited
passage of the same turn; `render_fragment` renders a partial (one chat turn) for the
streaming endpoint, so the page and the stream share one template.

    >>> print(answer_html("Duty. [1]", prefix="t", labels={1: "reg 5"}))
    <p>Duty. <a class="cite" href="#t-cite-1" data-cite="t-cite-1">[1]<span class="visually-hidden"> source: reg 5</span></a></p>
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


def answer_html(text: str, *, prefix: str, labels: Mapping[int, str]) -> Markup:
    """An answer's Markdown as HTML: raw HTML escaped, [n] linked to its passage in this turn."""
    html = _MD.render(strip_sources_block(text) if labels else text)
    anchor = f"{prefix}-cite-" if prefix else "cite-"

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        label = labels.get(n)
        if labels and label is None:
            return match.group(0)  # a number that is not one of this answer's citations
        hidden = f'<span class="visually-hidden"> source: {escape(label)}</span>' if label else ""
        return f'<a class="cite" href="#{anchor}{n}" data-cite="{anchor}{n}">[{n}]{hidden}</a>'

    return Markup(_MARKER.sub(link, html))  # noqa: S704 - markdown-it escaped all text (html disabled)


def strip_sources_block(text: str) -> str:
    """Remove the plain-text "**Sources**" list; the page renders the citations itself."""
    return _SOURCES_BLOCK.sub("", text)


def plain_pieces(text: str) -> list[str]:
    """Split an answer into sentence-sized pieces whose concatenation is the text itself."""
    pieces = re.findall(r"[^\n.!?]*(?:[.!?]+(?=\s|$)|\n+|$)\s*", text)
    return [p for p in pieces if p]


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
    """n -> "SEND Regulations 2014, reg 5(1)" for an answer's citations."""
    return {c.n: f"{c.source}, {ref_label(c.source, c.ref)}".rstrip(", ") for c in citations}


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
    env.filters["tel"] = tel
    env.filters["field_label"] = field_label
    env.filters["safe_url"] = safe_url
    env.filters["long_date"] = long_date
    env.filters["cite_labels"] = cite_labels
    env.filters["ref_label"] = lambda c: ref_label(c.source, c.ref)
    env.globals["persona_labels"] = PERSONA_LABELS
    env.globals["feedback_reasons"] = list(FEEDBACK_REASONS.items())
    env.globals["nav_links"] = [("/", "Ask a question"), ("/about", "About")]
    return Jinja2Templates(env=env)


def render_fragment(templates: Jinja2Templates, name: str, context: Mapping[str, Any]) -> str:
    """Render a partial template to a string (for the streaming endpoint)."""
    return templates.env.get_template(name).render(dict(context))
