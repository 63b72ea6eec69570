"""``scraper worker``: one process of a shared crawl. Take URLs of the runs in progress from
Redis, fetch, extract and store them, until stopped (or, with ``until_idle``, until no run is
in progress any more, having waited for one to start).

Each worker has a name (default ``<host>-<pid>``) and a lease token. Every
``heartbeat`` seconds (a third of the lease, at most 5 s) it renews the leases of the URLs it
holds and tells Redis it is alive (``scraper status`` counts the workers seen in the last
three beats). Its sink is the configured one, with the JSON Lines folder (and the WARC
folder) of each worker in a subfolder named after it: two processes never append to one
file. PostgreSQL is the sink for a crawl across machines: it upserts by canonical URL, so a
record written again after a worker died is still one row.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import replace
from pathlib import Path

from scraper.config import Config, SinkConfig
from scraper.crawl.pages import CrawlContext, SourceWork
from scraper.crawl.pool import AnalysePool
from scraper.crawl.report import Observer, SourceReport
from scraper.crawl.session import stop_on_signals
from scraper.crawl.shared.client import SharedFrontierError, SharedRedis
from scraper.crawl.shared.politeness import SharedPoliteness
from scraper.crawl.shared.runs import SharedRuns
from scraper.crawl.shared.store import RedisRunStore
from scraper.crawl.sinks import open_configured_sink
from scraper.crawl.warc import WarcWriter
from scraper.errors import ConfigError
from scraper.fetch import Fetcher
from scraper.sink.jsonl_folder import list_record_files, read_ids
from scraper.sink.paths import contained

__all__ = ["IDLE_POLL_SECONDS", "default_worker_name", "run_worker", "work"]

IDLE_POLL_SECONDS = 1.0  # how often an idle worker looks for a run in progress
_MAX_HEARTBEAT = 5.0  # seconds
_log = logging.getLogger(__name__)


def default_worker_name() -> str:
    """``<host>-<pid>``: unique among the workers of a crawl."""
    return f"{socket.gethostname()}-{os.getpid()}"


def work(
    config: Config, observer: Observer, *, name: str | None = None, until_idle: bool = False
) -> list[SourceReport]:
    """``run_worker`` from synchronous code, until SIGINT/SIGTERM (or idle, ``until_idle``)."""

    async def main() -> list[SourceReport]:
        stopping = asyncio.Event()
        stop_on_signals(stopping)
        return await run_worker(
            config, observer, stopping, name=name or default_worker_name(), until_idle=until_idle
        )

    return asyncio.run(main())


async def run_worker(
    config: Config,
    observer: Observer,
    stopping: asyncio.Event,
    *,
    name: str,
    until_idle: bool = False,
) -> list[SourceReport]:
    """Work on the shared crawl until ``stopping`` is set (or, ``until_idle``, nothing is left).

    Returns:
        What this worker did, per source.

    Raises:
        ConfigError: [frontier] kind is not redis, or the name is not a plain folder name.
        SharedFrontierError: Redis stayed unreachable.
        SinkError: the sink cannot be opened or written.
    """
    _check(config, name)
    shared = SharedRedis(config.frontier)
    reports = {s.name: SourceReport(s.name) for s in config.sources}
    try:
        await shared.ping()
        await shared.check_durability()
        token = f"{name}:{uuid.uuid4().hex[:12]}"
        stores = {
            s.name: RedisRunStore(shared, s, token, config.frontier.lease) for s in config.sources
        }
        async with AsyncExitStack() as stack:
            ctx = await _context(stack, config, shared, observer, stopping, name)
            beat = min(config.frontier.lease / 3, _MAX_HEARTBEAT)
            quit_beating = asyncio.Event()
            heart = asyncio.create_task(
                _heartbeat(shared, name, list(stores.values()), beat, quit_beating)
            )
            try:
                await _loop(config, SharedRuns(shared), ctx, stores, reports, until_idle)
            finally:
                quit_beating.set()  # not cancel(): redis-py may swallow a cancellation
                await heart
                for store in stores.values():
                    await store.flush_counts()
                await shared.call(shared.redis.zrem(shared.keys.crawl("workers"), name))
    finally:
        await shared.close()
    return [reports[s.name] for s in config.sources]


async def _context(
    stack: AsyncExitStack,
    config: Config,
    shared: SharedRedis,
    observer: Observer,
    stopping: asyncio.Event,
    name: str,
) -> CrawlContext:
    """Open the worker's pool, sink, WARC writer and fetcher (closed by ``stack``)."""
    pool = await stack.enter_async_context(AnalysePool(config.crawl.extract_processes))
    sink_config = _worker_sink(config.sink, name)
    sink = open_configured_sink(sink_config)
    stack.callback(sink.close)
    capture = None
    if config.crawl.warc is not None:
        capture = WarcWriter(contained(config.crawl.warc, name))
        stack.callback(capture.close)
    pacer = SharedPoliteness(shared, config.fetch)
    fetcher = await stack.enter_async_context(Fetcher(config.fetch, politeness=pacer))
    ctx = CrawlContext(
        fetcher, pool.analyse, sink, observer, config.crawl.workers, stopping, capture
    )
    if config.sink.kind == "jsonl":
        ctx.sink_has = _jsonl_has(sink.has, config.sink.path)
    return ctx


async def _loop(
    config: Config,
    runs: SharedRuns,
    ctx: CrawlContext,
    stores: dict[str, RedisRunStore],
    reports: dict[str, SourceReport],
    until_idle: bool,
) -> None:
    """Work on the sources whose runs are in progress, again and again; ``until_idle``: until
    none is, once one was (a worker may start before ``scraper crawl`` starts the run)."""
    worked = False
    while not ctx.stopping.is_set():
        active = [s for s in config.sources if await runs.in_progress(s.name)]
        if not active and until_idle and worked:
            return
        worked = worked or bool(active)
        try:
            async with asyncio.TaskGroup() as group:
                for source in active:
                    work = SourceWork(source, ctx, stores[source.name], reports[source.name])
                    group.create_task(work.work())
        except* Exception as errors:
            raise errors.exceptions[0] from None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ctx.stopping.wait(), IDLE_POLL_SECONDS)


async def _heartbeat(
    shared: SharedRedis,
    name: str,
    stores: list[RedisRunStore],
    every: float,
    done: asyncio.Event,
) -> None:
    """Say we are alive and renew our leases, every ``every`` seconds, until ``done``."""
    workers = shared.keys.crawl("workers")
    while not done.is_set():
        try:
            seconds, micros = await shared.call(shared.redis.time())
            await shared.call(shared.redis.zadd(workers, {name: seconds * 1000 + micros // 1000}))
            for store in stores:
                await store.renew()
        except SharedFrontierError as exc:  # the page loop meets it too, and stops the worker
            _log.warning("heartbeat of %s missed: %s", name, exc)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), every)


def _check(config: Config, name: str) -> None:
    """The worker needs the Redis frontier and a plain name."""
    if config.frontier.kind != "redis":
        raise ConfigError(
            'scraper worker needs [frontier] kind = "redis" (and its url) in config.toml; '
            "with the default SQLite frontier run `scraper crawl` instead"
        )
    if not name or Path(name).name != name or name in {".", ".."}:
        raise ConfigError(f"worker name {name!r} must be a plain folder name (no /)")
    if not config.sources:
        raise ConfigError("config.toml has no [[sources]]; add one with a name and seeds")


def _worker_sink(sink: SinkConfig, name: str) -> SinkConfig:
    """The worker's sink: a JSON Lines folder of its own inside the configured one."""
    if sink.kind != "jsonl":
        return sink
    return replace(sink, path=contained(sink.path, name))


def _jsonl_has(own: Callable[[str], bool], root: Path) -> Callable[[str], bool]:
    """``has`` that also reads the other workers' folders: a dead worker's record counts."""

    def has(record_id: str) -> bool:
        if own(record_id):
            return True
        for folder in (p for p in root.iterdir() if p.is_dir()):
            for record_file in list_record_files(folder):
                if record_id in read_ids(record_file.path):
                    return True
        return False

    return has
