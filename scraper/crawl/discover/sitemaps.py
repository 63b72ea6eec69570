"""Sitemaps -> page URLs: follow a sitemap index down to its urlsets, within bounds.

``sitemap_urls`` walks breadth first:
1. fetch and parse the sitemap given (documents.py: XML or gzip, safely); its failure is
   the caller's (FetchError or DiscoveryError);
2. keep its page URLs (sitemap_doc.py) that fall in the ``since`` window, without repeats,
   until ``limit``;
3. queue its child sitemaps, unless seen already (a loop: A -> B -> A), deeper than
   ``max_depth``, unchanged since ``since`` (their index <lastmod> is older), or off-site;
4. fetch the queued children one by one, skipping (and logging) any that fails, until the
   queue is empty, ``limit`` URLs are kept or ``max_sitemaps`` were fetched.
Off-site means on another host than the sitemap given (or where it redirected), a leading
"www." aside (urls.py). We chose the host over the registrable domain: it needs no public
suffix list, and it is what sitemaps.org asks (a sitemap may only name sitemaps of its own
site). Sitemaps elsewhere, say on a CDN, are reached by passing their URL here directly
(sitemaps_from_robots lists those a site declares).
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from scraper.crawl.discover.dates import as_utc
from scraper.crawl.discover.documents import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    Document,
    fetch_document,
)
from scraper.crawl.discover.model import Discovered
from scraper.crawl.discover.sitemap_doc import parse_sitemap
from scraper.crawl.discover.urls import same_site
from scraper.errors import DiscoveryError, FetchError
from scraper.fetch import Fetcher

__all__ = ["DEFAULT_LIMIT", "DEFAULT_MAX_DEPTH", "DEFAULT_MAX_SITEMAPS", "sitemap_urls"]

DEFAULT_LIMIT = 50_000  # URLs returned: one full sitemap's worth (the sitemaps.org cap per file)
DEFAULT_MAX_SITEMAPS = 500  # sitemaps fetched per call, the first included: a big news site's
DEFAULT_MAX_DEPTH = 2  # index levels followed: index -> index -> urlset (the protocol allows 1)

_log = logging.getLogger(__name__)


@dataclass
class _Walk:
    """The state of one sitemap_urls call: its bounds, what was found, what is queued."""

    origins: tuple[str, ...]  # the first sitemap's URL and final URL: the site
    since: datetime | None
    limit: int
    max_depth: int
    found: dict[str, Discovered] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)  # sitemap URLs fetched or queued
    queue: deque[tuple[str, int]] = field(default_factory=deque)

    @property
    def full(self) -> bool:
        """Whether ``limit`` URLs are kept."""
        return len(self.found) >= self.limit


@dataclass(frozen=True)
class _Skip:
    """Why a child sitemap is not fetched, and how loudly to log it."""

    level: int
    reason: str


async def sitemap_urls(
    fetcher: Fetcher,
    url: str,
    *,
    since: datetime | None = None,
    limit: int = DEFAULT_LIMIT,
    max_sitemaps: int = DEFAULT_MAX_SITEMAPS,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
) -> list[Discovered]:
    """The page URLs of a sitemap or sitemap index (child sitemaps followed), with lastmod.

    Args:
        fetcher: fetches every sitemap (robots.txt, politeness and size limits apply).
        url: a sitemap, a sitemap index, a .gz of either, or an RSS/Atom feed.
        since: keep only URLs modified at or after this moment, and undated ones; skip
            child sitemaps whose index <lastmod> is older. Naive means UTC.
        limit: stop once this many URLs are kept.
        max_sitemaps: fetch at most this many sitemaps, ``url`` included.
        max_depth: follow index nesting this deep (1: an index and its urlsets).
        max_bytes: how far a gzipped sitemap may decompress (sitemaps.org allows 50 MB).

    Returns:
        The URLs in sitemap order, each once (the first entry wins).

    Raises:
        FetchError: ``url`` itself could not be fetched.
        DiscoveryError: ``url`` itself is not a well-formed, safe sitemap or feed. A failing
            child sitemap is logged and skipped instead.

    Example:
        >>> async with Fetcher(config) as fetcher:  # doctest: +SKIP
        ...     found = await sitemap_urls(fetcher, "https://example.org/sitemap.xml")
    """
    first = await fetch_document(fetcher, url, max_bytes)
    walk = _Walk((url, first.final_url), as_utc(since) if since else None, limit, max_depth)
    walk.seen.update(walk.origins)
    _take(walk, first, depth=0)
    fetched = 1
    while walk.queue and not walk.full:
        if fetched >= max_sitemaps:
            _log.warning("%s: stopped after max_sitemaps = %d sitemaps", url, max_sitemaps)
            break
        child, depth = walk.queue.popleft()
        fetched += 1
        try:
            document = await _fetch_child(fetcher, walk, child, max_bytes)
        except (FetchError, DiscoveryError) as exc:
            _log.warning("skipped a child sitemap of %s: %s", url, exc)
            continue
        _take(walk, document, depth)
    return list(walk.found.values())


async def _fetch_child(fetcher: Fetcher, walk: _Walk, url: str, max_bytes: int) -> Document:
    """Fetch a child sitemap; refuse it if it redirected off-site."""
    document = await fetch_document(fetcher, url, max_bytes)
    walk.seen.add(document.final_url)
    if not _on_site(walk, document.final_url):
        raise _off_site(walk, document.final_url, f"redirected from {url}")
    return document


def _take(walk: _Walk, document: Document, depth: int) -> None:
    """Keep a document's URLs within the window and limit; queue the children worth fetching."""
    parsed = parse_sitemap(document.final_url, document.root)
    for entry in parsed.urls:
        if walk.full:
            return
        if entry.url not in walk.found and _in_window(walk, entry):
            walk.found[entry.url] = entry
    for child in parsed.sitemaps:
        skip = _skip(walk, child, depth + 1)
        if skip is not None:
            _log.log(skip.level, "skipped child sitemap %s: %s", child.url, skip.reason)
            continue
        walk.seen.add(child.url)
        walk.queue.append((child.url, depth + 1))


def _skip(walk: _Walk, child: Discovered, depth: int) -> _Skip | None:
    """Why a child sitemap is not fetched, or None to fetch it."""
    if child.url in walk.seen:
        return _Skip(logging.INFO, "already fetched or queued (a sitemap loop?)")
    if depth > walk.max_depth:
        return _Skip(logging.WARNING, f"deeper than max_depth = {walk.max_depth}")
    if not _in_window(walk, child):
        return _Skip(logging.DEBUG, "unchanged since the since= moment, by its index <lastmod>")
    if not _on_site(walk, child.url):
        return _Skip(logging.WARNING, _off_site(walk, child.url, "listed in an index").reason)
    return None


def _in_window(walk: _Walk, entry: Discovered) -> bool:
    """Whether an entry is undated or modified at or after ``since``."""
    return walk.since is None or entry.lastmod is None or entry.lastmod >= walk.since


def _on_site(walk: _Walk, url: str) -> bool:
    """Whether ``url`` is on the site of the first sitemap."""
    return any(same_site(origin, url) for origin in walk.origins)


def _off_site(walk: _Walk, url: str, how: str) -> DiscoveryError:
    """The error for a child sitemap on another host."""
    return DiscoveryError(
        url,
        f"this sitemap ({how}) is on another host than {walk.origins[0]}; a sitemap index "
        "may only name sitemaps of its own host, so it was skipped; pass its URL to "
        "sitemap_urls directly if you trust it",
    )
