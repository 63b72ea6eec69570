"""Standard-output sink: JSON Lines on a stream, for piping into jq, a queue or a loader.

It stores nothing, so ``has()`` is always False and writing a record twice prints it twice:
deduplicate downstream by ``id``. Lines are the JSONL sink's lines (UTF-8 whatever the
locale); ``commit()`` flushes the stream.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, BinaryIO

from scraper.errors import SinkError
from scraper.sink.base import Sink
from scraper.sink.document import encode_line, record_id

__all__ = ["StdoutSink"]


class StdoutSink(Sink):
    """Print each record as one JSON line.

    Args:
        stream: a binary stream; standard output's byte stream when None.

    Example:
        >>> with StdoutSink() as sink:  # doctest: +SKIP
        ...     sink.write(record)
    """

    def __init__(self, stream: BinaryIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stdout.buffer
        self._closed = False

    def write(self, record: Mapping[str, Any]) -> None:
        """Print the record as one line (every time: nothing is remembered)."""
        self._check_open()
        record_id(record)  # the same records as every other sink: refuse one without an id
        try:
            self._stream.write(encode_line(record))
        except OSError as exc:
            raise SinkError(f"standard output: cannot write a record ({exc})") from exc

    def commit(self) -> None:
        """Flush the stream, so the reader has every record printed so far."""
        self._check_open()
        try:
            self._stream.flush()
        except OSError as exc:
            raise SinkError(f"standard output: cannot flush ({exc})") from exc

    def has(self, record_id: str) -> bool:
        """Always False: a stream keeps no records to look up."""
        return False

    def close(self) -> None:
        """Flush; the stream itself is left open (it is not ours)."""
        if not self._closed:
            self.commit()
            self._closed = True

    def _check_open(self) -> None:
        """Refuse to work after close()."""
        if self._closed:
            raise SinkError("the stdout sink is closed; open a new one")
