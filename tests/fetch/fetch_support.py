"""Helpers for the fetch tests: fast configs, running the async Fetcher, fake name resolution.

Named fetch_support (not helpers) because test folders have no __init__.py and module
names must be unique across the suite.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from server import LoggedRequest

from scraper.config import FetchConfig
from scraper.fetch import Fetcher, Resolver
from scraper.models import Page

LOOPBACK_ONLY = ("127.0.0.1/32",)  # the test server, and nothing else private


def fast_config(**changes: Any) -> FetchConfig:
    """A config for tests: short timeouts and backoff, no politeness delay, no robots."""
    values: dict[str, Any] = {
        "timeout": 0.4,
        "retries": 2,
        "retry_backoff": 0.02,
        "per_host_delay": 0.0,
        "respect_robots": False,
        "allowed_networks": LOOPBACK_ONLY,
        "max_bytes": 1024 * 1024,
    }
    values.update(changes)
    return FetchConfig(**values)


def resolver(mapping: dict[str, Sequence[str]]) -> Resolver:
    """A resolver that knows only ``mapping`` (name -> addresses); never asks real DNS."""

    async def resolve(host: str, port: int) -> list[str]:
        if host not in mapping:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} is not in the test resolver")
        return list(mapping[host])

    return resolve


def fetch(config: FetchConfig, url: str, *, resolve: Resolver | None = None, **kw: Any) -> Page:
    """Fetch one URL with a fresh Fetcher, synchronously."""

    async def run() -> Page:
        async with Fetcher(config, resolver=resolve) as fetcher:
            return await fetcher.fetch(url, **kw)

    return asyncio.run(run())


def run_with_fetcher(
    config: FetchConfig,
    body: Callable[[Fetcher], Awaitable[list[Page | BaseException]]],
    *,
    resolve: Resolver | None = None,
) -> list[Page | BaseException]:
    """Run ``body(fetcher)`` in a fresh event loop and Fetcher."""

    async def run() -> list[Page | BaseException]:
        async with Fetcher(config, resolver=resolve) as fetcher:
            return await body(fetcher)

    return asyncio.run(run())


def fetch_all(
    config: FetchConfig, urls: Sequence[str], *, resolve: Resolver | None = None
) -> list[Page | BaseException]:
    """Fetch URLs concurrently with one Fetcher; failures are returned, not raised."""

    async def body(fetcher: Fetcher) -> list[Page | BaseException]:
        tasks = [fetcher.fetch(url) for url in urls]
        return list(await asyncio.gather(*tasks, return_exceptions=True))

    return run_with_fetcher(config, body, resolve=resolve)


def gaps(requests: Sequence[LoggedRequest]) -> list[float]:
    """Seconds between the arrivals of consecutive requests, as the server saw them."""
    starts = sorted(r.started for r in requests)
    return [b - a for a, b in itertools.pairwise(starts)]


_FINISH_SLACK = 0.05  # s: the server notes a request finished just after its last byte went out


def max_overlap(requests: Sequence[LoggedRequest]) -> int:
    """The most requests the server was handling at one time (for slow pages: a request's
    end is noted by the server thread after the client may already have the whole reply and
    sent the next one, so ends count ``_FINISH_SLACK`` early)."""
    deadline = time.monotonic() + 2.0
    while any(r.finished is None for r in requests) and time.monotonic() < deadline:
        time.sleep(0.01)
    events = []
    for r in requests:
        assert r.finished is not None
        events += [(r.started, 1), (r.finished - _FINISH_SLACK, -1)]
    level = peak = 0
    for _, step in sorted(events, key=lambda e: (e[0], e[1])):
        level += step
        peak = max(peak, level)
    return peak
