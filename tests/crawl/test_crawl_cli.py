"""``scraper crawl``, ``status`` and ``run`` as a user runs them: subprocesses, real files."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from crawlsite import build_site, write_config
from records import read_records
from server import TestServer

_SCRAPER = [sys.executable, "-m", "scraper"]
_KILLS = 5  # kill -9 this many times before the final run
_TIMEOUT = 60  # seconds any one command may take


def _scraper(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_SCRAPER, *args], cwd=cwd, capture_output=True, text=True, timeout=_TIMEOUT
    )


def test_crawl_exits_0_and_prints_a_summary(tmp_path: Path, http_server: TestServer) -> None:
    build_site(http_server, articles=20)
    config = write_config(tmp_path, http_server)
    done = _scraper("crawl", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "crawl summary" in done.stderr and "test-news" in done.stderr
    assert done.stdout == ""
    assert len(read_records(tmp_path / "out")) == 20


def test_crawl_reads_config_toml_in_the_working_folder(
    tmp_path: Path, http_server: TestServer
) -> None:
    build_site(http_server, articles=5)
    write_config(tmp_path, http_server)
    done = _scraper("crawl", "--quiet", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert len(read_records(tmp_path / "out")) == 5


def test_an_unreachable_source_fails_with_exit_20_and_says_why(tmp_path: Path) -> None:
    with TestServer() as gone:
        config = write_config(tmp_path, gone)
    done = _scraper("crawl", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 20
    assert "FAILED" in done.stderr
    assert "test-news: failed:" in done.stderr and "cannot connect" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_config_error_names_file_line_and_key(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[[sources]]\nname = "a"\nseeds = ["https://a.test/"]\nmax_depth = "x"\n')
    done = _scraper("crawl", cwd=tmp_path)
    assert done.returncode == 6
    assert done.stderr.startswith(
        "scraper: config.toml:4: sources[1].max_depth must be a whole number >= 0, got 'x'"
    )


def test_status_shows_last_run_counts_failures_and_next_run(
    tmp_path: Path, http_server: TestServer
) -> None:
    site = build_site(http_server, articles=10, broken=1)
    config = write_config(tmp_path, http_server)
    _scraper("crawl", "--quiet", "--config", str(config), cwd=tmp_path)
    done = _scraper("status", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    first, *rest = done.stdout.splitlines()
    assert first.startswith("test-news: last run ")
    assert "(ok), 12 pages seen, 10 stored, 1 failed, next run " in first  # 10 + index + copy
    (failure,) = rest
    assert failure.startswith(f"  {http_server.url(site.broken[0])}: the server answered 500")


def test_kill_9_at_random_moments_loses_and_duplicates_nothing(
    tmp_path: Path, http_server: TestServer
) -> None:
    site = build_site(http_server, articles=200)
    config = write_config(tmp_path, http_server)
    chance = random.Random(20261127)
    for _ in range(_KILLS):
        process = subprocess.Popen(
            [*_SCRAPER, "crawl", "--quiet", "--config", str(config)],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(chance.uniform(0.4, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=_TIMEOUT)
    final = _scraper("crawl", "--quiet", "--config", str(config), cwd=tmp_path)
    assert final.returncode == 0, final.stderr
    records = read_records(tmp_path / "out")
    urls = [r["url"] for r in records]
    assert sorted(urls) == sorted(http_server.url(p) for p in site.articles)
    assert len({r["id"] for r in records}) == len(records)


def test_run_stays_up_and_stops_cleanly_on_sigterm(tmp_path: Path, http_server: TestServer) -> None:
    build_site(http_server, articles=10)
    config = write_config(tmp_path, http_server)
    process = subprocess.Popen(
        [*_SCRAPER, "run", "--quiet", "--config", str(config)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + _TIMEOUT
    while len(read_records(tmp_path / "out")) < 10 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    assert process.poll() is None  # still up, waiting for the next run
    os.kill(process.pid, signal.SIGTERM)
    _, stderr = process.communicate(timeout=_TIMEOUT)
    assert process.returncode == 0, stderr
    assert len(read_records(tmp_path / "out")) == 10
