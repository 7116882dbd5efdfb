"""The embedder's small LRU of query vectors: a question is embedded once per answer.

The safeguarding check by meaning and retrieval both need the question's vector; the cache in
SentenceTransformerEmbedder (keyed by the exact text) makes the second one free. These tests
count calls into the sentence-transformers model itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import SMALL_CORPUS, write_corpus

pytestmark = pytest.mark.integration


class CountingModel:
    """Wraps the real model's encode and records every list of texts it is given."""

    def __init__(self, model: Any) -> None:
        self._encode = model.encode
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str], *args: Any, **kwargs: Any) -> Any:
        self.calls.append(list(texts))
        return self._encode(texts, *args, **kwargs)

    @property
    def texts(self) -> list[str]:
        return [t for call in self.calls for t in call]


def counted(embedder: Any, monkeypatch: pytest.MonkeyPatch) -> CountingModel:
    counter = CountingModel(embedder._model)
    monkeypatch.setattr(embedder._model, "encode", counter)
    return counter


@pytest.fixture(scope="module")
def fresh() -> Iterator[Any]:
    """An embedder of our own, so the session one's cache does not decide these counts."""
    from assistant.adapters.embedding import SentenceTransformerEmbedder

    yield SentenceTransformerEmbedder(cache_size=4)


@pytest.fixture
def embedder(fresh: Any) -> Any:
    fresh._cache.clear()
    return fresh


def test_the_same_text_is_embedded_once(embedder: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    model = counted(embedder, monkeypatch)
    first = embedder.embed(["What is a personal budget?"])
    second = embedder.embed(["What is a personal budget?"])
    assert model.calls == [["What is a personal budget?"]]
    assert first.shape == (1, embedder.dimension) and first.dtype == np.float32
    np.testing.assert_array_equal(first, second)


def test_a_batch_embeds_only_the_texts_not_seen_and_keeps_its_order(embedder: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    model = counted(embedder, monkeypatch)
    question = "who is responsible and what can I do about it?"
    alone = embedder.embed([question])
    batch = embedder.embed([question, "who is responsible", "what can I do about it", "who is responsible"])
    assert model.calls == [[question], ["who is responsible", "what can I do about it"]]
    np.testing.assert_array_equal(batch[0], alone[0])
    np.testing.assert_array_equal(batch[1], batch[3])
    assert batch.shape == (4, embedder.dimension)


def test_cached_vectors_match_what_the_model_gives_uncached(embedder: Any) -> None:
    texts = ["Can I request an EHC needs assessment myself?", "reg 13?"]
    cached = embedder.embed(texts)
    again = embedder.embed(texts)
    uncached = embedder._encode(texts)
    np.testing.assert_allclose(again, uncached, atol=1e-5)
    np.testing.assert_array_equal(cached, again)


def test_the_least_recently_used_text_is_dropped(embedder: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    model = counted(embedder, monkeypatch)
    for text in ["a one", "b two", "c three", "d four"]:  # fills the cache (size 4)
        embedder.embed([text])
    embedder.embed(["a one"])  # a hit: "a one" is now the most recent
    embedder.embed(["e five"])  # evicts "b two", the least recent
    assert len(model.calls) == 5
    embedder.embed(["a one"])
    assert len(model.calls) == 5
    embedder.embed(["b two"])
    assert model.calls[-1] == ["b two"] and len(model.calls) == 6


def test_large_batches_such_as_index_builds_bypass_the_cache(embedder: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    model = counted(embedder, monkeypatch)
    texts = [f"chunk number {n}" for n in range(embedder.CACHE_MAX_BATCH + 1)]
    embedder.embed(texts)
    embedder.embed(texts)
    assert len(model.calls) == 2 and len(embedder._cache) == 0


def test_a_caller_changing_the_returned_array_does_not_change_the_cache(embedder: Any) -> None:
    vectors = embedder.embed(["What does the SENCO do?"])
    kept = vectors.copy()
    vectors[:] = 0.0
    np.testing.assert_array_equal(embedder.embed(["What does the SENCO do?"]), kept)


def test_a_zero_sized_cache_embeds_every_time(monkeypatch: pytest.MonkeyPatch, fresh: Any) -> None:
    monkeypatch.setattr(fresh, "_cache_size", 0)
    fresh._cache.clear()
    model = counted(fresh, monkeypatch)
    fresh.embed(["x y z"])
    fresh.embed(["x y z"])
    assert len(model.calls) == 2 and not fresh._cache


def test_an_answer_embeds_the_question_once(tmp_path: Path, fresh: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Routing by meaning and retrieval share one embedding of the question."""
    from assistant.config import Settings
    from assistant.models import AnswerStatus
    from assistant.services import build_services, run_index

    fresh._cache.clear()
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=write_corpus(tmp_path / "corpus", SMALL_CORPUS))
    run_index(settings, fresh)
    services = build_services(settings, embedder=fresh)
    pipeline = services.ensure_ready()
    assert pipeline.router is not None, "routing by meaning is in the answer path"
    model = counted(fresh, monkeypatch)

    question = "How long does the council have to decide on an EHC needs assessment?"
    answer = pipeline.answer(question)
    assert answer.status is AnswerStatus.ANSWERED
    assert model.texts == [question], model.calls

    model.calls.clear()  # a question that asks two things: each part embedded once, the whole once
    two = "who decides on an EHC needs assessment and how long does the council have?"
    pipeline.answer(two)
    assert model.texts.count(two) == 1
    assert len(model.texts) == len(set(model.texts)), model.calls
