"""Conversation and feedback storage, through SQLAlchemy (SQLite by default, PostgreSQL by URL).

Only redacted text is ever stored: the store is given a `redact` function and applies it to
every text before it is written. Control characters (NUL above all, which PostgreSQL text
cannot hold) and lone surrogates (which no database can encode) are dropped from every text
and id, whatever the caller passes. Rows older than the retention period are purged.

Each conversation's owner is recorded as the SHA-256 hash of its secret token
(`assistant.storage.ownership`); the token itself is never stored. Deleting means gone: on SQLite,
`secure_delete` overwrites deleted rows, and the write-ahead log is checkpointed and truncated
after every delete and purge, so the text is in neither file afterwards.

    >>> store = SqlConversationStore("sqlite://", redact=lambda t: t.upper())
    >>> store.append("c1", Turn(question="hello", query="hello", status="answered"))
    >>> store.history("c1")[0].question
    'HELLO'
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid
from collections.abc import Callable

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, String, Text, bindparam, create_engine, delete, event, insert, inspect, select
from sqlalchemy import text as sql
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from assistant.models import Feedback, Turn


class _Base(DeclarativeBase):
    pass


class _TurnRow(_Base):
    __tablename__ = "turns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    question: Mapped[str] = mapped_column(Text)
    query: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32))
    facts: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class _OwnerRow(_Base):
    __tablename__ = "conversation_owners"
    conversation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class _FeedbackRow(_Base):
    __tablename__ = "feedback"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[str] = mapped_column(Text, default="")
    message_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


def _now() -> datetime:
    return datetime.now(UTC)


# The statements every answer runs, built once with bound parameters: SQLAlchemy then reuses
# their compiled form instead of building and compiling a new statement per request.
_TURNS = _TurnRow.__table__.c
_RECENT_TURNS = (
    select(_TURNS.question, _TURNS.query, _TURNS.status, _TURNS.facts)
    .where(_TURNS.conversation_id == bindparam("conversation_id"))
    .order_by(_TURNS.id.desc())
    .limit(bindparam("limit", type_=Integer))
)
_ADD_TURN = insert(_TurnRow.__table__)
_ADD_OWNER = insert(_OwnerRow.__table__)
_OWNER_HASH = select(_OwnerRow.token_hash).where(_OwnerRow.conversation_id == bindparam("conversation_id"))
_ADD_FEEDBACK = insert(_FeedbackRow.__table__)


# C0 and C1 controls except tab, newline and carriage return; DEL; lone UTF-16 surrogates.
_FACTS = re.compile(r'^[\w{}":,. \[\]-]*$')  # JSON of codes and ISO dates only; anything else is not stored
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` without the characters a database column cannot (or should not) hold.

    >>> storable("What is the LGSCO?\\x00\\x1b")
    'What is the LGSCO?'
    >>> storable("line one\\nline two\\tend")
    'line one\\nline two\\tend'
    """
    return _UNSTORABLE.sub("", text)


SQLITE_BUSY_SECONDS = 30.0
_CREATE_ATTEMPTS = 8


def _sqlite_wal(connection: Any, _record: Any) -> None:
    """Write-ahead logging: readers never block the writer, and several workers can share the file.
    Deleted rows are overwritten with zeros (secure_delete), not merely unlinked."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_secure_delete(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _add_facts_column(engine: Any) -> None:
    """Databases made before turns had facts get the column (empty for their old turns)."""
    if "facts" in {c["name"] for c in inspect(engine).get_columns("turns")}:
        return
    with engine.begin() as connection:
        connection.execute(sql("ALTER TABLE turns ADD COLUMN facts TEXT DEFAULT ''"))


class SqlConversationStore:
    """Stores redacted turns and feedback in any database SQLAlchemy reaches."""

    def __init__(self, url: str, *, redact: Callable[[str], str]) -> None:
        kwargs: dict[str, object] = {"future": True}
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        if url.startswith("sqlite"):
            # Writers wait for each other (up to 30 s) instead of failing with "database is locked".
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS}
            if in_memory:
                kwargs["poolclass"] = StaticPool
        else:
            kwargs["pool_pre_ping"] = True
        self._engine = create_engine(url, **kwargs)
        self._sqlite_file = url.startswith("sqlite") and not in_memory
        if self._sqlite_file:
            event.listen(self._engine, "connect", _sqlite_wal)
        elif url.startswith("sqlite"):
            event.listen(self._engine, "connect", _sqlite_secure_delete)
        # Workers starting together on a new database: another one may create a table or an index
        # between our check and our CREATE. Each such failure means another store made progress, so
        # checking again soon succeeds; a real fault fails every time and is raised.
        for attempt in range(1, _CREATE_ATTEMPTS + 1):
            try:
                _Base.metadata.create_all(self._engine)
                _add_facts_column(self._engine)
                break
            except DatabaseError:
                if attempt == _CREATE_ATTEMPTS:
                    raise
                time.sleep(0.02 * attempt)
        self._session = sessionmaker(self._engine, expire_on_commit=False)
        self._redact = redact
        # SQLite has one writer at a time, and a writer that finds it locked sleeps in steps of up
        # to 100 ms before trying again: under many concurrent answers the threads of one process
        # take turns on a lock instead, which wakes the next one at once.
        self._writing: contextlib.AbstractContextManager[Any] = (
            threading.Lock() if url.startswith("sqlite") else contextlib.nullcontext()
        )

    def _clean(self, text: str) -> str:
        """Redacted and storable: cleaned before redacting too, so no control character hides a name."""
        return storable(self._redact(storable(text)))

    # Every answer reads a conversation's turns and adds one, so these two (and add_feedback) are
    # plain SQL statements on a connection: the ORM's session and unit of work cost more than the query.

    def history(self, conversation_id: str, *, limit: int = 6) -> list[Turn]:
        with self._engine.connect() as connection:
            rows = connection.execute(_RECENT_TURNS, {"conversation_id": storable(conversation_id), "limit": limit}).all()
        return [Turn(question, query, status, facts or "") for question, query, status, facts in reversed(rows)]

    def append(self, conversation_id: str, turn: Turn) -> None:
        row = {  # redacted before the write lock is taken
            "conversation_id": storable(conversation_id),
            "question": self._clean(turn.question),
            "query": self._clean(turn.query),
            "status": storable(turn.status),
            "facts": turn.facts if _FACTS.match(turn.facts) else "",
            "created": _now(),
        }
        with self._writing, self._engine.begin() as connection:
            connection.execute(_ADD_TURN, row)

    def register_owner(self, conversation_id: str, token_hash: str) -> None:
        row = {"conversation_id": storable(conversation_id), "token_hash": token_hash, "created": _now()}
        with self._writing, self._engine.begin() as connection:
            connection.execute(_ADD_OWNER, row)

    def owner_hash(self, conversation_id: str) -> str | None:
        with self._engine.connect() as connection:
            found = connection.execute(_OWNER_HASH, {"conversation_id": storable(conversation_id)}).scalar()
        return str(found) if found is not None else None

    def delete(self, conversation_id: str) -> bool:
        """Delete a conversation's turns, feedback and owner; True if there was anything to delete."""
        conversation_id = storable(conversation_id)
        with self._writing:
            with self._session.begin() as session:
                removed = 0
                for row in (_TurnRow, _FeedbackRow, _OwnerRow):
                    removed += session.execute(delete(row).where(row.conversation_id == conversation_id)).rowcount
            self._forget_deleted()
        return bool(removed)

    def _forget_deleted(self) -> None:
        """SQLite keeps recent writes in its write-ahead log until a checkpoint: copy them into the
        database file (where secure_delete has zeroed the deleted rows) and truncate the log."""
        if not self._sqlite_file:
            return
        with self._engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def add_feedback(self, feedback: Feedback) -> str:
        feedback_id = uuid.uuid4().hex
        row = {
            "id": feedback_id,
            "conversation_id": storable(feedback.conversation_id),
            "helpful": feedback.helpful,
            "reasons": self._clean(feedback.reasons),
            "message_text": self._clean(feedback.message_text) if feedback.message_text else None,
            "created": _now(),
        }
        with self._writing, self._engine.begin() as connection:
            connection.execute(_ADD_FEEDBACK, row)
        return feedback_id

    def list_feedback(self, *, limit: int = 100) -> list[dict[str, object]]:
        with self._session() as session:
            rows = session.scalars(select(_FeedbackRow).order_by(_FeedbackRow.created.desc()).limit(limit)).all()
        return [
            {
                "id": r.id,
                "conversation_id": r.conversation_id,
                "helpful": r.helpful,
                "reasons": r.reasons,
                "message_text": r.message_text,
                "created": r.created.isoformat(),
            }
            for r in rows
        ]

    def purge(self, *, older_than_days: int) -> int:
        """Delete turns and feedback older than the cut-off (and owners of conversations left empty)."""
        cutoff = _now() - timedelta(days=older_than_days)
        with self._writing:
            with self._session.begin() as session:
                removed = session.execute(delete(_TurnRow).where(_TurnRow.created < cutoff)).rowcount
                removed += session.execute(delete(_FeedbackRow).where(_FeedbackRow.created < cutoff)).rowcount
                left = select(_TurnRow.conversation_id).distinct()
                session.execute(delete(_OwnerRow).where(_OwnerRow.created < cutoff, _OwnerRow.conversation_id.not_in(left)))
            self._forget_deleted()
        return int(removed)

    def count_turns(self) -> int:
        with Session(self._engine) as session:
            return len(session.scalars(select(_TurnRow.id)).all())
