"""A record as stored text: one canonical JSON document, valid UTF-8, keys in a stable order.

Every sink stores the same text for the same record (the SQL sinks in a document column, the
file sinks as one line), so a record read back from any of them compares equal.

Key order: ``id`` first (the JSONL sink reads it back without parsing the whole line), then
the extraction record's keys in README order, then ``crawl``; keys we do not know follow,
sorted. ``crawl``'s own keys get the same treatment; other values are stored as given.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from scraper.errors import InvalidRecordError

__all__ = [
    "CRAWL_KEY_ORDER",
    "KEY_ORDER",
    "dumps_record",
    "encode_line",
    "record_id",
    "utf8_safe",
]

# The top-level keys in the order they are stored: id, the extraction record (README "The
# record"), then the crawl object. Pinned against record.schema.json by tests/sink.
KEY_ORDER: tuple[str, ...] = (
    "id",
    "schema_version",
    "url",
    "canonical_url",
    "title",
    "authors",
    "published",
    "modified",
    "language",
    "site_name",
    "description",
    "tags",
    "image",
    "image_caption",
    "text",
    "word_count",
    "page_type",
    "page_type_confidence",
    "content_hash",
    "html_hash",
    "extractor",
    "provenance",
    "crawl",
)

# The keys of record["crawl"], in the order they are stored.
CRAWL_KEY_ORDER: tuple[str, ...] = (
    "source",
    "fetched_at",
    "revision",
    "status",
    "final_url",
    "duplicate_urls",
)

_COMPACT = (",", ":")  # one record per line: no spaces to pay for


def record_id(record: Mapping[str, Any]) -> str:
    """The record's ``id``, checked, lone surrogates replaced as in the stored text.

    Raises:
        InvalidRecordError: ``id`` is missing, empty or not a string.
    """
    value = record.get("id")
    if not isinstance(value, str) or not value:
        raise InvalidRecordError(
            f"record for url {record.get('url')!r} has no usable 'id' (got {value!r}): "
            "set record['id'] to a stable non-empty string such as 'sha256:<hex>'"
        )
    return utf8_safe(value)


def dumps_record(record: Mapping[str, Any]) -> str:
    """The record as one line of compact JSON (no newline), keys in the stored order.

    Lone surrogates anywhere (text decoded with ``surrogateescape``, broken JSON escapes)
    become U+FFFD, and a valid high+low pair becomes the character it encodes, so the
    result always encodes to UTF-8.

    Raises:
        InvalidRecordError: a value JSON cannot carry (NaN, infinity, bytes, objects).

    >>> dumps_record({"text": "a", "id": "x"})
    '{"id":"x","text":"a"}'
    """
    try:
        text = json.dumps(
            _ordered(record, KEY_ORDER), ensure_ascii=False, allow_nan=False, separators=_COMPACT
        )
    except (TypeError, ValueError) as exc:
        raise InvalidRecordError(
            f"record {record.get('id')!r} cannot be stored as JSON ({exc}): "
            "give it only strings, numbers (finite), booleans, null, lists and objects"
        ) from exc
    return utf8_safe(text)


def encode_line(record: Mapping[str, Any]) -> bytes:
    """``dumps_record(record)`` plus a newline, as UTF-8 bytes: one JSON Lines line."""
    return (dumps_record(record) + "\n").encode("utf-8")


def _ordered(mapping: Mapping[Any, Any], order: tuple[str, ...]) -> dict[Any, Any]:
    """A copy of mapping with the known keys first, in order, and the others sorted."""
    known = [key for key in order if key in mapping]
    others = sorted((key for key in mapping if key not in order), key=str)
    ordered = {key: mapping[key] for key in [*known, *others]}
    crawl = ordered.get("crawl")
    if order is KEY_ORDER and isinstance(crawl, Mapping):
        ordered["crawl"] = _ordered(crawl, CRAWL_KEY_ORDER)
    return ordered


def utf8_safe(text: str) -> str:
    """text unchanged if it encodes to UTF-8, else with surrogates paired or replaced.

    A lone surrogate (``"caf\\udce9"``, from bytes decoded with ``surrogateescape``)
    becomes U+FFFD; a high surrogate followed by a low one becomes the character they encode.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text
