"""Fetch one sitemap or feed: XML over the Fetcher, gunzipped if need be, parsed safely.

The Fetcher applies its own limits first (address guard, robots.txt, politeness,
``fetch.max_bytes`` on the body and its Content-Encoding); a gzip file (a ``.gz`` sitemap)
is then decompressed here within ``max_bytes``. Decompressing and parsing run in a worker
thread, so a 50 MB sitemap does not stall the event loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from scraper.crawl.discover.safexml import GZIP_MAGIC, gunzip, parse_xml
from scraper.fetch import Accept, Fetcher

__all__ = ["DEFAULT_MAX_DOCUMENT_BYTES", "Document", "fetch_document"]

# sitemaps.org caps a sitemap at 50 MB uncompressed; a gzip file may not inflate past this.
DEFAULT_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """A fetched, parsed XML document."""

    url: str  # as asked
    final_url: str  # after redirects: relative links resolve against it
    root: Element


async def fetch_document(fetcher: Fetcher, url: str, max_bytes: int) -> Document:
    """Fetch ``url`` as XML (or gzipped XML) and parse it.

    Raises:
        FetchError: the fetch failed (including a content type that is neither XML nor gzip).
        DiscoveryError: the body is corrupt gzip, a gzip bomb, not well-formed XML, or unsafe.
    """
    page = await fetcher.fetch(url, accept=Accept.XML)
    root = await asyncio.to_thread(_decode, page.final_url, page.content, max_bytes)
    return Document(url, page.final_url, root)


def _decode(url: str, data: bytes, max_bytes: int) -> Element:
    """Gunzip if the bytes are gzip, then parse."""
    if data.startswith(GZIP_MAGIC):
        data = gunzip(url, data, max_bytes)
    return parse_xml(url, data)
