"""``scraper learn``: rebuild each site's block counts from the raw captures, show the templates.

Learning needs a page's blocks as the extractor cut them, and only the raw page has those: a
stored record's text is the article after its template was stripped, and its blocks cannot be
told apart reliably once joined. So the honest sources are the WARC captures (``[crawl] warc``):

1. **replay** the captures oldest first, decoded as the crawl decodes them, through the current
   extractor (no template: learning counts the blocks before it);
2. **count** each page as the crawl does (site_blocks.py): article pages only, each URL once
   (its latest capture), a text already counted under another URL left out as a duplicate;
3. **replace** the counts of the sites seen (or of ``--site`` only), in one transaction: a
   crash leaves the old counts whole.

Without captures, the counts are the ones the crawls keep as they go (every stored page since
the state was created), and ``learn`` only shows the templates they give.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scraper.config import Config
from scraper.crawl.decide import decide
from scraper.crawl.replay import charset_of
from scraper.crawl.site_blocks import (
    LEARNED_OUTCOMES,
    LearnedSite,
    SiteBlocks,
    record_page,
    site_of,
)
from scraper.crawl.state import State
from scraper.crawl.urls import normalise_url
from scraper.crawl.warc import Capture, read_captures
from scraper.decode import decode_html
from scraper.errors import InvalidURLError, NotHTMLError
from scraper.extract import SiteTemplate, extract_for_site

__all__ = ["LearnReport", "learn", "learned_templates"]


@dataclass
class LearnReport:
    """What ``learn`` did: captures read and pages counted (0 and 0 without captures), and the
    template of each site."""

    read: int = 0
    counted: int = 0
    sites: list[LearnedSite] = field(default_factory=list)


def learn(config: Config, site: str | None = None) -> LearnReport:
    """Rebuild the block counts from ``[crawl] warc`` when set, then read every site's template.

    Args:
        config: the crawl's configuration (its state file and WARC folder).
        site: only this site (a host, with ``:port`` when the URLs have one).

    Raises:
        CrawlStateError: the state file cannot be opened.
        WarcError: the WARC folder is set but cannot be read.

    Example:
        >>> [s.site for s in learn(load_config(None)).sites]  # doctest: +SKIP
        ['www.example.com']
    """
    state = State(config.crawl.state)
    try:
        blocks = SiteBlocks(state)
        report = LearnReport()
        if config.crawl.warc is not None:
            with state.transaction() as db:
                blocks.forget(db, site)
                _count(db, read_captures(config.crawl.warc), site, report)
        report.sites = blocks.learned(site)
        return report
    finally:
        state.close()


def learned_templates(path: Path) -> dict[str, SiteTemplate]:
    """Every site's template in the state file ``path``; none when there is no such file yet.

    Raises:
        CrawlStateError: the file exists but cannot be opened.
    """
    if not path.exists():
        return {}
    state = State(path)
    try:
        return SiteBlocks(state).templates()
    finally:
        state.close()


def _count(
    db: sqlite3.Connection, captures: Iterable[Capture], only: str | None, report: LearnReport
) -> None:
    """Replay the captures and count each article page's blocks (of site ``only`` when given)."""
    stored: dict[str, str] = {}  # URL -> its latest text's hash
    holder: dict[str, str] = {}  # text hash -> the URL counted for it
    counted: set[str] = set()
    for capture in captures:
        report.read += 1
        site = site_of(capture.final_url)
        if only is not None and site != only:
            continue
        try:
            url = normalise_url(capture.request_url)
            text = decode_html(capture.body, charset_of(capture.headers)).text
        except (InvalidURLError, NotHTMLError):
            continue
        page = extract_for_site(text, url=capture.final_url)
        hash_ = page.article.content_hash
        decision = decide(page.article, url, stored.get(url), holder.get(hash_))
        if decision.outcome not in LEARNED_OUTCOMES:
            continue
        holder[hash_], stored[url] = url, hash_
        record_page(db, url, site, capture.source, page.prints)
        counted.add(url)
    report.counted = len(counted)
