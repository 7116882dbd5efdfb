"""legislation.gov.uk HTML pages (the "Revised" view) -> provisions, keyed on the element ids.

The page marks every provision number with an id: `section-42`, `section-42-2`,
`regulation-13-1`, `schedule-2-paragraph-3`. Those ids, not the CSS classes, decide where
one provision ends and the next begins, so small layout changes do not break parsing.

    >>> page = (b'<html><head><title>Demo Act 2099</title></head><body><div id="viewLegContents">'
    ...         b'<h3 class="LegP1GroupTitle">Duty to help</h3><p><span class="LegP1No" id="section-1">1</span></p>'
    ...         b'<p><span class="LegP2No" id="section-1-1">(1)</span>A council must help.</p></div></body></html>')
    >>> [(d.ref, d.text) for d in parse_html(page, status=LegalStatus.LAW, source="Demo Act 2099").documents]
    [('s.1(1)', '(1) A council must help.')]
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from assistant.errors import IngestError
from assistant.ingest.common import IngestResult, clean_text
from assistant.ingest.legislation_units import Unit, documents_from_units, ref_prefix
from assistant.models import LegalStatus
from assistant.sources import LEGISLATION_URLS, canonical_source

PROVISION = re.compile(r"^(section|regulation|article|rule)-(\d+[A-Z]*)(?:-(\d+[A-Z]*))?(?:-([a-z]+|[ivx]+))?$")
SCHEDULE = re.compile(r"^schedule-(\d+[A-Z]*)-paragraph-(\d+[A-Z]*)(?:-(\d+[A-Z]*))?$")
NOISE = ("LegAnnotations", "LegCommentaryLink", "LegChangeDelimiter", "LegExtentRestriction", "LegFootnote")
PATH_CLASSES = ("LegPart", "LegChapter", "LegPblock", "LegSchedule")
LETTERED = re.compile(r"^\((?:[a-z]{1,2}|[ivx]{1,5})\)\s")
BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li"}


def parse_html(data: bytes, *, status: LegalStatus, source: str | None = None, url: str | None = None, origin: str = "the page") -> IngestResult:
    try:
        root = lxml_html.fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(f"{origin} is not readable HTML ({exc})") from exc
    for bad in root.xpath("//script|//style|//nav|//header|//footer"):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and any(c in (element.get("class") or "") for c in NOISE):
            element.drop_tree()
    content = next(iter(root.xpath("//*[@id='viewLegContents']")), root)
    page_title = clean_text(" ".join(root.xpath("//title//text()")))
    name = source or re.split(r"\s+[-|]\s+", page_title)[0] or "Legislation"
    source = canonical_source(re.sub(r"^The\s+", "", name))
    path: list[tuple[int, str]] = []
    pending = ""
    units: list[Unit] = []
    current: Unit | None = None
    for element in content.iter(*BLOCK):
        if any(a.tag in BLOCK for a in element.iterancestors()):
            continue  # nested blocks are read with their parent
        classes = element.get("class") or ""
        parsed = [p for p in (_parse_id(e.get("id") or "") for e in element.iter() if isinstance(e.tag, str)) if p]
        text = _text(element)
        if not parsed:
            if element.tag.startswith("h"):
                depth = next((i for i, c in enumerate(PATH_CLASSES) if c in classes), None)
                if depth is None:
                    pending = text
                else:
                    path = [(d, t) for d, t in path if d < depth] + [(depth, text)]
            elif current is not None and text:
                current.lines.append(f"- {text}" if LETTERED.match(text) else text)
            continue
        kind, main, sub, item = max(parsed, key=lambda p: (p[2] is not None, p[3] is not None))
        number = _number_text(element)
        body = clean_text(text[len(number):]) if number and text.startswith(number) else text
        if item and current is not None:
            current.lines.append(f"- ({item}) {_strip_number(body, item)}")
            continue
        if kind == "schedule":
            ref, sub = f"Sch {main} para {sub}", None
        else:
            ref = f"{ref_prefix(kind)}{main}" + (f"({sub})" if sub else "")
        if element.tag.startswith("h"):
            pending, body = body, ""
        current = Unit(ref, pending, [*(t for _, t in path), pending], _url(url, kind, main, source))
        if body:
            current.lines.append(f"({sub}) {_strip_number(body, sub)}" if sub else body)
        units.append(current)
    # a section with subsections also left an empty "s.42" unit from its heading: drop it
    units = [u for u in units if u.lines or not any(v.ref.startswith(u.ref + "(") for v in units)]
    return documents_from_units(units, source=source, status=status, origin=origin)


def _parse_id(ident: str) -> tuple[str, str, str | None, str | None] | None:
    match = PROVISION.match(ident)
    if match:
        return match.group(1), match.group(2), match.group(3), match.group(4)
    match = SCHEDULE.match(ident)
    if match:
        return "schedule", match.group(1), match.group(2), match.group(3)
    return None


def _text(element: etree._Element) -> str:
    return clean_text(" ".join("".join(element.itertext()).split()))


def _number_text(element: etree._Element) -> str:
    numbers = [e for e in element.iter() if isinstance(e.tag, str) and "No" in (e.get("class") or "") and e.get("id")]
    return clean_text("".join("".join(n.itertext()) for n in numbers)) if numbers else ""


def _strip_number(body: str, sub: str) -> str:
    return re.sub(rf"^[.\s—–-]*\(?{re.escape(sub)}\)\s*", "", body)


def _url(page_url: str | None, kind: str, main: str, source: str) -> str | None:
    template = LEGISLATION_URLS.get(source)
    if template and kind in ("section", "regulation", "rule"):
        return template.format(n=main)
    if page_url:
        return urljoin(page_url, f"#{kind}-{main}")
    return None
