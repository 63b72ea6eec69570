"""Kill and resume: ``scraper crawl`` killed with SIGKILL 20 times, and a crawl on a full disk.

1. **kill -9**: a crawl of 300 articles is killed at 20 seeded moments spread over the crawl
   (each kill waits until the output holds a chosen number of records, then a random fraction
   of a page's time more, so it lands in a fetch, an extraction, a sink write or a state
   transaction), and run again each time. The final output must equal that of one
   uninterrupted crawl: the same record ids, each once, every line whole. The extraction
   workers must exit with the crawler they belonged to.
2. **disk full**: the JSONL sink writes to a small tmpfs. The crawl must stop with a clear
   error and a non-zero exit, leaving whole lines; once the tmpfs is made bigger, the next
   run stores every missing record, and none twice. Skipped where mounting is not permitted.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from crawlrun import SCRAPER, FastFetch, duplicates, read_lines, scraper, status, write_config
from loopsite import pages, serve
from server import TestServer

ARTICLES = 300
KILLS = 20
SEED = 20261129
FETCH = FastFetch(timeout=2.0, retries=1, retry_backoff=0.01, workers=8)
JITTER = 0.05  # seconds: at most this long after the target record count, the kill comes
WORKER_EXIT = 5.0  # seconds the orphaned extraction workers may take to notice and exit
DISK_SMALL = "400k"  # the tmpfs for the disk-full run: holds about half the records
DISK_BIG = "16m"


def _record_count(folder: Path) -> int:
    """Lines in the folder's records files, counted without parsing."""
    return sum(p.read_bytes().count(b"\n") for p in folder.glob("records-*.jsonl"))


def _torn(folder: Path) -> bool:
    """Whether a records file ends in the middle of a line."""
    return any((d := p.read_bytes()) and not d.endswith(b"\n") for p in folder.glob("*.jsonl"))


def _kill_at(config: Path, out: Path, target: int, chance: random.Random) -> list[int]:
    """Start a crawl, SIGKILL it once ``target`` records are out (plus jitter); returns the
    pids of its children (the extraction workers) at the moment of the kill."""
    process = subprocess.Popen(
        [*SCRAPER, "crawl", "--quiet", "--config", str(config)],
        cwd=config.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while process.poll() is None and _record_count(out) < target:
            time.sleep(0.005)
        time.sleep(chance.uniform(0, JITTER))
        children = [c.pid for c in psutil.Process(process.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        children = []
    process.kill()
    process.wait(timeout=30)
    return children


def _gone(pids: list[int], within: float) -> list[int]:
    """The pids still alive (and not zombies) after ``within`` seconds."""
    deadline = time.monotonic() + within
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in alive if _alive(p)]
    return alive


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def served(http_server: TestServer) -> TestServer:
    """The test server with the 300-article site."""
    serve(http_server, pages(ARTICLES))
    return http_server


@pytest.fixture
def reference(tmp_path: Path, served: TestServer) -> list[str]:
    """The record ids of one uninterrupted crawl, sorted."""
    folder = tmp_path / "reference"
    folder.mkdir()
    config = write_config(folder, served, fetch=FETCH)
    done = scraper("crawl", "--quiet", "--config", str(config), cwd=folder)
    assert done.returncode == 0, done.stderr
    ids = [r["id"] for r in read_lines(folder / "out")]
    assert len(ids) == ARTICLES
    return sorted(ids)


def test_kill_9_twenty_times_then_resume_equals_an_uninterrupted_crawl(
    tmp_path: Path, served: TestServer, reference: list[str], figures: dict[str, list[str]]
) -> None:
    config = write_config(tmp_path, served, fetch=FETCH)
    out = tmp_path / "out"
    chance = random.Random(SEED)
    targets = sorted(chance.randrange(ARTICLES) for _ in range(KILLS))
    landed, torn, lingering = [], 0, []
    for target in targets:
        children = _kill_at(config, out, target, chance)
        landed.append(_record_count(out))
        torn += _torn(out)
        lingering += _gone(children, WORKER_EXIT)
    final = scraper("crawl", "--quiet", "--config", str(config), cwd=tmp_path)
    assert final.returncode == 0, final.stderr
    ids = [r["id"] for r in read_lines(out)]
    assert duplicates(ids) == []
    assert sorted(ids) == reference
    assert lingering == []
    assert status(config)["stored"] == ARTICLES
    assert _integrity(tmp_path / "state" / "crawl.sqlite") == "ok"
    figures["kill -9 and resume"] = [
        f"{KILLS} kills of a {ARTICLES}-article crawl at {landed} records out",
        f"{torn} kills left a torn last line (cut on the next open)",
        f"final output: {len(ids)} records, the uninterrupted crawl's ids, no duplicate, "
        "no torn line, no extraction worker left behind",
    ]


@contextlib.contextmanager
def _tmpfs(folder: Path, size: str) -> Iterator[None]:
    """A tmpfs of ``size`` mounted on ``folder``; skips the test where mount is refused."""
    folder.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("disk-full test: no mount command on this machine")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"disk-full test: cannot mount a tmpfs ({mounted.stderr.strip()})")
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def _integrity(path: Path) -> str:
    """SQLite's own integrity check of a state file."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


def _resize(folder: Path, size: str) -> None:
    """Make the tmpfs on ``folder`` bigger, keeping what it holds."""
    subprocess.run(["mount", "-o", f"remount,size={size}", str(folder)], check=True)


def test_a_full_disk_stops_the_crawl_cleanly_and_the_next_run_completes_it(
    tmp_path: Path, served: TestServer, reference: list[str], figures: dict[str, list[str]]
) -> None:
    out = tmp_path / "disk"
    with _tmpfs(out, DISK_SMALL):
        config = write_config(tmp_path, served, fetch=FETCH, out=out)
        full = scraper("crawl", "--config", str(config), cwd=tmp_path)
        assert full.returncode == 20, full.stderr  # a source failed
        assert "disk full" in full.stderr, full.stderr
        assert "Traceback" not in full.stderr
        partial = [r["id"] for r in read_lines(out)]
        assert duplicates(partial) == []
        assert 0 < len(partial) < ARTICLES
        row = next(
            line for line in full.stderr.splitlines() if "test-news" in line and "FAILED" in line
        )
        assert str(len(partial)) in row.split(), row  # the summary keeps the counts so far
        assert _integrity(tmp_path / "state" / "crawl.sqlite") == "ok"
        left = status(config)
        assert left["last_result"] == "interrupted", left  # resumed by the next run
        _resize(out, DISK_BIG)
        resumed = scraper("crawl", "--quiet", "--config", str(config), cwd=tmp_path)
        assert resumed.returncode == 0, resumed.stderr
        ids = [r["id"] for r in read_lines(out)]
    assert duplicates(ids) == []
    assert sorted(ids) == reference
    error = " ".join(full.stderr.split("test-news: failed: ", 1)[1].split())
    figures["disk full"] = [
        f"tmpfs of {DISK_SMALL}: exit {full.returncode} after {len(partial)} of {ARTICLES} "
        f"records, whole lines; stderr: {error}",
        f"after a remount at {DISK_BIG}: {len(ids)} records, each once",
    ]
