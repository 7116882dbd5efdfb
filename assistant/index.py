"""Building and opening the search index.

Layout under `<data_dir>/index/`:

    CURRENT               the name of the build that serves (replaced atomically)
    build-<stamp>/        one complete build:
      manifest.json       written last: a build without it is incomplete and ignored
      chunks.jsonl        chunk records (with their document's content hash)
      vectors.npz         chunk, example-question and sentence vectors (float32, unit length)
      bm25/               the keyword index
      chroma/             the embedded Chroma store (absent when a Chroma server is used)

Opening a build checks it cheaply: every file readable, as many chunk records as the manifest
says, the chroma/ folder present when the build was made with one, and as many rows in the
vector store as there are chunk and example-question vectors. Anything else is reported as
IndexMissing, saying to run `send-assistant index --rebuild`.

A build is made aside and swapped in by replacing CURRENT, so a run that fails or is killed
half-way leaves the previous index serving. Unchanged documents (same content hash) reuse
their vectors from the previous build: only new or changed text is embedded.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.chunking import chunk_document, document_hash
from assistant.dense import NATIONAL, VectorSearch
from assistant.errors import CorpusError, IndexMissing
from assistant.keyword import KeywordIndex
from assistant.models import Chunk, Document, LegalStatus, PassageKind
from assistant.ports import DenseSearch, Embedder, VectorStore
from assistant.text import split_sentences

MANIFEST = "manifest.json"
FORMAT_VERSION = 2
EMBEDDED_STORE = "chroma"
StoreFactory = Callable[[Path, str], VectorStore]
# What reading a damaged build raises: a cut or garbled .npz is a BadZipFile or an EOFError.
UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


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
    """An answer-bank entry's own question (its title) and its direct answer, each embedded on its
    own: the bank matches a message against them as well as against the ways of asking."""
    return [record["title"], record["answer"]] if record.get("answer") else []


def embedding_text(record: dict[str, Any]) -> str:
    """The text a chunk's own vector is made from: its title, then its text."""
    return f"{record['title']}. {record['text']}"


@dataclass
class _Vectors:
    """Per-chunk vectors, so unchanged chunks can be carried into the next build."""

    chunk: np.ndarray
    questions: np.ndarray
    sentences: np.ndarray
    bank: np.ndarray | None = None  # an answer-bank entry's title and answer (`bank_texts`); None: not made yet


def current_build(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return None
    build = index_dir / pointer.read_text().strip()
    return build if (build / MANIFEST).exists() else None


def read_manifest(build: Path) -> dict[str, Any]:
    return json.loads((build / MANIFEST).read_text())


def _read_records(build: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (build / "chunks.jsonl").read_text().splitlines() if line]


def _load_previous(build: Path | None, model: str) -> dict[str, tuple[str, list[dict[str, Any]], list[_Vectors]]]:
    """doc_id -> (doc_hash, records, vectors) from the build that serves now."""
    if build is None:
        return {}
    try:
        manifest = read_manifest(build)
        if manifest.get("format") != FORMAT_VERSION or manifest.get("model") != model:
            return {}
        records = _read_records(build)
        with np.load(build / "vectors.npz") as npz:
            arrays = {name: npz[name] for name in ("chunk", "question", "sentence", "question_chunk", "sentence_chunk")}
            if "bank" in npz.files:
                arrays.update(bank=npz["bank"], bank_chunk=npz["bank_chunk"])
    except UNREADABLE:
        return {}  # an unreadable old build only costs re-embedding
    previous: dict[str, tuple[str, list[dict[str, Any]], list[_Vectors]]] = {}
    q_owner, s_owner = arrays["question_chunk"], arrays["sentence_chunk"]
    for i, record in enumerate(records):
        bank = arrays["bank"][arrays["bank_chunk"] == i] if "bank" in arrays else None
        vectors = _Vectors(arrays["chunk"][i], arrays["question"][q_owner == i], arrays["sentence"][s_owner == i], bank)
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
    vectors: list[_Vectors | None] = []
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
    _swap(index_dir, build_name)
    _remove_old_builds(index_dir, keep={build_name} | ({serving.name} if serving else set()))
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
    vectors: list[_Vectors | None],
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
    batch = 256
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
        vectors[i] = _Vectors(matrix[own[0]], matrix[own[1 : 1 + n_questions]], matrix[own[1 + n_questions : end]], matrix[own[end:]])
    return len(missing)


def _embed_bank(records: list[dict[str, Any]], vectors: list[_Vectors], embedder: Embedder) -> int:
    """Title and answer vectors for bank entries carried over from a build made before they were kept."""
    todo = [i for i, v in enumerate(vectors) if v.bank is None and bank_texts(records[i])]
    if not todo:
        return 0
    texts = [t for i in todo for t in bank_texts(records[i])]
    matrix = embedder.embed(texts)
    for n, i in enumerate(todo):
        v = vectors[i]
        vectors[i] = _Vectors(v.chunk, v.questions, v.sentences, matrix[2 * n : 2 * n + 2])
    return len(texts)


def _known_vectors(previous: dict[str, tuple[str, list[dict[str, Any]], list[_Vectors]]]) -> dict[str, np.ndarray]:
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
    vectors: list[_Vectors],
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
    if not _files_look_whole(build, manifest):
        return False
    return hashes == {doc.doc_id: document_hash(doc) for doc in documents}


def unchanged_summary(index_dir: Path, documents: Sequence[Document]) -> BuildSummary:
    """The summary of a refresh that found the serving build up to date (`is_up_to_date`)."""
    build = current_build(index_dir)
    assert build is not None
    manifest = read_manifest(build)
    n = len(documents)
    return BuildSummary(documents=n, chunks=int(manifest.get("chunks", 0)), skipped_unchanged=n, build=build.name)


def _files_look_whole(build: Path, manifest: dict[str, Any]) -> bool:
    """A quick look (no vectors read) for the damage `load_index` would refuse."""
    if manifest.get("embedded_store") and not (build / EMBEDDED_STORE).is_dir():
        return False
    return zipfile.is_zipfile(build / "vectors.npz") and (build / "bm25").is_dir()


def keyword_text(record: dict[str, Any]) -> str:
    return " ".join([record["title"], record["ref"], record["text"], *record.get("questions", [])])


def _swap(index_dir: Path, build_name: str) -> None:
    tmp = index_dir / "CURRENT.tmp"
    tmp.write_text(build_name)
    os.replace(tmp, index_dir / "CURRENT")


def _remove_old_builds(index_dir: Path, *, keep: set[str]) -> None:
    for path in index_dir.glob("build-*"):
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


@dataclass
class LoadedIndex:
    """A build on disk, loaded once at start-up: the `ports.SearchIndex` the retriever and the composers read."""

    build: str
    chunks: list[Chunk]
    sentences: list[list[str]]
    sentence_vectors: np.ndarray
    sentence_chunk: np.ndarray
    keyword: KeywordIndex
    store: VectorStore
    manifest: dict[str, Any]
    position: dict[str, int] = field(default_factory=dict)
    # What dense retrieval queries: the build's own vectors searched in process for an embedded
    # store (same rows, exact), else the vector store itself (a Chroma server).
    dense: DenseSearch | None = None
    # The example questions' vectors and the chunk each belongs to: the answer bank matches
    # a question to these, question to question.
    question_vectors: np.ndarray | None = None
    chunk_vectors: np.ndarray | None = None  # each chunk's own vector (title and text), row = chunk number
    question_chunk: np.ndarray | None = None
    # Each answer-bank entry's title and answer vectors (two rows an entry), and the entry of each row.
    bank_vectors: np.ndarray | None = None
    bank_chunk: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.position = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        if self.dense is None:
            self.dense = self.store
        self._masks: dict[str | None, np.ndarray] = {}
        self._authorities_with_chunks = {c.local_authority for c in self.chunks} - {None}
        owners = np.asarray(self.sentence_chunk)
        numbers = np.arange(len(self.chunks))
        # Each chunk's rows in sentence_vectors, found once here rather than on every question.
        # A build writes them chunk by chunk (contiguous slices); anything else gets index arrays.
        if owners.size < 2 or bool(np.all(owners[1:] >= owners[:-1])):
            starts, ends = np.searchsorted(owners, numbers), np.searchsorted(owners, numbers, side="right")
            self._sentence_rows: list[slice | np.ndarray] = [slice(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]
        else:
            self._sentence_rows = [np.flatnonzero(owners == i) for i in numbers]

    def sentence_vectors_of(self, pos: int) -> np.ndarray:
        """The vectors of chunk number `pos`'s sentences, in sentence order."""
        return self.sentence_vectors[self._sentence_rows[pos]]

    def mask(self, local_authority: str | None) -> np.ndarray:
        """Which chunks a question for `local_authority` may see: national + that authority's."""
        if local_authority not in self._authorities_with_chunks:
            local_authority = None  # only the national chunks; one shared mask, however many names are asked for
        if local_authority not in self._masks:
            self._masks[local_authority] = np.array(
                [c.local_authority in (None, local_authority) for c in self.chunks], dtype=bool
            )
        return self._masks[local_authority]

    @property
    def local_authorities(self) -> list[str]:
        return list(self.manifest.get("local_authorities", []))


def load_index(index_dir: Path, store_factory: StoreFactory) -> LoadedIndex:
    """Open the serving build. Raises IndexMissing, saying how to rebuild, when it is missing or damaged."""
    build = current_build(index_dir)
    if build is None:
        raise IndexMissing(f"no search index in {index_dir}: run `send-assistant index` to build it")
    try:
        manifest = read_manifest(build)
        records = _read_records(build)
        with np.load(build / "vectors.npz") as npz:
            sentence_vectors, sentence_chunk = npz["sentence"], npz["sentence_chunk"]
            question_chunk = npz["question_chunk"]
            vector_rows = len(records) + len(question_chunk)
            embedded = manifest.get("embedded_store", (build / EMBEDDED_STORE).is_dir())  # older manifests lack the flag
            question_vectors = npz["question"]
            chunk_vectors = npz["chunk"]
            bank_vectors = npz["bank"] if "bank" in npz.files else None
            bank_chunk = npz["bank_chunk"] if "bank" in npz.files else None
            dense = _vector_search(npz["chunk"], question_vectors, question_chunk, records) if embedded else None
        keyword = KeywordIndex.load(build / "bm25")
    except UNREADABLE as exc:
        raise _damaged(build, f"{exc.__class__.__name__}: {exc}") from exc
    if len(records) != manifest.get("chunks"):
        raise _damaged(build, f"{len(records)} chunk records where the manifest says {manifest.get('chunks')}")
    if manifest.get("embedded_store") and not (build / EMBEDDED_STORE).is_dir():
        raise _damaged(build, f"its vector store folder {EMBEDDED_STORE}/ is missing")
    store = store_factory(build, manifest["collection"])
    _check_store_rows(build, store, vector_rows)
    return LoadedIndex(
        build=build.name,
        chunks=[chunk_from_record(r) for r in records],
        sentences=[list(r["sentences"]) for r in records],
        sentence_vectors=sentence_vectors,
        sentence_chunk=sentence_chunk,
        keyword=keyword,
        store=store,
        manifest=manifest,
        dense=dense,
        question_vectors=question_vectors,
        chunk_vectors=chunk_vectors,
        question_chunk=question_chunk,
        bank_vectors=bank_vectors,
        bank_chunk=bank_chunk,
    )


def _vector_search(chunk_m: np.ndarray, question_m: np.ndarray, question_chunk: np.ndarray, records: list[dict[str, Any]]) -> VectorSearch:
    """The rows `_write_build` gave the vector store (chunks, then example questions), searchable in process."""
    owners = [*range(len(records)), *question_chunk.tolist()]
    return VectorSearch(
        np.concatenate([chunk_m, question_m]) if len(question_m) else chunk_m,
        [records[i]["chunk_id"] for i in owners],
        [records[i].get("local_authority") or NATIONAL for i in owners],
    )


def _damaged(build: Path, why: str) -> IndexMissing:
    return IndexMissing(
        f"the search index in {build} is damaged ({why}); run `send-assistant index --rebuild` to build it again"
    )


def _check_store_rows(build: Path, store: VectorStore | None, expected: int) -> None:
    """The vector store must hold a row per chunk and example-question vector.

    An embedded store whose folder was emptied, or a server that lost the collection, opens
    as an empty collection: without this every question would quietly be refused. A store of
    None (cli.serve.index_problem reads only the files) is not checked.
    """
    if store is None:
        return
    rows = store.count()
    if rows != expected:
        raise _damaged(build, f"the vector store holds {rows} rows where {expected} were written")
