"""Opening the serving build checks it cheaply: every file readable, as many chunk records as the manifest
says, the chroma/ folder present when the build was made with one, and as many rows in the
vector store as there are chunk and example-question vectors. Anything else is reported as
IndexMissing, saying to run `send-assistant index --rebuild`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import IndexMissing
from assistant.models import Chunk
from assistant.ports import DenseSearch, VectorStore
from assistant.retrieval.dense import NATIONAL, VectorSearch
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.layout import (
    EMBEDDED_STORE,
    UNREADABLE,
    StoreFactory,
    chunk_from_record,
    current_build,
    read_manifest,
    read_records,
)


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
    # Each answer-bank entry's title vector (one row an entry; a format-2 build also kept its
    # answer after it, unused), and the entry of each row.
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
        records = read_records(build)
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
