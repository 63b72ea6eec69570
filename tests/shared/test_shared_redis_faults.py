"""Redis faults in the middle of a shared crawl: the workers reconnect and finish, every
article stored exactly once (JSON Lines, one folder per worker).

The test runs a Redis server of its own (``redis-server`` on a free port, AOF with fsync
always, in the test's folder) so that it can kill and restart it; it skips where no
redis-server binary is installed.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from loopsite import article_path, pages, serve
from server import TestServer
from sharedrun import Shared, finish, start, start_workers, wait_for, write_shared_config

ARTICLES = 300


class OwnRedis:
    """A redis-server process with AOF in ``folder``; ``crash()`` kills it, ``start()`` again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        wait_for(lambda: _answers(client), timeout=10)
        client.close()

    def crash(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait()


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server binary to start a Redis of the test's own")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = OwnRedis(folder)
    server.start()
    yield server
    server.stop()


def _records(out: Path) -> list[str]:
    """The url of every record line in every worker's folder."""
    return [
        json.loads(line)["url"]
        for path in sorted(out.glob("*/records-*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
    ]


def _lines_so_far(out: Path) -> int:
    """Complete record lines while the crawl runs (a line being appended has no newline yet)."""
    return sum(p.read_bytes().count(b"\n") for p in out.glob("*/records-*.jsonl"))


def _crawl_with(tmp_path: Path, own_redis: OwnRedis, fault: str) -> None:
    """Crawl the site with two workers; inject ``fault`` once 60 records are out."""
    with TestServer(with_faults=False) as server:
        serve(server, pages(ARTICLES))
        shared = Shared(own_redis.url, "scraper")
        config = write_shared_config(tmp_path, server.url, shared, lease=3.0)
        crawl = start("crawl", "--quiet", "--config", str(config), cwd=tmp_path)
        workers = start_workers(config, 2)
        wait_for(lambda: _lines_so_far(tmp_path / "out") >= 60)
        if fault == "restart":
            own_redis.crash()
            time.sleep(1.5)
            own_redis.start()
        else:
            client = redis.Redis.from_url(own_redis.url)
            for _ in range(3):
                client.client_kill_filter(_type="normal", skipme=True)
                time.sleep(0.3)
            client.close()
        for process in [*workers, crawl]:
            code, err = finish(process)
            assert code == 0, err
        expected = {server.url(article_path(n)) for n in range(ARTICLES)}
    urls = Counter(_records(tmp_path / "out"))
    assert [u for u, n in urls.items() if n > 1] == []
    assert set(urls) == expected


def test_workers_reconnect_after_redis_is_killed_and_restarted(
    tmp_path: Path, own_redis: OwnRedis
) -> None:
    _crawl_with(tmp_path, own_redis, "restart")


def test_workers_survive_dropped_connections(tmp_path: Path, own_redis: OwnRedis) -> None:
    _crawl_with(tmp_path, own_redis, "drop")
