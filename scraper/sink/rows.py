"""A record as a database row: the upsert key, the revision and the indexed columns.

Shared by the SQL sinks so SQLite and PostgreSQL agree on what "the same page" means.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scraper.sink.document import dumps_record, record_id, utf8_safe

__all__ = ["Row", "row_of"]


@dataclass(frozen=True)
class Row:
    """The columns of the records table for one record.

    ``key`` is what upserts match on: the canonical URL, else the URL, else the id (a
    record with neither URL is its own page). ``revision`` is ``crawl.revision`` (0 when
    the record has none); a row is replaced only by a record of the same or a newer one.
    """

    key: str
    id: str
    revision: int
    url: str | None
    canonical_url: str | None
    published: str | None
    site_name: str | None
    document: str  # document.dumps_record(record)


def row_of(record: Mapping[str, Any]) -> Row:
    """The row for a record.

    Raises:
        InvalidRecordError: no string ``id``, or a value JSON cannot carry.
    """
    rid = record_id(record)
    url = _text(record.get("url"))
    canonical_url = _text(record.get("canonical_url"))
    return Row(
        key=canonical_url or url or rid,
        id=rid,
        revision=_revision(record.get("crawl")),
        url=url,
        canonical_url=canonical_url,
        published=_text(record.get("published")),
        site_name=_text(record.get("site_name")),
        document=dumps_record(record),
    )


def _text(value: object) -> str | None:
    """value (UTF-8 safe) when it is a non-empty string, else None (the column stays empty)."""
    return utf8_safe(value) if isinstance(value, str) and value else None


def _revision(crawl: object) -> int:
    """crawl["revision"] when it is an integer, else 0."""
    if not isinstance(crawl, Mapping):
        return 0
    revision = crawl.get("revision")
    if isinstance(revision, int) and not isinstance(revision, bool):
        return revision
    return 0
