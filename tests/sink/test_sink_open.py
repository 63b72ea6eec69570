"""open_sink: a sink by name, and clear errors for a wrong name or a missing path."""

from __future__ import annotations

from pathlib import Path

import pytest

import scraper.sink
from scraper.errors import SinkError
from scraper.sink import JsonlSink, SqliteSink, StdoutSink, open_sink


def test_public_api_is_pinned() -> None:
    assert scraper.sink.__all__ == [
        "DEFAULT_ROTATE_BYTES",
        "DEFAULT_SINK",
        "SINK_KINDS",
        "JsonlSink",
        "Sink",
        "SqliteSink",
        "StdoutSink",
        "open_sink",
    ]


@pytest.mark.parametrize(
    ("kind", "path", "expected"),
    [
        ("jsonl", "out", JsonlSink),
        ("sqlite", "records.db", SqliteSink),
        ("stdout", None, StdoutSink),
    ],
)
def test_kind_opens_its_sink(tmp_path: Path, kind: str, path: str | None, expected: type) -> None:
    with open_sink(kind, path=tmp_path / path if path else None) as sink:
        assert isinstance(sink, expected)


def test_jsonl_rotate_bytes_is_passed_on(tmp_path: Path) -> None:
    with open_sink("jsonl", path=tmp_path, rotate_bytes=10) as sink:
        sink.write({"id": "a"})
        sink.write({"id": "b"})
    assert len(list(tmp_path.glob("records-*.jsonl"))) == 2


def test_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(SinkError, match="unknown sink 'csv': use one of jsonl, sqlite"):
        open_sink("csv")


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_file_sinks_need_a_path(kind: str) -> None:
    with pytest.raises(SinkError, match=f"the {kind} sink needs .*path="):
        open_sink(kind)


def test_rotate_bytes_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(SinkError, match="rotate_bytes must be a positive"):
        open_sink("jsonl", path=tmp_path, rotate_bytes=0)
