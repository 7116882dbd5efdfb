"""Exact dense search over a build's own vectors answers as the embedded vector store does.

An embedded build's retriever searches the rows of vectors.npz in process (`VectorSearch`)
rather than asking Chroma. The rows are the ones the store holds: these tests compare both
on the same rows, and check that load_index picks the in-process search for embedded builds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.retrieval.dense import VectorSearch


def _unit_rows(n: int, dim: int = 16, seed: int = 7) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_one_pair_per_chunk_best_first_from_the_nearest_rows() -> None:
    rows = np.array([[1, 0, 0], [0.8, 0.6, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    search = VectorSearch(rows, ["a", "a", "b", "c"], ["", "", "", ""])
    query = np.array([0.6, 0.8, 0], dtype=np.float32)
    found = search.query(query, top_k=3, local_authority=None)
    assert [chunk for chunk, _ in found] == ["a", "b"]  # rows 1, 2 and 0: chunk a once, at its best
    assert found[0][1] == pytest.approx(0.96) and found[1][1] == pytest.approx(0.8)
    assert [c for c, _ in search.query(query, top_k=1, local_authority=None)] == ["a"]
    assert len(search.query(query, top_k=100, local_authority=None)) == 3


def test_a_question_sees_national_rows_and_its_own_authoritys_only() -> None:
    rows = np.eye(3, dtype=np.float32)
    search = VectorSearch(rows, ["national", "leeds", "york"], ["", "Leeds", "York"])
    everything = np.ones(3, dtype=np.float32) / np.sqrt(3)
    assert {c for c, _ in search.query(everything, top_k=10, local_authority=None)} == {"national"}
    assert {c for c, _ in search.query(everything, top_k=10, local_authority="Leeds")} == {"national", "leeds"}
    assert search.query(everything, top_k=0, local_authority="Leeds") == []


def test_names_of_authorities_with_no_rows_see_the_national_rows_and_add_no_memory() -> None:
    rows = np.eye(3, dtype=np.float32)
    search = VectorSearch(rows, ["national", "leeds", "york"], ["", "Leeds", "York"])
    everything = np.ones(3, dtype=np.float32) / np.sqrt(3)
    for n in range(500):  # a client can send any name it likes
        assert {c for c, _ in search.query(everything, top_k=10, local_authority=f"Nowhere {n}")} == {"national"}
    search.query(everything, top_k=10, local_authority="York")
    assert len(search._allowed_rows) == 2  # the national rows once, York's once


def test_rows_ids_and_authorities_must_line_up() -> None:
    with pytest.raises(ValueError, match="3 vectors, 2 chunk ids"):
        VectorSearch(np.eye(3, dtype=np.float32), ["a", "b"], ["", "", ""])


def test_the_same_answers_as_the_embedded_chroma_store_on_the_same_rows(tmp_path: Path) -> None:
    from assistant.storage.chroma import ChromaChunkStore, make_client

    rows = _unit_rows(300)
    chunk_ids = [f"chunk-{i % 200}" for i in range(300)]  # rows 200+ are example questions of chunks 0-99
    authorities = ["Leeds" if i % 200 % 17 == 0 else "" for i in range(300)]
    store = ChromaChunkStore(make_client(path=tmp_path / "chroma"), "chunks")
    ids = [f"{c}::{i}" for i, c in enumerate(chunk_ids)]
    store.replace_all(ids, rows, [{"chunk_id": c, "local_authority": a} for c, a in zip(chunk_ids, authorities, strict=True)])
    search = VectorSearch(rows, chunk_ids, authorities)
    for query in _unit_rows(10, seed=11):
        for authority in (None, "Leeds"):
            ours = search.query(query, top_k=40, local_authority=authority)
            theirs = store.query(query, top_k=40, local_authority=authority)
            assert [c for c, _ in ours] == [c for c, _ in theirs]
            np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], atol=1e-5)


@pytest.mark.integration
def test_an_embedded_build_is_searched_in_process_with_the_stores_rows(small_corpus: Path, tmp_path: Path, embedder: Any) -> None:
    from assistant.config import Settings
    from assistant.retrieval.load import load_index
    from assistant.services import run_index, store_factory

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=small_corpus)
    run_index(settings, embedder)
    index = load_index(settings.index_dir, store_factory(settings, embedder))
    assert isinstance(index.dense, VectorSearch) and len(index.dense) == index.store.count()
    for question in ["How long does the council have to decide on an assessment?", "What is the LGSCO?"]:
        vector = embedder.embed([question])[0]
        ours = index.dense.query(vector, top_k=40, local_authority=None)
        theirs = index.store.query(vector, top_k=40, local_authority=None)
        assert [c for c, _ in ours] == [c for c, _ in theirs]
