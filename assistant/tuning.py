"""The tuning numbers of the answer flow, in one place, each with why it is what it is.

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
    # Plus `form_weight` times (agreement of form - 0.5): an entry whose own question asks in the
    # message's form (yes or no, how long, who...) gains half of it, one in another form loses
    # half (`assistant/answer/asks.py`). Calibrated on the bank's ways of asking, leave-one-out.
    form_weight: float = 0.04
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


BANK = BankTuning()
ANSWER = AnswerTuning()
