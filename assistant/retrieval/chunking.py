"""Documents -> citable chunks.

A corpus passage is already one idea and becomes one chunk. A longer document (a policy page,
a long service description) is split at paragraph boundaries into pieces of about
`max_words`, each keeping the document's citation and a heading path.

    >>> from assistant.models import Document, LegalStatus
    >>> doc = Document("d", "One.\\n\\nTwo.", "S", "1.1", "T", LegalStatus.GUIDANCE)
    >>> [c.chunk_id for c in chunk_document(doc)]
    ['d']
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from assistant.models import Chunk, Document


def document_hash(doc: Document) -> str:
    """Content hash of everything that ends up in the index for this document."""
    payload = json.dumps(asdict(doc), sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def chunk_document(doc: Document, *, max_words: int = 320) -> list[Chunk]:
    pieces = _split(doc.text, max_words)
    chunks = []
    for i, text in enumerate(pieces):
        chunk_id = doc.doc_id if len(pieces) == 1 else f"{doc.doc_id}#{i + 1}"
        chunks.append(
            Chunk(
                chunk_id=chunk_id,
                doc_id=doc.doc_id,
                text=text,
                source=doc.source,
                ref=doc.ref,
                title=doc.title,
                status=doc.status,
                url=doc.url,
                local_authority=doc.local_authority,
                questions=doc.questions if i == 0 else (),
                heading=doc.extra.get("heading", ""),
                extra=dict(doc.extra),
                kind=doc.kind,
                basis=doc.basis,
                answer=doc.answer if i == 0 else "",
                next_steps=doc.next_steps if i == 0 else (),
            )
        )
    return chunks


def _split(text: str, max_words: int) -> list[str]:
    if len(text.split()) <= max_words:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for paragraph in (p.strip() for p in text.split("\n\n")):
        if not paragraph:
            continue
        words = len(paragraph.split())
        if current and count + words > max_words:
            pieces.append("\n\n".join(current))
            current, count = [], 0
        current.append(paragraph)
        count += words
    if current:
        pieces.append("\n\n".join(current))
    return pieces
