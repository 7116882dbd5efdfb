"""The index on disk, shared by building and loading.

Building and opening the search index.

Layout under `<data_dir>/index/`:

    CURRENT               the name of the build that serves (replaced atomically)
    build-<stamp>/        one complete build:
      manifest.json       written last: a build without it is incomplete and ignored
      chunks.jsonl        chunk records (with their document's content hash)
      vectors.npz         chunk, example-question and sentence vectors (float32, unit length)
      bm25/               the keyword index
      chroma/             the embedded Chroma store (absent when a Chroma server is used)
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.models import Chunk, LegalStatus, PassageKind
from assistant.ports import VectorStore

MANIFEST = "manifest.json"
FORMAT_VERSION = 3
EMBEDDED_STORE = "chroma"
StoreFactory = Callable[[Path, str], VectorStore]
# What reading a damaged build raises: a cut or garbled .npz is a BadZipFile or an EOFError.
UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


def chunk_record(chunk: Chunk, doc_hash: str, sentences: list[str]) -> dict[str, Any]:
    record = asdict(chunk)
    record["status"] = chunk.status.value
    record["questions"] = list(chunk.questions)
    record["kind"] = chunk.kind.value
    record["basis"] = list(chunk.basis)
    record["next_steps"] = list(chunk.next_steps)
    record["doc_hash"] = doc_hash
    record["sentences"] = sentences
    return record


def chunk_from_record(record: dict[str, Any]) -> Chunk:
    return Chunk(
        chunk_id=record["chunk_id"],
        doc_id=record["doc_id"],
        text=record["text"],
        source=record["source"],
        ref=record["ref"],
        title=record["title"],
        status=LegalStatus(record["status"]),
        url=record.get("url"),
        local_authority=record.get("local_authority"),
        questions=tuple(record.get("questions") or ()),
        heading=record.get("heading", ""),
        extra=dict(record.get("extra") or {}),
        kind=PassageKind(record.get("kind") or PassageKind.OFFICIAL.value),
        basis=tuple(record.get("basis") or ()),
        answer=record.get("answer") or "",
        next_steps=tuple(record.get("next_steps") or ()),
    )


def bank_texts(record: dict[str, Any]) -> list[str]:
    """An answer-bank entry's own question (its title), embedded on its own: the bank matches a
    message against it as well as against the ways of asking and the entry's body. (Format 2 also
    embedded the direct answer; it carried no weight in the match, so format 3 leaves it out.)"""
    return [record["title"]] if record.get("answer") else []


def embedding_text(record: dict[str, Any]) -> str:
    """The text a chunk's own vector is made from: its title, then its text."""
    return f"{record['title']}. {record['text']}"


def keyword_text(record: dict[str, Any]) -> str:
    return " ".join([record["title"], record["ref"], record["text"], *record.get("questions", [])])


@dataclass
class ChunkVectors:
    """Per-chunk vectors, so unchanged chunks can be carried into the next build."""

    chunk: np.ndarray
    questions: np.ndarray
    sentences: np.ndarray
    bank: np.ndarray | None = None  # an answer-bank entry's title vector (`bank_texts`); None: not made yet


def current_build(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return None
    build = index_dir / pointer.read_text().strip()
    return build if (build / MANIFEST).exists() else None


def read_manifest(build: Path) -> dict[str, Any]:
    return json.loads((build / MANIFEST).read_text())


def read_records(build: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (build / "chunks.jsonl").read_text().splitlines() if line]


def files_look_whole(build: Path, manifest: dict[str, Any]) -> bool:
    """A quick look (no vectors read) for the damage `load_index` would refuse."""
    if manifest.get("embedded_store") and not (build / EMBEDDED_STORE).is_dir():
        return False
    return zipfile.is_zipfile(build / "vectors.npz") and (build / "bm25").is_dir()


def swap_current(index_dir: Path, build_name: str) -> None:
    tmp = index_dir / "CURRENT.tmp"
    tmp.write_text(build_name)
    os.replace(tmp, index_dir / "CURRENT")


def remove_old_builds(index_dir: Path, *, keep: set[str]) -> None:
    for path in index_dir.glob("build-*"):
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
