"""Ingested documents, kept as JSON Lines under `<data_dir>/sources/`, one file per source.

`send-assistant ingest` writes a source's documents here (replacing that source's file
atomically); `send-assistant index` reads them beside the project corpus.

    >>> from assistant.models import Document, LegalStatus, PassageKind
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = save_documents(d, "demo", [Document("x", "text", "S", "r", "T", LegalStatus.LOCAL)])
    >>> [doc.doc_id for doc in load_ingested(d)]
    ['x']
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from assistant.models import Document, LegalStatus, PassageKind


def sources_dir(data_dir: Path) -> Path:
    return data_dir / "sources"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "source"


def record_of(doc: Document) -> dict[str, object]:
    """A document as a JSON-ready dict."""
    record = asdict(doc)
    record["status"] = doc.status.value
    record["questions"] = list(doc.questions)
    record["kind"] = doc.kind.value
    record["basis"] = list(doc.basis)
    record["next_steps"] = list(doc.next_steps)
    return record


def document_from_record(record: dict[str, object]) -> Document:
    fields = dict(record)
    fields["status"] = LegalStatus(fields["status"])
    fields["questions"] = tuple(fields.get("questions") or ())  # type: ignore[call-overload]
    fields["kind"] = PassageKind(fields.get("kind") or PassageKind.OFFICIAL.value)
    fields["basis"] = tuple(fields.get("basis") or ())  # type: ignore[call-overload]
    fields["next_steps"] = tuple(fields.get("next_steps") or ())  # type: ignore[call-overload]
    return Document(**fields)  # type: ignore[arg-type]


def save_documents(data_dir: Path, source_key: str, documents: Sequence[Document]) -> Path:
    folder = sources_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug(source_key)}.jsonl"
    tmp = path.with_suffix(".jsonl.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for doc in documents:
            out.write(json.dumps(record_of(doc), ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path


def add_document(data_dir: Path, source_key: str, doc: Document) -> Path:
    """Add one document to a source's stored documents (replacing one with the same id)."""
    path = sources_dir(data_dir) / f"{slug(source_key)}.jsonl"
    existing = [d for d in _read(path) if d.doc_id != doc.doc_id] if path.is_file() else []
    return save_documents(data_dir, source_key, [*existing, doc])


def _read(path: Path) -> list[Document]:
    return [document_from_record(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def remove_source(data_dir: Path, source_key: str) -> bool:
    path = sources_dir(data_dir) / f"{slug(source_key)}.jsonl"
    if path.exists():
        path.unlink()
        return True
    return False


def load_ingested(data_dir: Path) -> list[Document]:
    folder = sources_dir(data_dir)
    if not folder.is_dir():
        return []
    documents: list[Document] = []
    for path in sorted(folder.glob("*.jsonl")):
        documents.extend(_read(path))
    return documents
