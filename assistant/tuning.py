"""The tuning numbers of retrieval and the answer flow, in one place, each with why it is what it is.

Thresholds are calibrated on the project's own data (the answer bank's ways of asking,
`bench/calibrate_bank.py`), never on an eval question. Change one here and re-run the
calibration and the blind sets.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BankTuning:
    # A message's score against a bank entry is the cosine similarity of its nearest way of
    # asking, plus `word_weight` times the share of the message's content words the entry uses.
    word_weight: float = 0.15
    # Share of the score taken by the entry's own vector (title and explanation) rather than its
    # nearest way of asking: alone, the entry vector picks the right entry more often (leave-one-out).
    entry_weight: float = 0.5
    # Below `sure`, the entry must be among (or rest on a provision of) the top passages retrieved.
    agree_top: int = 4
    # At or above `threshold` the entry answers, when it beats the runner-up by `margin`;
    # at or above `sure` it answers even when a neighbouring entry is close (two entries that
    # ask nearly the same thing are both right). Calibrated by leave-one-out on the bank.
    threshold: float = 0.65
    margin: float = 0.02
    sure: float = 0.80
    # Below the threshold, entries this close are offered as "questions I can answer".
    suggest: float = 0.55
    # Two law sentences this similar say the same thing: the second is not shown.
    duplicate: float = 0.82


@dataclass(frozen=True)
class AnswerTuning:
    # Basis passages shown under "The law behind this", per persona.
    law_items_parent: int = 5
    law_items_adviser: int = 6
    law_items_caseworker: int = 6
    # A supporting sentence is shown only when at least this near the question (cosine):
    # the relevance floor that keeps off-topic sentences out of an answer.
    relevance_floor: float = 0.32
    # Passage fallback: supporting sentences after the lead, per persona.
    support_parent: int = 5
    support_adviser: int = 5
    support_caseworker: int = 5


@dataclass(frozen=True)
class RetrievalTuning:
    # Reciprocal rank fusion of the dense and keyword lists: the usual constant, which keeps one
    # list's first place from swamping the other; keyword ranks count 0.8 of dense ones, because
    # BM25 over our short passages favours passages that repeat a word.
    rrf_k: int = 60
    keyword_rank_weight: float = 0.8
    # The rerank: fused rank (scaled to the best in the pool), the passage's own cosine, and its
    # nearest sentence's cosine. The sentence term finds the one sentence that answers inside a
    # passage about something broader.
    fused_weight: float = 0.35
    dense_weight: float = 0.35
    sentence_weight: float = 0.30
    # A glossary entry steps back unless a definition is asked for; a proposal steps back unless
    # reform is asked about (a proposal is not the law); the text of the law steps forward when
    # the question asks what the law says.
    glossary_penalty: float = 0.08
    proposal_penalty: float = 0.06
    law_bonus: float = 0.04
    # A passage whose ref the question names comes first.
    named_ref_bonus: float = 1.0
    # Each of up to two of the question's phrases found in a passage's title.
    title_phrase_bonus: float = 0.05
    title_phrase_max: int = 2


BANK = BankTuning()
ANSWER = AnswerTuning()
RETRIEVAL = RetrievalTuning()
