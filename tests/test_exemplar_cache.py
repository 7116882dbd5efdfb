"""The safeguarding exemplars' vectors are kept in a file, so a server start-up need not embed them.

The cache is keyed by both exemplar files, the model name and the embedder's model name and size: a
matching file is read and the model is not called; anything else (another model, edited
exemplars, a damaged file) is embedded again and the file rewritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.guardrails import semantic
from assistant.guardrails.semantic import SemanticSafety, exemplar_key, exemplar_vectors, load_exemplars


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


N_EXEMPLARS = len(load_exemplars(semantic.RISK_FILE)) + len(load_exemplars(semantic.SAFE_FILE))


def test_the_first_call_embeds_and_writes_the_file_and_the_next_reads_it(tmp_path: Path) -> None:
    cache = tmp_path / "index" / "safety-exemplars.npz"
    first = HashEmbedder()
    risk, safe = exemplar_vectors(first, cache, model="m1")
    assert len(first.texts) == N_EXEMPLARS and cache.exists()

    second = HashEmbedder()  # another process's embedder: nothing remembered in memory
    again = exemplar_vectors(second, cache, model="m1")
    assert second.texts == [], "a current cache file means the model is not called"
    np.testing.assert_array_equal(again[0], risk)
    np.testing.assert_array_equal(again[1], safe)
    assert not list(cache.parent.glob("*.tmp")), "no temporary file left behind"


def test_a_checker_from_the_cache_embeds_only_the_message_and_decides_as_before(tmp_path: Path) -> None:
    cache = tmp_path / "safety-exemplars.npz"
    exemplar_vectors(HashEmbedder(), cache, model="m1")
    embedder = HashEmbedder()
    cached = SemanticSafety.from_files(embedder, cache=cache, model="m1")
    assert embedder.texts == []
    fresh = SemanticSafety.from_files(HashEmbedder())
    for message in ["I can't go on any more", "what is a personal budget?"]:
        assert cached.match(message) == fresh.match(message)
    assert embedder.texts == ["I can't go on any more", "what is a personal budget?"]


def test_another_model_makes_the_cache_stale_and_it_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "safety-exemplars.npz"
    exemplar_vectors(HashEmbedder(), cache, model="m1")
    embedder = HashEmbedder()
    exemplar_vectors(embedder, cache, model="m2")
    assert len(embedder.texts) == N_EXEMPLARS
    with np.load(cache) as npz:
        assert str(npz["key"]) == exemplar_key(embedder, "m2")
    later = HashEmbedder()
    exemplar_vectors(later, cache, model="m2")
    assert later.texts == []


def test_edited_exemplar_files_make_the_cache_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "safety-exemplars.npz"
    exemplar_vectors(HashEmbedder(), cache, model="m1")
    original = semantic._exemplar_file
    monkeypatch.setattr(semantic, "_exemplar_file", lambda name: original(name) + "\na newly added exemplar\n")
    embedder = HashEmbedder()
    risk, safe = exemplar_vectors(embedder, cache, model="m1")
    assert "a newly added exemplar" in embedder.texts
    assert len(risk) + len(safe) == N_EXEMPLARS + 2  # one more line in each file


def test_a_damaged_cache_file_is_embedded_again(tmp_path: Path) -> None:
    cache = tmp_path / "safety-exemplars.npz"
    exemplar_vectors(HashEmbedder(), cache, model="m1")
    cache.write_bytes(cache.read_bytes()[:100])
    embedder = HashEmbedder()
    exemplar_vectors(embedder, cache, model="m1")
    assert len(embedder.texts) == N_EXEMPLARS
    later = HashEmbedder()
    exemplar_vectors(later, cache, model="m1")
    assert later.texts == [], "the damaged file was replaced by a good one"


def test_a_cache_that_cannot_be_written_still_gives_the_vectors(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    risk, safe = exemplar_vectors(HashEmbedder(), blocker / "safety-exemplars.npz", model="m1")
    assert risk.shape == (len(load_exemplars(semantic.RISK_FILE)), HashEmbedder.dimension)
    assert safe.shape[0] == len(load_exemplars(semantic.SAFE_FILE))


def test_one_process_embeds_the_exemplars_once_per_embedder_whatever_the_path(tmp_path: Path) -> None:
    embedder = HashEmbedder()
    exemplar_vectors(embedder, tmp_path / "a" / "cache.npz", model="m1")
    exemplar_vectors(embedder, tmp_path / "b" / "cache.npz", model="m1")
    assert len(embedder.texts) == N_EXEMPLARS
    assert (tmp_path / "b" / "cache.npz").exists()


def test_vectors_given_to_the_checker_must_match_the_exemplars() -> None:
    embedder = HashEmbedder()
    with pytest.raises(ValueError, match="risk and .* safe vectors"):
        SemanticSafety(embedder, ["a b", "c d"], ["e f", "g h"], k=1,
                       vectors=(np.zeros((3, 8), np.float32), np.zeros((2, 8), np.float32)))
    assert embedder.texts == []


def test_services_read_the_cache_beside_the_index(tmp_path: Path) -> None:
    from assistant.config import Settings
    from assistant.services import cache_exemplar_vectors, exemplar_cache, semantic_safety

    settings = Settings(data_dir=tmp_path / "data")
    cache_exemplar_vectors(settings, HashEmbedder())
    assert exemplar_cache(settings).parent == settings.index_dir and exemplar_cache(settings).exists()
    embedder = HashEmbedder()
    semantic_safety(embedder, exemplar_cache(settings), "all-MiniLM-L6-v2")
    assert embedder.texts == []
