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

from scraper.crawl.learn import LearnReport, learn, learned_templates
from scraper.crawl.progress import JsonLogObserver, LiveObserver, QuietObserver, print_summary
from scraper.crawl.records import CrawlInfo, build_record, record_id
from scraper.crawl.reextract import ReextractReport, reextract
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
