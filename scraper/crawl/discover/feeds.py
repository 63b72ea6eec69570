"""RSS 2.0 (and 0.9x), RSS 1.0 (RDF) and Atom feeds -> the URLs of their entries, with dates.

We parse feeds ourselves rather than with feedparser: discovery needs only each entry's link
and date, and one safe XML parser (safexml.py) then serves sitemaps and feeds alike. The price:
a feed that is not well-formed XML (an unescaped "&", an HTML entity such as &nbsp;) is
refused with a DiscoveryError where feedparser would guess.

What is read, by local name, so namespaces (and their absence) do not matter:
- entries: rss/channel/item; rdf:RDF/item (RSS 1.0 and 0.90); feed/entry (Atom).
- link: the first <link> with text (RSS), else the first <link href> whose rel is absent
  or "alternate" (Atom, atom:link in RSS), else an absolute permalink <guid> (RSS), else
  an absolute rdf:about (RSS 1.0).
- date: the newest of pubDate, dc:date, updated, published, modified, issued (Atom 0.3).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from scraper.crawl.discover.dates import newest, parse_date
from scraper.crawl.discover.documents import DEFAULT_MAX_DOCUMENT_BYTES, fetch_document
from scraper.crawl.discover.model import Discovered
from scraper.crawl.discover.safexml import children, local
from scraper.crawl.discover.urls import absolute_http
from scraper.errors import DiscoveryError
from scraper.fetch import Fetcher

__all__ = ["feed_urls", "is_feed", "parse_feed"]

_FEED_ROOTS = frozenset({"rss", "RDF", "feed"})  # RSS 0.9x/2.0, RSS 1.0/0.90, Atom
_DATE_NAMES = ("pubDate", "date", "updated", "published", "modified", "issued")
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"


async def feed_urls(
    fetcher: Fetcher, url: str, *, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
) -> list[Discovered]:
    """The entries of the RSS or Atom feed at ``url``: their links and dates, in feed order.

    A feed served as text/html or text/plain (a common misconfiguration) is read all the
    same: the body decides, not the label; an HTML page there raises DiscoveryError.

    Args:
        fetcher: fetches the feed (robots.txt, politeness and size limits apply).
        url: the feed's URL.
        max_bytes: how far a gzipped feed may decompress.

    Returns:
        One Discovered per entry with a usable http(s) link, without repeats.

    Raises:
        FetchError: the feed could not be fetched.
        DiscoveryError: the body is not a well-formed, safe RSS or Atom document.

    Example:
        >>> [d.url for d in await feed_urls(fetcher, "https://example.org/feed")]  # doctest: +SKIP
        ['https://example.org/2024/05/story']
    """
    document = await fetch_document(fetcher, url, max_bytes)
    if not is_feed(document.root):
        raise DiscoveryError(
            url,
            f"is not an RSS or Atom feed: its root element is <{local(document.root.tag)}>, "
            "not <rss>, <rdf:RDF> or <feed>; check the URL",
        )
    return parse_feed(document.final_url, document.root)


def is_feed(root: Element) -> bool:
    """Whether ``root`` is the root element of an RSS or Atom feed."""
    return local(root.tag) in _FEED_ROOTS


def parse_feed(base_url: str, root: Element) -> list[Discovered]:
    """The entries of a parsed feed; relative links resolve against xml:base, then ``base_url``.

    Example:
        >>> from scraper.crawl.discover.safexml import parse_xml
        >>> root = parse_xml("feed", b"<rss><channel><item><link>/a</link></item></channel></rss>")
        >>> parse_feed("https://example.org/feed", root)
        [Discovered(url='https://example.org/a', lastmod=None)]
    """
    base = _base(base_url, root)
    found: dict[str, Discovered] = {}
    for entry in _entries(root):
        url = _link(_base(base, entry), entry)
        if url is not None and url not in found:
            dates = [parse_date(e.text) for e in children(entry, *_DATE_NAMES)]
            found[url] = Discovered(url, newest(dates))
    return list(found.values())


def _entries(root: Element) -> list[Element]:
    """The item or entry elements of an RSS 2.0, RSS 1.0 or Atom root."""
    if local(root.tag) == "rss":
        return [item for channel in children(root, "channel") for item in children(channel, "item")]
    return list(children(root, "item", "entry"))


def _link(base: str, entry: Element) -> str | None:
    """The entry's link as an absolute http(s) URL, by the order in the module docstring."""
    for link in children(entry, "link"):
        text = (link.text or "").strip()
        href = link.get("href", "")
        if text or (href and link.get("rel", "alternate") == "alternate"):
            url = absolute_http(base, text or href)
            if url is not None:
                return url
    for guid in children(entry, "guid"):  # a permalink guid must be absolute: no base
        if guid.get("isPermaLink", "true").lower() != "false":
            return absolute_http("", guid.text or "")
    return absolute_http("", entry.get(_RDF_ABOUT, ""))


def _base(base: str, element: Element) -> str:
    """``base`` adjusted by the element's xml:base, if it has one."""
    declared = element.get(_XML_BASE, "").strip()
    return (absolute_http(base, declared) or base) if declared else base
