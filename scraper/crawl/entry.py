"""Where a new run of a source starts: its seeds, and the URLs its sitemaps and feeds list.

Seeds enter the frontier at depth 0. Sitemap and feed entries enter at depth 1, as if a seed
linked to them, and only when the source's link rules allow them. Sitemaps are read for URLs
changed since the source's last completed run (their ``<lastmod>``), at most ``max_pages``.
An entry point that fails is reported with its reason; the others still count.
"""

from __future__ import annotations

from datetime import datetime

from scraper.config import SourceConfig
from scraper.crawl.discover import Discovered, feed_urls, sitemap_urls
from scraper.crawl.frontier import QueuedURL
from scraper.crawl.urls import LinkRules, normalise_url
from scraper.errors import DiscoveryError, FetchError
from scraper.fetch import Fetcher

__all__ = ["DISCOVERED_DEPTH", "EntryPoints", "entry_points"]

DISCOVERED_DEPTH = 1  # a sitemap or feed entry counts as one link away from a seed


class EntryPoints:
    """The seeds and discovered URLs of a new run, and the entry points that failed."""

    def __init__(self) -> None:
        self.queued: list[QueuedURL] = []
        self.failures: list[tuple[str, str]] = []


async def entry_points(
    fetcher: Fetcher, source: SourceConfig, since: datetime | None
) -> EntryPoints:
    """Seeds, sitemap entries and feed entries of ``source``, normalised and filtered.

    Args:
        fetcher: fetches the sitemaps and feeds.
        source: the [[sources]] entry.
        since: the start of the source's last completed run; older sitemap entries are skipped.
    """
    found = EntryPoints()
    rules = LinkRules.from_source(source)
    for seed in source.seeds:
        try:
            found.queued.append(QueuedURL(normalise_url(seed), 0))
        except FetchError as exc:
            found.failures.append((seed, exc.reason))
    depth = min(DISCOVERED_DEPTH, source.max_depth)
    for listed in await _discovered(fetcher, source, since, found):
        try:
            normal = normalise_url(listed.url)
        except FetchError:
            continue
        if rules.allows(normal, depth):
            found.queued.append(QueuedURL(normal, depth))
    return found


async def _discovered(
    fetcher: Fetcher, source: SourceConfig, since: datetime | None, found: EntryPoints
) -> list[Discovered]:
    """Every entry the source's sitemaps and feeds list; failures go to ``found``."""
    listed: list[Discovered] = []
    for sitemap in source.sitemaps:
        try:
            entries = await sitemap_urls(fetcher, sitemap, since=since, limit=source.max_pages)
        except (DiscoveryError, FetchError) as exc:
            found.failures.append((sitemap, exc.reason))
            continue
        listed.extend(entries)
    for feed in source.feeds:
        try:
            entries = await feed_urls(fetcher, feed)
        except (DiscoveryError, FetchError) as exc:
            found.failures.append((feed, exc.reason))
            continue
        listed.extend(entries)
    return listed
