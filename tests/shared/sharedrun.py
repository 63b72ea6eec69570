"""Running a shared crawl as users run it: ``scraper crawl`` plus ``scraper worker`` processes.

``write_shared_config`` writes a config.toml for the loopback site (tests/reliability/
loopsite.py) with ``[frontier] kind = "redis"`` under a prefix of the test's own, and the
sink the test asks for. ``start`` runs a scraper command in the background; ``records_in_pg``
reads what the PostgreSQL sink holds.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRAPER = [sys.executable, "-m", "scraper"]
WAIT_LIMIT = 240.0  # seconds a whole shared crawl may take before the test gives up


@dataclass(frozen=True)
class Shared:
    """Where the test's shared crawl lives: its Redis URL and key prefix."""

    url: str
    prefix: str


def write_shared_config(
    folder: Path,
    site_url: Callable[[str], str],
    shared: Shared,
    *,
    sink: str = "jsonl",
    dsn: str = "",
    lease: float = 60.0,
    delay: float = 0.0,
    tasks: int = 8,
) -> Path:
    """A config.toml crawling the loopback site from /news on the shared frontier."""
    base = site_url("/").rstrip("/").replace(".", "\\\\.")
    sink_lines = (
        f'kind = "postgres"\ndsn = "{dsn}"'
        if sink == "postgres"
        else (f'kind = "jsonl"\npath = "{folder / "out"}"')
    )
    text = f"""
[fetch]
allowed_networks = ["127.0.0.1/32"]
respect_robots = false
per_host_delay = {delay}
per_host_concurrency = {tasks}
concurrency = {tasks}
retries = 3
retry_backoff = 0.01
timeout = 2

[crawl]
state = "{folder / "state" / "crawl.sqlite"}"
workers = {tasks}

[frontier]
kind = "redis"
url = "{shared.url}"
prefix = "{shared.prefix}"
lease = {lease}

[sink]
{sink_lines}

[[sources]]
name = "test-news"
seeds = ["{site_url("/news")}"]
follow = ["^{base}/(2026|news)/", "^{base}/news$"]
max_depth = 1000
max_pages = 100000
discover = false
"""
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def start(*args: str, cwd: Path) -> subprocess.Popen[str]:
    """``scraper ARGS`` in the background, its output kept for the test to read."""
    return subprocess.Popen(
        [*SCRAPER, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def start_workers(config: Path, count: int, *extra: str) -> list[subprocess.Popen[str]]:
    """``count`` workers named w0, w1, ... that exit when no run is in progress."""
    return [
        start("worker", "--until-idle", "--quiet", "--name", f"w{i}", *extra,
              "--config", str(config), cwd=config.parent)
        for i in range(count)
    ]  # fmt: skip


def finish(process: subprocess.Popen[str], timeout: float = WAIT_LIMIT) -> tuple[int, str]:
    """Wait for a process; its exit code and stderr."""
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        _out, err = process.communicate()
        raise AssertionError(
            f"{process.args} did not finish in {timeout} s: {err[-2000:]}"
        ) from exc
    return process.returncode, err


def wait_for(condition: Callable[[], bool], timeout: float = WAIT_LIMIT) -> None:
    """Poll ``condition`` every 50 ms until true."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def records_in_pg(dsn: str) -> list[tuple[str, int]]:
    """(url, revision) of every row of the PostgreSQL sink's records table."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        try:
            rows: list[Any] = conn.execute("SELECT url, revision FROM records").fetchall()
        except psycopg.errors.UndefinedTable:
            return []
    return [(str(url), int(revision)) for url, revision in rows]
