"""The analysis pool: lean extraction processes fed over pipes (scraper/crawl/pool.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
from crashing import ExitOnArrival

from scraper.crawl.analyse import analyse
from scraper.crawl.pool import (
    DEATHS_IN_A_ROW,
    AnalysePool,
    AnalysePoolError,
    ExtractionCrashed,
    default_processes,
)

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


def test_a_worker_dying_on_a_page_fails_that_page_and_is_replaced() -> None:
    async def run() -> None:
        async with AnalysePool(processes=1) as pool:
            (first,) = pool.pids()
            with pytest.raises(ExtractionCrashed, match="exit code 3"):
                await pool.analyse(_page(1), URL, ExitOnArrival(3))  # type: ignore[arg-type]
            assert (await pool.analyse(_page(2), URL, None)) == analyse(_page(2), URL)
            (second,) = pool.pids()
            assert second != first

    asyncio.run(run())


def test_a_worker_killed_while_idle_is_replaced_before_the_next_page() -> None:
    async def run() -> None:
        async with AnalysePool(processes=1) as pool:
            await pool.analyse(_page(1), URL, None)
            (pid,) = pool.pids()
            os.kill(pid, signal.SIGKILL)  # not reaped here: the pool's child watcher does that
            deadline = time.monotonic() + WORKER_EXIT
            while pool.pids() in ([], [pid]) and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            assert pool.pids() not in ([], [pid])
            assert (await pool.analyse(_page(2), URL, None)) == analyse(_page(2), URL)

    asyncio.run(run())


def test_pages_queued_behind_a_crashing_page_are_analysed_by_the_next_worker() -> None:
    async def run() -> None:
        async with AnalysePool(processes=1) as pool:
            calls = [pool.analyse(_page(n), URL, None) for n in range(5)]
            calls.insert(1, pool.analyse(_page(9), URL, ExitOnArrival(3)))  # type: ignore[arg-type]
            results = await asyncio.gather(*calls, return_exceptions=True)
        assert isinstance(results[1], ExtractionCrashed)
        assert [r for i, r in enumerate(results) if i != 1] == [
            analyse(_page(n), URL) for n in range(5)
        ]

    asyncio.run(run())


def test_workers_dying_again_and_again_stop_the_run() -> None:
    async def run() -> None:
        async with AnalysePool(processes=1) as pool:
            for _ in range(DEATHS_IN_A_ROW - 1):
                with pytest.raises(ExtractionCrashed):
                    await pool.analyse(_page(1), URL, ExitOnArrival(3))  # type: ignore[arg-type]
            with pytest.raises(AnalysePoolError, match="died 3 times in a row") as raised:
                await pool.analyse(_page(1), URL, ExitOnArrival(3))  # type: ignore[arg-type]
            assert not isinstance(raised.value, ExtractionCrashed)
            with pytest.raises(AnalysePoolError, match="died 3 times in a row"):
                await pool.analyse(_page(2), URL, None)  # and every later call

    asyncio.run(run())


def test_an_extraction_process_imports_no_fetcher_sink_or_cli() -> None:
    async def run() -> None:
        async with AnalysePool(processes=1) as pool:
            await pool.analyse(_page(1), URL, None)
            (pid,) = pool.pids()
            maps = Path(f"/proc/{pid}/maps").read_text()
        assert "selectolax" in maps  # it did load the extractor
        for package in ("httpx", "click", "rich", "redis", "psycopg", "warcio"):
            assert f"/{package}/" not in maps, package

    if not Path("/proc/self/maps").exists():
        pytest.skip("needs /proc (Linux) to read the process's loaded libraries")
    asyncio.run(run())


def test_by_default_one_core_is_left_to_the_crawler() -> None:
    assert default_processes() == max(1, (os.cpu_count() or 2) - 1)


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
    async with AnalysePool(2) as pool:
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
