"""The cap on answer-bank entries among retrieved passages (no model needed)."""

from __future__ import annotations

from assistant.models import Chunk, LegalStatus, PassageKind
from assistant.retrieval.retriever import _capped
from assistant.tuning import RETRIEVAL


def _chunk(i: int, *, entry: bool) -> Chunk:
    return Chunk(chunk_id=f"c{i}", doc_id=f"d{i}", text="t", source="s", ref=f"r{i}", title="t",
                 status=LegalStatus.LAW, kind=PassageKind.EXPLAINER if entry else PassageKind.SUMMARY,
                 answer="Yes." if entry else "")


def test_entries_beyond_the_cap_give_way_to_passages_in_rank_order() -> None:
    chunks = [_chunk(i, entry=i < 6) for i in range(12)]  # six entries rank first, then six passages
    kept = _capped(list(range(12)), chunks, 8)
    assert kept == [*range(RETRIEVAL.bank_places), *range(6, 6 + 8 - RETRIEVAL.bank_places)]


def test_an_explainer_without_a_direct_answer_is_not_capped() -> None:
    chunks = [Chunk(chunk_id=f"c{i}", doc_id="d", text="t", source="s", ref="r", title="t", status=LegalStatus.LAW,
                    kind=PassageKind.EXPLAINER) for i in range(10)]
    assert _capped(list(range(10)), chunks, 8) == list(range(8))


def test_fewer_candidates_than_places_are_all_kept() -> None:
    chunks = [_chunk(i, entry=True) for i in range(2)] + [_chunk(2, entry=False)]
    assert _capped([0, 1, 2], chunks, 8) == [0, 1, 2]
