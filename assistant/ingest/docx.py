"""Word documents (.docx): one Document per heading section, headings kept as the path.

A document whose paragraphs are numbered like the Code of Practice ("4.12 The local
offer ...") is cut per numbered paragraph instead, with the number as the ref. Bulleted and
numbered list items stay with their section as "- " lines; tables become "a; b; c" rows.

    >>> result = load_docx(Path("short-breaks-statement.docx"), source="Demoshire short breaks statement",
    ...                    status=LegalStatus.LOCAL, local_authority="Demoshire")   # doctest: +SKIP
    >>> result.documents[0].extra["heading"]                                        # doctest: +SKIP
    'Short breaks statement > Who can have a short break'
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import IngestError
from assistant.ingest.common import IngestResult, clean_text
from assistant.models import Document, LegalStatus, PassageKind
from assistant.storage.documents import slug

NUMBERED = re.compile(r"^(\d{1,2}\.\d{1,3})\s+(.*)$", re.DOTALL)
MIN_WORDS = 5


@dataclass
class _Block:
    ref: str
    path: list[str]
    lines: list[str] = field(default_factory=list)


def load_docx(
    path: Path,
    *,
    source: str | None,
    status: LegalStatus,
    url: str | None = None,
    local_authority: str | None = None,
) -> IngestResult:
    """Parse a .docx file. IngestError for a file that is not .docx or has no text."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    path = Path(path)
    if path.stat().st_size == 0:
        raise IngestError(f"{path} is empty (0 bytes)")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(f"{path} is not a Word .docx file ({exc.__class__.__name__}); save it as .docx (Word 2007 or later) and try again") from exc
    source = source or clean_text(document.core_properties.title or "") or path.stem
    items = list(_items(document))
    if not any(text for _, text in items):
        raise IngestError(f"{path} has no text")
    numbered = sum(1 for kind, text in items if kind == "text" and NUMBERED.match(text)) >= 3
    blocks = _numbered_blocks(items) if numbered else _section_blocks(items, source)
    result = IngestResult()
    seen: set[str] = set()
    for block in blocks:
        text = "\n".join(block.lines).strip()
        if len(text.split()) < MIN_WORDS:
            continue
        doc_id = f"docx/{slug(source)}/{slug(block.ref)}"
        if doc_id in seen:
            doc_id = f"{doc_id}-{len(seen)}"
        seen.add(doc_id)
        result.documents.append(
            Document(
                doc_id=doc_id,
                text=text,
                source=source,
                ref=block.ref,
                title=block.path[-1] if block.path else block.ref,
                status=status,
                url=url,
                local_authority=local_authority,
                extra={"heading": " > ".join(block.path)},
                kind=PassageKind.OFFICIAL,  # the publisher's own words
            )
        )
    if not result.documents:
        raise IngestError(f"{path} has no paragraphs long enough to cite")
    return result


def _items(document: Any) -> list[tuple[str, str]]:
    """("heading:N" | "item" | "text", text) for each paragraph and table row, in order."""
    from docx.table import Table

    out: list[tuple[str, str]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(clean_text(c.text) for c in row.cells))
                out.append(("text", "; ".join(c for c in cells if c)))
            continue
        text = clean_text(block.text)
        if not text:
            continue
        level = _heading_level(block)
        if level is not None:
            out.append((f"heading:{level}", text))
        elif _is_list_item(block):
            out.append(("item", text))
        else:
            out.append(("text", text))
    return out


def _heading_level(paragraph: Any) -> int | None:
    style = paragraph.style
    while style is not None:
        name = (style.name or "").lower()
        if name == "title":
            return 0
        match = re.fullmatch(r"heading (\d)", name)
        if match:
            return int(match.group(1))
        style = style.base_style
    return None


def _is_list_item(paragraph: Any) -> bool:
    name = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    ppr = paragraph._p.pPr
    return "list" in name or (ppr is not None and ppr.numPr is not None)


def _section_blocks(items: list[tuple[str, str]], source: str) -> list[_Block]:
    stack: list[tuple[int, str]] = []
    blocks = [_Block(source, [])]
    for kind, text in items:
        if kind.startswith("heading:"):
            level = int(kind.split(":")[1])
            stack = [(lvl, t) for lvl, t in stack if lvl < level] + [(level, text)]
            blocks.append(_Block(text, [t for _, t in stack]))
        else:
            _add(blocks[-1], kind, text)
    return blocks


def _numbered_blocks(items: list[tuple[str, str]]) -> list[_Block]:
    stack: list[tuple[int, str]] = []
    blocks: list[_Block] = []
    current: _Block | None = None
    for kind, text in items:
        match = NUMBERED.match(text) if kind == "text" else None
        if kind.startswith("heading:"):
            level = int(kind.split(":")[1])
            stack = [(lvl, t) for lvl, t in stack if lvl < level] + [(level, text)]
            current = None
        elif match:
            current = _Block(match.group(1), [t for _, t in stack], [match.group(2)])
            blocks.append(current)
        elif current is not None:
            _add(current, kind, text)
    return blocks


def _add(block: _Block, kind: str, text: str) -> None:
    if kind == "item":
        block.lines.append(f"- {text}")
    else:
        block.lines.append(("\n" if block.lines else "") + text)
