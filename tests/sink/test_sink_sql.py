"""The SQL sinks beyond the contract: WAL, indexes, migrations, the PostgreSQL DSN."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sink_support import make_record

from scraper.errors import SinkError
from scraper.sink import SqliteSink

INDEXED = {"id", "url", "canonical_url", "published", "site_name"}


def test_sqlite_database_is_in_wal_mode(tmp_path: Path) -> None:
    SqliteSink(tmp_path / "records.db").close()
    with sqlite3.connect(tmp_path / "records.db") as db:
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    db.close()
    assert mode == "wal"


def test_sqlite_indexes_the_lookup_columns(tmp_path: Path) -> None:
    SqliteSink(tmp_path / "records.db").close()
    with sqlite3.connect(tmp_path / "records.db") as db:
        names = [row[1] for row in db.execute("PRAGMA index_list(records)")]
        columns = {db.execute(f"PRAGMA index_info({name})").fetchone()[2] for name in names}
    db.close()
    assert columns >= INDEXED


def test_sqlite_reopen_does_not_migrate_twice(tmp_path: Path) -> None:
    for _ in range(2):
        with SqliteSink(tmp_path / "records.db") as sink:
            sink.write(make_record())
    with sqlite3.connect(tmp_path / "records.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    db.close()


def test_sqlite_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    (tmp_path / "records.db").write_bytes(b"this is not a SQLite database file" * 100)
    with pytest.raises(SinkError, match="cannot open as a SQLite records database"):
        SqliteSink(tmp_path / "records.db")


def test_postgres_records_its_migration_once(pg_dsn: str) -> None:
    import psycopg

    from scraper.sink.postgres import PostgresSink

    PostgresSink(pg_dsn).close()
    PostgresSink(pg_dsn).close()
    with psycopg.connect(pg_dsn) as conn:
        versions = conn.execute("SELECT version FROM schema_migrations").fetchall()
    assert versions == [(1,)]


def test_postgres_indexes_the_lookup_columns(pg_dsn: str) -> None:
    import psycopg

    from scraper.sink.postgres import PostgresSink

    PostgresSink(pg_dsn).close()
    query = "SELECT indexdef FROM pg_indexes WHERE tablename = 'records'"
    with psycopg.connect(pg_dsn) as conn:
        definitions = " ".join(row[0] for row in conn.execute(query).fetchall())
    assert all(f"({column})" in definitions for column in INDEXED)


def test_postgres_document_is_jsonb(pg_dsn: str) -> None:
    import psycopg

    from scraper.sink.postgres import PostgresSink

    with PostgresSink(pg_dsn) as sink:
        sink.write(make_record())
    with psycopg.connect(pg_dsn) as conn:
        found = conn.execute("SELECT document->'crawl'->>'revision' FROM records").fetchone()
    assert found == ("1",)


@pytest.mark.parametrize("variable", ["SCRAPER_PG_DSN", "DATABASE_URL"])
def test_postgres_dsn_comes_from_the_environment(
    pg_dsn: str, variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scraper.sink import open_sink

    monkeypatch.delenv("SCRAPER_PG_DSN", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv(variable, pg_dsn)
    with open_sink("postgres") as sink:
        sink.write(make_record())
        assert sink.has(make_record()["id"])


def test_postgres_without_a_dsn_says_where_to_put_one(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("psycopg", reason="the postgres sink needs psycopg 3")
    from scraper.sink import open_sink

    monkeypatch.delenv("SCRAPER_PG_DSN", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(SinkError, match="set SCRAPER_PG_DSN or DATABASE_URL"):
        open_sink("postgres")


def test_postgres_unreachable_server_is_a_sink_error() -> None:
    pytest.importorskip("psycopg", reason="the postgres sink needs psycopg 3")
    from scraper.sink.postgres import PostgresSink

    dsn = "postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2"
    with pytest.raises(SinkError, match=r"nobody@127\.0\.0\.1:1/none") as caught:
        PostgresSink(dsn)
    assert "secret" not in str(caught.value)
