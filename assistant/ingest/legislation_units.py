"""What both legislation readers (XML and HTML) collect: citable units, and the Documents made from them.

    >>> ref_prefix("regulation")
    'reg '
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.errors import IngestError
from assistant.ingest.common import IngestResult
from assistant.models import Document, LegalStatus
from assistant.storage.documents import slug

PREFIX = {"section": "s.", "regulation": "reg ", "article": "art ", "rule": "rule "}


@dataclass
class Unit:
    """One citable provision while it is being collected."""

    ref: str
    title: str
    path: list[str]
    url: str | None
    lines: list[str] = field(default_factory=list)


def ref_prefix(kind: str) -> str:
    return PREFIX.get(kind, "s.")


def documents_from_units(units: list[Unit], *, source: str, status: LegalStatus, origin: str) -> IngestResult:
    result = IngestResult()
    seen: set[str] = set()
    for unit in units:
        text = "\n".join(line for line in unit.lines if line.strip()).strip()
        if not text:
            result.skip(f"{unit.ref} has no text (repealed or not yet in force?)")
            continue
        doc_id = f"legislation/{slug(source)}/{slug(unit.ref)}"
        if doc_id in seen:
            result.skip(f"{unit.ref} appears twice; the first version was kept")
            continue
        seen.add(doc_id)
        result.documents.append(
            Document(
                doc_id=doc_id,
                text=text,
                source=source,
                ref=unit.ref,
                title=unit.title or f"{source} {unit.ref}",
                status=status,
                url=unit.url,
                extra={"heading": " > ".join(p for p in unit.path if p)},
            )
        )
    if not result.documents:
        raise IngestError(f"no sections, regulations or schedule paragraphs were found in {origin}")
    return result
