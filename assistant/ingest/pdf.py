"""Official PDFs with numbered paragraphs (the SEND Code of Practice): one Document per paragraph.

Lines are rebuilt from pdfplumber's words with their font size and weight. Running headers
and footers (lines repeated at the top or bottom of many pages) and bare page numbers are
dropped; headings (larger or bold short lines) give the chapter/heading path; a paragraph
that runs over a page break stays one paragraph and its bullets stay with it.

    >>> result = load_pdf(Path("code-of-practice.pdf"), source="SEND Code of Practice 2015",
    ...                   status=LegalStatus.STATUTORY_GUIDANCE)          # doctest: +SKIP
    >>> doc = result.documents[0]                                          # doctest: +SKIP
    >>> doc.doc_id, doc.ref, doc.extra["heading"]                          # doctest: +SKIP
    ('pdf/send-code-of-practice-2015/1.1', '1.1', '1 Principles')
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.common import IngestResult, Progress, clean_text
from assistant.models import Document, LegalStatus, PassageKind
from assistant.sources import COP, COP_URL, canonical_source
from assistant.storage.documents import slug

PARA = re.compile(r"^(\d{1,2})\.(\d{1,3})(?:\s+(.*))?$")
BULLET = re.compile("^([\u2022\u25cf\u25aa\u25e6\u2023\u2219\u00b7\uf0b7\uf0a7\u2013\u2014*-]|o(?= )|\\(cid:\\d+\\))\\s*(.*)$")
UNMAPPED = re.compile(r"\(cid:\d+\)")  # a glyph with no Unicode mapping (often a bullet)
PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
BOLD = ("bold", "black", "heavy", "semibold", "demi")


@dataclass
class Line:
    text: str
    size: float
    bold: bool
    x0: float
    top: float
    page: int


@dataclass
class _Para:
    ref: str
    path: list[str]
    page: int
    blocks: list[str] = field(default_factory=list)
    bullet_x: float | None = None


def load_pdf(
    path: Path,
    *,
    source: str,
    status: LegalStatus,
    url: str | None = None,
    local_authority: str | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Parse a PDF into one Document per numbered paragraph; IngestError says what is wrong."""
    pages = read_lines(Path(path), progress=progress)
    lines = drop_furniture(pages)
    source = canonical_source(source)
    url = url or (COP_URL if source == COP else None)
    result = IngestResult()
    paragraphs, orphans = assemble(lines)
    if not paragraphs:
        raise IngestError(f"no numbered paragraphs (like 9.14) were found in {path}; is this the right file? (--kind docx or html suit documents without them)")
    key = slug(source)
    for para in paragraphs:
        result.documents.append(
            Document(
                doc_id=f"pdf/{key}/{para.ref}",
                text=_text(para.blocks),
                source=source,
                ref=para.ref,
                title=para.path[-1] if para.path else f"{source}, para {para.ref}",
                status=status,
                url=url,
                local_authority=local_authority,
                extra={"heading": " > ".join(para.path), "page": str(para.page)},
                kind=PassageKind.OFFICIAL,  # the publisher's own words
            )
        )
    if orphans:
        result.warnings.append(f"{orphans} line(s) outside numbered paragraphs (contents, boxes, annexes) were not ingested")
    return result


def read_lines(path: Path, *, progress: Progress | None = None) -> list[list[Line]]:
    """Every page's text lines, top to bottom. Raises IngestError for empty, corrupt or scanned files."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    if not path.exists():
        raise IngestError(f"{path} does not exist")
    if path.stat().st_size == 0:
        raise IngestError(f"{path} is empty (0 bytes)")
    pages: list[list[Line]] = []
    images = 0
    try:
        with pdfplumber.open(path) as pdf:
            total = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
                pages.append(_lines(words, number))
                images += len(page.images)
                if progress:
                    progress("reading pages", number, total)
                page.close()
    except (PdfminerException, PDFSyntaxError, PDFPasswordIncorrect, ValueError, KeyError, TypeError) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise IngestError(f"{path} is password-protected; save an unprotected copy and ingest that") from exc
        raise IngestError(f"{path} is not a readable PDF ({cause.__class__.__name__}: {cause})") from exc
    if not pages:
        raise IngestError(f"{path} has no pages")
    if not any(pages):
        if images:
            raise IngestError(f"{path} has no text layer; it looks scanned — run OCR first (for example `ocrmypdf in.pdf out.pdf`) and ingest the result")
        raise IngestError(f"{path} has no text")
    return pages


def _lines(words: list[dict], page: int) -> list[Line]:  # type: ignore[type-arg]
    rows: list[list[dict]] = []  # type: ignore[type-arg]
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= 2.5:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        text = clean_text(" ".join(w["text"] for w in row))
        if not text:
            continue
        sizes = Counter()  # type: Counter[float]
        for w in row:
            sizes[round(float(w["size"]), 1)] += len(w["text"])
        bold = all(any(b in str(w["fontname"]).lower() for b in BOLD) for w in row if w["text"].strip())
        lines.append(Line(text, sizes.most_common(1)[0][0], bold, float(row[0]["x0"]), float(row[0]["top"]), page))
    return lines


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def drop_furniture(pages: list[list[Line]], *, edge: int = 2) -> list[Line]:
    """All lines in reading order without running headers, footers and page numbers."""
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_norm(line.text) for line in lines[:edge] + lines[-edge:]})
    threshold = max(2, math.ceil(0.5 * len(pages)))
    repeated = {text for text, n in counts.items() if n >= threshold}
    kept: list[Line] = []
    for lines in pages:
        for i, line in enumerate(lines):
            at_edge = i < edge or i >= len(lines) - edge
            if at_edge and (_norm(line.text) in repeated or PAGE_NUMBER.match(line.text)):
                continue
            kept.append(line)
    return kept


def assemble(lines: list[Line]) -> tuple[list[_Para], int]:
    """Numbered paragraphs with their heading paths, and how many lines fell outside them."""
    body = _body_size(lines)
    levels = _heading_levels(lines, body)
    columns = _number_columns(lines)
    path: list[tuple[int, str]] = []
    paragraphs: list[_Para] = []
    current: _Para | None = None
    last: tuple[int, int] | None = None
    orphans = 0
    previous_heading: Line | None = None
    for line in lines:
        level = levels.get(_style(line, body)) if _is_heading(line, body) else None
        if level is not None:
            if previous_heading and _continues(previous_heading, line) and path:
                path[-1] = (path[-1][0], f"{path[-1][1]} {line.text}")
            else:
                while path and path[-1][0] >= level:
                    path.pop()
                path.append((level, line.text))
            previous_heading, current = line, None
            continue
        previous_heading = None
        match = PARA.match(line.text)
        number = (int(match.group(1)), int(match.group(2))) if match else None
        if number and any(abs(line.x0 - x) <= 8 for x in columns) and _follows(last, number):
            current = _Para(f"{number[0]}.{number[1]}", [t for _, t in path], line.page, [match.group(3) or ""])  # type: ignore[union-attr]
            paragraphs.append(current)
            last = number
        elif current is None:
            orphans += 1
        else:
            _add_line(current, line)
    return paragraphs, orphans


def _add_line(para: _Para, line: Line) -> None:
    bullet = BULLET.match(line.text)
    if bullet and bullet.group(2):
        para.blocks.append("- " + UNMAPPED.sub("", bullet.group(2)).strip())
        para.bullet_x = line.x0
    elif para.bullet_x is not None and line.x0 < para.bullet_x - 2:
        para.blocks.append(UNMAPPED.sub("", line.text))  # the paragraph's own text resumes after its list
        para.bullet_x = None
    else:
        text = UNMAPPED.sub("", line.text).strip()
        joiner = "" if not para.blocks[-1] or (para.blocks[-1].endswith("-") and text[:1].islower()) else " "
        para.blocks[-1] += joiner + text


def _text(blocks: list[str]) -> str:
    out = ""
    for block in (b.strip() for b in blocks):
        if not block:
            continue
        out += ("\n" if block.startswith("- ") else "\n\n") + block if out else block
    return out


def _follows(last: tuple[int, int] | None, new: tuple[int, int]) -> bool:
    if last is None:
        return True
    (chapter, n), (new_chapter, new_n) = last, new
    if new_chapter == chapter:
        return n < new_n <= n + 5
    return new_chapter > chapter and new_n <= 3


def _number_columns(lines: list[Line]) -> list[float]:
    xs = Counter(round(line.x0) for line in lines if PARA.match(line.text))
    total = sum(xs.values())
    return [float(x) for x, n in xs.most_common(2) if n >= 0.25 * total]


def _body_size(lines: list[Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _is_heading(line: Line, body: float) -> bool:
    if PARA.match(line.text) or BULLET.match(line.text) or PAGE_NUMBER.match(line.text):
        return False
    words = len(line.text.split())
    if line.size >= body + 1.0 and words <= 25:
        return True
    return line.bold and words <= 15 and not line.text.endswith((".", ",", ";", ":"))


def _style(line: Line, body: float) -> float:
    return round(line.size * 2) / 2 if line.size >= body + 1.0 else 0.0


def _heading_levels(lines: list[Line], body: float) -> dict[float, int]:
    styles = sorted({_style(line, body) for line in lines if _is_heading(line, body)}, reverse=True)
    return {style: level for level, style in enumerate(styles)}


def _continues(first: Line, second: Line) -> bool:
    """A heading wrapped onto a second line: same style, same page, just below."""
    return first.page == second.page and first.size == second.size and 0 < second.top - first.top <= first.size * 1.6
