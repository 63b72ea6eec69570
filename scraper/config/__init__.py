"""Typed configuration: one frozen dataclass per config.toml section; defaults < file < flags.

Each section's keys, their defaults and what values they accept are data (sections.py): a
dataclass field carries a ``Rule`` (rules.py). The loader (loader.py), the dataclass itself and
the CLI overrides all validate through those same rules, so an error reads the same wherever
the value came from:

    config.toml:12: fetch.timeout must be a number of seconds > 0, got 'fast'

Adding a section: write a frozen dataclass whose fields use ``setting(default, expect,
convert)``, add a field of that type to ``Config`` and a row to the loader's tables.
"""

from __future__ import annotations

from scraper.config.loader import DEFAULT_CONFIG_PATH, SECTION_NAMES, load_config, with_overrides
from scraper.config.schedule import DEFAULT_SCHEDULE, Schedule, parse_schedule
from scraper.config.sections import (
    DEFAULT_ALLOW_PRIVATE_ADDRESSES,
    DEFAULT_ALLOWED_NETWORKS,
    DEFAULT_CONCURRENCY,
    DEFAULT_DISCOVER,
    DEFAULT_EXTRACT_PROCESSES,
    DEFAULT_FRONTIER_KIND,
    DEFAULT_FRONTIER_PREFIX,
    DEFAULT_LEASE,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_PAGES,
    DEFAULT_PER_HOST_CONCURRENCY,
    DEFAULT_PER_HOST_DELAY,
    DEFAULT_REDIS_URL,
    DEFAULT_RESPECT_ROBOTS,
    DEFAULT_RETRIES,
    DEFAULT_RETRY_BACKOFF,
    DEFAULT_SERVE_BATCH_MAX,
    DEFAULT_SERVE_CONCURRENCY,
    DEFAULT_SERVE_EXTRACT_PROCESSES,
    DEFAULT_SERVE_MAX_BODY_BYTES,
    DEFAULT_SERVE_RATE_LIMIT,
    DEFAULT_SERVE_TIMEOUT,
    DEFAULT_SINK_KIND,
    DEFAULT_SINK_PATH,
    DEFAULT_STATE_PATH,
    DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
    DEFAULT_WARC,
    DEFAULT_WORKERS,
    FRONTIER_KINDS,
    SINK_KINDS,
    Config,
    CrawlConfig,
    FetchConfig,
    FrontierConfig,
    ServeConfig,
    SinkConfig,
    SourceConfig,
)

__all__ = [
    "DEFAULT_ALLOWED_NETWORKS",
    "DEFAULT_ALLOW_PRIVATE_ADDRESSES",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_CONFIG_PATH",
    "DEFAULT_DISCOVER",
    "DEFAULT_EXTRACT_PROCESSES",
    "DEFAULT_FRONTIER_KIND",
    "DEFAULT_FRONTIER_PREFIX",
    "DEFAULT_LEASE",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_PAGES",
    "DEFAULT_PER_HOST_CONCURRENCY",
    "DEFAULT_PER_HOST_DELAY",
    "DEFAULT_REDIS_URL",
    "DEFAULT_RESPECT_ROBOTS",
    "DEFAULT_RETRIES",
    "DEFAULT_RETRY_BACKOFF",
    "DEFAULT_SCHEDULE",
    "DEFAULT_SERVE_BATCH_MAX",
    "DEFAULT_SERVE_CONCURRENCY",
    "DEFAULT_SERVE_EXTRACT_PROCESSES",
    "DEFAULT_SERVE_MAX_BODY_BYTES",
    "DEFAULT_SERVE_RATE_LIMIT",
    "DEFAULT_SERVE_TIMEOUT",
    "DEFAULT_SINK_KIND",
    "DEFAULT_SINK_PATH",
    "DEFAULT_STATE_PATH",
    "DEFAULT_TIMEOUT",
    "DEFAULT_USER_AGENT",
    "DEFAULT_WARC",
    "DEFAULT_WORKERS",
    "FRONTIER_KINDS",
    "SECTION_NAMES",
    "SINK_KINDS",
    "Config",
    "CrawlConfig",
    "FetchConfig",
    "FrontierConfig",
    "Schedule",
    "ServeConfig",
    "SinkConfig",
    "SourceConfig",
    "load_config",
    "parse_schedule",
    "with_overrides",
]
