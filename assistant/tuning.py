"""The tuning numbers of retrieval and the answer flow, in one place, each with why it is what it is.

Thresholds are calibrated on the project's own data (the answer bank's ways of asking,
`bench/calibrate_bank.py`), never on an eval question. Change one here and re-run the
calibration and the blind sets.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BankTuning:
    # A message's score against a bank entry is a weighted sum of its cosine similarity to the
    # entry's nearest way of asking (`question_weight`), to the entry's own vector (its title and
    # explanation, `body_weight`) and to its title alone (`title_weight`); plus `word_weight`
    # times the share of the message's content words the entry uses. Leave-one-out on the bank's own ways of asking (each matched with itself removed,
    # as an unseen question is), the entry's nearest right: 31% by the nearest way of asking and
    # the entry vector half and half, 41% with these weights (42% with no weight on the nearest
    # way of asking: a little is kept, as the bank's ways of asking are what it was built on).
    # The direct answer's own vector was tried and is not used (format 3 no longer embeds it): its
    # likeness to a question rewards answers that restate the question and marks down the terse direct ones (a "how long does the council have
    # to decide" question went to the health-advice entry, whose answer repeats those words, over
    # the 6-week entry whose answer starts "6 weeks from..."). Moving its 0.225 to the body costs
    # 0.7 points of leave-one-out (40.2% against 40.9%) and, at the same coverage, 0.3 points of
    # precision (45.1% and 56.0% against 45.4% and 56.1%).
    question_weight: float = 0.10
    body_weight: float = 0.675
    title_weight: float = 0.225
    word_weight: float = 0.10
    # Plus `form_weight` times (agreement of form - 0.5): an entry whose own question asks in the
    # message's form (yes or no, how long, who...) gains half of it, one in another form loses
    # half (`assistant/answer/asks.py`). The best leave-one-out value, as above.
    form_weight: float = 0.04
    # For an index built before title vectors were kept: the nearest way of asking and
    # the entry vector, half and half, the words at 0.15, and the thresholds calibrated for that.
    entry_weight: float = 0.5
    word_weight_old: float = 0.15
    threshold_old: float = 0.65
    sure_old: float = 0.80
    suggest_old: float = 0.55
    # Below `sure`, the entry must be among (or rest on a provision of) the top passages retrieved.
    agree_top: int = 4
    # At or above `threshold` the entry answers. Entries within `margin` of the best are a tie:
    # the first of them that retrieval agrees with is taken. Below `sure` an entry answers only
    # when retrieval agrees; at or above `sure`, with no agreeing entry in the tie, the best answers
    # (two entries that ask nearly the same thing are both right). Calibrated by leave-one-out on the bank.
    # The thresholds keep the leave-one-out coverage of the earlier scoring (0.65, 0.80 and 0.55
    # there answered 77%, 30% and 93% of the held-out ways of asking); at the same coverage the
    # entry is right 45% of the time, against 33% before (strict: a twin entry counts as wrong).
    threshold: float = 0.58
    margin: float = 0.02
    sure: float = 0.745
    # Below the threshold, entries this close are offered as "questions I can answer".
    suggest: float = 0.47
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
    # At most this many answer-bank entries among a question's retrieved passages. Each entry
    # has 12-15 ways of asking, any of which can match a question closely, so without a cap
    # the entries filled about 6 of the 8 places and crowded out the passages of law the answer
    # cites (and falls back to when no entry answers). The bank is matched on its own
    # (`answer/bank.py`); these places only let retrieval agree with it.
    bank_places: int = 3


BANK = BankTuning()
ANSWER = AnswerTuning()
RETRIEVAL = RetrievalTuning()
