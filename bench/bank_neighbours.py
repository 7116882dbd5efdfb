"""Which answer-bank entry each way of asking lands nearest, for writers adding ways of asking.

For every question of the entries in the stages named (or all), prints its nearest own-entry
neighbour (another of its questions, or its title) and its nearest question or title in any
other entry. A question nearer another entry than its own is flagged: either it is ambiguous
(rewrite it so it asks only what this entry answers) or the two entries answer the same thing.

    python bench/bank_neighbours.py annual-review ceasing      # only flagged questions
    python bench/bank_neighbours.py annual-review --all        # every question
    python bench/bank_neighbours.py --summary                  # counts for the whole bank

Reads corpus/answers/*/*.md directly, so no index build is needed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.adapters.embedding import SentenceTransformerEmbedder  # noqa: E402


def load(folder: Path) -> list[tuple[str, str, str, list[str]]]:
    """(stage, ref, title, questions) for every bank entry."""
    out = []
    for path in sorted(folder.glob("*/*.md")):
        head = path.read_text(encoding="utf-8").split("---")[1]
        meta = yaml.safe_load(head)
        out.append((path.parent.name, str(meta["ref"]), str(meta["title"]), [str(q) for q in meta.get("questions") or []]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stages", nargs="*", help="stage folders to report (default: all)")
    parser.add_argument("--all", action="store_true", help="print every question, not only flagged ones")
    parser.add_argument("--summary", action="store_true", help="print only the counts")
    args = parser.parse_args()
    entries = load(ROOT / "corpus" / "answers")
    texts: list[str] = []
    owner: list[int] = []
    is_title: list[bool] = []
    for i, (_, _, title, questions) in enumerate(entries):
        for j, text in enumerate([title, *questions]):
            texts.append(text)
            owner.append(i)
            is_title.append(j == 0)
    vectors = SentenceTransformerEmbedder().embed(texts)
    owners = np.array(owner)
    similar = vectors @ vectors.T
    np.fill_diagonal(similar, -9.0)
    flagged = total = 0
    for row, text in enumerate(texts):
        stage, ref, _, _ = entries[owner[row]]
        if is_title[row] or (args.stages and stage not in args.stages):
            continue
        total += 1
        mine = similar[row][owners == owner[row]].max()
        others = np.where(owners == owner[row], -9.0, similar[row])
        best = int(np.argmax(others))
        wrong = others[best] > mine
        flagged += bool(wrong)
        if not args.summary and (wrong or args.all):
            mark = "NEARER OTHER" if wrong else "ok"
            print(f"[{mark}] {ref}\n    q: {text}\n    own {mine:.3f} | other {others[best]:.3f} {entries[owner[best]][1]}: {texts[best]}")
    print(f"{flagged} of {total} questions are nearer another entry than their own ({flagged / max(total, 1):.1%}); "
          f"{len(entries)} entries, {len(texts) - len(entries)} questions in the bank")


if __name__ == "__main__":
    main()
