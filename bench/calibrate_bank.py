"""Calibrate the answer bank's match weights and thresholds on the bank itself, never on an eval question.

Leave one out: each way of asking each entry is matched as an unseen question would be, with
its own row removed from the ways of asking (and its words from its entry's words). A match
is right when it lands on its own entry (strict: a twin entry in another stage counts as wrong).
The script prints how often the right entry comes first under the current weights and under
the old scoring (nearest way of asking and entry vector half and half), and for each threshold
how many held-out questions would be answered from the bank (coverage) and how many of those
land on the right entry (precision).

    python bench/calibrate_bank.py            # uses the built index in ./data
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.answer.asks import Form, agreement, ask_of  # noqa: E402
from assistant.answer.bank import AnswerBank, _stems  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.services import build_services  # noqa: E402
from assistant.tuning import BANK  # noqa: E402


def main() -> None:
    index = build_services(Settings()).index
    bank = AnswerBank(index)
    if not len(bank) or not bank._title_vectors:
        print("the index holds no answer-bank entries with title vectors: rebuild it")
        return
    entries = bank.entries
    column = {pos: j for j, pos in enumerate(entries)}
    owners = np.array([column[o] for o in bank._row_owner.tolist()])
    texts: list[str] = []
    seen: dict[int, int] = {}
    for o in bank._row_owner.tolist():
        i = seen.get(o, 0)
        texts.append(index.chunks[o].questions[i])
        seen[o] = i + 1
    vectors = bank._vectors
    similar = vectors @ vectors.T
    np.fill_diagonal(similar, -9.0)
    nearest = np.stack([similar[:, owners == j].max(axis=1) for j in range(len(entries))], axis=1)
    body = vectors @ np.stack([bank._entry_vectors[p] for p in entries]).T
    title = vectors @ np.stack([bank._title_vectors[p] for p in entries]).T
    words = np.zeros_like(nearest)
    entry_words = [bank._words[p] for p in entries]
    for r, text in enumerate(texts):
        asked = _stems(text)
        if not asked:
            continue
        for j, have in enumerate(entry_words):
            if j == owners[r]:  # the held-out way of asking's own words do not count
                p = entries[j]
                have = _stems(" ".join([index.chunks[p].title, *(q for q in index.chunks[p].questions if q != text)]))
            words[r, j] = len(asked & have) / len(asked)
    forms = [bank._forms[p] for p in entries]
    form = np.array([[agreement(f, g) - 0.5 if f is not Form.NONE else 0.0 for g in forms] for f in map(ask_of, texts)])

    old = 0.5 * nearest + 0.5 * body + BANK.word_weight_old * words
    new = (BANK.question_weight * nearest + BANK.body_weight * body + BANK.title_weight * title
           + BANK.word_weight * words + BANK.form_weight * form)
    print(f"{len(entries)} entries, {len(texts)} ways of asking (leave-one-out)")
    for name, scores, cuts in (("old scoring", old, (BANK.threshold_old, BANK.sure_old)),
                               ("current weights", new, (BANK.threshold, BANK.sure))):
        best, right = scores.max(axis=1), scores.argmax(axis=1) == owners
        print(f"{name}: right entry first {right.mean():.1%}")
        for t in cuts:
            kept = best >= t
            print(f"  threshold {t:.3f}: coverage {kept.mean():6.1%}  precision {right[kept].mean():6.1%}")


if __name__ == "__main__":
    main()
