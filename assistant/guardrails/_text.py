"""Folding and clause splitting for matching: the helpers live in `assistant.folding`."""

from assistant.folding import any_of, clause_spans, clauses, fold

__all__ = ["any_of", "clause_spans", "clauses", "fold"]
