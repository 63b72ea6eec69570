"""Helpers for the sink tests: records built from real Articles, and one Backend per sink.

A Backend opens its sink and reads back what the sink stored by its own means (the files,
sqlite3, psycopg), so the contract suite checks the store, not the sink's word for it.
Named sink_support because test folders have no __init__.py (module names must be unique).
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scraper.models import Article, Metadata, PageType
from scraper.sink import JsonlSink, Sink, SqliteSink, StdoutSink

HASH = "sha256:" + "0" * 64


def make_record(
    url: str = "https://example.com/2024/01/02/a-story",
    *,
    canonical_url: str | None = "https://example.com/a-story",
    revision: int = 1,
    text: str = "First paragraph of the story.\n\nSecond paragraph.",
    title: str = "A story",
) -> dict[str, Any]:
    """A crawl record: Article.to_dict() plus an id (of url, revision, text) and crawl."""
    article = Article(
        url=url,
        text=text,
        markdown=text,
        metadata=Metadata(
            title=title,
            canonical_url=canonical_url,
            published="2024-01-02",
            site_name="Example News",
        ),
        page_type=PageType.ARTICLE,
        page_type_confidence=0.9,
        content_hash=HASH,
        html_hash=HASH,
        extractor_name="scraper",
        extractor_version="0.1.0",
    )
    digest = hashlib.sha256(f"{url}\n{revision}\n{text}".encode("utf-8", "surrogatepass"))
    crawl = {
        "source": "example-news",
        "fetched_at": "2024-01-02T10:00:00+00:00",
        "revision": revision,
        "status": 200,
        "final_url": url,
        "duplicate_urls": [],
    }
    return {"id": f"sha256:{digest.hexdigest()}", **article.to_dict(), "crawl": crawl}


@dataclass
class Backend:
    """One sink under test: how to open it and how to read what it stored."""

    name: str
    open: Callable[[], Sink]
    stored: Callable[[], list[dict[str, Any]]]
    one_row_per_page: bool  # SQL sinks upsert by page; files append every revision
    keeps_nul: bool = True  # PostgreSQL stores U+0000 as U+FFFD


def jsonl_backend(folder: Path) -> Backend:
    """The JSONL sink in folder; stored() parses every line of every file (strict UTF-8)."""

    def stored() -> list[dict[str, Any]]:
        return [
            json.loads(line)
            for path in sorted(folder.glob("records-*.jsonl"))
            for line in path.read_bytes().decode("utf-8").splitlines()
        ]

    return Backend("jsonl", lambda: JsonlSink(folder), stored, one_row_per_page=False)


def sqlite_backend(path: Path) -> Backend:
    """The SQLite sink at path; stored() reads the documents with a separate connection."""

    def stored() -> list[dict[str, Any]]:
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT document FROM records ORDER BY key").fetchall()
        db.close()
        return [json.loads(document) for (document,) in rows]

    return Backend("sqlite", lambda: SqliteSink(path), stored, one_row_per_page=True)


def postgres_backend(dsn: str) -> Backend:
    """The PostgreSQL sink at dsn; stored() reads the JSONB documents with psycopg."""
    import psycopg

    from scraper.sink.postgres import PostgresSink

    def stored() -> list[dict[str, Any]]:
        with psycopg.connect(dsn) as conn:
            rows = conn.execute("SELECT document::text FROM records ORDER BY key").fetchall()
        return [json.loads(document) for (document,) in rows]

    return Backend(
        "postgres", lambda: PostgresSink(dsn), stored, one_row_per_page=True, keeps_nul=False
    )


def stdout_backend() -> Backend:
    """The stdout sink on an in-memory stream; stored() parses the lines (strict UTF-8)."""
    stream = io.BytesIO()

    def stored() -> list[dict[str, Any]]:
        return [json.loads(line) for line in stream.getvalue().decode("utf-8").splitlines()]

    return Backend("stdout", lambda: StdoutSink(stream), stored, one_row_per_page=False)
