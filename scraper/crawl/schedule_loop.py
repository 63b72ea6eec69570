"""``scraper run``: keep every source running on its own schedule until a signal stops it.

Each source has its own loop: wait until its next run is due (the last run's start plus its
schedule; at once when it never ran or its last run was interrupted), run it, repeat. A failing
source is reported and retried at its next time; the others are not disturbed. SIGINT or
SIGTERM sets ``stopping``: no new page is taken, pages in flight are stored, loops end.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime

from scraper.config import Config, SourceConfig
from scraper.crawl.report import Observer, SourceReport
from scraper.crawl.session import Session, select_sources, stop_on_signals
from scraper.crawl.state import State
from scraper.errors import ConfigError

__all__ = ["next_run", "run_forever", "serve"]


def next_run(state: State, source: SourceConfig, now: datetime) -> datetime:
    """When the source should run next: now if it never ran or was interrupted."""
    runs = state.runs(source.name, limit=1)
    if not runs or runs[0].finished is None:
        return now
    return source.schedule.next_after(datetime.fromisoformat(runs[0].started))


async def serve(
    config: Config, observer: Observer, sources: Sequence[SourceConfig], stopping: asyncio.Event
) -> list[SourceReport]:
    """Run the sources on their schedules until ``stopping`` is set; returns every report."""
    reports: list[SourceReport] = []
    async with Session(config, observer, stopping) as session, asyncio.TaskGroup() as group:
        for source in sources:
            group.create_task(_source_loop(session, source, reports))
    return reports


def run_forever(
    config: Config, observer: Observer, names: Sequence[str] = ()
) -> list[SourceReport]:
    """``serve`` from synchronous code, until SIGINT or SIGTERM.

    Raises:
        ConfigError: no sources, or an unknown name.
        ScraperError: the state or the sink cannot be opened.
    """
    if config.frontier.kind == "redis":
        raise ConfigError(
            'scraper run keeps its schedules in the SQLite state; with [frontier] kind = "redis" '
            "start each run with `scraper crawl` (from cron) and keep `scraper worker` running "
            "on each machine"
        )
    sources = select_sources(config, names)

    async def main() -> list[SourceReport]:
        stopping = asyncio.Event()
        stop_on_signals(stopping)
        return await serve(config, observer, sources, stopping)

    return asyncio.run(main())


async def _source_loop(session: Session, source: SourceConfig, reports: list[SourceReport]) -> None:
    """Wait for the source's next time, run it, and again, until stopped."""
    assert session.context is not None
    assert session.state is not None
    state, stopping = session.state, session.stopping
    while not stopping.is_set():
        delay = (next_run(state, source, _now()) - _now()).total_seconds()
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=delay)
            continue
        try:
            reports.append(await session.run(source))
        except Exception as exc:  # a bug in one source's run must not stop the others
            report = SourceReport(source.name, error=f"{type(exc).__name__}: {exc}")
            session.context.observer.source_finished(report)
            reports.append(report)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=_RETRY_AFTER_BUG)


_RETRY_AFTER_BUG = 60.0  # seconds before retrying a source whose run raised unexpectedly


def _now() -> datetime:
    """The current time, UTC."""
    return datetime.now(UTC)
