"""The programs bench/crawl_bench.py runs and measures, each in its own process.

    python bench/crawl_runs.py scrapy SEED ARTICLES FOLLOW OUT.jsonl
    python bench/crawl_runs.py httpx SEED ARTICLES FOLLOW OUT.jsonl
    python bench/crawl_runs.py fetch-ours URLS.txt
    python bench/crawl_runs.py fetch-httpx URLS.txt
    python bench/crawl_runs.py stages CONFIG.toml OUT.json

``scrapy`` and ``httpx`` are the two baseline crawlers: from SEED they follow the links that
match FOLLOW (regexes), run trafilatura on the pages that match ARTICLES and write one JSON line
per extracted page. ``fetch-*`` only fetch a list of URLs (no parsing, no storing). ``stages``
runs our crawl in this process with timers around its stages (see ``_instrument``).

Every crawler extracts the same record: trafilatura's text, title, author and date
(``with_metadata``), since our records carry those too.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import resource
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Any, ParamSpec, TypeVar

import httpx
import lxml.html  # type: ignore[import-untyped]
import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONCURRENCY = 16  # requests in flight, every crawler (Scrapy's CONCURRENT_REQUESTS)
POOL_PROCESSES = 2  # extraction processes of the httpx crawler: one per core

P = ParamSpec("P")
R = TypeVar("R")


def extract_record(html: str | lxml.html.HtmlElement, url: str) -> dict[str, Any] | None:
    """trafilatura's record for one page (text and metadata), None when it finds nothing."""
    found = trafilatura.extract(
        html, url=url, output_format="json", with_metadata=True, include_comments=False
    )
    return json.loads(found) if found else None


# -- Scrapy + trafilatura -------------------------------------------------------------------


def crawl_scrapy(seed: str, articles: str, follow: str, out: Path) -> None:
    """A minimal CrawlSpider: follow FOLLOW links, extract ARTICLES pages, JSON lines out."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import Response
    from scrapy.linkextractors import LinkExtractor
    from scrapy.spiders import CrawlSpider, Rule

    class SiteSpider(CrawlSpider):
        name = "site"
        start_urls = [seed]  # noqa: RUF012 (Scrapy declares it a list)
        rules = (
            Rule(LinkExtractor(allow=articles), callback="parse_item", follow=True),
            Rule(LinkExtractor(allow=follow), follow=True),
        )

        def parse_item(self, response: Response) -> Iterator[dict[str, Any]]:
            record = extract_record(response.text, response.url)
            if record is not None:
                yield {"url": response.url, **record}

    settings = {
        "ROBOTSTXT_OBEY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": CONCURRENCY,
        "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
        "DOWNLOAD_DELAY": 0,
        "LOG_LEVEL": "ERROR",
        "TELNETCONSOLE_ENABLED": False,
        "FEEDS": {out.as_uri(): {"format": "jsonlines", "encoding": "utf-8"}},
    }
    process = CrawlerProcess(settings=settings)
    process.crawl(SiteSpider)
    process.start()


# -- a minimal httpx crawler, trafilatura in a 2-process pool ---------------------------------


def _analyse(html: str, url: str, is_article: bool) -> tuple[dict[str, Any] | None, list[str]]:
    """Worker: the page's links (absolute) and, for an article, its record."""
    tree = lxml.html.fromstring(html)
    links = [urllib.parse.urljoin(url, href) for href in tree.xpath("//a/@href")]
    return (extract_record(tree, url) if is_article else None), links


async def _crawl_httpx(seed: str, articles: str, follow: str, out: IO[str]) -> None:
    """Breadth-first from the seed: CONCURRENCY tasks fetch, the pool parses and extracts."""
    article_re, follow_re = re.compile(articles), re.compile(follow)
    pool = ProcessPoolExecutor(POOL_PROCESSES, mp_context=get_context("fork"))
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str] = asyncio.Queue()
    seen = {seed}
    queue.put_nowait(seed)
    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, trust_env=False) as client:

        async def worker() -> None:
            while True:
                url = await queue.get()
                try:
                    text = (await client.get(url)).text
                    is_article = bool(article_re.search(url))
                    record, links = await loop.run_in_executor(
                        pool, _analyse, text, url, is_article
                    )
                    if record is not None:
                        out.write(json.dumps({"url": url, **record}, ensure_ascii=False) + "\n")
                    for link in links:
                        if link not in seen and (follow_re.search(link) or article_re.search(link)):
                            seen.add(link)
                            queue.put_nowait(link)
                finally:
                    queue.task_done()

        tasks = [asyncio.create_task(worker()) for _ in range(CONCURRENCY)]
        await queue.join()
        for task in tasks:
            task.cancel()
    pool.shutdown()


def crawl_httpx(seed: str, articles: str, follow: str, out: Path) -> None:
    """Run the httpx crawler, writing JSON lines to ``out``."""
    with out.open("w", encoding="utf-8") as stream:
        asyncio.run(_crawl_httpx(seed, articles, follow, stream))


# -- fetching alone ----------------------------------------------------------------------------


async def _fetch_ours(urls: Sequence[str]) -> int:
    """Our Fetcher, politeness off, the crawl's limits."""
    from scraper.config import FetchConfig
    from scraper.fetch import Fetcher

    config = FetchConfig(
        per_host_delay=0.0,
        respect_robots=False,
        allowed_networks=("127.0.0.1/32",),
        concurrency=CONCURRENCY,
        per_host_concurrency=CONCURRENCY,
    )
    async with Fetcher(config) as fetcher:

        async def one(url: str) -> int:
            return len((await fetcher.fetch(url)).text)  # keep no page: bare httpx keeps none

        return len(await asyncio.gather(*(one(url) for url in urls)))


async def _fetch_httpx(urls: Sequence[str]) -> int:
    """Bare httpx: get, decode the text."""
    gate = asyncio.Semaphore(CONCURRENCY)
    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, trust_env=False) as client:

        async def one(url: str) -> int:
            async with gate:
                return len((await client.get(url)).text)

        return len(await asyncio.gather(*(one(url) for url in urls)))


# -- our crawl, with timers around its stages --------------------------------------------------


class _Clock:
    """CPU (this thread) and wall seconds spent in timed calls, per stage; no double counting."""

    def __init__(self) -> None:
        self.totals: dict[str, list[float]] = {}  # stage -> [cpu, wall, calls]
        self._depth = 0

    def timed(self, stage: str, fn: Callable[P, R]) -> Callable[P, R]:
        """``fn`` timed under ``stage`` (when not already inside a timed call)."""
        total = self.totals.setdefault(stage, [0.0, 0.0, 0.0])

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if self._depth:
                return fn(*args, **kwargs)
            self._depth += 1
            cpu, wall = time.thread_time(), time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                total[0] += time.thread_time() - cpu
                total[1] += time.perf_counter() - wall
                total[2] += 1
                self._depth -= 1

        return wrapper

    def waited(self, stage: str, fn: Callable[P, Any]) -> Callable[P, Any]:
        """A coroutine function timed in wall seconds from call to result (waits included)."""
        total = self.totals.setdefault(stage, [0.0, 0.0, 0.0])

        @functools.wraps(fn)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
            wall = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            finally:
                total[1] += time.perf_counter() - wall
                total[2] += 1

        return wrapper


def _instrument(clock: _Clock) -> None:
    """Wrap the crawl's stages (the event loop's thread): state, sink, record, links.

    A stage whose function has moved or gone is left out, with a note on stderr, so that the
    bench keeps running while the crawl's modules are being reorganised.
    """
    from scraper.crawl import pages
    from scraper.crawl.frontier import Frontier
    from scraper.crawl.pool import AnalysePool
    from scraper.crawl.state import State
    from scraper.fetch import Fetcher
    from scraper.sink.jsonl import JsonlSink

    targets: dict[str, list[tuple[Any, str]]] = {
        "state (SQLite frontier and pages)": [
            (Frontier, name) for name in ("claim", "finish", "begin_write")
        ]
        + [(State, name) for name in ("known", "holder_of", "duplicates_of", "record_failure")],
        "state: queue length for the observer": [(Frontier, "queued")],
        "sink write (JSONL append)": [(JsonlSink, "write")],
        "sink commit (fsync)": [(JsonlSink, "commit")],
        "record building": [(pages, "build_record")],
        "link normalising and rules": [
            (pages, "_normalise_or_self"),
            (pages.SourceWork, "_follow"),
        ],
    }
    for stage, places in targets.items():
        for owner, name in places:
            if not hasattr(owner, name):
                print(f"stage timers: {owner.__name__}.{name} is gone, not timed", file=sys.stderr)
                continue
            setattr(owner, name, clock.timed(stage, getattr(owner, name)))
    Fetcher.fetch = clock.waited("fetch latency", Fetcher.fetch)  # type: ignore[method-assign]
    AnalysePool.analyse = clock.waited("analyse latency", AnalysePool.analyse)  # type: ignore[method-assign]


def crawl_stages(config_path: Path, out: Path) -> None:
    """Our crawl in this process with stage timers; the figures go to ``out`` as JSON."""
    from scraper.config import load_config
    from scraper.crawl import QuietObserver, crawl

    clock = _Clock()
    _instrument(clock)
    config = load_config(config_path)
    wall, cpu, thread = time.perf_counter(), time.process_time(), time.thread_time()
    result = crawl(config, QuietObserver())
    figures = {
        "wall": time.perf_counter() - wall,
        "main_cpu": time.process_time() - cpu,
        "main_thread_cpu": time.thread_time() - thread,
        "workers_cpu": sum(_children_cpu()),
        "fetched": result.reports[0].counts["fetched"],
        "counts": dict(result.reports[0].counts),
        "stages": {k: {"cpu": v[0], "wall": v[1], "calls": v[2]} for k, v in clock.totals.items()},
    }
    out.write_text(json.dumps(figures, indent=1))


def _children_cpu() -> tuple[float, float]:
    """User and system CPU seconds of the finished child processes (the analysis pool)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime, usage.ru_stime


def main(argv: Sequence[str]) -> None:
    """Dispatch on the first argument (see the module docstring)."""
    match list(argv):
        case ["scrapy", seed, articles, follow, out]:
            crawl_scrapy(seed, articles, follow, Path(out))
        case ["httpx", seed, articles, follow, out]:
            crawl_httpx(seed, articles, follow, Path(out))
        case ["fetch-ours", urls]:
            asyncio.run(_fetch_ours(Path(urls).read_text().split()))
        case ["fetch-httpx", urls]:
            asyncio.run(_fetch_httpx(Path(urls).read_text().split()))
        case ["stages", config, out]:
            crawl_stages(Path(config), Path(out))
        case _:
            sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
