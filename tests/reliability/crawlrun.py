"""Running ``scraper crawl`` and ``scraper status`` as a user does, for the reliability tests.

A config for a fast crawl of the loopback site (tests/crawl/crawlsite.py): politeness off
except for what the server asks (Retry-After, 429/503 slowdown), short timeouts and backoff,
many pages at once. Records are read from the JSONL sink's folder, every line checked whole.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

SCRAPER = [sys.executable, "-m", "scraper"]
COMMAND_TIMEOUT = 120  # seconds any one command may take before the test gives up on it


class Site(Protocol):
    """Where the site is served (a TestServer, or the soak's server in another process)."""

    def url(self, path: str = "/") -> str:
        """An absolute URL on the site."""
        ...


@dataclass(frozen=True)
class FastFetch:
    """The [fetch] knobs of a crawl config; the defaults keep a 1,000-page crawl brief."""

    timeout: float = 0.5  # a stalled body is given up after this (and retried)
    retries: int = 3
    retry_backoff: float = 0.01
    workers: int = 16


def write_config(
    folder: Path,
    server: Site,
    *,
    fetch: FastFetch = FastFetch(),  # a frozen dataclass: one shared default is safe
    out: Path | None = None,
    max_pages: int = 100_000,
) -> Path:
    """A config.toml crawling the loopback site from /news into ``out`` (default folder/out)."""
    base = server.url("/").rstrip("/").replace(".", "\\\\.")
    text = f"""
[fetch]
allowed_networks = ["127.0.0.1/32"]
respect_robots = false
per_host_delay = 0
per_host_concurrency = {fetch.workers}
concurrency = {fetch.workers}
retries = {fetch.retries}
retry_backoff = {fetch.retry_backoff}
timeout = {fetch.timeout}

[crawl]
state = "{folder / "state" / "crawl.sqlite"}"
workers = {fetch.workers}

[sink]
kind = "jsonl"
path = "{out or folder / "out"}"

[[sources]]
name = "test-news"
seeds = ["{server.url("/news")}"]
follow = ["^{base}/(2026|copy|news)/", "^{base}/news$"]
max_depth = 1000
max_pages = {max_pages}
discover = false
schedule = "every 30m"
"""
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def scraper(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``scraper ARGS`` to completion."""
    return subprocess.run(
        [*SCRAPER, *args], cwd=cwd, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
    )


def status(config: Path) -> dict[str, Any]:
    """``scraper status --json`` for the one source."""
    done = scraper("status", "--json", "--config", str(config), cwd=config.parent)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def read_lines(folder: Path) -> list[dict[str, Any]]:
    """Every record line of the folder's records-*.jsonl; a torn or bad line fails the test."""
    records = []
    for path in sorted(folder.glob("records-*.jsonl")):
        data = path.read_bytes()
        assert not data or data.endswith(b"\n"), f"{path.name}: torn last line"
        for number, line in enumerate(data.splitlines(), 1):
            assert line.strip(), f"{path.name}:{number}: empty line"
            records.append(json.loads(line))
    return records


def duplicates(values: list[str]) -> list[str]:
    """Values that occur more than once."""
    return sorted(v for v, n in Counter(values).items() if n > 1)
