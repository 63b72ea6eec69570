"""How a crawl shows itself on stderr: live progress (rich), JSON log lines, or nothing.

Each is an ``Observer`` (report.py). The final summary table is ``print_summary``; records go
to the sink (stdout only for the stdout sink), so nothing here writes to stdout.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from typing import IO, Final

from rich.console import Console
from rich.live import Live
from rich.table import Table

from scraper.crawl.report import OUTCOMES, SourceReport

__all__ = ["JsonLogObserver", "LiveObserver", "QuietObserver", "print_summary"]

_SKIPPED: Final = ("unchanged", "duplicate", "listing", "empty")  # "skipped" in the live view
_REFRESH = 4  # live view refreshes per second


class QuietObserver:
    """Shows nothing while crawling."""

    def source_started(self, source: str) -> None:
        """Nothing."""

    def page_done(self, source: str, url: str, outcome: str, detail: str | None) -> None:
        """Nothing."""

    def queue_size(self, source: str, host: str, queued: int) -> None:
        """Nothing."""

    def source_finished(self, report: SourceReport) -> None:
        """Nothing."""


class JsonLogObserver(QuietObserver):
    """One JSON object per line on stderr for every event (for log collectors)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream or sys.stderr

    def _emit(self, event: str, **fields: object) -> None:
        """Write one log line."""
        line = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event}
        self._stream.write(json.dumps({**line, **fields}, ensure_ascii=False) + "\n")
        self._stream.flush()

    def source_started(self, source: str) -> None:
        """Log the start of a source's run."""
        self._emit("source_started", source=source)

    def page_done(self, source: str, url: str, outcome: str, detail: str | None) -> None:
        """Log one page's outcome."""
        self._emit("page", source=source, url=url, outcome=outcome, detail=detail)

    def source_finished(self, report: SourceReport) -> None:
        """Log a source's counts and, if it failed, why."""
        self._emit(
            "source_finished",
            source=report.source,
            counts=dict(report.counts),
            failed=report.failed,
            reason=report.reason,
            stopped=report.stopped,
        )


class LiveObserver(QuietObserver):
    """A live table on stderr: fetched, stored, skipped, failed, queue per host, pages/s."""

    def __init__(self, console: Console | None = None) -> None:
        self._console = console or Console(stderr=True)
        self._counts: dict[str, Counter[str]] = {}
        self._queues: dict[str, tuple[str, int]] = {}
        self._started: dict[str, float] = {}
        self._live = Live(console=self._console, refresh_per_second=_REFRESH, transient=True)

    def source_started(self, source: str) -> None:
        """Add the source's row and start the live view."""
        self._counts[source] = Counter()
        self._started[source] = time.monotonic()
        if not self._live.is_started:
            self._live.start()
        self._live.update(self._table())

    def page_done(self, source: str, url: str, outcome: str, detail: str | None) -> None:
        """Count the outcome."""
        self._counts.setdefault(source, Counter())[outcome] += 1
        self._live.update(self._table())

    def queue_size(self, source: str, host: str, queued: int) -> None:
        """Remember the queue length shown for the source."""
        self._queues[source] = (host, queued)

    def source_finished(self, report: SourceReport) -> None:
        """Stop the live view when the source is done."""
        self._live.update(self._table())
        self._live.stop()

    def _table(self) -> Table:
        """The live table."""
        table = Table("source", "fetched", "stored", "skipped", "failed", "queued", "pages/s")
        for source, counts in self._counts.items():
            host, queued = self._queues.get(source, ("", 0))
            elapsed = max(time.monotonic() - self._started[source], 1e-6)
            table.add_row(
                source,
                str(counts["fetched"]),
                str(counts["stored"]),
                str(sum(counts[k] for k in _SKIPPED)),
                str(counts["failed"]),
                f"{queued} {host}".strip(),
                f"{counts['fetched'] / elapsed:.1f}",
            )
        return table


def print_summary(reports: list[SourceReport] | tuple[SourceReport, ...], stream: IO[str]) -> None:
    """The final table: one row per source with every outcome, then why failed sources failed."""
    console = Console(file=stream, width=120)
    table = Table("source", "result", "fetched", *OUTCOMES, title="crawl summary")
    for report in reports:
        result = "FAILED" if report.failed else ("stopped" if report.stopped else "ok")
        counts = [str(report.counts[k]) for k in ("fetched", *OUTCOMES)]
        table.add_row(report.source, result, *counts)
    console.print(table)
    for report in reports:
        if report.failed:
            console.print(
                f"{report.source}: failed: {report.reason}", markup=False, highlight=False
            )
        if report.counts["discovery_failed"]:
            console.print(
                f"{report.source}: {report.counts['discovery_failed']} robots.txt, seed page, "
                "sitemap or feed could not be read for discovery (logged above; the source ran)",
                markup=False,
                highlight=False,
            )
