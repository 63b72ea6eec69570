"""``scraper status``: per source, its last run, pages seen and stored, failures, next run, and
the templates learned for its sites (site_blocks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scraper.config import Config
from scraper.crawl.schedule_loop import next_run
from scraper.crawl.site_blocks import LearnedSite, SiteBlocks
from scraper.crawl.state import State

__all__ = ["SourceStatus", "source_status"]


@dataclass(frozen=True)
class SourceStatus:
    """What the state file says about one source."""

    source: str
    last_run: str | None  # when the last run started
    last_result: str  # never | ok | failed | interrupted
    pages_seen: int  # URLs fetched at least once, all runs
    stored: int  # URLs whose article was stored (any revision)
    failed: int  # pages that failed in the last run
    failures: tuple[tuple[str, str], ...]  # (url, reason) of the last run
    reason: str | None  # why the last run failed as a whole
    next_run: str
    sites: tuple[LearnedSite, ...] = ()  # the learned template of each site of the source

    def to_dict(self) -> dict[str, Any]:
        """The JSON form; each site's template with the samples of its blocks."""
        failures = [list(f) for f in self.failures]
        return {**self.__dict__, "failures": failures, "sites": [s.to_dict() for s in self.sites]}


def source_status(config: Config) -> list[SourceStatus]:
    """The status of every configured source, read from ``crawl.state``.

    Raises:
        CrawlStateError: the state file cannot be opened.
    """
    state = State(config.crawl.state)
    try:
        now = datetime.now(UTC)
        return [_one(state, source.name, next_run(state, source, now)) for source in config.sources]
    finally:
        state.close()


def _one(state: State, name: str, due: datetime) -> SourceStatus:
    """One source's status."""
    runs = state.runs(name, limit=1)
    pages = state.page_counts(name)
    last = runs[0] if runs else None
    failures = tuple(state.failures(last.id)) if last else ()
    if last is None:
        result = "never"
    elif last.finished is None:
        result = "interrupted"
    else:
        result = "failed" if last.error else "ok"
    return SourceStatus(
        source=name,
        last_run=last.started if last else None,
        last_result=result,
        pages_seen=sum(pages.values()),
        stored=state.stored_count(name),
        failed=len(failures),
        failures=failures,
        reason=last.error if last else None,
        next_run=due.isoformat(timespec="seconds"),
        sites=tuple(_learned(state, name)),
    )


def _learned(state: State, name: str) -> list[LearnedSite]:
    """The learned template of each site the source's counted pages belong to."""
    blocks = SiteBlocks(state)
    return [learned for site in blocks.sites_of(name) for learned in blocks.learned(site)]
