"""What every ingester shares: the result type, text cleaning, HTML-to-text and dates.

    >>> clean_text("Hello\\u200b\\u00a0 world\\r\\n\\n\\n\\nBye")
    'Hello world\\n\\nBye'
    >>> html_to_text("<p>Fish &amp; chips</p><ul><li>one</li><li>two</li></ul>")
    'Fish & chips\\n\\n- one\\n- two'
    >>> short_date("2024-12-06")
    '6 Dec 2024'
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlparse

from lxml import etree
from lxml import html as lxml_html

from assistant.models import Document, LegalStatus
from assistant.storage.documents import slug
from assistant.text import EMAIL

# stage, done, total (None when unknown): how ingesters report progress to the CLI.
Progress = Callable[[str, int, "int | None"], None]

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_BLOCKS = {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "blockquote", "ul", "ol", "dl", "dd", "dt"}
_TAG = re.compile(r"<[a-zA-Z/][^>]*>")


@dataclass
class IngestResult:
    """The documents a source produced, and what was skipped on the way (with why)."""

    documents: list[Document] = field(default_factory=list)
    skipped_reasons: list[str] = field(default_factory=list)  # records left out, each with why
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # parts that failed (a page of a crawl) while others worked

    @property
    def skipped(self) -> int:
        return len(self.skipped_reasons)

    def skip(self, reason: str) -> None:
        self.skipped_reasons.append(reason)


def clean_text(text: str) -> str:
    """Drop zero-width characters, turn odd spaces into plain ones, keep at most one blank line."""
    text = html.unescape(text) if "&" in text else text
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _ODD_SPACE.sub(" ", text)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip()


def html_to_text(markup: str) -> str:
    """Plain text from an HTML fragment: paragraphs kept, list items as "- ", links keep their URL."""
    if not markup or not markup.strip():
        return ""
    if not _TAG.search(markup):
        return clean_text(markup)
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(_TAG.sub(" ", markup))
    parts: list[str] = []
    _walk(root, parts)
    return clean_text("".join(parts))


def _walk(element: etree._Element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("script", "style", "noscript"):
        return
    if tag == "br":
        parts.append("\n")
    elif tag == "li":
        parts.append("\n- ")
    elif tag in _BLOCKS:
        parts.append("\n\n")
    if element.text:
        parts.append(_collapse(element.text))
    for child in element:
        _walk(child, parts)
        if child.tail:
            parts.append(_collapse(child.tail))
    if tag == "a":
        href = (element.get("href") or "").strip()
        label = "".join(element.itertext())
        if href.startswith(("http://", "https://")) and href.rstrip("/") not in label:
            parts.append(f" ({href})")
    if tag in _BLOCKS:
        parts.append("\n\n")


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def parse_date(value: object) -> date | None:
    """A date from "2024-12-06", "2023-03-15T10:30:45.123Z" or similar; None when it is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(raw).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return None


def short_date(value: object) -> str | None:
    """ "6 Dec 2024" from an ISO date or datetime string (None when it is not a date)."""
    parsed = parse_date(value)
    return f"{parsed.day} {parsed.strftime('%b %Y')}" if parsed else None


def remove_emails(text: str, emails: set[str], replacement: str = "[email withheld]") -> str:
    """Replace each address in `emails` (compared case-insensitively) wherever it appears."""
    if not emails or "@" not in text:
        return text
    return EMAIL.sub(lambda m: replacement if m.group(0).lower() in emails else m.group(0), text)


USER_AGENT = "SEND-Assistant-ingest/0.1 (+a Local Offer assistant; polite reader of public pages)"


@dataclass(frozen=True)
class Request:
    """What to ingest and how to label it: the same fields as a sources-file entry."""

    path_or_url: str
    status: LegalStatus
    source: str | None = None
    local_authority: str | None = None
    kind: str | None = None
    url: str | None = None  # the public address of a local file, for citations
    delay: float = 1.0  # seconds between two requests to one web site


def is_url(target: str) -> bool:
    return urlparse(target).scheme in ("http", "https")


def source_key(source: str, local_authority: str | None) -> str:
    return slug(source) + (f"--{slug(local_authority)}" if local_authority else "")
