"""Where a new run of a source starts: its seeds, and the URLs its sitemaps and feeds list.

Seeds enter the frontier at depth 0. Sitemap and feed entries enter at depth 1, as if a seed
linked to them, and only when the source's link rules allow them. Sitemaps are read for URLs
changed since the source's last completed run (their ``<lastmod>``), at most ``max_pages``.

With ``discover = true`` (the default) the source also reads, through the same two paths:

1. the sitemaps named by the ``Sitemap:`` lines of each seed's site's robots.txt (at most
   ``ROBOTS_SITEMAPS_PER_SITE`` per site);
2. the feeds each seed page announces with ``<link rel="alternate" type="application/rss+xml">``
   (or atom+xml, rdf+xml; at most ``FEEDS_PER_SEED`` per seed). The seed page is fetched once
   for this, without validators, before the run fetches it again as its first page.

A configured sitemap or feed that fails is a failed entry point (``failures``), reported like a
failed page. What automatic discovery cannot read (robots.txt unreachable, a broken sitemap or
feed, a seed page that fails) goes to ``discovery_failures`` instead: logged and counted, never
a reason for the source to fail.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable
from datetime import datetime
from typing import Final

from scraper.config import SourceConfig
from scraper.crawl.discover import (
    Discovered,
    feed_links,
    feed_urls,
    sitemap_urls,
    sitemaps_from_robots,
)
from scraper.crawl.frontier import QueuedURL
from scraper.crawl.urls import LinkRules, normalise_url
from scraper.errors import DiscoveryError, FetchError
from scraper.fetch import Fetcher

__all__ = [
    "DISCOVERED_DEPTH",
    "FEEDS_PER_SEED",
    "ROBOTS_SITEMAPS_PER_SITE",
    "EntryPoints",
    "entry_points",
]

DISCOVERED_DEPTH = 1  # a sitemap or feed entry counts as one link away from a seed
ROBOTS_SITEMAPS_PER_SITE: Final = 10  # robots.txt of news sites name a handful; more is junk
FEEDS_PER_SEED: Final = 5  # a page announces one to three feeds; more are tag or comment feeds


class EntryPoints:
    """The seeds and discovered URLs of a new run, and the entry points that failed."""

    def __init__(self) -> None:
        self.queued: list[QueuedURL] = []
        self.failures: list[tuple[str, str]] = []  # configured sitemaps and feeds
        self.discovery_failures: list[tuple[str, str]] = []  # automatic discovery


async def entry_points(
    fetcher: Fetcher, source: SourceConfig, since: datetime | None
) -> EntryPoints:
    """Seeds, sitemap entries and feed entries of ``source``, normalised and filtered.

    Args:
        fetcher: fetches robots.txt, seed pages, sitemaps and feeds.
        source: the [[sources]] entry.
        since: the start of the source's last completed run; older sitemap entries are skipped.
    """
    found = EntryPoints()
    for seed in source.seeds:
        try:
            found.queued.append(QueuedURL(normalise_url(seed), 0))
        except FetchError as exc:
            found.failures.append((seed, exc.reason))
    listed = await _listed(fetcher, source, since, source.sitemaps, source.feeds, found.failures)
    if source.discover:
        sitemaps, feeds = await _announced(fetcher, source, found.discovery_failures)
        failures = found.discovery_failures
        listed += await _listed(fetcher, source, since, sitemaps, feeds, failures)
    rules = LinkRules.from_source(source)
    depth = min(DISCOVERED_DEPTH, source.max_depth)
    for entry in listed:
        try:
            normal = normalise_url(entry.url)
        except FetchError:
            continue
        if rules.allows(normal, depth):
            found.queued.append(QueuedURL(normal, depth))
    return found


async def _listed(
    fetcher: Fetcher,
    source: SourceConfig,
    since: datetime | None,
    sitemaps: Iterable[str],
    feeds: Iterable[str],
    failures: list[tuple[str, str]],
) -> list[Discovered]:
    """Every entry the given sitemaps and feeds list; those that fail go to ``failures``."""
    listed: list[Discovered] = []
    for sitemap in sitemaps:
        try:
            listed += await sitemap_urls(fetcher, sitemap, since=since, limit=source.max_pages)
        except (DiscoveryError, FetchError) as exc:
            failures.append((sitemap, exc.reason))
    for feed in feeds:
        try:
            listed += await feed_urls(fetcher, feed)
        except (DiscoveryError, FetchError) as exc:
            failures.append((feed, exc.reason))
    return listed


async def _announced(
    fetcher: Fetcher, source: SourceConfig, failures: list[tuple[str, str]]
) -> tuple[list[str], list[str]]:
    """The sitemaps the seeds' robots.txt name and the feeds the seed pages announce, new ones
    only (not configured already), within the caps; what cannot be read goes to ``failures``."""
    sitemaps: list[str] = []
    for site in dict.fromkeys(_site_root(seed) for seed in source.seeds):
        try:
            named = await sitemaps_from_robots(fetcher, site)
        except (DiscoveryError, FetchError) as exc:
            failures.append((urllib.parse.urljoin(site, "/robots.txt"), exc.reason))
            continue
        sitemaps += _new(named, (*source.sitemaps, *sitemaps))[:ROBOTS_SITEMAPS_PER_SITE]
    feeds: list[str] = []
    for seed in source.seeds:
        try:
            page = await fetcher.fetch(seed)
        except FetchError as exc:
            failures.append((seed, exc.reason))
            continue
        announced = feed_links(page.text, page.final_url)
        feeds += _new(announced, (*source.feeds, *feeds))[:FEEDS_PER_SEED]
    return sitemaps, feeds


def _site_root(url: str) -> str:
    """``scheme://host[:port]/`` of a URL (the URL itself when it has none: robots.txt says so)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:  # a malformed IPv6 literal, say: sitemaps_from_robots reports it
        return url
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else url


def _new(urls: Iterable[str], known: Iterable[str]) -> list[str]:
    """``urls`` without those in ``known``, order kept."""
    seen = set(known)
    return [u for u in urls if u not in seen]
