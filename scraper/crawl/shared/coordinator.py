"""``scraper crawl`` on the shared frontier: start each source's run, queue its entry points,
wait while the workers crawl, then close the runs with their counts.

A source whose run is in progress with URLs left (the previous ``scraper crawl`` was killed)
is resumed: nothing is queued again, the wait goes on. The progress display gets the
workers' counts as they grow (the events carry no URL: each worker logs its own pages).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Sequence

from scraper.config import Config, SourceConfig
from scraper.crawl.entry import entry_points
from scraper.crawl.report import Observer, SourceReport
from scraper.crawl.runner import now_iso
from scraper.crawl.shared.client import SharedRedis
from scraper.crawl.shared.politeness import SharedPoliteness
from scraper.crawl.shared.runs import SharedRuns
from scraper.fetch import Fetcher

__all__ = ["WAIT_POLL_SECONDS", "crawl_shared"]

WAIT_POLL_SECONDS = 1.0  # how often the coordinator reads the runs' progress
_log = logging.getLogger(__name__)


async def crawl_shared(
    config: Config, observer: Observer, sources: Sequence[SourceConfig], stopping: asyncio.Event
) -> list[SourceReport]:
    """Start (or resume) a run of each source and wait until the workers drained them all.

    Returns:
        One report per source; a source not drained when ``stopping`` was set is ``stopped``
        (its run stays in progress: the workers go on, the next ``scraper crawl`` waits again).

    Raises:
        SharedFrontierError: Redis is unreachable.
    """
    shared = SharedRedis(config.frontier)
    try:
        await shared.ping()
        await shared.check_durability()
        runs = SharedRuns(shared)
        pacer = SharedPoliteness(shared, config.fetch)
        async with Fetcher(config.fetch, politeness=pacer) as fetcher:
            for source in sources:
                observer.source_started(source.name)
                await _open(source, runs, fetcher)
        return await _wait(sources, runs, observer, stopping)
    finally:
        await shared.close()


async def _open(source: SourceConfig, runs: SharedRuns, fetcher: Fetcher) -> None:
    """Resume the source's run if it has URLs left, else start one from its entry points."""
    name = source.name
    run = await runs.current(name)
    if run and not run.get("finished"):
        if not (await runs.backlog(name)).drained(source.max_pages):
            return  # resumed: the workers go on with what is queued
        await runs.finish(name, now_iso(), await runs.counts(name), None)
    await runs.start(name, now_iso())
    found = await entry_points(fetcher, source, await runs.last_completed(name))
    for url, reason in found.failures:
        await runs.fail(name, url, reason)
    for url, reason in found.discovery_failures:
        _log.warning("%s: discovery skipped %s: %s", name, url, reason)
        await runs.count(name, "discovery_failed")
    await runs.enqueue(name, found.queued)


async def _wait(
    sources: Sequence[SourceConfig],
    runs: SharedRuns,
    observer: Observer,
    stopping: asyncio.Event,
) -> list[SourceReport]:
    """Follow the runs until each is drained (then closed) or a stop is asked."""
    waiting = {s.name: s for s in sources}
    shown: dict[str, Counter[str]] = {s.name: Counter() for s in sources}
    reports: dict[str, SourceReport] = {}
    drained_once: set[str] = set()  # drained at the last look: closed if still so at this one
    while waiting:
        for name, source in list(waiting.items()):
            counts = await runs.counts(name)
            _replay(observer, name, shown[name], counts)
            backlog = await runs.backlog(name)
            observer.queue_size(name, "", backlog.queued)
            if not backlog.drained(source.max_pages):
                drained_once.discard(name)
            elif name not in drained_once:
                drained_once.add(name)  # a worker that just idled may still be sending counts
            else:
                report = SourceReport(name, counts, await runs.failures(name))
                await runs.finish(name, now_iso(), counts, report.reason if report.failed else None)
                observer.source_finished(report)
                reports[name] = report
                del waiting[name]
        if stopping.is_set():
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), WAIT_POLL_SECONDS)
    for name in waiting:
        report = SourceReport(name, await runs.counts(name), await runs.failures(name))
        report.stopped = True
        reports[name] = report
    return [reports[s.name] for s in sources]


def _replay(observer: Observer, source: str, shown: Counter[str], counts: Counter[str]) -> None:
    """Tell the observer about the outcomes counted since the last look."""
    for outcome, total in counts.items():
        for _ in range(total - shown[outcome]):
            observer.page_done(source, "", outcome, None)
        shown[outcome] = max(shown[outcome], total)
