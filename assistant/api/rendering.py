"""One explicit Jinja2 environment for the web pages: autoescape on, StrictUndefined."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False})
_MARKER = re.compile(r"\[(\d{1,2})\]")


def markdown_html(text: str) -> Markup:
    """Render answer Markdown safely (raw HTML is escaped) and link [n] markers to the sources."""
    html = _MD.render(text)
    html = _MARKER.sub(r'<a class="cite" href="#cite-\1" aria-label="source \1">[\1]</a>', html)
    return Markup(html)  # noqa: S704 - markdown-it escaped everything with html disabled


def make_templates(web_dir: Path) -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(web_dir / "templates")),
        autoescape=select_autoescape(["html", "xml", "j2"]),
        undefined=StrictUndefined,
    )
    env.filters["markdown"] = markdown_html
    return Jinja2Templates(env=env)
