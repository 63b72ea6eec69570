"""Fixtures for the sink tests: a Backend per sink, and a throwaway PostgreSQL database.

PostgreSQL: the server at $SCRAPER_TEST_PG_ADMIN_DSN (default 127.0.0.1:5432, user
postgres). One database ``scraper_test_<random>`` is created per test session and dropped at
its end; each test starts without tables. Tests needing it skip when no server answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_support import fresh_database
from sink_support import (
    Backend,
    jsonl_backend,
    postgres_backend,
    sqlite_backend,
    stdout_backend,
)

STORING = ["jsonl", "sqlite", "postgres"]  # sinks that keep records: has(), reopen
ALL = [*STORING, "stdout"]


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """The DSN of a fresh database for this session, dropped at its end."""
    with fresh_database("scraper_test") as dsn:
        yield dsn


@pytest.fixture
def pg_dsn(pg_database: str) -> Iterator[str]:
    """The session database, emptied of the sink's tables after the test."""
    import psycopg

    yield pg_database
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS records, schema_migrations")


def _backend(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """The Backend called name, in tmp_path (or the test database)."""
    if name == "jsonl":
        return jsonl_backend(tmp_path / "out")
    if name == "sqlite":
        return sqlite_backend(tmp_path / "records.db")
    if name == "postgres":
        return postgres_backend(request.getfixturevalue("pg_dsn"))
    return stdout_backend()


@pytest.fixture(params=ALL)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Every sink."""
    return _backend(request.param, request, tmp_path)


@pytest.fixture(params=STORING)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Every sink that keeps records (all but stdout)."""
    return _backend(request.param, request, tmp_path)
