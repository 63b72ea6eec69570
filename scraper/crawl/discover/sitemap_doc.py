"""One parsed sitemap document -> its child sitemaps (an index) or its page URLs (a urlset).

Read by local name, so the sitemaps.org namespace, Google's old 0.84 one and none at all
read the same:
- <sitemapindex><sitemap><loc/><lastmod/></sitemap>...: child sitemaps, with their lastmod.
- <urlset><url><loc/><lastmod/><news:news><news:publication_date/>...: page URLs. The date
  is the newest of <lastmod> and the Google News <news:publication_date>.
- an RSS or Atom feed, which Google also takes as a sitemap: its entries (feeds.py).
Only <loc> children of <url> count (not image:loc or video:loc); an entry without a usable
http(s) <loc> is skipped. Page URLs may be on any host (the crawler's scope decides);
child sitemaps are checked by the caller (sitemaps.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element

from scraper.crawl.discover.dates import newest, parse_date
from scraper.crawl.discover.feeds import is_feed, parse_feed
from scraper.crawl.discover.model import Discovered
from scraper.crawl.discover.safexml import children, first_text, local
from scraper.crawl.discover.urls import absolute_http
from scraper.errors import DiscoveryError

__all__ = ["SitemapDocument", "parse_sitemap"]


@dataclass(frozen=True)
class SitemapDocument:
    """What one sitemap holds: child sitemaps (an index) or page URLs (a urlset or feed)."""

    sitemaps: tuple[Discovered, ...] = ()
    urls: tuple[Discovered, ...] = ()


def parse_sitemap(base_url: str, root: Element) -> SitemapDocument:
    """The entries of a parsed sitemap, sitemap index or feed.

    Args:
        base_url: the sitemap's final URL (a relative <loc>, though invalid, resolves to it).
        root: its root element (safexml.parse_xml).

    Raises:
        DiscoveryError: the root is not <urlset>, <sitemapindex> or a feed.

    Example:
        >>> from scraper.crawl.discover.safexml import parse_xml
        >>> root = parse_xml("s", b"<urlset><url><loc>https://example.org/a</loc></url></urlset>")
        >>> parse_sitemap("https://example.org/sitemap.xml", root).urls
        (Discovered(url='https://example.org/a', lastmod=None),)
    """
    kind = local(root.tag)
    if kind == "sitemapindex":
        return SitemapDocument(sitemaps=_entries(base_url, children(root, "sitemap")))
    if kind == "urlset":
        return SitemapDocument(urls=_entries(base_url, children(root, "url")))
    if is_feed(root):
        return SitemapDocument(urls=tuple(parse_feed(base_url, root)))
    raise DiscoveryError(
        base_url,
        f"is not a sitemap: its root element is <{kind}>, not <urlset>, <sitemapindex>, "
        "<rss> or <feed>; check the URL",
    )


def _entries(base_url: str, elements: Iterable[Element]) -> tuple[Discovered, ...]:
    """One Discovered per element with a usable <loc>, first occurrence kept."""
    found: dict[str, Discovered] = {}
    for element in elements:
        url = absolute_http(base_url, first_text(element, "loc") or "")
        if url is not None and url not in found:
            found[url] = Discovered(url, _lastmod(element))
    return tuple(found.values())


def _lastmod(element: Element) -> datetime | None:
    """The newest of <lastmod> and <news:news><news:publication_date>."""
    dates = [parse_date(first_text(element, "lastmod"))]
    dates += [
        parse_date(first_text(news, "publication_date")) for news in children(element, "news")
    ]
    return newest(dates)
