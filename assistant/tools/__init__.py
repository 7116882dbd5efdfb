"""Deterministic, cited tools: deadlines, appeal routes, letters and chat-intent detection.

Nothing here calls a model: every date and every route comes from a rule that cites its law.
"""
