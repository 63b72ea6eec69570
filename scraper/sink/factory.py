"""``open_sink``: a sink by name, as config.toml and the CLI spell it."""

from __future__ import annotations

from pathlib import Path

from scraper.errors import SinkError
from scraper.sink.base import Sink
from scraper.sink.jsonl import DEFAULT_ROTATE_BYTES, JsonlSink
from scraper.sink.sqlite import SqliteSink
from scraper.sink.stdout import StdoutSink

__all__ = ["DEFAULT_SINK", "SINK_KINDS", "open_sink"]

DEFAULT_SINK = "jsonl"
SINK_KINDS = ("jsonl", "sqlite", "postgres", "stdout")  # what ``kind`` may be


def open_sink(
    kind: str,
    *,
    path: Path | None = None,
    dsn: str | None = None,
    rotate_bytes: int = DEFAULT_ROTATE_BYTES,
) -> Sink:
    """Open the sink called ``kind``.

    Args:
        kind: ``jsonl`` (files in the folder ``path``), ``sqlite`` (the database file
            ``path``), ``postgres`` (``dsn``, else $SCRAPER_PG_DSN, else $DATABASE_URL) or
            ``stdout``.
        path: the output folder (jsonl) or database file (sqlite).
        dsn: the PostgreSQL connection string (postgres).
        rotate_bytes: the size at which the jsonl sink starts a new file.

    Returns:
        An open sink; use it as a context manager so it is committed and closed.

    Raises:
        SinkError: unknown kind, missing path or DSN, or the sink could not be opened.

    Example:
        >>> with open_sink("jsonl", path=Path("out")) as sink:  # doctest: +SKIP
        ...     sink.write(record)
    """
    if kind == "jsonl":
        return JsonlSink(_need_path(kind, path), rotate_bytes=rotate_bytes)
    if kind == "sqlite":
        return SqliteSink(_need_path(kind, path))
    if kind == "postgres":
        return _postgres(dsn)
    if kind == "stdout":
        return StdoutSink()
    raise SinkError(f"unknown sink {kind!r}: use one of {', '.join(SINK_KINDS)}")


def _need_path(kind: str, path: Path | None) -> Path:
    """path, or an error saying the sink needs one."""
    if path is None:
        what = "an output folder" if kind == "jsonl" else "a database file"
        raise SinkError(f"the {kind} sink needs {what}: give path=...")
    return path


def _postgres(dsn: str | None) -> Sink:
    """A PostgresSink, importing psycopg only when asked for one."""
    try:
        from scraper.sink.postgres import PostgresSink
    except ImportError as exc:
        raise SinkError(
            f"the postgres sink needs psycopg 3 ({exc}): pip install 'scraper[postgres]'"
        ) from exc
    return PostgresSink(dsn)
