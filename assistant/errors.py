"""Domain errors. The API and CLI turn these into responses and messages at their edges."""


class AssistantError(Exception):
    """Base class for every error SEND Assistant raises on purpose."""


class ConfigError(AssistantError):
    """Settings are missing or inconsistent."""


class CorpusError(AssistantError):
    """A corpus or source document is invalid; the message names the file and the problem."""


class IngestError(AssistantError):
    """A document could not be ingested; nothing already indexed was lost."""


class IndexMissing(AssistantError):
    """There is no usable search index; the message says how to build one."""


class BackendUnavailable(AssistantError):
    """A backend (vector store, LLM) failed or timed out."""


class InvalidInput(AssistantError):
    """A tool was given impossible input (a decision dated in the future, ...)."""
