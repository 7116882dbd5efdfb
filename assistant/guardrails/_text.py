"""Folding and clause splitting for matching: the helpers live in `assistant.screening.folding`."""

from assistant.screening.folding import any_of, clause_spans, clauses, fold

__all__ = ["any_of", "clause_spans", "clauses", "fold"]
