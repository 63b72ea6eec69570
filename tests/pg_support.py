"""A throwaway PostgreSQL database for the tests that store into PostgreSQL.

The server is $SCRAPER_TEST_PG_ADMIN_DSN (default 127.0.0.1:5432, user postgres); a test (or
session) that asks for a database skips, saying why, when none answers or psycopg is missing.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

ADMIN_DSN = os.environ.get(
    "SCRAPER_TEST_PG_ADMIN_DSN",
    "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3",
)


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """The DSN of a new database ``<prefix>_<random>``, dropped when the block ends."""
    psycopg = pytest.importorskip("psycopg", reason="the postgres sink needs psycopg 3")
    from psycopg import sql

    try:
        admin = psycopg.connect(ADMIN_DSN, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server answers at {ADMIN_DSN!r} ({exc})")
    name = f"{prefix}_{secrets.token_hex(6)}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield psycopg.conninfo.make_conninfo(ADMIN_DSN, dbname=name)
        finally:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            admin.execute(drop.format(sql.Identifier(name)))
