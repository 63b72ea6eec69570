"""Opening the sink that config.toml's ``[sink]`` section names (the sinks live in scraper.sink).

The crawl relies on the ``scraper.sink.Sink`` protocol: ``write`` is idempotent by
``record["id"]``, ``commit`` makes what was written durable, and ``has`` tells, after a crash,
whether a record arrived.
"""

from __future__ import annotations

from scraper.config import SinkConfig
from scraper.sink import Sink, open_sink

__all__ = ["open_configured_sink"]


def open_configured_sink(config: SinkConfig) -> Sink:
    """The sink of the ``[sink]`` section.

    Raises:
        SinkError: the sink cannot be opened; the message names what to fix.
    """
    if config.kind == "postgres":
        return open_sink(config.kind, dsn=config.dsn)
    if config.kind == "stdout":
        return open_sink(config.kind)
    return open_sink(config.kind, path=config.path)
