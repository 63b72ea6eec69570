"""Sinks: where crawl records go. One ``Sink`` protocol; jsonl, sqlite, postgres, stdout.

``open_sink(kind, path=..., dsn=...)`` opens one by name. Every sink stores the record as
``document.dumps_record`` renders it (stable key order, valid UTF-8); ``record.schema.json``
is the record's JSON Schema.
"""

from __future__ import annotations

from scraper.sink.base import Sink
from scraper.sink.factory import DEFAULT_SINK, SINK_KINDS, open_sink
from scraper.sink.jsonl import DEFAULT_ROTATE_BYTES, JsonlSink
from scraper.sink.sqlite import SqliteSink
from scraper.sink.stdout import StdoutSink

__all__ = [
    "DEFAULT_ROTATE_BYTES",
    "DEFAULT_SINK",
    "SINK_KINDS",
    "JsonlSink",
    "Sink",
    "SqliteSink",
    "StdoutSink",
    "open_sink",
]
