"""The crawl: sources in, records out, exactly once.

    config.toml [[sources]] -> entry.py (seeds, sitemaps, feeds) -> frontier.py (SQLite queue)
    -> runner.py (fetch, conditional GET) -> analyse.py in pool.py (article + links)
    -> warc.py (raw capture, when on) -> decide.py (new, changed, unchanged, duplicate,
    listing) -> records.py
    -> sink.write + commit -> frontier marks the URL done (state.py)

``crawl(config, observer)`` runs every source once (``scraper crawl``); ``serve`` keeps them
running on their schedules (``scraper run``); ``source_status`` reads the state
(``scraper status``); ``reextract`` replays the raw captures of ``[crawl] warc`` (warc.py)
through the current extractor (``scraper reextract``); ``learn`` rebuilds each site's
template from them (``scraper learn``, site_blocks.py). Discovery (sitemaps, feeds) lives in
``scraper.crawl.discover``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from scraper.crawl.learning import LearnReport, learn, learned_templates
    from scraper.crawl.progress import JsonLogObserver, LiveObserver, QuietObserver, print_summary
    from scraper.crawl.records import CrawlInfo, build_record, record_id
    from scraper.crawl.replay import ReextractReport, reextract
    from scraper.crawl.report import OUTCOMES, Observer, SourceReport
    from scraper.crawl.schedule_loop import run_forever, serve
    from scraper.crawl.session import CrawlResult, Session, crawl, crawl_sources, select_sources
    from scraper.crawl.site_blocks import LearnedSite
    from scraper.crawl.state import CrawlStateError
    from scraper.crawl.status import SourceStatus, source_status
    from scraper.crawl.urls import LinkRules, normalise_url
    from scraper.crawl.warc import WarcError

__all__ = [
    "OUTCOMES",
    "CrawlInfo",
    "CrawlResult",
    "CrawlStateError",
    "JsonLogObserver",
    "LearnReport",
    "LearnedSite",
    "LinkRules",
    "LiveObserver",
    "Observer",
    "QuietObserver",
    "ReextractReport",
    "Session",
    "SourceReport",
    "SourceStatus",
    "WarcError",
    "build_record",
    "crawl",
    "crawl_sources",
    "learn",
    "learned_templates",
    "normalise_url",
    "print_summary",
    "record_id",
    "reextract",
    "run_forever",
    "select_sources",
    "serve",
    "source_status",
]

# Each name is imported on first use, so that importing one module of the package (an
# extraction process imports scraper.crawl.analyse, nothing else: see pool.py) does not import
# the whole crawl (fetcher, sinks, scheduler, Redis client).
_HOMES: Final = {
    "CrawlInfo": "scraper.crawl.records",
    "CrawlResult": "scraper.crawl.session",
    "CrawlStateError": "scraper.crawl.state",
    "JsonLogObserver": "scraper.crawl.progress",
    "LearnReport": "scraper.crawl.learning",
    "LearnedSite": "scraper.crawl.site_blocks",
    "LinkRules": "scraper.crawl.urls",
    "LiveObserver": "scraper.crawl.progress",
    "OUTCOMES": "scraper.crawl.report",
    "Observer": "scraper.crawl.report",
    "QuietObserver": "scraper.crawl.progress",
    "ReextractReport": "scraper.crawl.replay",
    "Session": "scraper.crawl.session",
    "SourceReport": "scraper.crawl.report",
    "SourceStatus": "scraper.crawl.status",
    "WarcError": "scraper.crawl.warc",
    "build_record": "scraper.crawl.records",
    "crawl": "scraper.crawl.session",
    "crawl_sources": "scraper.crawl.session",
    "learn": "scraper.crawl.learning",
    "learned_templates": "scraper.crawl.learning",
    "normalise_url": "scraper.crawl.urls",
    "print_summary": "scraper.crawl.progress",
    "record_id": "scraper.crawl.records",
    "reextract": "scraper.crawl.replay",
    "run_forever": "scraper.crawl.schedule_loop",
    "select_sources": "scraper.crawl.session",
    "serve": "scraper.crawl.schedule_loop",
    "source_status": "scraper.crawl.status",
}


def __getattr__(name: str) -> Any:
    """The exported ``name``, from its module (imported now if it was not yet)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'scraper.crawl' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
