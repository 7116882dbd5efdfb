"""legislation.gov.uk Acts and SIs, from the XML (CLML, `data.xml`) or the HTML page.

One Document per subsection ("s.42(2)", "reg 13(1)"), or per section/regulation when it has
no subsections, and per schedule paragraph ("Sch 2 para 3"). Lettered paragraphs stay in
their subsection as "- (a) ..." lines. The heading path is Part > cross-heading > section
title, and the url is the provision's own legislation.gov.uk page.

    >>> xml = (b'<Legislation xmlns="http://www.legislation.gov.uk/namespaces/legislation" '
    ...        b'xmlns:dc="http://purl.org/dc/elements/1.1/"><ukm:Metadata xmlns:ukm="m"><dc:title>Demo Act 2099'
    ...        b'</dc:title></ukm:Metadata><Primary><Body><P1group><Title>Duty</Title><P1 id="section-1" '
    ...        b'DocumentURI="http://www.legislation.gov.uk/ukpga/2099/1/section/1"><Pnumber>1</Pnumber><P1para>'
    ...        b'<P2 id="section-1-1"><Pnumber>1</Pnumber><P2para><Text>A council must help.</Text></P2para></P2>'
    ...        b'</P1para></P1></P1group></Body></Primary></Legislation>')
    >>> [(d.ref, d.url, d.text) for d in parse_xml(xml, status=LegalStatus.LAW).documents]
    [('s.1(1)', 'https://www.legislation.gov.uk/ukpga/2099/1/section/1', '(1) A council must help.')]
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from assistant.errors import IngestError
from assistant.ingest.common import IngestResult, clean_text
from assistant.ingest.legislation_html import parse_html
from assistant.ingest.legislation_units import Unit, documents_from_units, ref_prefix
from assistant.models import LegalStatus
from assistant.sources import LEGISLATION_URLS, canonical_source

__all__ = ["load_legislation", "parse_xml", "parse_html", "Unit", "documents_from_units", "ref_prefix"]

SKIP = {"Commentaries", "CommentaryRef", "Versions", "Footnotes", "FootnoteRef", "Metadata", "Contents", "MarginNote"}


def load_legislation(path: Path, *, status: LegalStatus, source: str | None = None, url: str | None = None) -> IngestResult:
    """Parse a saved data.xml or HTML page; the format is detected from the content."""
    data = Path(path).read_bytes()
    if not data.strip():
        raise IngestError(f"{path} is empty")
    head = data[:2000].lstrip().lower()
    if head.startswith(b"<?xml") and b"<html" not in head or b"<legislation" in head:
        return parse_xml(data, status=status, source=source, origin=str(path))
    return parse_html(data, status=status, source=source, url=url, origin=str(path))


def parse_xml(data: bytes, *, status: LegalStatus, source: str | None = None, origin: str = "the XML") -> IngestResult:
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"{origin} is not well-formed XML ({exc})") from exc
    if _local(root) != "Legislation":
        raise IngestError(f"{origin} is not legislation.gov.uk XML (the root element is <{_local(root)}>, not <Legislation>)")
    title = next((clean_text(e.text or "") for e in root.iter() if _local(e) == "title" and e.text), "")
    source = canonical_source(source or re.sub(r"^The\s+", "", title) or "Legislation")
    units: list[Unit] = []
    _walk(root, [], units, pending_title="", source=source)
    return documents_from_units(units, source=source, status=status, origin=origin)


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element: etree._Element, name: str) -> str:
    for child in element:
        if _local(child) == name:
            return _inline(child)
    return ""


def _inline(element: etree._Element) -> str:
    """Text of an element without commentary markers, footnotes or nested provisions."""
    parts: list[str] = []

    def visit(node: etree._Element) -> None:
        if _local(node) in SKIP:
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            visit(child)
            if child.tail:
                parts.append(child.tail)

    visit(element)
    return clean_text(" ".join("".join(parts).split()))


def _walk(element: etree._Element, path: list[str], units: list[Unit], *, pending_title: str, source: str) -> None:
    for child in element:
        name = _local(child)
        if name in SKIP:
            continue
        if name in ("Part", "Chapter", "Pblock", "Schedule"):
            label = " ".join(x for x in (_child_text(child, "Number"), _child_text(child, "Title")) if x)
            if name == "Schedule":
                label = " ".join(x for x in (_child_text(child, "Number"), _title_block(child)) if x)
            _walk(child, [*path, label], units, pending_title="", source=source)
        elif name == "P1group":
            _walk(child, path, units, pending_title=_child_text(child, "Title"), source=source)
        elif name == "P1":
            _p1(child, path, units, title=pending_title or _child_text(child, "Title"), source=source)
        else:
            _walk(child, path, units, pending_title=pending_title, source=source)


def _title_block(schedule: etree._Element) -> str:
    for child in schedule:
        if _local(child) == "TitleBlock":
            return _child_text(child, "Title")
    return ""


def _p1(p1: etree._Element, path: list[str], units: list[Unit], *, title: str, source: str) -> None:
    ident = p1.get("id") or ""
    number = _child_text(p1, "Pnumber").rstrip(".")
    schedule = re.match(r"schedule-(\d+[A-Z]*)-paragraph-", ident)
    if schedule:
        base = f"Sch {schedule.group(1)} para {number}"
    else:
        kind = ident.split("-", 1)[0] if "-" in ident else "section"
        base = f"{ref_prefix(kind)}{number}"
    url = _url(p1.get("DocumentURI"), source, number if not schedule else None)
    subsections = [e for e in p1.iter() if _local(e) == "P2"]
    if not subsections:
        unit = Unit(base, title, [*path, title], url)
        _collect(p1, unit.lines, depth=0)
        units.append(unit)
        return
    for p2 in subsections:
        sub = _child_text(p2, "Pnumber")
        unit = Unit(f"{base}({sub})", title, [*path, title], url)
        _collect(p2, unit.lines, depth=0, number=f"({sub})")
        units.append(unit)


def _collect(element: etree._Element, lines: list[str], *, depth: int, number: str = "") -> None:
    """Append the provision's text: its own Text first, then lettered paragraphs as "- (a) ..."."""
    prefix = number
    for child in element.iter():
        name = _local(child)
        if name == "Text" and _owner(child) is element:
            text = _inline(child)
            if text:
                lines.append(f"{prefix} {text}".strip() if not lines else text)
                prefix = ""
        elif name in ("P3", "P4", "P5") and _owner(child.getparent()) is element:
            label = _child_text(child, "Pnumber")
            texts = [_inline(t) for t in child.iter() if _local(t) == "Text"]
            lines.append(f"- ({label}) {' '.join(t for t in texts if t)}")


def _owner(node: etree._Element | None) -> etree._Element | None:
    """The nearest enclosing provision (P1/P2/P3...) of a node."""
    while node is not None and not re.fullmatch(r"P\d", _local(node)):
        node = node.getparent()
    return node


def _url(document_uri: str | None, source: str, number: str | None) -> str | None:
    if document_uri:
        return document_uri.replace("http://", "https://", 1)
    template = LEGISLATION_URLS.get(source)
    return template.format(n=number) if template and number else None
