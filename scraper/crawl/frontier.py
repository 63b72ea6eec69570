"""The frontier: the URLs of a source's current run, in the state file, so a killed run resumes.

Each row moves ``queued -> claimed -> done``, or ``queued -> claimed -> writing -> done`` when
the page yields a record: ``writing`` holds the page's new state until the sink has committed
the record, and only then is the page saved and the row marked done (one transaction). After a
crash, ``recover`` puts claimed rows back in the queue and settles writing rows by asking the
sink whether the record arrived: if so the pending state is saved, if not the URL is fetched
again. Nothing is lost and nothing is written twice.

URLs are taken breadth-first (lowest depth, then first queued), at most ``max_pages`` per run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from scraper.crawl.state import PageUpdate, State

__all__ = ["Frontier", "QueuedURL"]

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS frontier (
    seq INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    depth INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    pending TEXT,
    UNIQUE (source, url)
);
CREATE INDEX IF NOT EXISTS frontier_next ON frontier (source, state, depth, seq);
"""


@dataclass(frozen=True)
class QueuedURL:
    """A URL taken from the frontier, with its link distance from a seed.

    ``pending`` is set only by a shared frontier: the page state (``PageUpdate.to_json``) a
    worker that died was writing, so that the next worker asks the sink before refetching.
    """

    url: str
    depth: int
    pending: str | None = None


class Frontier:
    """One source's queue for the current run.

    Args:
        state: the open state file.
        source: the source's name.
    """

    def __init__(self, state: State, source: str) -> None:
        self._state = state
        self._source = source
        state.db.executescript(_SCHEMA)
        self.taken = self._count("state != 'queued'")

    def restart(self, entries: Iterable[QueuedURL]) -> None:
        """Forget the previous run's queue and start from ``entries`` (seeds, discovered URLs)."""
        with self._state.transaction() as db:
            db.execute("DELETE FROM frontier WHERE source = ?", (self._source,))
            self.add(db, entries)
        self.taken = 0

    def add(self, db: sqlite3.Connection, entries: Iterable[QueuedURL]) -> None:
        """Queue URLs not yet in this run (inside a transaction)."""
        db.executemany(
            "INSERT OR IGNORE INTO frontier (source, url, depth) VALUES (?, ?, ?)",
            [(self._source, e.url, e.depth) for e in entries],
        )

    def claim(self, max_pages: int) -> QueuedURL | None:
        """The next URL to fetch, or None when the queue is empty or the run's budget spent."""
        if self.taken >= max_pages:
            return None
        with self._state.transaction() as db:
            row = db.execute(
                "SELECT seq, url, depth FROM frontier WHERE source = ? AND state = 'queued' "
                "ORDER BY depth, seq LIMIT 1",
                (self._source,),
            ).fetchone()
            if row is None:
                return None
            db.execute("UPDATE frontier SET state = 'claimed' WHERE seq = ?", (row[0],))
        self.taken += 1
        return QueuedURL(str(row[1]), int(row[2]))

    def finish(
        self, item: QueuedURL, update: PageUpdate | None, links: Iterable[QueuedURL]
    ) -> None:
        """Save the page's new state (if any), queue its links and mark it done, atomically."""
        with self._state.transaction() as db:
            if update is not None:
                State.save_page(db, update)
            self.add(db, links)
            self._set(db, item.url, "done", None)

    def begin_write(self, item: QueuedURL, update: PageUpdate, links: Iterable[QueuedURL]) -> None:
        """Hold the page's new state while its record goes to the sink; queue its links."""
        with self._state.transaction() as db:
            self.add(db, links)
            self._set(db, item.url, "writing", update.to_json())

    def end_write(self, item: QueuedURL, update: PageUpdate) -> None:
        """The sink committed the record: save the page's state and mark it done."""
        self.finish(item, update, ())

    def recover(self, sink_has: Callable[[str], bool]) -> int:
        """Settle an interrupted run's rows; returns how many records were found committed."""
        committed = 0
        with self._state.transaction() as db:
            db.execute(
                "UPDATE frontier SET state = 'queued' WHERE source = ? AND state = 'claimed'",
                (self._source,),
            )
            rows = db.execute(
                "SELECT url, pending FROM frontier WHERE source = ? AND state = 'writing'",
                (self._source,),
            ).fetchall()
            for url, pending in rows:
                update = PageUpdate.from_json(pending)
                if update.record_id is not None and sink_has(update.record_id):
                    State.save_page(db, update)
                    self._set(db, url, "done", None)
                    committed += 1
                else:
                    self._set(db, url, "queued", None)
        self.taken = self._count("state != 'queued'")
        return committed

    def queued(self) -> int:
        """URLs waiting in this run."""
        return self._count("state = 'queued'")

    def _set(self, db: sqlite3.Connection, url: str, state: str, pending: str | None) -> None:
        """Move one row to ``state``."""
        db.execute(
            "UPDATE frontier SET state = ?, pending = ? WHERE source = ? AND url = ?",
            (state, pending, self._source, url),
        )

    def _count(self, condition: str) -> int:
        """Rows of this source matching a fixed SQL condition."""
        row = self._state.db.execute(
            f"SELECT COUNT(*) FROM frontier WHERE source = ? AND {condition}", (self._source,)
        ).fetchone()
        return int(row[0])
