"""`send-assistant purge`: the retention job, for cron or a systemd timer.

    send-assistant purge                      delete what is older than SEND_ASSISTANT_RETENTION_DAYS
    send-assistant purge --older-than-days 7
"""

from __future__ import annotations

import argparse

from assistant.config import Settings

NAME = "purge"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--older-than-days",
        type=int,
        default=None,
        metavar="N",
        help="delete conversations and feedback older than N days (default: the retention period, 30)",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Delete stored conversations and feedback older than the retention period.

    Works on the database in SEND_ASSISTANT_DATABASE_URL (default: SQLite in the data folder).
    Run it daily, e.g. from cron:  0 3 * * *  send-assistant purge

    Example: send-assistant purge --older-than-days 7
    """
    from assistant.storage.conversations import SqlConversationStore
    from assistant.screening.redact import redact

    days = settings.retention_days if args.older_than_days is None else args.older_than_days
    if days < 0:
        print(f"send-assistant: --older-than-days must be 0 or more, got {days}")
        return 2
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = SqlConversationStore(settings.sqlalchemy_url, redact=lambda text: redact(text).text)
    removed = store.purge(older_than_days=days)
    print(f"Removed {removed} stored turn(s) and feedback record(s) older than {days} day(s).")
    return 0
