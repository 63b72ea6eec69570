"""A crawl session: open the state, the sink, the fetcher and the analysis pool once, and run
sources through them.

``crawl`` (sync) and ``crawl_sources`` (async) run each configured source once, one after the
other; an error in one source (its state, its sink) is recorded in its report and the next
source still runs. ``Session`` is what ``scraper run`` keeps open between scheduled runs.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from types import TracebackType

from scraper.config import Config, SourceConfig
from scraper.crawl.pages import CrawlContext
from scraper.crawl.pool import AnalysePool
from scraper.crawl.report import Observer, SourceReport
from scraper.crawl.runner import crawl_source
from scraper.crawl.sinks import open_configured_sink
from scraper.crawl.state import State
from scraper.crawl.warc import WarcWriter
from scraper.errors import ConfigError, ScraperError
from scraper.fetch import Fetcher

__all__ = [
    "CrawlResult",
    "Session",
    "crawl",
    "crawl_sources",
    "select_sources",
    "stop_on_signals",
]


@dataclass(frozen=True)
class CrawlResult:
    """Every source's report; ``ok`` when none failed."""

    reports: tuple[SourceReport, ...]

    @property
    def ok(self) -> bool:
        """No source failed."""
        return not any(r.failed for r in self.reports)


class Session:
    """The crawl's open resources; an async context manager.

    Args:
        config: the whole configuration.
        observer: receives progress events.
    """

    def __init__(
        self, config: Config, observer: Observer, stopping: asyncio.Event | None = None
    ) -> None:
        self._config = config
        self._observer = observer
        self._stack = AsyncExitStack()
        self.stopping = stopping or asyncio.Event()
        self.context: CrawlContext | None = None
        self.state: State | None = None

    async def __aenter__(self) -> Session:
        config = self._config
        pool = await self._stack.enter_async_context(AnalysePool(config.crawl.extract_processes))
        state = self.state = State(config.crawl.state)
        self._stack.callback(state.close)
        sink = open_configured_sink(config.sink)
        self._stack.callback(sink.close)
        capture = None
        if config.crawl.warc is not None:
            capture = WarcWriter(config.crawl.warc)
            self._stack.callback(capture.close)
        fetcher = await self._stack.enter_async_context(Fetcher(config.fetch))
        self.context = CrawlContext(
            fetcher, pool.analyse, sink, self._observer, config.crawl.workers, self.stopping,
            capture,
        )  # fmt: skip
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._stack.aclose()

    async def run(self, source: SourceConfig) -> SourceReport:
        """One run of one source; its errors end up in the report, not raised."""
        assert self.context is not None and self.state is not None, "use `async with`"
        report = SourceReport(source.name)
        try:
            return await crawl_source(source, self.context, self.state, report)
        except (ScraperError, sqlite3.Error, OSError) as exc:
            report.error = f"{type(exc).__name__}: {exc}"  # the counts so far stay
            self._observer.source_finished(report)
            return report


def select_sources(config: Config, names: Sequence[str]) -> tuple[SourceConfig, ...]:
    """The configured sources, or only those named.

    Raises:
        ConfigError: a name matches no source, or config.toml has no [[sources]].
    """
    if not config.sources:
        raise ConfigError("config.toml has no [[sources]]; add one with a name and seeds")
    known = {s.name: s for s in config.sources}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ConfigError(
            f"no source named {', '.join(map(repr, unknown))}; known: {', '.join(known)}"
        )
    return tuple(known[n] for n in names) if names else config.sources


async def crawl_sources(
    config: Config, observer: Observer, sources: Sequence[SourceConfig], stopping: asyncio.Event
) -> CrawlResult:
    """Run the given sources once each, in order, stopping early when ``stopping`` is set."""
    reports = []
    async with Session(config, observer, stopping) as session:
        for source in sources:
            if stopping.is_set():
                break
            reports.append(await session.run(source))
    return CrawlResult(tuple(reports))


def crawl(config: Config, observer: Observer, names: Sequence[str] = ()) -> CrawlResult:
    """Run every configured source (or those named) once, from synchronous code.

    With ``[frontier] kind = "redis"`` the run is shared: this starts each source's run in
    Redis and waits while ``scraper worker`` processes crawl it (shared/coordinator.py).

    Raises:
        ConfigError: no sources, or an unknown name.
        ScraperError: the state or the sink cannot be opened.

    Example:
        >>> result = crawl(load_config(Path("config.toml")), QuietObserver())  # doctest: +SKIP
        >>> result.ok
        True
    """
    sources = select_sources(config, names)

    async def main() -> CrawlResult:
        stopping = asyncio.Event()
        stop_on_signals(stopping)
        if config.frontier.kind == "redis":
            # imported here: only a shared crawl needs the Redis client
            from scraper.crawl.shared.coordinator import crawl_shared

            return CrawlResult(tuple(await crawl_shared(config, observer, sources, stopping)))
        return await crawl_sources(config, observer, sources, stopping)

    return asyncio.run(main())


def stop_on_signals(stopping: asyncio.Event) -> None:
    """Set ``stopping`` on SIGINT and SIGTERM: in-flight pages finish, no new ones start."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
