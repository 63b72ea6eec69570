"""What a crawl reports: per-source counts and failures, and the events progress displays.

Page outcomes (the keys of ``SourceReport.counts``, besides ``fetched``):

- ``stored``: a new article, or a new revision of a changed one, committed to the sink
- ``unchanged``: 304 Not Modified, or the same text as the stored revision
- ``duplicate``: the same text as a record stored under another URL
- ``listing``: an index or other non-article page: its links followed, not stored
- ``empty``: no main content found
- ``failed``: the fetch failed (the reason is kept)

Besides the pages, ``discovery_failed`` counts what automatic discovery (entry.py) could not
read: a robots.txt, a seed page, a sitemap or a feed; it never makes the source fail.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final, Protocol

__all__ = ["OUTCOMES", "Observer", "SourceReport"]

OUTCOMES: Final = ("stored", "unchanged", "duplicate", "listing", "empty", "failed")


@dataclass
class SourceReport:
    """The result of one run of one source."""

    source: str
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    error: str | None = None  # why the source as a whole failed
    stopped: bool = False  # interrupted by a signal; the next run resumes it

    @property
    def failed(self) -> bool:
        """The source failed: an error stopped it, or no page at all could be fetched."""
        return self.error is not None or (self.counts["fetched"] == 0 and bool(self.failures))

    @property
    def reason(self) -> str | None:
        """Why the source failed, in one line."""
        if self.error is not None:
            return self.error
        if self.failed:
            url, why = self.failures[0]
            more = f" (and {len(self.failures) - 1} more)" if len(self.failures) > 1 else ""
            return f"{url}: {why}{more}"
        return None


class Observer(Protocol):
    """Receives crawl events (progress bars, JSON log lines, nothing)."""

    def source_started(self, source: str) -> None:
        """A source's run begins."""

    def page_done(self, source: str, url: str, outcome: str, detail: str | None) -> None:
        """A page reached an outcome (one of OUTCOMES, or "fetched")."""

    def queue_size(self, source: str, host: str, queued: int) -> None:
        """How many URLs wait in a source's queue (for its host)."""

    def source_finished(self, report: SourceReport) -> None:
        """A source's run ended."""
