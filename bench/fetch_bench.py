"""Fetcher overhead benchmark: our Fetcher against bare httpx and aiohttp, same server, same run.

Serves ``--pages`` HTML pages of 100-200 kB from tests/server.py in a separate process (so the
server's CPU is not counted), then fetches them all with each client, politeness off, the same
concurrency for all. Reports pages/s (wall clock) and CPU ms per page (this process only),
the median of ``--rounds`` interleaved rounds (order rotated) after one warm-up run each. The
goal: our Fetcher costs no more than 15% CPU over bare httpx.

    python bench/fetch_bench.py --pages 2000 --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from scraper.config import FetchConfig  # noqa: E402
from scraper.fetch import Fetcher  # noqa: E402

_SIZES = (100_000, 200_000)  # bytes per page, drawn uniformly
_DISTINCT_BODIES = 32  # pages share this many bodies, so the server holds little memory
_BUDGET = 0.15  # the goal: our CPU per page at most this much over bare httpx
_SETTLE = 0.5  # seconds between runs, so the server has closed the last client's connections

Client = Callable[[Sequence[str], int], Awaitable[int]]


@dataclass(frozen=True)
class Result:
    """One client's median figures."""

    name: str
    pages_per_second: float
    cpu_ms_per_page: float


def _serve(pages: int, conn: Connection) -> None:
    """Child process: serve the pages, send the port, stop when told."""
    from server import Reply, TestServer

    rng = random.Random(42)
    word = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "
    bodies = [
        f"<!doctype html><html><body><p>{word * (rng.randint(*_SIZES) // len(word))}</p>"
        "</body></html>"
        for _ in range(_DISTINCT_BODIES)
    ]
    with TestServer(with_faults=False) as server:
        for i in range(pages):
            server.route_replies(f"/page/{i}", Reply(body=bodies[i % _DISTINCT_BODIES].encode()))
        conn.send(server.port)
        conn.recv()


async def _ours(urls: Sequence[str], concurrency: int) -> int:
    """Our Fetcher, politeness off (no delay, no robots, host limit = global limit)."""
    config = FetchConfig(
        per_host_delay=0.0,
        respect_robots=False,
        allow_private_addresses=True,
        concurrency=concurrency,
        per_host_concurrency=concurrency,
    )
    async with Fetcher(config) as fetcher:
        pages = await asyncio.gather(*(fetcher.fetch(url) for url in urls))
    return sum(len(page.text) for page in pages)


async def _bare_httpx(urls: Sequence[str], concurrency: int) -> int:
    """A plain httpx AsyncClient loop: get, then decode the text."""
    limits = httpx.Limits(max_connections=concurrency)
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(limits=limits, trust_env=False) as client:

        async def one(url: str) -> int:
            async with gate:
                response = await client.get(url)
                return len(response.text)

        return sum(await asyncio.gather(*(one(url) for url in urls)))


async def _aiohttp(urls: Sequence[str], concurrency: int) -> int:
    """A plain aiohttp ClientSession loop: get, then decode the text."""
    import aiohttp

    gate = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(url: str) -> int:
            async with gate, session.get(url) as response:
                return len(await response.text())

        return sum(await asyncio.gather(*(one(url) for url in urls)))


def _clients() -> dict[str, Client]:
    """The clients to compare; aiohttp only when it is installed."""
    clients: dict[str, Client] = {"scraper Fetcher": _ours, "bare httpx": _bare_httpx}
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        print("aiohttp is not installed; skipping it", file=sys.stderr)
    else:
        clients["aiohttp"] = _aiohttp
    return clients


def _measure(client: Client, urls: Sequence[str], concurrency: int) -> tuple[float, float]:
    """Wall seconds and CPU seconds of one full run."""
    wall, cpu = time.perf_counter(), time.process_time()
    asyncio.run(client(urls, concurrency))
    return time.perf_counter() - wall, time.process_time() - cpu


def run(pages: int, rounds: int, concurrency: int) -> list[Result]:
    """Start the server, run every client ``rounds`` times (interleaved), return medians."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(pages, child))
    process.start()
    try:
        port = parent.recv()
        urls = [f"http://127.0.0.1:{port}/page/{i}" for i in range(pages)]
        clients = _clients()
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in clients}
        for client in clients.values():
            _measure(client, urls[: pages // 4], concurrency)  # warm-up
        names = list(clients)
        for round_ in range(rounds):  # rotate the order: the first run after another pays more
            for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
                time.sleep(_SETTLE)
                samples[name].append(_measure(clients[name], urls, concurrency))
    finally:
        parent.send("stop")
        process.join()
    return [
        Result(
            name,
            pages / statistics.median(wall for wall, _ in runs),
            1000 * statistics.median(cpu for _, cpu in runs) / pages,
        )
        for name, runs in samples.items()
    ]


def _report(results: list[Result]) -> None:
    """Print the table and the verdict against the 15% goal."""
    print(f"{'client':<18}{'pages/s':>10}{'CPU ms/page':>14}")
    for r in results:
        print(f"{r.name:<18}{r.pages_per_second:>10.0f}{r.cpu_ms_per_page:>14.3f}")
    ours, bare = results[0], results[1]
    overhead = ours.cpu_ms_per_page / bare.cpu_ms_per_page - 1
    verdict = "within" if overhead <= _BUDGET else "OVER"
    print(
        f"\nFetcher CPU overhead vs bare httpx: {overhead:+.1%} ({verdict} the {_BUDGET:.0%} goal)"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments, run, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    _report(run(args.pages, args.rounds, args.concurrency))


if __name__ == "__main__":
    main()
