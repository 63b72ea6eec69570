"""PostgreSQL sink (psycopg 3): a ``records`` table with a JSONB document, upserted by page.

Same rows as the SQLite sink (``rows.Row``): one per page (canonical URL, else URL), holding
the latest revision, with indexed ``id``, ``url``, ``canonical_url``, ``published`` and
``site_name`` columns. The table comes from a migration run on first use and recorded in a
``schema_migrations (version, applied_at)`` table; an advisory lock lets several crawlers
start at once. JSONB keeps the values, not the key order, and cannot hold U+0000: NUL
characters are stored as U+FFFD (in the document and in the columns).

The DSN is the ``dsn`` argument, else ``$SCRAPER_PG_DSN``, else ``$DATABASE_URL``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, replace
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from scraper.errors import SinkError
from scraper.sink.base import Sink
from scraper.sink.document import utf8_safe
from scraper.sink.rows import Row, row_of

__all__ = ["DSN_VARIABLES", "PostgresSink", "resolve_dsn"]

DSN_VARIABLES = ("SCRAPER_PG_DSN", "DATABASE_URL")  # read in this order when no dsn is given
CONNECT_TIMEOUT_S = 10  # unless the DSN sets connect_timeout itself
_MIGRATION_LOCK = 7_236_276_923_712  # pg_advisory_xact_lock key: one migrator at a time
_NUL_ESCAPE = re.compile(r"(\\\\)|\\u0000")  # an escaped backslash, or a NUL escape
_TEXT_COLUMNS = ("key", "id", "url", "canonical_url", "published", "site_name")

# Schema versions, applied in order; schema_migrations records each one applied.
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE records (
        key           text PRIMARY KEY,  -- canonical_url, else url, else id
        id            text NOT NULL,
        revision      bigint NOT NULL,
        url           text,
        canonical_url text,
        published     text,
        site_name     text,
        document      jsonb NOT NULL,
        stored_at     timestamptz NOT NULL DEFAULT now()
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
VALUES (%(key)s, %(id)s, %(revision)s, %(url)s, %(canonical_url)s, %(published)s,
        %(site_name)s, %(document)s::jsonb)
ON CONFLICT (key) DO UPDATE SET
    id = excluded.id, revision = excluded.revision, url = excluded.url,
    canonical_url = excluded.canonical_url, published = excluded.published,
    site_name = excluded.site_name, document = excluded.document, stored_at = now()
WHERE excluded.revision >= records.revision
"""


def resolve_dsn(dsn: str | None = None) -> str:
    """The DSN to connect with: ``dsn``, else the first of ``DSN_VARIABLES`` that is set.

    Raises:
        SinkError: none is given.
    """
    if dsn:
        return dsn
    for name in DSN_VARIABLES:
        value = os.environ.get(name)
        if value:
            return value
    raise SinkError(
        "no PostgreSQL DSN: pass one (e.g. postgresql://user@127.0.0.1:5432/scraper) or set "
        + " or ".join(DSN_VARIABLES)
    )


class PostgresSink(Sink):
    """Store records in PostgreSQL, creating the table on first use.

    Args:
        dsn: a libpq connection string or URL; see ``resolve_dsn`` when None.

    Raises:
        SinkError: no DSN, the server cannot be reached, or the migration failed.

    Example:
        >>> with PostgresSink("postgresql://postgres@127.0.0.1/scraper") as sink:  # doctest: +SKIP
        ...     sink.write(record)
    """

    def __init__(self, dsn: str | None = None) -> None:
        conninfo = resolve_dsn(dsn)
        self._where = _describe(conninfo)
        self._conn: psycopg.Connection[Any] | None = None
        try:
            self._conn = psycopg.connect(_with_timeout(conninfo), autocommit=True)
            _migrate(self._conn)
        except psycopg.Error as exc:
            self._release()
            raise SinkError(
                f"PostgreSQL {self._where}: cannot open the records table ({exc}); check that "
                "the server runs and the DSN's user may create tables"
            ) from exc

    def write(self, record: Mapping[str, Any]) -> None:
        """Insert the record, or replace its page's row when this revision is not older."""
        row = _nul_free(row_of(record))
        conn = self._connection()
        with self._errors("write a record"):
            if conn.info.transaction_status == TransactionStatus.IDLE:
                conn.execute("BEGIN")
            if not _has(conn, row.id):
                conn.execute(_UPSERT, asdict(row))

    def commit(self) -> None:
        """COMMIT the records written since the last commit."""
        conn = self._connection()
        with self._errors("commit"):
            if conn.info.transaction_status != TransactionStatus.IDLE:
                conn.execute("COMMIT")

    def has(self, record_id: str) -> bool:
        """True when a row holds this id (written in this transaction or committed)."""
        conn = self._connection()
        with self._errors("look up an id"):
            return _has(conn, utf8_safe(record_id).replace("\x00", "\ufffd"))

    def close(self) -> None:
        """Commit and close the connection."""
        if self._conn is None:
            return
        try:
            self.commit()
        finally:
            self._release()

    def _connection(self) -> psycopg.Connection[Any]:
        """The open connection, or an error after close()."""
        if self._conn is None:
            raise SinkError(f"PostgreSQL {self._where}: the sink is closed; open a new one")
        return self._conn

    def _release(self) -> None:
        """Close the connection, if any."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn psycopg errors into SinkError; roll back a transaction the error broke."""
        try:
            yield
        except psycopg.Error as exc:
            lost = self._roll_back_failed()
            raise SinkError(f"PostgreSQL {self._where}: cannot {action} ({exc}){lost}") from exc

    def _roll_back_failed(self) -> str:
        """ROLLBACK a failed transaction; a note for the message saying what was lost."""
        conn = self._conn
        if conn is None or conn.info.transaction_status != TransactionStatus.INERROR:
            return ""
        conn.execute("ROLLBACK")
        return "; the records written since the last commit were rolled back: write them again"


def _migrate(conn: psycopg.Connection[Any]) -> None:
    """Apply the migrations schema_migrations does not list, in one transaction."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        found = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        version = int(found[0]) if found else 0
        for number, script in enumerate(_MIGRATIONS[version:], start=version + 1):
            conn.execute(script)
            conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (number,))


def _has(conn: psycopg.Connection[Any], record_id: str) -> bool:
    """True when a row holds this id."""
    found = conn.execute("SELECT 1 FROM records WHERE id = %s LIMIT 1", (record_id,)).fetchone()
    return found is not None


def _nul_free(row: Row) -> Row:
    """The row with U+0000 (which PostgreSQL text and JSONB refuse) replaced by U+FFFD."""
    changes: dict[str, Any] = {
        name: value.replace("\x00", "\ufffd")
        for name in _TEXT_COLUMNS
        if isinstance(value := getattr(row, name), str) and "\x00" in value
    }
    if "\\u0000" in row.document:
        changes["document"] = _NUL_ESCAPE.sub(
            lambda match: match.group(1) or "\\ufffd", row.document
        )
    return replace(row, **changes) if changes else row


def _with_timeout(conninfo: str) -> str:
    """The DSN with our connect_timeout, unless it sets one itself."""
    if "connect_timeout" in psycopg.conninfo.conninfo_to_dict(conninfo):
        return conninfo
    return psycopg.conninfo.make_conninfo(conninfo, connect_timeout=CONNECT_TIMEOUT_S)


def _describe(conninfo: str) -> str:
    """The DSN's user, host, port and database for messages; never its password."""
    try:
        parts = psycopg.conninfo.conninfo_to_dict(conninfo)
    except psycopg.Error:
        return "(unparsable DSN)"
    user, database = parts.get("user") or "?", parts.get("dbname") or "?"
    return f"{user}@{parts.get('host') or 'localhost'}:{parts.get('port') or 5432}/{database}"
