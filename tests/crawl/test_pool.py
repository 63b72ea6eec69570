"""The analysis pool: forked extraction workers (scraper/crawl/pool.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from scraper.crawl.analyse import analyse
from scraper.crawl.pool import AnalysePool, AnalysePoolError

PAGE = "<html><body><article><p>{}</p></article><a href='/next'>next</a></body></html>"
URL = "https://example.com/a"
WORKER_EXIT = 5.0  # seconds the workers of a killed crawler may take to notice and exit


def _page(n: int) -> str:
    """A small article page whose text differs with ``n``."""
    return PAGE.format(f"Paragraph number {n} of a page that has enough words to be kept. " * 8)


def test_a_worker_gives_what_analyse_gives() -> None:
    async def run() -> None:
        async with AnalysePool() as pool:
            pages = [_page(n) for n in range(6)]
            results = await asyncio.gather(*(pool.analyse(p, URL, None) for p in pages))
        assert results == [analyse(p, URL) for p in pages]

    asyncio.run(run())


def test_an_exception_in_the_worker_reaches_the_caller_with_its_traceback() -> None:
    async def run() -> None:
        async with AnalysePool(processes=1) as pool:
            with pytest.raises(TypeError) as raised:
                await pool.analyse(_page(1), URL, object())  # type: ignore[arg-type]
            assert "strip_template" in str(raised.value.__cause__)  # the worker's traceback
            assert (await pool.analyse(_page(2), URL, None)).links == ("https://example.com/next",)

    asyncio.run(run())


def test_a_killed_worker_raises_analyse_pool_error() -> None:
    async def run() -> None:
        before = {child.pid for child in psutil.Process().children()}  # other tests' may linger
        async with AnalysePool(processes=1) as pool:
            await pool.analyse(_page(1), URL, None)
            (worker,) = [c for c in psutil.Process().children() if c.pid not in before]
            worker.kill()
            worker.wait(timeout=10)
            with pytest.raises(AnalysePoolError, match="extraction worker process died"):
                await pool.analyse(_page(2), URL, None)

    asyncio.run(run())


def test_a_cancelled_call_leaves_the_worker_in_step() -> None:
    async def run() -> None:
        async with AnalysePool(processes=1) as pool:
            first = asyncio.ensure_future(pool.analyse(_page(1), URL, None))
            await asyncio.sleep(0.01)
            first.cancel()
            second = await pool.analyse(_page(2), URL, None)
        assert second == analyse(_page(2), URL)

    asyncio.run(run())


_CRAWLER = """
import asyncio, sys
from scraper.crawl.pool import AnalysePool

async def main():
    async with AnalysePool() as pool:
        await pool.analyse("<p>x</p>", "https://example.com/", None)
        print("ready", flush=True)
        await asyncio.sleep(60)

asyncio.run(main())
"""


def test_the_workers_exit_when_the_crawler_is_killed_with_sigkill() -> None:
    command = [sys.executable, "-c", textwrap.dedent(_CRAWLER)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as crawler:
        try:
            assert crawler.stdout is not None and crawler.stdout.readline() == "ready\n"
            workers = psutil.Process(crawler.pid).children()
            assert len(workers) == 2
        finally:
            os.kill(crawler.pid, signal.SIGKILL)
            crawler.wait(timeout=10)
    deadline = time.monotonic() + WORKER_EXIT
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [w.pid for w in workers if _alive(w)] == []


def _alive(process: psutil.Process) -> bool:
    """A process that exists and is not a zombie."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
