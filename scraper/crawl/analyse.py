"""One fetched page in, its article and its links out: the CPU-bound step of a crawl.

``analyse`` is pure and top-level so that it can run in a worker process: the crawl sends the
decoded HTML and the final URL, and gets back the Article and the absolute http(s) links of
the page (``<a href>``, resolved against ``<base href>`` when the page has one), already in
normal form (urls.normalise_url): normalising every link is CPU work that would otherwise
block the crawl's event loop (about 4 ms a page). With the
site's learned template it strips that too, and it always returns the prints of the blocks the
article kept before the template, which the crawl counts to learn it (site_blocks.py).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from scraper.crawl.urls import normalise_url
from scraper.errors import InvalidURLError
from scraper.extract import SiteTemplate, extract_for_site
from scraper.extract.links import joined, origin_of
from scraper.extract.template import BlockPrint
from scraper.models import Article

__all__ = ["Analysis", "analyse", "links_of"]

_NOT_PAGES: Final = ("#", "javascript:", "mailto:", "tel:")  # hrefs that lead to no page
_ABSOLUTE: Final = ("http://", "https://")


@dataclass(frozen=True)
class Analysis:
    """What the crawl needs from a page: its article, its outgoing links, its block prints."""

    article: Article
    links: tuple[str, ...]
    prints: tuple[BlockPrint, ...] = ()


def analyse(html: str, url: str, template: SiteTemplate | None = None) -> Analysis:
    """Extract the article (without the site's ``template``) and the links of one page.

    Example:
        >>> analyse("<a href='/b'>b</a>", "https://example.com/a").links
        ('https://example.com/b',)
    """
    extraction = extract_for_site(html, url=url, template=template)
    links = links_of(extraction.hrefs, extraction.base_href, url)
    return Analysis(extraction.article, links, extraction.prints)


def links_of(hrefs: Iterable[str], base_href: str | None, url: str) -> tuple[str, ...]:
    """``hrefs`` of the page at ``url`` made absolute (against ``base_href`` when the page
    has one), normalised, in order, once each; hrefs that lead to no page are dropped."""
    base = url if base_href is None else urllib.parse.urljoin(url, base_href)
    origin = origin_of(base)
    links: dict[str, None] = {}
    for href in hrefs:
        if not href or href.startswith(_NOT_PAGES):
            continue
        absolute = joined(base, origin, href)
        if absolute.startswith(_ABSOLUTE):
            links[absolute] = None
    return normalised(links)


def normalised(links: Iterable[str]) -> tuple[str, ...]:
    """Links in normal form, invalid ones dropped, order kept, no repeats."""
    seen = {normal: None for link in links if (normal := _normal_form(link)) is not None}
    return tuple(seen)


@lru_cache(maxsize=8192)
def _normal_form(link: str) -> str | None:
    """``normalise_url``, None for an invalid link; cached: a site's menus, footers and
    related-story blocks repeat the same links on every page, and normalising is most of the
    link step's time (1.9 of 3.1 ms a page on the bench pages)."""
    try:
        return normalise_url(link)
    except InvalidURLError:
        return None
