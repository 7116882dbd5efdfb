"""Logging that keeps personal data out of log files.

`configure_logging` puts a `RedactingFilter` on every handler of the root logger. The filter
formats each record's message with its arguments, runs `redact` over the result (and over any
exception text), and drops a `message_text` attribute (the user's own words, passed with
`extra=`) unless `log_message_text=True`, when that text is kept but redacted too.

    >>> import io
    >>> stream = io.StringIO()
    >>> root = logging.getLogger()
    >>> saved = root.handlers[:]
    >>> root.handlers = [logging.StreamHandler(stream)]
    >>> _ = configure_logging("INFO")
    >>> logging.getLogger("assistant.demo").info("question from %s", "kim@example.org")
    >>> stream.getvalue()
    'question from [EMAIL]\\n'
    >>> root.handlers = saved

Call it once at start-up, from the CLI or the API's lifespan; importing this module changes
nothing. A handler added to the root logger later is not covered: pass it the filter that
`configure_logging` returns (`handler.addFilter(...)`). Other `extra=` attributes are not
redacted, so never put a user's words in any attribute but `message_text`.

`TextFormatter` writes a kept `message_text` after the message (`... | message text: ...`);
`serve` formats its log with it, so SEND_ASSISTANT_LOG_MESSAGE_TEXT=true shows each question,
redacted, and nothing more.
"""

from __future__ import annotations

import logging

from assistant.screening.redact import redact

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFilter(logging.Filter):
    """Redacts a record in place before a handler writes it; never rejects a record."""

    def __init__(self, *, log_message_text: bool = False) -> None:
        super().__init__()
        self.log_message_text = log_message_text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(_formatted(record)).text
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text).text
        if record.stack_info:
            record.stack_info = redact(record.stack_info).text
        if hasattr(record, "message_text"):
            if not self.log_message_text:
                del record.message_text
            else:
                record.message_text = redact(str(record.message_text)).text
        return True


class TextFormatter(logging.Formatter):
    """The standard format, then the record's `message_text` (when a filter kept it)."""

    def __init__(self, fmt: str | None = _FORMAT, datefmt: str | None = None) -> None:
        super().__init__(fmt, datefmt)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        text = getattr(record, "message_text", None)
        return f"{line} | message text: {text}" if text else line


def _formatted(record: logging.LogRecord) -> str:
    """The message with its arguments filled in, even when they do not fit the format string."""
    try:
        return record.getMessage()
    except (TypeError, ValueError):
        return f"{record.msg} {record.args!r}"


def configure_logging(level: str = "INFO", *, log_message_text: bool = False) -> RedactingFilter:
    """Set the root level and redact every record the root logger's handlers write.

    Adds a stderr handler when the root logger has none. Calling it again replaces the filter
    rather than stacking a second one. Returns the filter, for handlers added later.
    """
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(
            f"level must be DEBUG, INFO, WARNING, ERROR or CRITICAL. Currently, level is {level!r}"
        )
    root = logging.getLogger()
    root.setLevel(numeric)
    if not root.handlers:
        console = logging.StreamHandler()
        console.setFormatter(TextFormatter())
        root.addHandler(console)
    redacting = RedactingFilter(log_message_text=log_message_text)
    for handler in root.handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(old)
        handler.filters.insert(0, redacting)  # first, so later filters only see redacted text
    return redacting
