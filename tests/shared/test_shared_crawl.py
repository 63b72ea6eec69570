"""A shared crawl end to end: ``scraper crawl`` seeds Redis, ``scraper worker`` processes crawl
a 1,000-article loopback site into PostgreSQL; every article is stored exactly once, also
when a worker is killed with SIGKILL half-way."""

from __future__ import annotations

import os
import signal
from collections import Counter
from pathlib import Path

from loopsite import article_path
from server import TestServer
from sharedrun import (
    Shared,
    finish,
    records_in_pg,
    start,
    start_workers,
    wait_for,
    write_shared_config,
)

ARTICLES = 1000


def _expected(server: TestServer) -> set[str]:
    """The URL of every article of the site."""
    return {server.url(article_path(n)) for n in range(ARTICLES)}


def _assert_exactly_once(dsn: str, server: TestServer) -> None:
    """Every article has one row in PostgreSQL, at revision 1, and nothing else is stored."""
    rows = records_in_pg(dsn)
    urls = Counter(url for url, _revision in rows)
    assert [u for u, n in urls.items() if n > 1] == []
    assert set(urls) == _expected(server)
    assert {revision for _url, revision in rows} == {1}


def test_four_workers_store_every_article_once(
    tmp_path: Path, site_1000: TestServer, shared: Shared, pg_dsn: str
) -> None:
    config = write_shared_config(tmp_path, site_1000.url, shared, sink="postgres", dsn=pg_dsn)
    crawl = start("crawl", "--quiet", "--config", str(config), cwd=tmp_path)
    workers = start_workers(config, 4)
    for worker in workers:
        code, err = finish(worker)
        assert code == 0, err
    code, err = finish(crawl)
    assert code == 0, err
    _assert_exactly_once(pg_dsn, site_1000)
    fetched = Counter(r.path for r in site_1000.requests())
    assert [p for p, n in fetched.items() if n > 1] == []  # no page fetched twice either


def test_a_killed_worker_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, site_1000: TestServer, shared: Shared, pg_dsn: str
) -> None:
    config = write_shared_config(
        tmp_path, site_1000.url, shared, sink="postgres", dsn=pg_dsn, lease=2.0
    )
    crawl = start("crawl", "--quiet", "--config", str(config), cwd=tmp_path)
    workers = start_workers(config, 4)
    wait_for(lambda: len(records_in_pg(pg_dsn)) >= 200)
    victim = workers[0]
    os.kill(victim.pid, signal.SIGKILL)
    assert finish(victim)[0] == -signal.SIGKILL
    for worker in workers[1:]:
        code, err = finish(worker)
        assert code == 0, err
    code, err = finish(crawl)
    assert code == 0, err
    _assert_exactly_once(pg_dsn, site_1000)
