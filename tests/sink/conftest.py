"""Fixtures for the sink tests: a Backend per sink, and a throwaway PostgreSQL database.

PostgreSQL: the server at $SCRAPER_TEST_PG_ADMIN_DSN (default 127.0.0.1:5432, user
postgres). One database ``scraper_test_<random>`` is created per test session and dropped at
its end; each test starts without tables. Tests needing it skip when no server answers.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sink_support import (
    Backend,
    jsonl_backend,
    postgres_backend,
    sqlite_backend,
    stdout_backend,
)

ADMIN_DSN = os.environ.get(
    "SCRAPER_TEST_PG_ADMIN_DSN",
    "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3",
)
STORING = ["jsonl", "sqlite", "postgres"]  # sinks that keep records: has(), reopen
ALL = [*STORING, "stdout"]


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """The DSN of a fresh database for this session, dropped at its end."""
    psycopg = pytest.importorskip("psycopg", reason="the postgres sink needs psycopg 3")
    from psycopg import sql

    try:
        admin = psycopg.connect(ADMIN_DSN, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server answers at {ADMIN_DSN!r} ({exc})")
    name = f"scraper_test_{secrets.token_hex(6)}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield psycopg.conninfo.make_conninfo(ADMIN_DSN, dbname=name)
        finally:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            admin.execute(drop.format(sql.Identifier(name)))


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
