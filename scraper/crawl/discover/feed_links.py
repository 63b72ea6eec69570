"""Feed discovery: the RSS and Atom feeds a page announces with <link rel="alternate">."""

from __future__ import annotations

import urllib.parse

from selectolax.lexbor import LexborHTMLParser

from scraper.crawl.discover.urls import absolute_http

__all__ = ["FEED_TYPES", "feed_links"]

# The MIME types of <link rel="alternate" type=...> that announce a feed we can read.
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})


def feed_links(html: str, base_url: str) -> list[str]:
    """The feeds a page announces, as absolute http(s) URLs, in page order, without repeats.

    Reads ``<link rel="alternate" type="application/rss+xml|atom+xml|rdf+xml" href>``;
    relative hrefs are resolved against ``<base href>`` if the page has one, else ``base_url``.

    Args:
        html: the page (say ``page.text`` of the home page).
        base_url: the URL the page was fetched from (``page.final_url``).

    Returns:
        The feed URLs; empty when the page announces none.

    Example:
        >>> feed_links('<link rel="alternate" type="application/rss+xml" href="/feed">',
        ...            "https://example.org/")
        ['https://example.org/feed']
    """
    tree = LexborHTMLParser(html)
    base = _base(tree, base_url)
    found: list[str] = []
    for link in tree.css("link[href]"):
        rel = (link.attributes.get("rel") or "").lower().split()
        kind = (link.attributes.get("type") or "").split(";", 1)[0].strip().lower()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        url = absolute_http(base, link.attributes.get("href") or "")
        if url is not None and url not in found:
            found.append(url)
    return found


def _base(tree: LexborHTMLParser, base_url: str) -> str:
    """The URL relative links resolve against: <base href> (itself resolved), else the page's."""
    node = tree.css_first("base[href]")
    href = (node.attributes.get("href") or "") if node is not None else ""
    return urllib.parse.urljoin(base_url, href.strip()) if href.strip() else base_url
