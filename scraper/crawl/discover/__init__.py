"""Discovery: the URLs a site lists in its sitemaps and feeds, for the crawl frontier.

    robots.txt --sitemaps_from_robots--> sitemap URLs --sitemap_urls--> [Discovered]
    home page  --feed_links------------> feed URLs    --feed_urls-----> [Discovered]

Every fetch goes through the caller's ``Fetcher`` (``accept=Accept.XML`` or ``TEXT``), so the
address guard, robots.txt, politeness and ``fetch.max_bytes`` apply. Everything is bounded:
URLs kept (``limit``), sitemaps fetched, index depth, gzip output. XML is parsed with entity
declarations refused (safexml.py). A malformed, unsafe or off-site document raises
``DiscoveryError`` naming its URL; the caller skips it and goes on (``sitemap_urls`` does so
itself for child sitemaps, logging each).

Example:
    >>> async with Fetcher(config) as fetcher:  # doctest: +SKIP
    ...     for sitemap in await sitemaps_from_robots(fetcher, "https://example.org/"):
    ...         found = await sitemap_urls(fetcher, sitemap, since=yesterday)
"""

from __future__ import annotations

from scraper.crawl.discover.documents import DEFAULT_MAX_DOCUMENT_BYTES
from scraper.crawl.discover.feed_links import FEED_TYPES, feed_links
from scraper.crawl.discover.feeds import feed_urls
from scraper.crawl.discover.model import Discovered
from scraper.crawl.discover.robots import sitemaps_from_robots
from scraper.crawl.discover.sitemaps import (
    DEFAULT_LIMIT,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_SITEMAPS,
    sitemap_urls,
)

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_DOCUMENT_BYTES",
    "DEFAULT_MAX_SITEMAPS",
    "FEED_TYPES",
    "Discovered",
    "feed_links",
    "feed_urls",
    "sitemap_urls",
    "sitemaps_from_robots",
]
