"""The crawl's state in one SQLite file (WAL): what each URL looked like, and every run.

Tables (the frontier's own table is in frontier.py, on the same connection):

- ``pages``: one row per normalised URL ever fetched: its validators (ETag, Last-Modified) for
  conditional GETs, the content hash and revision of the last stored record, its outgoing links
  (so that a 304 from an index page still leads somewhere), what it turned out to be.
- ``contents``: content hash -> the URL and record that hold it, so the same text under a
  second URL is stored once and that URL recorded as a duplicate.
- ``runs`` and ``failures``: one row per run of a source with its counts, and why pages failed.

Writes go through ``transaction()``: each page's outcome is one transaction, durable when it
returns (WAL with synchronous=NORMAL survives a killed process).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from scraper.errors import ScraperError

__all__ = ["CrawlStateError", "KnownPage", "PageUpdate", "RunRow", "State"]

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    final_url TEXT,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    record_id TEXT,
    revision INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL,
    duplicate_of TEXT,
    links TEXT NOT NULL DEFAULT '[]',
    fetched_at TEXT
);
CREATE TABLE IF NOT EXISTS contents (
    content_hash TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    record_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    counts TEXT NOT NULL DEFAULT '{}',
    error TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_source ON runs (source, id);
CREATE TABLE IF NOT EXISTS failures (
    run_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (run_id, url)
);
"""
_BUSY_TIMEOUT = 30.0  # seconds to wait for another process holding the write lock


class CrawlStateError(ScraperError):
    """The state file cannot be opened or written (permissions, disk, another tool's file)."""


@dataclass(frozen=True)
class KnownPage:
    """What the state remembers of one URL."""

    url: str
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    record_id: str | None
    revision: int
    links: tuple[str, ...]


@dataclass(frozen=True)
class PageUpdate:
    """A page's new state after a fetch; ``outcome`` says what it was."""

    url: str
    source: str
    final_url: str
    etag: str | None
    last_modified: str | None
    outcome: str  # stored | unchanged | duplicate | listing | empty
    links: tuple[str, ...]
    fetched_at: str
    content_hash: str | None = None
    record_id: str | None = None
    revision: int = 0
    duplicate_of: str | None = None

    def to_json(self) -> str:
        """The update as JSON (kept in the frontier while its record is being written)."""
        return json.dumps({**self.__dict__, "links": list(self.links)})

    @classmethod
    def from_json(cls, text: str) -> PageUpdate:
        """The update back from ``to_json``."""
        data = json.loads(text)
        return cls(**{**data, "links": tuple(data["links"])})


@dataclass(frozen=True)
class RunRow:
    """One run of a source, as stored."""

    id: int
    source: str
    started: str
    finished: str | None
    counts: dict[str, int]
    error: str | None


class State:
    """The state file: open it once per crawl, use ``transaction()`` for every change.

    Args:
        path: the SQLite file; its folder is created.

    Raises:
        CrawlStateError: the file cannot be created or is not a crawl state.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=_BUSY_TIMEOUT, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise CrawlStateError(
                f"{path}: cannot open the crawl state ({exc}); check the folder's permissions "
                "or set crawl.state to another file"
            ) from exc

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on error."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def known(self, url: str) -> KnownPage | None:
        """What we know of ``url`` from earlier fetches, if anything."""
        row = self.db.execute(
            "SELECT url, etag, last_modified, content_hash, record_id, revision, links "
            "FROM pages WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        url, etag, modified, content_hash, record, revision, links = row
        return KnownPage(
            url, etag, modified, content_hash, record, revision, tuple(json.loads(links))
        )

    def holder_of(self, content_hash: str) -> str | None:
        """The URL whose record holds this content, if any."""
        row = self.db.execute(
            "SELECT url FROM contents WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        return None if row is None else str(row[0])

    def duplicates_of(self, url: str) -> list[str]:
        """URLs recorded as carrying the same content as ``url``."""
        rows = self.db.execute(
            "SELECT url FROM pages WHERE duplicate_of = ? ORDER BY url", (url,)
        ).fetchall()
        return [str(r[0]) for r in rows]

    @staticmethod
    def save_page(db: sqlite3.Connection, update: PageUpdate) -> None:
        """Record a page's new state (inside a transaction); a stored record claims its hash."""
        db.execute(
            "INSERT INTO pages (url, source, final_url, etag, last_modified, content_hash, "
            "record_id, revision, outcome, duplicate_of, links, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
            "final_url = excluded.final_url, etag = excluded.etag, "
            "last_modified = excluded.last_modified, "
            "content_hash = COALESCE(excluded.content_hash, content_hash), "
            "record_id = COALESCE(excluded.record_id, record_id), "
            "revision = MAX(excluded.revision, revision), outcome = excluded.outcome, "
            "duplicate_of = excluded.duplicate_of, links = excluded.links, "
            "fetched_at = excluded.fetched_at",
            (
                update.url, update.source, update.final_url, update.etag, update.last_modified,
                update.content_hash, update.record_id, update.revision, update.outcome,
                update.duplicate_of, json.dumps(list(update.links)), update.fetched_at,
            ),
        )  # fmt: skip
        if update.outcome == "stored" and update.content_hash and update.record_id:
            db.execute(
                "INSERT OR REPLACE INTO contents (content_hash, url, record_id) VALUES (?, ?, ?)",
                (update.content_hash, update.url, update.record_id),
            )

    def start_run(self, source: str, started: str) -> int:
        """A new run row; returns its id."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (source, started) VALUES (?, ?)", (source, started)
            )
        return int(cursor.lastrowid or 0)

    def unfinished_run(self, source: str) -> int | None:
        """The id of the source's last run if it never finished (the process was killed)."""
        row = self.db.execute(
            "SELECT id, finished FROM runs WHERE source = ? ORDER BY id DESC LIMIT 1", (source,)
        ).fetchone()
        return int(row[0]) if row is not None and row[1] is None else None

    def last_completed(self, source: str) -> datetime | None:
        """When the source's last run that finished without error started, if any."""
        row = self.db.execute(
            "SELECT started FROM runs WHERE source = ? AND finished IS NOT NULL AND error IS NULL "
            "ORDER BY id DESC LIMIT 1",
            (source,),
        ).fetchone()
        return None if row is None else datetime.fromisoformat(row[0])

    def finish_run(
        self, run_id: int, finished: str, counts: dict[str, int], error: str | None
    ) -> None:
        """Close a run with its counts and, when the source failed, why."""
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished = ?, counts = ?, error = ? WHERE id = ?",
                (finished, json.dumps(counts), error, run_id),
            )

    def record_failure(self, run_id: int, url: str, reason: str) -> None:
        """Remember why a page failed in this run."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO failures (run_id, url, reason) VALUES (?, ?, ?)",
                (run_id, url, reason),
            )

    def failures(self, run_id: int) -> list[tuple[str, str]]:
        """(url, reason) of every page that failed in a run."""
        rows = self.db.execute(
            "SELECT url, reason FROM failures WHERE run_id = ? ORDER BY url", (run_id,)
        ).fetchall()
        return [(str(u), str(r)) for u, r in rows]

    def runs(self, source: str, limit: int = 1) -> list[RunRow]:
        """The source's latest runs, newest first."""
        rows = self.db.execute(
            "SELECT id, source, started, finished, counts, error FROM runs WHERE source = ? "
            "ORDER BY id DESC LIMIT ?",
            (source, limit),
        ).fetchall()
        return [RunRow(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]

    def stored_count(self, source: str) -> int:
        """URLs of a source whose article was stored at least once."""
        row = self.db.execute(
            "SELECT COUNT(*) FROM pages WHERE source = ? AND record_id IS NOT NULL", (source,)
        ).fetchone()
        return int(row[0])

    def page_counts(self, source: str) -> dict[str, int]:
        """Pages of a source by outcome, all runs together."""
        rows = self.db.execute(
            "SELECT outcome, COUNT(*) FROM pages WHERE source = ? GROUP BY outcome", (source,)
        ).fetchall()
        return {str(k): int(v) for k, v in rows}
