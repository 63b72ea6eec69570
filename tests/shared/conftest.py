"""Fixtures for the shared-frontier tests: a key prefix of the test's own on the Redis at
$SCRAPER_TEST_REDIS_URL (default redis://127.0.0.1:6379/15), deleted after the test, a
throwaway PostgreSQL database, and the loopback site.

Tests skip, saying why, where no Redis (or PostgreSQL) answers.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "reliability"))

from loopsite import pages, serve
from pg_support import fresh_database
from server import TestServer
from sharedrun import Shared

REDIS_URL = os.environ.get("SCRAPER_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def shared() -> Iterator[Shared]:
    """A fresh key prefix on the test Redis; its keys are deleted after the test."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis answers at {REDIS_URL} ({exc})")
    prefix = f"scraper-test-{secrets.token_hex(4)}"
    yield Shared(REDIS_URL, prefix)
    for key in client.scan_iter(f"{prefix}:*", count=1000):
        client.delete(key)
    client.close()


@pytest.fixture
def pg_dsn() -> Iterator[str]:
    """A fresh PostgreSQL database for the test, dropped after it."""
    with fresh_database("scraper_shared") as dsn:
        yield dsn


@pytest.fixture
def site_1000() -> Iterator[TestServer]:
    """The loopback news site with 1,000 articles (and 50 index pages)."""
    with TestServer(with_faults=False) as server:
        serve(server, pages(1000))
        yield server
