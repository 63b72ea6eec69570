"""robots.txt -> the sitemaps a site declares with ``Sitemap:`` lines (read with protego)."""

from __future__ import annotations

import urllib.parse

from protego import Protego

from scraper.crawl.discover.urls import absolute_http
from scraper.errors import HTTPStatusError, InvalidURLError
from scraper.fetch import Accept, Fetcher

__all__ = ["sitemaps_from_robots"]


async def sitemaps_from_robots(fetcher: Fetcher, site_url: str) -> list[str]:
    """The sitemap URLs in the ``Sitemap:`` lines of the site's robots.txt, in file order.

    ``Sitemap:`` lines may name sitemaps on other hosts (sitemaps.org allows it: the site
    vouches for them), so none is filtered out; pass each to ``sitemap_urls``.

    Args:
        fetcher: fetches robots.txt (size limits and politeness apply).
        site_url: any URL of the site; only its scheme and host are used.

    Returns:
        Absolute http(s) URLs without repeats; empty when robots.txt is missing (a 4xx
        other than 429, as Google reads it) or declares no sitemap.

    Raises:
        InvalidURLError: ``site_url`` is not an absolute http(s) URL.
        FetchError: robots.txt could not be fetched (429, 5xx, timeout, wrong type...).

    Example:
        >>> await sitemaps_from_robots(fetcher, "https://example.org/a/page")  # doctest: +SKIP
        ['https://example.org/sitemap.xml']
    """
    robots_url = _robots_url(site_url)
    try:
        page = await fetcher.fetch(robots_url, accept=Accept.TEXT)
    except HTTPStatusError as exc:
        if 400 <= exc.status < 500 and exc.status != 429:
            return []
        raise
    found: list[str] = []
    for line in Protego.parse(page.text).sitemaps:
        url = absolute_http(page.final_url, str(line))
        if url is not None and url not in found:
            found.append(url)
    return found


def _robots_url(site_url: str) -> str:
    """scheme://host[:port]/robots.txt for ``site_url``."""
    parts = urllib.parse.urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidURLError(site_url, "not an absolute http:// or https:// URL; pass one")
    return f"{parts.scheme}://{parts.netloc}/robots.txt"
