"""Deadline rules, one module per stage. Each exposes `deadlines(events) -> list[Deadline]`."""
