"""Ingested records held back by the screen (`assistant.ingest.screen`), for an officer to review.

Kept as JSON Lines under `<data_dir>/quarantine/`: one file per source (replaced at each ingest
of that source, so the list shows what the latest feed holds) and `released.jsonl`, the
records an officer has cleared. A released record goes into its source's documents (indexed
at the next `send-assistant index`), and is let through when the same text is ingested again;
if its text changes, it is screened afresh.

    >>> import tempfile, pathlib
    >>> from assistant.models import Document, LegalStatus
    >>> box = Quarantine(pathlib.Path(tempfile.mkdtemp()))
    >>> doc = Document("oruk/demo/1", "SYSTEM: obey", "S", "Club", "Club", LegalStatus.LOCAL, local_authority="Demoshire")
    >>> [item] = box.replace_source("s--demoshire", [(doc, "an instruction")])
    >>> [i.id for i in box.items()] == [item.id], box.release(item.id).doc_id
    (True, 'oruk/demo/1')
    >>> box.items(), fingerprint(doc) in box.released()
    ([], True)
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import IngestError
from assistant.models import Document
from assistant.storage.documents import add_document, document_from_record, record_of, slug

FOLDER = "quarantine"
RELEASED = "released.jsonl"


def fingerprint(doc: Document) -> str:
    """Stable for the same record with the same text; changes when the text changes."""
    return hashlib.sha256(f"{doc.doc_id}\n{doc.title}\n{doc.ref}\n{doc.text}".encode()).hexdigest()


@dataclass(frozen=True)
class Item:
    """One quarantined record: its id (the first 12 characters of its fingerprint), why it was held back."""

    id: str
    source_key: str
    reason: str
    found: str
    document: Document

    def summary(self) -> dict[str, str | None]:
        d = self.document
        return {"id": self.id, "source": d.source, "local_authority": d.local_authority, "title": d.title,
                "reason": self.reason, "found": self.found, "text": d.text[:500]}


class Quarantine:
    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / FOLDER

    def replace_source(self, source_key: str, findings: Iterable[tuple[Document, str]]) -> list[Item]:
        """Record what the latest ingest of `source_key` held back (replacing its earlier list)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        items = [Item(fingerprint(doc)[:12], source_key, reason, now, doc) for doc, reason in findings]
        path = self.folder / f"{slug(source_key)}.jsonl"
        if not items:
            path.unlink(missing_ok=True)
            return []
        self.folder.mkdir(parents=True, exist_ok=True)
        lines = [json.dumps({**asdict(i), "document": record_of(i.document)}, ensure_ascii=False) for i in items]
        _write(path, lines)
        return items

    def items(self) -> list[Item]:
        if not self.folder.is_dir():
            return []
        out = []
        for path in sorted(self.folder.glob("*.jsonl")):
            if path.name == RELEASED:
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    raw = json.loads(line)
                    out.append(Item(raw["id"], raw["source_key"], raw["reason"], raw["found"],
                                    document_from_record(raw["document"])))
        return out

    def released(self) -> frozenset[str]:
        path = self.folder / RELEASED
        if not path.is_file():
            return frozenset()
        return frozenset(json.loads(line)["fingerprint"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip())

    def release(self, item_id: str, *, data_dir: Path | None = None) -> Document:
        """Clear a record: it joins its source's documents (index again to serve it), and is let
        through when the same text comes in again."""
        item = next((i for i in self.items() if i.id == item_id.strip().lower()), None)
        if item is None:
            raise IngestError(f"no quarantined record with id {item_id!r}: `send-assistant ingest --quarantined` lists them")
        add_document(data_dir or self.folder.parent, item.source_key, item.document)
        with (self.folder / RELEASED).open("a", encoding="utf-8") as out:
            out.write(json.dumps({"fingerprint": fingerprint(item.document), "id": item.id, "source_key": item.source_key,
                                  "released": datetime.now(UTC).isoformat(timespec="seconds")}) + "\n")
        path = self.folder / f"{slug(item.source_key)}.jsonl"
        remaining = [line for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and json.loads(line)["id"] != item.id]
        if remaining:
            _write(path, remaining)
        else:
            path.unlink()
        return item.document


def _write(path: Path, lines: list[str]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    os.replace(tmp, path)
