"""Index builds: real model, real embedded Chroma in a temp dir; incremental and atomic."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.errors import IndexMissing
from assistant.indexing import all_documents, run_index, store_factory
from assistant.retrieval.build import is_up_to_date
from assistant.retrieval.layout import current_build
from assistant.retrieval.load import load_index

from conftest import SMALL_CORPUS, write_corpus


def _settings(tmp_path: Path, corpus: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus)


class CountingEmbedder:
    """Wraps the real embedder and records how many texts it was asked to embed."""

    def __init__(self, inner, fail_after: int | None = None) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner
        self.dimension = inner.dimension
        self.texts = 0
        self.fail_after = fail_after

    def embed(self, texts):  # type: ignore[no-untyped-def]
        if self.fail_after is not None and self.texts + len(texts) > self.fail_after:
            raise RuntimeError("embedding failed half-way")
        self.texts += len(texts)
        return self.inner.embed(texts)


def test_build_then_skip_unchanged_then_replace_changed(small_corpus: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(tmp_path, small_corpus)
    first = run_index(settings, CountingEmbedder(embedder))
    assert (first.documents, first.chunks, first.added, first.embedded) == (5, 5, 5, 5)

    counting = CountingEmbedder(embedder)
    second = run_index(settings, counting)
    assert second.skipped_unchanged == 5 and second.embedded == 0 and counting.texts == 0
    assert is_up_to_date(settings.index_dir, all_documents(settings), "all-MiniLM-L6-v2")

    path = small_corpus / "regulations/reg-5-1.md"
    path.write_text(path.read_text().replace("within 6 weeks", "within six weeks"))
    (small_corpus / "glossary/lgsco.md").unlink()
    counting = CountingEmbedder(embedder)
    third = run_index(settings, counting)
    assert (third.skipped_unchanged, third.replaced, third.removed, third.embedded) == (3, 1, 1, 1)
    index = load_index(settings.index_dir, store_factory(settings, embedder))
    texts = {c.chunk_id: c.text for c in index.chunks}
    assert "within six weeks" in texts["regulations/reg-5-1"]
    assert "glossary/lgsco" not in texts
    assert index.store.count() == 5  # four chunks + one example question


def test_vectors_are_precomputed_for_every_sentence(small_corpus: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(tmp_path, small_corpus)
    run_index(settings, embedder)
    index = load_index(settings.index_dir, store_factory(settings, embedder))
    assert len(index.sentence_vectors) == sum(len(s) for s in index.sentences)
    norms = np.linalg.norm(index.sentence_vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-3)


def test_a_failed_build_leaves_the_previous_index_serving(small_corpus: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(tmp_path, small_corpus)
    run_index(settings, embedder)
    serving = current_build(settings.index_dir)
    write_corpus(small_corpus, {f"extra/{i}.md": SMALL_CORPUS["glossary/lgsco.md"].replace("LGSCO", f"LGSCO{i}") for i in range(3)})
    with pytest.raises(RuntimeError, match="half-way"):
        run_index(settings, CountingEmbedder(embedder, fail_after=2))
    assert current_build(settings.index_dir) == serving
    index = load_index(settings.index_dir, store_factory(settings, embedder))
    assert len(index.chunks) == 5
    assert [p.name for p in settings.index_dir.glob("build-*")] == [serving.name]  # type: ignore[union-attr]


def test_missing_or_damaged_index_says_how_to_rebuild(small_corpus: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(tmp_path, small_corpus)
    with pytest.raises(IndexMissing, match="send-assistant index"):
        load_index(settings.index_dir, store_factory(settings, embedder))
    run_index(settings, embedder)
    build = current_build(settings.index_dir)
    assert build is not None
    (build / "vectors.npz").write_bytes(b"not a numpy file")
    with pytest.raises(IndexMissing, match="--rebuild"):
        load_index(settings.index_dir, store_factory(settings, embedder))
    manifest = json.loads((build / "manifest.json").read_text())
    assert manifest["model"] == "all-MiniLM-L6-v2"


def test_a_cut_vector_file_or_a_lost_vector_store_is_damage_and_index_repairs_it(small_corpus: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(tmp_path, small_corpus)
    documents = all_documents(settings)
    run_index(settings, embedder)
    build = current_build(settings.index_dir)
    assert build is not None and json.loads((build / "manifest.json").read_text())["embedded_store"] is True

    vectors = build / "vectors.npz"
    vectors.write_bytes(vectors.read_bytes()[: vectors.stat().st_size // 2])
    with pytest.raises(IndexMissing, match="damaged .*BadZipFile.*send-assistant index --rebuild"):
        load_index(settings.index_dir, store_factory(settings, embedder))
    assert not is_up_to_date(settings.index_dir, documents, "all-MiniLM-L6-v2")
    counting = CountingEmbedder(embedder)
    assert run_index(settings, counting).embedded == 5  # nothing to reuse from the cut file; no crash

    build = current_build(settings.index_dir)
    assert build is not None
    shutil.rmtree(build / "chroma")
    with pytest.raises(IndexMissing, match="chroma/ is missing.*send-assistant index --rebuild"):
        load_index(settings.index_dir, store_factory(settings, embedder))
    assert not (build / "chroma").exists(), "checking must not create an empty store"
    assert not is_up_to_date(settings.index_dir, documents, "all-MiniLM-L6-v2")

    run_index(settings, embedder)
    index = load_index(settings.index_dir, store_factory(settings, embedder))
    index.store.drop()  # a store that lost its rows opens as an empty collection
    with pytest.raises(IndexMissing, match="holds 0 rows where 6 were written"):
        load_index(settings.index_dir, store_factory(settings, embedder))


def _sentence_rows_of(owners: list[int], chunks: int) -> list[list[int]]:
    from assistant.retrieval.load import LoadedIndex
    from assistant.models import Chunk, LegalStatus

    index = LoadedIndex(
        build="test",
        chunks=[Chunk(f"c{i}", f"c{i}", "text", "CoP", f"{i}", f"c{i}", LegalStatus.GUIDANCE) for i in range(chunks)],
        sentences=[[] for _ in range(chunks)],
        sentence_vectors=np.arange(len(owners), dtype=np.float32)[:, None],
        sentence_chunk=np.array(owners, dtype=np.int32),
        keyword=None,  # type: ignore[arg-type]
        store=None,  # type: ignore[arg-type]
        manifest={},
    )
    return [index.sentence_vectors_of(pos)[:, 0].astype(int).tolist() for pos in range(chunks)]


def test_sentence_vectors_of_a_chunk_are_its_own_rows() -> None:
    # as a build writes them: chunk by chunk; chunk 1 has no sentences
    assert _sentence_rows_of([0, 0, 2, 2, 2, 3], 4) == [[0, 1], [], [2, 3, 4], [5]]
    # any other order still finds the right rows
    assert _sentence_rows_of([1, 0, 1, 0], 2) == [[1, 3], [0, 2]]
