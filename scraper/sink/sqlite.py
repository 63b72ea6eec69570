"""SQLite sink: one ``records`` table, one row per page, upserted by canonical URL.

The row of a page (``rows.Row.key``: canonical URL, else URL) holds its latest revision: a
record replaces the stored one when its ``crawl.revision`` is the same or newer. The JSON
document is stored as text, byte for byte what the JSONL sink writes, next to indexed
``id``, ``url``, ``canonical_url``, ``published`` and ``site_name`` columns. The database runs
in WAL mode with ``synchronous=FULL``, so a returned ``commit()`` survives a power cut, and
its schema version lives in ``PRAGMA user_version``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scraper.errors import SinkError
from scraper.sink.base import Sink
from scraper.sink.document import utf8_safe
from scraper.sink.rows import row_of

__all__ = ["SqliteSink"]

BUSY_TIMEOUT_MS = 10_000  # wait this long for another connection's write lock

# Schema versions, applied in order; PRAGMA user_version records the last one applied.
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE records (
        key           TEXT PRIMARY KEY,  -- canonical_url, else url, else id
        id            TEXT NOT NULL,
        revision      INTEGER NOT NULL,
        url           TEXT,
        canonical_url TEXT,
        published     TEXT,
        site_name     TEXT,
        document      TEXT NOT NULL      -- the record as JSON
    );
    CREATE INDEX records_id ON records (id);
    CREATE INDEX records_url ON records (url);
    CREATE INDEX records_canonical_url ON records (canonical_url);
    CREATE INDEX records_published ON records (published);
    CREATE INDEX records_site_name ON records (site_name);
    """,
)

_UPSERT = """
INSERT INTO records (key, id, revision, url, canonical_url, published, site_name, document)
VALUES (:key, :id, :revision, :url, :canonical_url, :published, :site_name, :document)
ON CONFLICT (key) DO UPDATE SET
    id = excluded.id, revision = excluded.revision, url = excluded.url,
    canonical_url = excluded.canonical_url, published = excluded.published,
    site_name = excluded.site_name, document = excluded.document
WHERE excluded.revision >= records.revision
"""


class SqliteSink(Sink):
    """Store records in the SQLite database at ``path`` (created when missing).

    Raises:
        SinkError: the file is not a database we can open or migrate.

    Example:
        >>> with SqliteSink(Path("records.db")) as sink:  # doctest: +SKIP
        ...     sink.write(record)
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            _configure(self._db)
            _migrate(self._db)
        except (OSError, sqlite3.Error) as exc:
            self._release()
            raise SinkError(f"{path}: cannot open as a SQLite records database ({exc})") from exc

    def write(self, record: Mapping[str, Any]) -> None:
        """Insert the record, or replace its page's row when this revision is not older."""
        row = row_of(record)
        db = self._connection()
        with _errors(self._path, "write a record"):
            if not db.in_transaction:
                db.execute("BEGIN IMMEDIATE")
            if not _has(db, row.id):
                db.execute(_UPSERT, asdict(row))

    def commit(self) -> None:
        """COMMIT the records written since the last commit."""
        db = self._connection()
        with _errors(self._path, "commit"):
            if db.in_transaction:
                db.execute("COMMIT")

    def has(self, record_id: str) -> bool:
        """True when a row holds this id (written in this transaction or committed)."""
        with _errors(self._path, "look up an id"):
            return _has(self._connection(), utf8_safe(record_id))

    def close(self) -> None:
        """Commit and close the connection."""
        if self._db is None:
            return
        try:
            self.commit()
        finally:
            self._release()

    def _connection(self) -> sqlite3.Connection:
        """The open connection, or an error after close()."""
        if self._db is None:
            raise SinkError(f"{self._path}: the SQLite sink is closed; open a new one")
        return self._db

    def _release(self) -> None:
        """Close the connection, if any."""
        if self._db is not None:
            self._db.close()
            self._db = None


def _configure(db: sqlite3.Connection) -> None:
    """WAL mode, durable commits, foreign-lock patience."""
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":
        raise sqlite3.OperationalError(f"journal_mode is {mode!r}, WAL could not be enabled")
    db.execute("PRAGMA synchronous = FULL")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _migrate(db: sqlite3.Connection) -> None:
    """Apply the migrations the database has not seen, in one transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(_MIGRATIONS[version:], start=version + 1):
            # executescript() would COMMIT first; our scripts hold no ';' inside statements
            for statement in filter(str.strip, script.split(";")):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _has(db: sqlite3.Connection, record_id: str) -> bool:
    """True when a row holds this id."""
    found = db.execute("SELECT 1 FROM records WHERE id = ? LIMIT 1", (record_id,)).fetchone()
    return found is not None


@contextmanager
def _errors(path: Path, action: str) -> Iterator[None]:
    """Turn sqlite3 errors inside the block into SinkError naming the file and the action."""
    try:
        yield
    except sqlite3.Error as exc:
        raise SinkError(f"{path}: cannot {action} ({exc})") from exc
