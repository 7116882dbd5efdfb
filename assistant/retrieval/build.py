"""Building the index: a build is made aside and swapped in by replacing CURRENT, so a run that fails or is killed
half-way leaves the previous index serving. Unchanged documents (same content hash) reuse
their vectors from the previous build: only new or changed text is embedded.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import CorpusError
from assistant.models import Document
from assistant.ports import Embedder
from assistant.retrieval.chunking import chunk_document, document_hash
from assistant.retrieval.dense import NATIONAL
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.layout import (
    FORMAT_VERSION,
    MANIFEST,
    EMBEDDED_STORE,
    UNREADABLE,
    ChunkVectors,
    bank_texts,
    StoreFactory,
    chunk_record,
    current_build,
    embedding_text,
    files_look_whole,
    keyword_text,
    read_manifest,
    read_records,
    remove_old_builds,
    swap_current,
)
from assistant.text import split_sentences


@dataclass
class BuildSummary:
    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    skipped_unchanged: int = 0
    replaced: int = 0
    added: int = 0
    removed: int = 0
    texts_embedded: int = 0  # distinct texts the model embedded (chunks, example questions, sentences)
    seconds: float = 0.0
    build: str = ""
    errors: list[str] = field(default_factory=list)


def _load_previous(build: Path | None, model: str) -> dict[str, tuple[str, list[dict[str, Any]], list[ChunkVectors]]]:
    """doc_id -> (doc_hash, records, vectors) from the build that serves now."""
    if build is None:
        return {}
    try:
        manifest = read_manifest(build)
        if manifest.get("format") != FORMAT_VERSION or manifest.get("model") != model:
            return {}
        records = read_records(build)
        with np.load(build / "vectors.npz") as npz:
            arrays = {name: npz[name] for name in ("chunk", "question", "sentence", "question_chunk", "sentence_chunk")}
            if "bank" in npz.files:
                arrays.update(bank=npz["bank"], bank_chunk=npz["bank_chunk"])
    except UNREADABLE:
        return {}  # an unreadable old build only costs re-embedding
    previous: dict[str, tuple[str, list[dict[str, Any]], list[ChunkVectors]]] = {}
    q_owner, s_owner = arrays["question_chunk"], arrays["sentence_chunk"]
    for i, record in enumerate(records):
        bank = arrays["bank"][arrays["bank_chunk"] == i] if "bank" in arrays else None
        vectors = ChunkVectors(arrays["chunk"][i], arrays["question"][q_owner == i], arrays["sentence"][s_owner == i], bank)
        entry = previous.setdefault(record["doc_id"], (record["doc_hash"], [], []))
        entry[1].append(record)
        entry[2].append(vectors)
    return previous


def build_index(
    documents: Sequence[Document],
    *,
    index_dir: Path,
    embedder: Embedder,
    model_name: str,
    store_factory: StoreFactory,
    progress: Callable[[str, int, int], None] | None = None,
    reuse: bool = True,
) -> BuildSummary:
    """Build a new index from `documents` beside the current one, then swap it in."""
    started = time.perf_counter()
    _check_unique(documents)
    index_dir.mkdir(parents=True, exist_ok=True)
    serving = current_build(index_dir)
    previous = _load_previous(serving, model_name) if reuse else {}
    summary = BuildSummary(documents=len(documents))

    records: list[dict[str, Any]] = []
    vectors: list[ChunkVectors | None] = []
    for doc in documents:
        doc_hash = document_hash(doc)
        old = previous.get(doc.doc_id)
        if old and old[0] == doc_hash:
            records.extend(old[1])
            vectors.extend(old[2])
            summary.skipped_unchanged += 1
            continue
        summary.replaced += 1 if old else 0
        summary.added += 0 if old else 1
        for chunk in chunk_document(doc):
            records.append(chunk_record(chunk, doc_hash, split_sentences(chunk.text)))
            vectors.append(None)
    summary.removed = len(set(previous) - {d.doc_id for d in documents})

    todo = [i for i, v in enumerate(vectors) if v is None]
    summary.texts_embedded = _embed_missing(records, vectors, todo, embedder, progress, known=lambda: _known_vectors(previous))
    summary.texts_embedded += _embed_bank(records, vectors, embedder)  # type: ignore[arg-type]
    summary.embedded = len(todo)
    summary.chunks = len(records)

    build_name = f"build-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    build = index_dir / build_name
    build.mkdir()
    try:
        _write_build(build, build_name, records, vectors, store_factory, model_name)  # type: ignore[arg-type]
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    swap_current(index_dir, build_name)
    remove_old_builds(index_dir, keep={build_name} | ({serving.name} if serving else set()))
    summary.build = build_name
    summary.seconds = time.perf_counter() - started
    return summary


def _check_unique(documents: Sequence[Document]) -> None:
    seen: set[str] = set()
    for doc in documents:
        if doc.doc_id in seen:
            raise CorpusError(f"two documents share the id {doc.doc_id!r}")
        seen.add(doc.doc_id)


def _embed_missing(
    records: list[dict[str, Any]],
    vectors: list[ChunkVectors | None],
    todo: list[int],
    embedder: Embedder,
    progress: Callable[[str, int, int], None] | None,
    known: Callable[[], dict[str, np.ndarray]] = dict,
) -> int:
    """Give each record in `todo` its chunk, example-question and sentence vectors.

    Each distinct text is embedded once however many records hold it (a directory's services
    share much of their wording), and not at all when the previous build already has its
    vector (`known`, read only when there is something to embed). The texts go to the model
    shortest first, in batches, so a batch pads to texts of about its own length. Returns
    how many texts were embedded.
    """
    rows: dict[str, int] = {}  # distinct text -> its row in `matrix`
    spans: list[tuple[int, int, list[int]]] = []  # (record index, number of questions, rows of its texts)
    for i in todo:
        record = records[i]
        texts = [embedding_text(record), *record["questions"], *record["sentences"], *bank_texts(record)]
        spans.append((i, len(record["questions"]), [rows.setdefault(t, len(rows)) for t in texts]))
    if not spans:
        return 0
    texts = list(rows)
    reuse = known() if texts else {}
    matrix = np.zeros((len(texts), 0), dtype=np.float32)
    missing = [row for row, text in enumerate(texts) if text not in reuse]
    missing.sort(key=lambda row: len(texts[row]))
    batch = 1024  # the embedder orders each batch by token length: larger batches pad less
    for start in range(0, len(missing), batch):
        chunk_rows = missing[start : start + batch]
        embedded = embedder.embed([texts[row] for row in chunk_rows])
        if not matrix.shape[1]:
            matrix = np.zeros((len(texts), embedded.shape[1]), dtype=np.float32)
        matrix[chunk_rows] = embedded
        if progress:
            progress("embedding", min(start + batch, len(missing)), len(missing))
    for row, text in enumerate(texts):
        if text in reuse:
            if not matrix.shape[1]:
                matrix = np.zeros((len(texts), len(reuse[text])), dtype=np.float32)
            matrix[row] = reuse[text]
    for i, n_questions, own in spans:
        n_bank = len(bank_texts(records[i]))
        end = len(own) - n_bank
        vectors[i] = ChunkVectors(matrix[own[0]], matrix[own[1 : 1 + n_questions]], matrix[own[1 + n_questions : end]], matrix[own[end:]])
    return len(missing)


def _embed_bank(records: list[dict[str, Any]], vectors: list[ChunkVectors], embedder: Embedder) -> int:
    """Title vectors for bank entries carried over from a build made before they were kept."""
    todo = [i for i, v in enumerate(vectors) if v.bank is None and bank_texts(records[i])]
    if not todo:
        return 0
    texts = [t for i in todo for t in bank_texts(records[i])]
    matrix = embedder.embed(texts)
    start = 0
    for i in todo:
        v, n = vectors[i], len(bank_texts(records[i]))
        vectors[i] = ChunkVectors(v.chunk, v.questions, v.sentences, matrix[start : start + n])
        start += n
    return len(texts)


def _known_vectors(previous: dict[str, tuple[str, list[dict[str, Any]], list[ChunkVectors]]]) -> dict[str, np.ndarray]:
    """Every text the previous build embedded, with its vector: a changed document's unchanged
    sentences (and texts it shares with others) are not embedded again."""
    known: dict[str, np.ndarray] = {}
    for _, records, vectors in previous.values():
        for record, v in zip(records, vectors, strict=True):
            known[embedding_text(record)] = v.chunk
            known.update(zip(record["questions"], v.questions, strict=True))
            known.update(zip(record["sentences"], v.sentences, strict=True))
            if v.bank is not None:
                known.update(zip(bank_texts(record), v.bank, strict=True))
    return known


def _write_build(
    build: Path,
    build_name: str,
    records: list[dict[str, Any]],
    vectors: list[ChunkVectors],
    store_factory: StoreFactory,
    model_name: str,
) -> None:
    with (build / "chunks.jsonl").open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    dim = vectors[0].chunk.shape[-1] if vectors else 384
    chunk_m = np.stack([v.chunk for v in vectors]) if vectors else np.zeros((0, dim), np.float32)
    q_parts = [v.questions for v in vectors]
    s_parts = [v.sentences for v in vectors]
    question_m = np.concatenate(q_parts) if q_parts else np.zeros((0, dim), np.float32)
    sentence_m = np.concatenate(s_parts) if s_parts else np.zeros((0, dim), np.float32)
    question_chunk = np.concatenate([np.full(len(p), i) for i, p in enumerate(q_parts)] or [np.zeros(0)])
    b_parts = [v.bank if v.bank is not None else np.zeros((0, dim), np.float32) for v in vectors]
    bank_m = np.concatenate(b_parts) if b_parts else np.zeros((0, dim), np.float32)
    bank_chunk = np.concatenate([np.full(len(p), i) for i, p in enumerate(b_parts)] or [np.zeros(0)])
    sentence_chunk = np.concatenate([np.full(len(p), i) for i, p in enumerate(s_parts)] or [np.zeros(0)])
    np.savez(
        build / "vectors.npz",
        chunk=chunk_m.astype(np.float32),
        question=question_m.astype(np.float32),
        sentence=sentence_m.astype(np.float32),
        question_chunk=question_chunk.astype(np.int32),
        sentence_chunk=sentence_chunk.astype(np.int32),
        bank=bank_m.astype(np.float32),
        bank_chunk=bank_chunk.astype(np.int32),
    )
    keyword_dir = build / "bm25"
    keyword_dir.mkdir()
    KeywordIndex.build([keyword_text(r) for r in records]).save(keyword_dir)

    store = store_factory(build, build_name)
    ids: list[str] = []
    metas: list[dict[str, str]] = []
    rows: list[np.ndarray] = [chunk_m, question_m]
    for i, record in enumerate(records):
        ids.append(record["chunk_id"])
        metas.append({"chunk_id": record["chunk_id"], "local_authority": record.get("local_authority") or NATIONAL})
    for i, q in enumerate(question_chunk.tolist()):
        record = records[int(q)]
        ids.append(f"{record['chunk_id']}::q{i}")
        metas.append({"chunk_id": record["chunk_id"], "local_authority": record.get("local_authority") or NATIONAL})
    store.replace_all(ids, np.concatenate(rows), metas)

    manifest = {
        "format": FORMAT_VERSION,
        "model": model_name,
        "build": build_name,
        "collection": store.collection_name,
        "chunks": len(records),
        "embedded_store": (build / EMBEDDED_STORE).is_dir(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "local_authorities": sorted({r["local_authority"] for r in records if r.get("local_authority")}),
    }
    tmp = build / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1))
    os.replace(tmp, build / MANIFEST)


def is_up_to_date(index_dir: Path, documents: Sequence[Document], model_name: str) -> bool:
    """True when the serving build holds exactly these documents, unchanged, for this model."""
    build = current_build(index_dir)
    if build is None:
        return False
    try:
        manifest = read_manifest(build)
        hashes = {}
        for line in (build / "chunks.jsonl").read_text().splitlines():
            record = json.loads(line)
            hashes[record["doc_id"]] = record["doc_hash"]
    except (OSError, ValueError, KeyError):
        return False
    if manifest.get("format") != FORMAT_VERSION or manifest.get("model") != model_name:
        return False
    if not files_look_whole(build, manifest):
        return False
    return hashes == {doc.doc_id: document_hash(doc) for doc in documents}


def unchanged_summary(index_dir: Path, documents: Sequence[Document]) -> BuildSummary:
    """The summary of a refresh that found the serving build up to date (`is_up_to_date`)."""
    build = current_build(index_dir)
    assert build is not None
    manifest = read_manifest(build)
    n = len(documents)
    return BuildSummary(documents=n, chunks=int(manifest.get("chunks", 0)), skipped_unchanged=n, build=build.name)
