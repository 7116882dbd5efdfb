"""Calibrate the answer bank's match threshold on the bank itself, never on an eval question.

Leave one out: each way of asking each entry is matched against every other way of asking
(its own row removed). A match is right when it lands on its own entry. For each threshold the
script prints how many of these held-out questions would be answered from the bank (coverage)
and how many of those land on the right entry (precision), so `assistant/tuning.py` can take
the lowest threshold whose precision is at least 95%.

    python bench/calibrate_bank.py            # uses the built index in ./data
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.answer.bank import AnswerBank, _stems  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.services import build_services  # noqa: E402
from assistant.tuning import BANK  # noqa: E402


def main() -> None:
    services = build_services(Settings())
    index = services.index
    bank = AnswerBank(index)
    if not len(bank):
        print("the index holds no answer-bank entries")
        return
    rows, owners, vectors = bank._rows, bank._row_owner, bank._vectors
    questions = [q for pos in bank.entries for q in index.chunks[pos].questions]
    texts: list[str] = []
    by_owner: dict[int, list[str]] = {}
    for pos in bank.entries:
        by_owner[pos] = list(index.chunks[pos].questions)
    cursor: dict[int, int] = {}
    for owner in owners.tolist():
        i = cursor.get(owner, 0)
        texts.append(by_owner[owner][i] if i < len(by_owner[owner]) else "")
        cursor[owner] = i + 1
    results: list[tuple[float, float, bool]] = []
    similarities = vectors @ vectors.T
    for r, owner in enumerate(owners.tolist()):
        sims = similarities[r].copy()
        sims[r] = -1.0
        best: dict[int, float] = {}
        for o, s in zip(owners.tolist(), sims.tolist(), strict=True):
            if s > best.get(o, -1.0):
                best[o] = s
        asked = _stems(texts[r])
        if asked:
            for o in best:
                words = _stems(" ".join(q for j, q in enumerate(by_owner[o]) if not (o == owner and q == texts[r])) + " " + index.chunks[o].title)
                best[o] += BANK.word_weight * len(asked & words) / len(asked)
        ranked = sorted(best.items(), key=lambda x: -x[1])
        (top, score), runner = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        results.append((score, score - runner, top == owner))
    print(f"{len(bank)} entries, {len(questions)} ways of asking (leave-one-out)")
    print("threshold  coverage  precision   (margin rule: below `sure`, beat the runner-up by `margin`)")
    for t in np.arange(0.55, 0.91, 0.025):
        accepted = [(ok) for s, m, ok in results if s >= t and (s >= BANK.sure or m >= BANK.margin)]
        if accepted:
            print(f"  {t:.3f}    {len(accepted) / len(results):6.1%}   {sum(accepted) / len(accepted):6.1%}")
    print(f"current: threshold {BANK.threshold}, sure {BANK.sure}, margin {BANK.margin}")


if __name__ == "__main__":
    main()
