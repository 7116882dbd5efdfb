"""Prompt injection and hidden characters: the checks live in `assistant.screening.injection`, beside the
core, so ingest can screen records with them without loading the guardrails."""

from assistant.screening.injection import *  # noqa: F403
from assistant.screening.injection import __all__  # noqa: F401
