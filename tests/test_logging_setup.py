"""configure_logging: nothing a user typed reaches a log handler unredacted."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from assistant.logging_setup import RedactingFilter, configure_logging


class _Records(logging.Handler):
    """Keeps every record it is given, after the handler's filters have run."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def root() -> Iterator[logging.Logger]:
    """The root logger with only our handlers, put back as it was afterwards."""
    logger = logging.getLogger()
    saved_handlers, saved_level = logger.handlers[:], logger.level
    logger.handlers = []
    yield logger
    for handler in logger.handlers:
        for f in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(f)
    logger.handlers, logger.level = saved_handlers, saved_level


def _stream_handler(root: logging.Logger) -> io.StringIO:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    root.addHandler(handler)
    return stream


def test_email_and_nhs_number_never_reach_the_output(root: logging.Logger) -> None:
    stream = _stream_handler(root)
    configure_logging("INFO")

    log = logging.getLogger("assistant.api.chat")
    log.info("question from %s about NHS number %s", "kim.parent@example.org", "943 476 5919")
    log.warning("raw text: my email is kim.parent@example.org, nhs no 9434765919")

    output = stream.getvalue()
    for secret in ("kim.parent@example.org", "943 476 5919", "9434765919"):
        assert secret not in output
    assert output.count("[EMAIL]") == 2 and output.count("[NHS_NUMBER]") == 2
    assert "INFO question from [EMAIL] about NHS number [NHS_NUMBER]" in output


def test_exception_text_is_redacted(root: logging.Logger) -> None:
    stream = _stream_handler(root)
    configure_logging()
    try:
        raise ValueError("could not parse 07700 900123 for kim.parent@example.org")
    except ValueError:
        logging.getLogger("assistant").exception("store failed")
    output = stream.getvalue()
    assert "store failed" in output and "ValueError" in output
    assert "07700 900123" not in output and "kim.parent@example.org" not in output


TYPED = "I'm Sarah, 07700 900123"


def test_message_text_is_dropped_unless_asked_for(root: logging.Logger) -> None:
    records = _Records()
    root.addHandler(records)
    configure_logging()
    logging.getLogger("assistant").info("feedback", extra={"message_text": TYPED})
    assert not hasattr(records.records[-1], "message_text")

    configure_logging(log_message_text=True)
    logging.getLogger("assistant").info("feedback", extra={"message_text": TYPED})
    assert getattr(records.records[-1], "message_text") == "I'm [NAME], [PHONE]"


def test_configuring_twice_does_not_stack_filters(root: logging.Logger) -> None:
    _stream_handler(root)
    configure_logging()
    configure_logging("DEBUG")
    for handler in root.handlers:  # ours, and any pytest added to capture logs
        assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
    assert root.level == logging.DEBUG


def test_a_handler_is_added_when_the_root_has_none(root: logging.Logger) -> None:
    root.handlers = []  # pytest adds its capture handlers after fixtures run
    configure_logging("warning")
    [handler] = root.handlers
    assert isinstance(handler, logging.StreamHandler)
    assert root.level == logging.WARNING


def test_bad_arguments_are_still_redacted(root: logging.Logger) -> None:
    stream = _stream_handler(root)
    configure_logging()
    logging.getLogger("assistant").info("two slots %s %s", "kim.parent@example.org")
    assert "kim.parent@example.org" not in stream.getvalue()


def test_unknown_level_names_the_bad_value(root: logging.Logger) -> None:
    with pytest.raises(ValueError, match="'LOUD'"):
        configure_logging("LOUD")


@pytest.mark.parametrize("on", [True, False])
def test_serve_logs_each_question_redacted_only_when_message_text_is_on(
    root: logging.Logger, small_services: object, on: bool
) -> None:
    """`serve`'s own log config, with SEND_ASSISTANT_LOG_MESSAGE_TEXT: the question appears, redacted, or not at all."""
    import logging.config

    from fastapi.testclient import TestClient

    from assistant.api.app import create_app
    from assistant.cli.serve import server_log_config

    services = small_services
    services.settings = services.settings.model_copy(update={"log_message_text": on, "rate_limit": "none"})  # type: ignore[attr-defined]
    config = server_log_config(services.settings)  # type: ignore[attr-defined]
    stream = io.StringIO()
    config["handlers"]["stderr"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        with TestClient(create_app(services=services)) as client:  # type: ignore[arg-type]
            client.post("/api/chat", json={"message": f"What is the LGSCO? {TYPED}"})
            client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "my son Ruben Castellanos"},
                                                                   {"role": "user", "content": "What is the LGSCO?"}]})
    finally:
        logging.getLogger().handlers = []
    log = stream.getvalue()
    assert "07700" not in log and "Sarah" not in log and "Castellanos" not in log
    if on:
        assert "question received | message text: What is the LGSCO? I'm [NAME], [PHONE]" in log
        assert "message text: my son [NAME]" in log  # /v1's earlier messages too
    else:
        assert "question received" not in log and "message text" not in log
