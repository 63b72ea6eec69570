"""The one interface every sink implements: write, commit, has, close.

The crawl's contract with a sink (STYLE.md, "Typed at every arrow"): a URL is marked done
only after ``commit()`` returns, so a crash loses at most the records written since the last
commit, and the crawl writes them again; ``write`` being idempotent by ``id`` makes that safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Protocol, Self

__all__ = ["Sink"]


class Sink(Protocol):
    """Where records go.

    A record is a JSON-ready mapping: the extraction record (``Article.to_dict()``) plus a
    stable string ``"id"`` and a ``"crawl"`` object; keys a sink does not know are stored
    as opaque JSON. Implementations subclass this Protocol to inherit the context manager:
    leaving the ``with`` block calls ``close()``, which commits.

    Example:
        >>> with open_sink("jsonl", path=Path("out")) as sink:  # doctest: +SKIP
        ...     sink.write(record)
        ...     sink.commit()
    """

    def write(self, record: Mapping[str, Any]) -> None:
        """Store one record; a record whose ``id`` is already stored stores nothing new.

        Raises:
            InvalidRecordError: the record has no string ``id`` or is not JSON.
            SinkError: the store refused the write (disk full, database gone, closed sink).
        """
        ...

    def commit(self) -> None:
        """Make every record written so far durable (fsync for files, COMMIT for databases).

        Raises:
            SinkError: the store could not make the records durable.
        """
        ...

    def has(self, record_id: str) -> bool:
        """True when a record with this ``id`` is stored (written, committed or not)."""
        ...

    def close(self) -> None:
        """Commit, then release files and connections; closing twice is harmless."""
        ...

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
