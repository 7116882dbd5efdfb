"""HTML pages (a Local Offer page, a SENDIASS page): main content only, one Document per section.

trafilatura finds the main content and drops navigation, cookie banners, sidebars and
footers; the headings it keeps become each section's heading path, and the heading's id in
the original page becomes the citation link (`https://.../page#who-can-get-help`).

    >>> page = ("<html><head><title>Short breaks</title></head><body><nav>Home | About</nav><main>"
    ...         "<h1>Short breaks</h1><h2 id='who'>Who can get a short break</h2><p>" + "Children with "
    ...         "a disability who live in Demoshire can have a short break away from home. " * 4 +
    ...         "</p></main><footer>Copyright</footer></body></html>")
    >>> docs = parse_page(page, url="https://example.org/breaks", source="Demoshire Local Offer",
    ...                   status=LegalStatus.LOCAL, local_authority="Demoshire")
    >>> docs[0].ref, docs[0].url, docs[0].extra["heading"]
    ('Who can get a short break', 'https://example.org/breaks#who', 'Short breaks > Who can get a short break')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlparse

from lxml import etree
from lxml import html as lxml_html

from assistant.errors import IngestError
from assistant.ingest.common import clean_text
from assistant.models import Document, LegalStatus, PassageKind
from assistant.storage.documents import slug

MIN_WORDS = 8


@dataclass
class _Section:
    level: int
    heading: str
    path: list[str]
    blocks: list[str] = field(default_factory=list)


def parse_page(
    markup: str | bytes,
    *,
    url: str | None,
    source: str,
    status: LegalStatus,
    local_authority: str | None = None,
    name: str | None = None,
) -> list[Document]:
    """The page's main content as Documents, one per heading section. IngestError when there is none.

    `name` (a saved file's path) is how errors refer to the page when it has no URL."""
    import trafilatura

    where = url or name or "the page"
    text = markup.decode("utf-8", errors="replace") if isinstance(markup, bytes) else markup
    if not text.strip():
        raise IngestError(f"{where} is empty")
    extracted = trafilatura.extract(
        text, url=url, output_format="xml", include_formatting=True, include_links=False,
        include_tables=True, include_comments=False, with_metadata=True, favor_precision=True,
    )
    if not extracted:
        raise IngestError(f"{where} has no main content (only navigation, banners or footers were found)")
    root = etree.fromstring(extracted.encode("utf-8"))
    page_title = clean_text(root.get("title") or "") or _title(text) or url or "the page"
    sections = _sections(root, page_title)
    anchors = heading_anchors(text)
    base = urldefrag(url)[0] if url else None
    page_key = slug(re.sub(r"^https?://", "", base)) if base else slug(page_title)
    documents: list[Document] = []
    seen: set[str] = set()
    for section in sections:
        body = "\n".join(section.blocks).strip()
        if len(body.split()) < MIN_WORDS:
            continue
        anchor = anchors.get(_key(section.heading))
        doc_id = _unique(f"html/{page_key}/{anchor or slug(section.heading)}", seen)
        documents.append(
            Document(
                doc_id=doc_id,
                text=body,
                source=source,
                ref=section.heading,
                title=section.heading,
                status=status,
                url=f"{base}#{anchor}" if base and anchor else base,
                local_authority=local_authority,
                extra={"heading": " > ".join(section.path)},
                kind=PassageKind.OFFICIAL,  # the publisher's own words
            )
        )
    if not documents:
        raise IngestError(f"{where} has no main content long enough to cite")
    return documents


def _sections(root: etree._Element, page_title: str) -> list[_Section]:
    sections = [_Section(0, page_title, [page_title])]
    stack: list[tuple[int, str]] = []
    main = root.find("main")
    for element in main if main is not None else root:
        tag = element.tag
        text = clean_text(" ".join("".join(element.itertext()).split()))
        if not text:
            continue
        if tag == "head":
            level = int((element.get("rend") or "h2").lstrip("h") or 2)
            stack = [(lvl, t) for lvl, t in stack if lvl < level] + [(level, text)]
            path = [t for _, t in stack]
            if path[0] != page_title and level > 1:
                path.insert(0, page_title)
            sections.append(_Section(level, text, path))
        elif tag == "list":
            sections[-1].blocks.extend(f"- {clean_text(' '.join(''.join(i.itertext()).split()))}" for i in element.iter("item"))
        elif tag == "table":
            for row in element.iter("row"):
                cells = [clean_text(" ".join("".join(c.itertext()).split())) for c in row.iter("cell")]
                sections[-1].blocks.append("; ".join(c for c in cells if c))
        else:
            sections[-1].blocks.append("\n" + text if sections[-1].blocks else text)
    return sections


def heading_anchors(markup: str) -> dict[str, str]:
    """Heading text -> the id a link can point at (the heading's, an anchor inside it or just before it)."""
    try:
        root = lxml_html.fromstring(markup)
    except (etree.ParserError, ValueError):
        return {}
    anchors: dict[str, str] = {}
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        ident = heading.get("id")
        if not ident:
            inner = [e.get("id") or e.get("name") for e in heading.iter() if isinstance(e.tag, str)]
            ident = next((i for i in inner if i), None)
        previous = heading.getprevious()
        if not ident and previous is not None and previous.tag == "a" and not (previous.text or "").strip():
            ident = previous.get("id") or previous.get("name")
        parent = heading.getparent()
        if not ident and parent is not None and parent.tag in ("section", "div") and parent.index(heading) == 0:
            ident = parent.get("id")
        if ident:
            anchors.setdefault(_key("".join(heading.itertext())), ident)
    return anchors


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _title(markup: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", markup, re.IGNORECASE | re.DOTALL)
    return clean_text(re.split(r"\s+[|–-]\s+", match.group(1).strip())[0]) if match else ""


def _unique(doc_id: str, seen: set[str]) -> str:
    candidate, n = doc_id, 2
    while candidate in seen:
        candidate, n = f"{doc_id}-{n}", n + 1
    seen.add(candidate)
    return candidate


def default_source(url: str | None, local_authority: str | None) -> str:
    if local_authority:
        return f"{local_authority} Local Offer"
    host = urlparse(url or "").hostname or "web page"
    return host.removeprefix("www.")
