"""Index builds embed each distinct text once, reuse what the previous build embedded, and a
refresh with nothing changed makes no new build. No model: a FakeEmbedder stands in."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import SMALL_CORPUS, write_corpus
from fakes import FakeEmbedder

from assistant.config import Settings
from assistant.indexing import run_index, store_factory
from assistant.retrieval.layout import current_build
from assistant.retrieval.load import load_index

SHARED = "Families can ask the local information service for free advice at any time."


def _corpus(folder: Path) -> Path:
    files = dict(SMALL_CORPUS)
    for i in range(3):  # three passages sharing a sentence, as a directory's services share wording
        files[f"local/demo/service-{i}.md"] = (
            f"---\nsource: Demoshire Local Offer (demo)\nref: service-{i}\ntitle: Demo service {i}\nstatus: local\n"
            f"local_authority: Demoshire\n---\nService {i} runs a club on Saturday mornings for children. {SHARED}\n"
        )
    return write_corpus(folder, files)


def test_each_distinct_text_is_embedded_once_and_shortest_first(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=_corpus(tmp_path / "corpus"))
    embedder = FakeEmbedder()
    summary = run_index(settings, embedder)
    asked = [t for call in embedder.calls for t in call]
    assert asked.count(SHARED) == 1
    assert len(asked) == len(set(asked)) == summary.texts_embedded
    assert [len(t) for t in asked] == sorted(len(t) for t in asked)

    index = load_index(settings.index_dir, store_factory(settings, embedder))
    rows = [index.sentence_vectors_of(pos) for pos, c in enumerate(index.chunks) if c.doc_id.startswith("local/demo/service")]
    assert all(np.array_equal(r[-1], rows[0][-1]) for r in rows), "the shared sentence has one vector everywhere"
    expected = embedder.embed([SHARED])[0]
    assert np.allclose(rows[0][-1], expected)


def test_a_changed_document_embeds_only_its_new_texts(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    run_index(settings, FakeEmbedder())
    path = corpus / "local/demo/service-1.md"
    path.write_text(path.read_text().replace("Saturday mornings", "Sunday afternoons"))
    embedder = FakeEmbedder()
    summary = run_index(settings, embedder)
    assert (summary.replaced, summary.embedded) == (1, 1)
    asked = sorted(t for call in embedder.calls for t in call)
    assert asked == sorted(["Demo service 1. Service 1 runs a club on Sunday afternoons for children. " + SHARED,
                            "Service 1 runs a club on Sunday afternoons for children."])


def test_a_refresh_with_nothing_changed_keeps_the_serving_build_and_embeds_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=_corpus(tmp_path / "corpus"))
    run_index(settings, FakeEmbedder())
    serving = current_build(settings.index_dir)
    embedder = FakeEmbedder()
    summary = run_index(settings, embedder)
    assert embedder.calls == [] and summary.skipped_unchanged == summary.documents == 8
    assert summary.build == serving.name and current_build(settings.index_dir) == serving  # type: ignore[union-attr]


def test_refresh_prepares_serving_once_and_loads_no_model_when_nothing_changed(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from assistant.indexing import refresh, routing_cache, serving_ready

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=_corpus(tmp_path / "corpus"), embedding_backend="torch")
    first = refresh(settings, embedder=FakeEmbedder())
    assert not first.up_to_date and any("exemplar" in m for m in first.made)
    assert serving_ready(settings) and routing_cache(settings).is_file()

    loads: list[str] = []
    monkeypatch.setattr("assistant.indexing.make_embedder", lambda s: loads.append("model") or FakeEmbedder())
    again = refresh(settings)
    assert again.up_to_date and again.made == [] and loads == []


BANK_ENTRY = (
    "---\nkind: explainer\nsource: SEND Assistant answers\nref: requesting-assessment/can-a-parent-ask\n"
    "title: \"Can a parent ask for an EHC needs assessment?\"\nstatus: law\n"
    "questions:\n  - \"can i ask for an ehcp myself\"\n"
    "answer: \"Yes. You can ask the council yourself.\"\n"
    "next_steps:\n  - \"Write to the council.\"\n"
    "basis:\n  - \"Children and Families Act 2014, s.36(1)\"\n---\n"
    "A parent can ask the local authority for an assessment (Children and Families Act 2014, s.36(1)).\n"
)


def test_an_answer_bank_entry_keeps_its_own_question_as_a_vector_but_not_its_answer(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    (corpus / "answers").mkdir(exist_ok=True)
    (corpus / "answers" / "can-a-parent-ask.md").write_text(BANK_ENTRY)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    embedder = FakeEmbedder()
    run_index(settings, embedder)
    index = load_index(settings.index_dir, store_factory(settings, embedder))
    assert index.bank_vectors is not None and index.bank_chunk is not None
    pos = next(i for i, c in enumerate(index.chunks) if c.answer)
    rows = index.bank_vectors[index.bank_chunk == pos]
    (title,) = embedder.embed(["Can a parent ask for an EHC needs assessment?"])
    assert len(rows) == 1 and np.allclose(rows[0], title)
    assert len(index.bank_chunk) == 1, "only bank entries have them"
    assert "Yes. You can ask the council yourself." not in [t for call in embedder.calls for t in call], "the answer is not embedded"
    # a rebuild with nothing changed carries them over without embedding again
    again = FakeEmbedder()
    (corpus / "local/demo/service-1.md").write_text((corpus / "local/demo/service-1.md").read_text().replace("Saturday", "Sunday"))
    run_index(settings, again)
    asked = [t for call in again.calls for t in call]
    assert "Can a parent ask for an EHC needs assessment?" not in asked
    index = load_index(settings.index_dir, store_factory(settings, again))
    assert index.bank_vectors is not None and len(index.bank_vectors) == 1
