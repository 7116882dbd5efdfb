"""The routing examples' vectors and trained weights are kept in a file beside the index.

The file is keyed by the routing data files, the model name and the embedder's name and size;
the weights also by the training parameters. A matching file is read and the model is not called;
another model, edited data or a damaged file means embedding again and rewriting the file; a new
calibration (other parameters) means training again without embedding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.routing import cache as cache_module


@pytest.fixture(autouse=True)
def _nothing_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a new process would: nothing embedded in memory yet."""
    monkeypatch.setattr(cache_module, "_MEMO", {})
from assistant.routing.cache import cache_key, load_or_build
from assistant.routing.data import load_decisions


class HashEmbedder:
    """Deterministic unit vectors from a hash of each text; records every text it embeds."""

    dimension = 8

    def __init__(self) -> None:
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        rows = []
        for text in texts:
            digest = hashlib.sha256(text.encode()).digest()
            row = np.frombuffer(digest[: self.dimension * 4], dtype=np.uint32).astype(np.float32) - 2**31
            rows.append(row / np.linalg.norm(row))
        return np.stack(rows) if rows else np.zeros((0, self.dimension), np.float32)


N_EXAMPLES = sum(len(d.examples) for d in load_decisions().values())


def test_the_first_call_embeds_and_writes_the_file_and_the_next_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "index" / "routing-exemplars.npz"
    first = HashEmbedder()
    trained = load_or_build(first, cache=cache, model="m1")
    assert len(first.texts) == N_EXAMPLES and cache.exists()

    monkeypatch.setattr(cache_module, "_MEMO", {})  # another process: nothing remembered in memory
    second = HashEmbedder()
    again = load_or_build(second, cache=cache, model="m1")
    assert second.texts == [], "a current cache file means the model is not called"
    for name in trained.vectors:
        np.testing.assert_array_equal(again.vectors[name], trained.vectors[name])
        np.testing.assert_allclose(again.logistic[name].coef, trained.logistic[name].coef)
    assert not list(cache.parent.glob("*.tmp")), "no temporary file left behind"


def test_another_model_makes_the_cache_stale_and_it_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "routing-exemplars.npz"
    load_or_build(HashEmbedder(), cache=cache, model="m1")
    embedder = HashEmbedder()
    load_or_build(embedder, cache=cache, model="m2")
    assert len(embedder.texts) == N_EXAMPLES
    with np.load(cache) as npz:
        assert str(npz["key"]) == cache_key(embedder, "m2")
    cache_module._MEMO.clear()
    later = HashEmbedder()
    load_or_build(later, cache=cache, model="m2")
    assert later.texts == []


def test_edited_data_files_make_the_cache_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "routing-exemplars.npz"
    load_or_build(HashEmbedder(), cache=cache, model="m1")
    monkeypatch.setattr(cache_module, "data_digest", lambda: "edited")
    embedder = HashEmbedder()
    load_or_build(embedder, cache=cache, model="m1")
    assert len(embedder.texts) == N_EXAMPLES


def test_new_training_parameters_retrain_without_embedding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "routing-exemplars.npz"
    before = load_or_build(HashEmbedder(), cache=cache, model="m1")
    monkeypatch.setattr(cache_module, "weights_key", lambda key: "recalibrated")
    embedder = HashEmbedder()
    after = load_or_build(embedder, cache=cache, model="m1")
    assert embedder.texts == [], "the vectors were current; only the weights were trained again"
    np.testing.assert_array_equal(after.vectors["message"], before.vectors["message"])
    with np.load(cache) as npz:
        assert str(npz["weights_key"]) == "recalibrated"


def test_a_damaged_cache_file_is_embedded_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "routing-exemplars.npz"
    load_or_build(HashEmbedder(), cache=cache, model="m1")
    cache.write_bytes(cache.read_bytes()[:100])
    monkeypatch.setattr(cache_module, "_MEMO", {})  # another process
    embedder = HashEmbedder()
    load_or_build(embedder, cache=cache, model="m1")
    assert len(embedder.texts) == N_EXAMPLES
    cache_module._MEMO.clear()
    later = HashEmbedder()
    load_or_build(later, cache=cache, model="m1")
    assert later.texts == [], "the damaged file was replaced by a good one"


def test_a_cache_that_cannot_be_written_still_gives_the_vectors(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    trained = load_or_build(HashEmbedder(), cache=blocker / "routing-exemplars.npz", model="m1")
    assert trained.vectors["message"].shape == (len(load_decisions()["message"].examples), HashEmbedder.dimension)


def test_one_process_embeds_the_examples_once_whatever_the_path_or_embedder_object(tmp_path: Path) -> None:
    embedder, another = HashEmbedder(), HashEmbedder()
    load_or_build(embedder, cache=tmp_path / "a" / "cache.npz", model="m1")
    load_or_build(another, cache=tmp_path / "b" / "cache.npz", model="m1")
    assert len(embedder.texts) == N_EXAMPLES and another.texts == []
    assert (tmp_path / "b" / "cache.npz").exists()


def test_services_keep_the_cache_beside_the_index(tmp_path: Path) -> None:
    from assistant.config import Settings
    from assistant.services import prepare_serving, router, routing_cache

    settings = Settings(data_dir=tmp_path / "data", embedding_backend="torch")
    made = prepare_serving(settings, HashEmbedder())
    assert routing_cache(settings).parent == settings.models_dir and routing_cache(settings).exists()
    assert any("routing" in m for m in made)
    cache_module._MEMO.clear()
    embedder = HashEmbedder()
    router(embedder, routing_cache(settings), "all-MiniLM-L6-v2")
    assert embedder.texts == []
