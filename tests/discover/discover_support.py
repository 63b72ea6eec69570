"""Helpers for the discovery tests: a fast loopback config, running discovery, XML builders.

Named discover_support (not helpers): test folders have no __init__.py, so module names
must be unique across the suite.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import socket
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from scraper.config import FetchConfig
from scraper.crawl.discover import DEFAULT_MAX_DOCUMENT_BYTES
from scraper.fetch import Fetcher, Resolver

T = TypeVar("T")

LOOPBACK_ONLY = ("127.0.0.1/32",)  # the test server, and nothing else private
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XML = {"Content-Type": "application/xml; charset=utf-8"}
GZIP = {"Content-Type": "application/x-gzip"}


def fast_config(**changes: Any) -> FetchConfig:
    """A config for tests: short timeouts, no retries or politeness delay, no robots."""
    values: dict[str, Any] = {
        "timeout": 0.5,
        "retries": 0,
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


def run(
    body: Callable[[Fetcher], Awaitable[T]],
    config: FetchConfig | None = None,
    *,
    resolve: Resolver | None = None,
) -> T:
    """Run ``body(fetcher)`` with a fresh Fetcher in a fresh event loop."""

    async def main() -> T:
        async with Fetcher(config or fast_config(), resolver=resolve) as fetcher:
            return await body(fetcher)

    return asyncio.run(main())


def urlset(*entries: tuple[str, str | None]) -> str:
    """A <urlset> of (loc, lastmod or None) entries."""
    items = "".join(
        f"<url><loc>{loc}</loc>" + (f"<lastmod>{mod}</lastmod>" if mod else "") + "</url>"
        for loc, mod in entries
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">{items}</urlset>'


def sitemap_index(*entries: tuple[str, str | None]) -> str:
    """A <sitemapindex> of (loc, lastmod or None) child sitemaps."""
    items = "".join(
        f"<sitemap><loc>{loc}</loc>" + (f"<lastmod>{mod}</lastmod>" if mod else "") + "</sitemap>"
        for loc, mod in entries
    )
    return f'<?xml version="1.0"?>\n<sitemapindex xmlns="{SITEMAP_NS}">{items}</sitemapindex>'


@functools.cache
def gzip_bomb() -> bytes:
    """gzip of zero bytes 1 MiB past the default decompression cap: about 50 kB on the wire."""
    return gzip.compress(bytes(DEFAULT_MAX_DOCUMENT_BYTES + 1024 * 1024), compresslevel=9)
