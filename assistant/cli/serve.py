"""`send-assistant serve`: the web app and the API, after saying what is wrong with the index if anything is."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from assistant.config import Settings, get_settings

NAME = "serve"


def bounded_int(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, or a one-line error quoting the value."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number from {low} to {high}; got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be from {low} to {high}; got {value}")
        return value

    return parse


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=bounded_int(1, 65535, "a port"), default=8000, help="default 8000")
    p.add_argument("--workers", type=bounded_int(1, 64, "workers"), default=1, help="default 1")
    p.add_argument("--threads", type=bounded_int(0, 256, "threads"), default=None,
                   help="threads per worker for the model and vector maths (default 1, or SEND_ASSISTANT_COMPUTE_THREADS)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the web app and the API (OpenAPI docs at /docs).

    Example: send-assistant serve --host 127.0.0.1 --port 8000
    """
    import uvicorn

    # Every worker reads its settings from the environment: one thread each for the model and
    # numpy unless told otherwise (concurrent answers then share the cores without contention).
    if args.threads is not None:
        os.environ["SEND_ASSISTANT_COMPUTE_THREADS"] = str(args.threads)
    else:
        os.environ.setdefault("SEND_ASSISTANT_COMPUTE_THREADS", "1")
    get_settings.cache_clear()
    problem = index_problem(settings)
    if problem:
        print(f"send-assistant: {problem}\nServing anyway: /api/chat answers 503 until the index is rebuilt.", file=sys.stderr, flush=True)
    print(f"SEND Assistant on http://{args.host}:{args.port}  (API docs: /docs)", flush=True)
    uvicorn.run(
        "assistant.api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        timeout_graceful_shutdown=20,
        # uvicorn's own 400 for an unreadable request gets the security headers too, and an
        # upgrade request is answered by the app, with its headers (there is no WebSocket route).
        http="assistant.api.server_protocol:HeadedH11Protocol",
        ws="none",
        log_level="info",
        log_config=server_log_config(settings),
    )
    return 0


def index_problem(settings: Settings) -> str | None:
    """Why the serving index cannot be used, with how to rebuild it; None when it looks sound.

    Reads the build's files (not the vector store server), so `serve` can say what is wrong
    before its workers start and answer 503 for want of an index.
    """
    from assistant.errors import IndexMissing
    from assistant.retrieval.layout import UNREADABLE
    from assistant.retrieval.load import load_index

    try:
        index = load_index(settings.index_dir, lambda build, name: None)  # type: ignore[arg-type,return-value]
    except IndexMissing as exc:
        return str(exc)
    except UNREADABLE as exc:
        return (
            f"the search index in {settings.index_dir} is damaged ({exc.__class__.__name__}: {exc}); "
            "run `send-assistant index --rebuild` to build it again"
        )
    build = settings.index_dir / index.build
    if not settings.chroma_host and not (build / "chroma").is_dir():
        return f"the search index in {build} has no vector store (chroma/); run `send-assistant index --rebuild`"
    return None


def server_log_config(settings: Settings) -> dict[str, Any]:
    """uvicorn's logging config, applied in every worker, with every record redacted.

    Message text is never logged unless SEND_ASSISTANT_LOG_MESSAGE_TEXT=true, and then redacted.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact": {"()": "assistant.logging_setup.RedactingFilter", "log_message_text": settings.log_message_text}
        },
        "formatters": {"plain": {"()": "assistant.logging_setup.TextFormatter",
                                 "fmt": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"], "stream": "ext://sys.stderr"}
        },
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {"uvicorn": {"level": "INFO"}, "uvicorn.error": {"level": "INFO"}, "uvicorn.access": {"level": "INFO"}},
    }
