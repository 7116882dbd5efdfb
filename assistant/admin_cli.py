"""`send-assistant purge`: the retention job, for cron or a systemd timer.

    send-assistant purge                      delete what is older than SEND_ASSISTANT_RETENTION_DAYS
    send-assistant purge --older-than-days 7
"""

from __future__ import annotations

import argparse
from typing import Any

from assistant.cli import command
from assistant.config import Settings


def _purge_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--older-than-days",
        type=int,
        default=None,
        metavar="N",
        help="delete conversations and feedback older than N days (default: the retention period, 30)",
    )


@command("purge", _purge_args)
def purge(args: argparse.Namespace, settings: Settings) -> int:
    """Delete stored conversations and feedback older than the retention period.

    Works on the database in SEND_ASSISTANT_DATABASE_URL (default: SQLite in the data folder).
    Run it daily, e.g. from cron:  0 3 * * *  send-assistant purge

    Example: send-assistant purge --older-than-days 7
    """
    from assistant.conversations import SqlConversationStore
    from assistant.redact import redact

    days = settings.retention_days if args.older_than_days is None else args.older_than_days
    if days < 0:
        print(f"send-assistant: --older-than-days must be 0 or more, got {days}")
        return 2
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = SqlConversationStore(settings.sqlalchemy_url, redact=lambda text: redact(text).text)
    removed = store.purge(older_than_days=days)
    print(f"Removed {removed} stored turn(s) and feedback record(s) older than {days} day(s).")
    return 0


def index_problem(settings: Settings) -> str | None:
    """Why the serving index cannot be used, with how to rebuild it; None when it looks sound.

    Reads the build's files (not the vector store server), so `serve` can say what is wrong
    before its workers start and answer 503 for want of an index.
    """
    import zipfile

    from assistant.errors import IndexMissing
    from assistant.index import load_index

    try:
        index = load_index(settings.index_dir, lambda build, name: None)  # type: ignore[arg-type,return-value]
    except IndexMissing as exc:
        return str(exc)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as exc:
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
    Without assistant.logging_setup, uvicorn's own config.
    """
    try:
        from assistant.logging_setup import RedactingFilter  # noqa: F401
    except ImportError:
        from uvicorn.config import LOGGING_CONFIG

        return LOGGING_CONFIG
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact": {"()": "assistant.logging_setup.RedactingFilter", "log_message_text": settings.log_message_text}
        },
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"], "stream": "ext://sys.stderr"}
        },
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {"uvicorn": {"level": "INFO"}, "uvicorn.error": {"level": "INFO"}, "uvicorn.access": {"level": "INFO"}},
    }
