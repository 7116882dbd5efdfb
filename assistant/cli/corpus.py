"""`send-assistant corpus check`: validate the project corpus."""

from __future__ import annotations

import argparse

from assistant.config import Settings

NAME = "corpus"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["check"])


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the corpus: fields, status, refs, ids, official urls.

    Example: send-assistant corpus check
    """
    from assistant.ingest.markdown import check_corpus

    documents, problems = check_corpus(settings.corpus_dir)
    for problem in problems:
        print(f"PROBLEM {problem}")
    by_status: dict[str, int] = {}
    for doc in documents:
        by_status[doc.status.value] = by_status.get(doc.status.value, 0) + 1
    print(f"{len(documents)} passages ({', '.join(f'{k}: {v}' for k, v in sorted(by_status.items()))}); {len(problems)} problem(s)")
    return 1 if problems else 0
