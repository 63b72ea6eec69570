"""HTTP API benchmark: POST /extract with HTML in the body, against the same pages in-process.

Starts ``scraper serve --workers 2 --port 0`` (its own process group, limits lifted: no rate
limit, enough slots) on 127.0.0.1, then sends ``--requests`` requests with ``--clients``
concurrent connections from one bounded asyncio load generator (httpx), cycling over the
golden pages (fixtures/pages/*/source.html). The same pages are then extracted in this process,
one after another, as the baseline. Reports requests/s and p50/p99 latency for both, and the
HTTP overhead (latency at p50 over the in-process time; throughput ratio).

The load generator shares the machine's cores with the server: on 2 cores its own CPU is a
real part of the figures, as it would be for any client on the same host.

    python bench/serve_bench.py --requests 3000 --clients 16
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from scraper import extract  # noqa: E402

_STARTED = re.compile(r"scraper: serving on (http://127\.0\.0\.1:\d+)")
_SEQUENTIAL = 500  # requests of the one-client run (the per-request overhead)
_TIME_LIMIT = 120.0  # seconds: the load stops here whatever --requests says
_CONFIG = """\
[serve]
rate_limit = 0
concurrency = 256
max_body_bytes = 20_000_000
extract_processes = {processes}
"""


@dataclass(frozen=True)
class Result:
    """One run's figures."""

    requests: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def quantile(self, q: float) -> float:
        """The latency at quantile ``q``, in milliseconds."""
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _pages() -> list[tuple[str, str]]:
    """(url, html) of every golden page."""
    folders = sorted((ROOT / "fixtures" / "pages").iterdir())
    return [
        (
            f"https://example.com/{folder.name}",
            (folder / "source.html").read_bytes().decode("utf-8", "replace"),
        )
        for folder in folders
        if (folder / "source.html").is_file()
    ]


def in_process(pages: list[tuple[str, str]], count: int) -> Result:
    """``count`` extractions in this process, cycling over the pages."""
    for url, html in pages:  # warm-up
        extract(html, url=url)
    latencies = []
    started = time.perf_counter()
    for i in range(count):
        url, html = pages[i % len(pages)]
        begun = time.perf_counter()
        extract(html, url=url)
        latencies.append(time.perf_counter() - begun)
    return Result(count, time.perf_counter() - started, latencies)


async def over_http(base: str, bodies: list[bytes], count: int, clients: int) -> Result:
    """``count`` POST /extract requests from ``clients`` concurrent connections."""
    latencies: list[float] = []
    next_index = 0
    deadline = time.monotonic() + _TIME_LIMIT
    headers = {"Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(
        base_url=base, limits=limits, timeout=60, trust_env=False
    ) as client:
        for body in bodies:  # warm-up: every page once
            (await client.post("/extract", content=body, headers=headers)).raise_for_status()

        async def worker() -> None:
            nonlocal next_index
            while next_index < count and time.monotonic() < deadline:
                body = bodies[next_index % len(bodies)]
                next_index += 1
                begun = time.perf_counter()
                answer = await client.post("/extract", content=body, headers=headers)
                answer.raise_for_status()
                latencies.append(time.perf_counter() - begun)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return Result(len(latencies), time.perf_counter() - started, latencies)


def _start_server(folder: Path, workers: int, processes: int) -> tuple[subprocess.Popen[str], str]:
    """`scraper serve` on a free port; its process and base URL."""
    (folder / "config.toml").write_text(_CONFIG.format(processes=processes), encoding="utf-8")
    command = [sys.executable, "-m", "scraper", "serve", "--port", "0", "--workers", str(workers)]
    server = subprocess.Popen(
        command, cwd=folder, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    assert server.stderr is not None
    started = _STARTED.match(server.stderr.readline())
    if not started:
        server.kill()
        raise SystemExit("scraper serve did not start")
    return server, started.group(1)


def _wait_ready(base: str) -> None:
    """Until every worker answers (the socket accepts before they are up)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", trust_env=False).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("scraper serve did not answer /health")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--extract-processes", type=int, default=1, help="per worker")
    args = parser.parse_args()
    pages = _pages()
    bodies = [json.dumps({"html": html, "url": url}).encode() for url, html in pages]
    size = statistics.mean(len(body) for body in bodies) / 1024
    print(f"{len(pages)} golden pages, mean body {size:.0f} kB; {args.requests} requests")
    with tempfile.TemporaryDirectory() as folder:
        server, base = _start_server(Path(folder), args.workers, args.extract_processes)
        try:
            _wait_ready(base)
            single = asyncio.run(over_http(base, bodies, min(args.requests, _SEQUENTIAL), 1))
            http = asyncio.run(over_http(base, bodies, args.requests, args.clients))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    local = in_process(pages, args.requests)
    _report(args, single, http, local)


def _report(args: argparse.Namespace, single: Result, http: Result, local: Result) -> None:
    """The table and the overhead."""
    print(f"{'':44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    rows = (
        ("HTTP, 1 client (sequential)", single),
        (f"HTTP, {args.clients} clients", http),
        ("in-process (1 thread, sequential)", local),
    )
    for name, result in rows:
        print(
            f"{name:44} {result.per_second:8.1f} {result.quantile(0.5):8.2f} "
            f"{result.quantile(0.99):8.2f}"
        )
    print(
        f"HTTP overhead per request (1 client, p50): "
        f"+{single.quantile(0.5) - local.quantile(0.5):.2f} ms; "
        f"throughput under load {http.per_second / local.per_second:.2f}x in-process "
        f"({args.workers} uvicorn workers x {args.extract_processes} extraction process)"
    )


if __name__ == "__main__":
    main()
