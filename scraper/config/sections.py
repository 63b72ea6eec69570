"""The config.toml sections, one frozen dataclass each, every key with its default and rule.

``[fetch]`` is how the fetcher talks to the web; ``[crawl]`` where the crawl keeps its state;
``[sink]`` where records go; ``[[sources]]`` (a list) what to crawl; ``[serve]`` how the HTTP API
guards itself. Adding a key is adding a field with ``setting(default, expect, convert)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from scraper.config.rules import (
    as_bool,
    networks,
    non_negative_int,
    non_negative_seconds,
    optional_path,
    optional_text,
    path,
    positive_int,
    positive_seconds,
    regexes,
    setting,
    text,
    text_list,
    validate,
)
from scraper.config.schedule import DEFAULT_SCHEDULE, Schedule, parse_schedule

__all__ = [
    "DEFAULT_ALLOWED_NETWORKS",
    "DEFAULT_ALLOW_PRIVATE_ADDRESSES",
    "DEFAULT_CONCURRENCY",
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
    "SINK_KINDS",
    "Config",
    "CrawlConfig",
    "FetchConfig",
    "FrontierConfig",
    "ServeConfig",
    "SinkConfig",
    "SourceConfig",
]

# A clear User-Agent with a contact URL: site owners can see who we are and reach us.
DEFAULT_USER_AGENT = "scraper/0.1 (+https://github.com/scraper/scraper)"
DEFAULT_TIMEOUT = 30.0  # seconds for connect, for each read, and for one attempt (x2)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # a page body, compressed or decompressed
DEFAULT_RETRIES = 3  # retries after the first attempt, on transient failures only
DEFAULT_RETRY_BACKOFF = 0.5  # seconds before the first retry; doubles, with jitter
DEFAULT_CONCURRENCY = 16  # requests in flight, all hosts together
DEFAULT_PER_HOST_CONCURRENCY = 2  # requests in flight to one host
DEFAULT_PER_HOST_DELAY = 1.0  # seconds between request starts to one host
DEFAULT_RESPECT_ROBOTS = True
DEFAULT_ALLOW_PRIVATE_ADDRESSES = False  # refuse loopback/private/link-local targets (SSRF)
DEFAULT_ALLOWED_NETWORKS: tuple[str, ...] = ()  # CIDRs allowed even when private

DEFAULT_STATE_PATH = Path("state/crawl.sqlite")  # frontier and per-URL state, one SQLite file
DEFAULT_WORKERS = 8  # pages handled at once by a crawl (the fetcher's own limits still apply)
DEFAULT_EXTRACT_PROCESSES = 0  # 0: one fewer than the machine's cores, at least one (pool.py)
DEFAULT_WARC: Path | None = None  # no raw capture unless a folder is named
FRONTIER_KINDS: Final = ("sqlite", "redis")
DEFAULT_FRONTIER_KIND = "sqlite"  # the embedded default: [crawl] state, one machine
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_FRONTIER_PREFIX = "scraper"  # Redis key prefix: two crawls on one Redis use two prefixes
DEFAULT_LEASE = 60.0  # seconds a worker holds a URL without renewing it before others may take it
SINK_KINDS: Final = ("jsonl", "sqlite", "postgres", "stdout")
DEFAULT_SINK_KIND = "jsonl"
DEFAULT_SINK_PATH = Path("out")  # a folder for jsonl, a file for sqlite
DEFAULT_MAX_DEPTH = 3  # link hops from a seed
DEFAULT_MAX_PAGES = 500  # fetches per source per run, 304s included
DEFAULT_DISCOVER = True  # read the sitemaps robots.txt lists and the feeds seed pages announce

# [serve]: the HTTP API takes URLs and HTML from clients it does not know, so every bound is on.
DEFAULT_SERVE_MAX_BODY_BYTES = 5 * 1024 * 1024  # a request body: one page of HTML and then some
DEFAULT_SERVE_RATE_LIMIT = 120  # requests per minute per client address (0: no limit)
DEFAULT_SERVE_CONCURRENCY = 8  # extraction requests in flight per server process; more get 503
DEFAULT_SERVE_TIMEOUT = 30.0  # seconds one request may take, fetch and extraction together
DEFAULT_SERVE_BATCH_MAX = 20  # URLs in one POST /extract/batch
DEFAULT_SERVE_EXTRACT_PROCESSES = 2  # extraction worker processes per server process (2 cores)


@dataclass(frozen=True)
class FetchConfig:
    """The ``[fetch]`` section: how the fetcher talks to the web."""

    user_agent: str = setting(DEFAULT_USER_AGENT, "a non-empty string", text)
    timeout: float = setting(DEFAULT_TIMEOUT, "a number of seconds > 0", positive_seconds)
    max_bytes: int = setting(DEFAULT_MAX_BYTES, "a whole number of bytes >= 1", positive_int)
    retries: int = setting(DEFAULT_RETRIES, "a whole number >= 0", non_negative_int)
    retry_backoff: float = setting(
        DEFAULT_RETRY_BACKOFF, "a number of seconds >= 0", non_negative_seconds
    )
    concurrency: int = setting(DEFAULT_CONCURRENCY, "a whole number >= 1", positive_int)
    per_host_concurrency: int = setting(
        DEFAULT_PER_HOST_CONCURRENCY, "a whole number >= 1", positive_int
    )
    per_host_delay: float = setting(
        DEFAULT_PER_HOST_DELAY, "a number of seconds >= 0", non_negative_seconds
    )
    respect_robots: bool = setting(DEFAULT_RESPECT_ROBOTS, "true or false", as_bool)
    allow_private_addresses: bool = setting(
        DEFAULT_ALLOW_PRIVATE_ADDRESSES, "true or false", as_bool
    )
    allowed_networks: tuple[str, ...] = setting(
        DEFAULT_ALLOWED_NETWORKS, 'a list of networks such as ["10.1.0.0/16"]', networks
    )

    def __post_init__(self) -> None:
        """Validate values given in code too, with the same rules as the file."""
        validate("fetch", self)


@dataclass(frozen=True)
class CrawlConfig:
    """The ``[crawl]`` section: where the frontier and state live, how many pages at once,
    and where raw responses are captured (``warc``: a folder of WARC files; None: off)."""

    state: Path = setting(DEFAULT_STATE_PATH, 'a file path such as "state/crawl.sqlite"', path)
    workers: int = setting(DEFAULT_WORKERS, "a whole number >= 1", positive_int)
    extract_processes: int = setting(
        DEFAULT_EXTRACT_PROCESSES,
        "a whole number >= 0 (0: one fewer than the machine's cores)",
        non_negative_int,
    )
    warc: Path | None = setting(
        DEFAULT_WARC, 'a folder such as "warc", or "" for no capture', optional_path
    )

    def __post_init__(self) -> None:
        """Validate values given in code too."""
        validate("crawl", self)


def _frontier_kind(value: object) -> str:
    """One of FRONTIER_KINDS."""
    if value not in FRONTIER_KINDS:
        raise ValueError(value)
    return str(value)


def _redis_url(value: object) -> str:
    """A redis:// or rediss:// URL."""
    if not isinstance(value, str) or not value.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(value)
    return value


@dataclass(frozen=True)
class FrontierConfig:
    """The ``[frontier]`` section: where the queue and per-URL state live.

    ``sqlite`` (default) keeps them in ``[crawl] state`` for one machine. ``redis`` shares
    them between ``scraper worker`` processes on any number of machines: the queue, leases,
    per-host politeness and the per-URL state live in the Redis at ``url``, under ``prefix``.
    """

    kind: str = setting(
        DEFAULT_FRONTIER_KIND, "one of " + ", ".join(FRONTIER_KINDS), _frontier_kind
    )
    url: str = setting(DEFAULT_REDIS_URL, 'a Redis URL such as "redis://host:6379/0"', _redis_url)
    prefix: str = setting(DEFAULT_FRONTIER_PREFIX, "a non-empty string", text)
    lease: float = setting(DEFAULT_LEASE, "a number of seconds > 0", positive_seconds)

    def __post_init__(self) -> None:
        """Validate values given in code too."""
        validate("frontier", self)


def _sink_kind(value: object) -> str:
    """One of SINK_KINDS."""
    if value not in SINK_KINDS:
        raise ValueError(value)
    return str(value)


@dataclass(frozen=True)
class SinkConfig:
    """The ``[sink]`` section: where records go (``dsn`` only for postgres)."""

    kind: str = setting(DEFAULT_SINK_KIND, "one of " + ", ".join(SINK_KINDS), _sink_kind)
    path: Path = setting(DEFAULT_SINK_PATH, "a path (a folder for jsonl, a file for sqlite)", path)
    dsn: str | None = setting(None, 'a PostgreSQL URL such as "postgresql://..."', optional_text)

    def __post_init__(self) -> None:
        """Validate values given in code too."""
        validate("sink", self)


@dataclass(frozen=True)
class SourceConfig:
    """One ``[[sources]]`` entry: where a crawl starts and which links it follows.

    ``follow`` and ``deny`` are regular expressions searched in each link's normalised URL:
    a link is followed when it matches one of ``follow`` (or ``follow`` is empty), none of
    ``deny``, and, with ``same_site``, shares a registered domain with a seed. With
    ``discover``, the sitemaps of each seed's robots.txt and the feeds each seed page announces
    are read like ``sitemaps`` and ``feeds``.
    """

    name: str = setting("", "a non-empty string", text)
    seeds: tuple[str, ...] = setting((), "a list of URLs", text_list)
    sitemaps: tuple[str, ...] = setting((), "a list of sitemap URLs", text_list)
    feeds: tuple[str, ...] = setting((), "a list of RSS/Atom feed URLs", text_list)
    follow: tuple[str, ...] = setting((), "a list of regular expressions", regexes)
    deny: tuple[str, ...] = setting((), "a list of regular expressions", regexes)
    same_site: bool = setting(True, "true or false", as_bool)
    discover: bool = setting(DEFAULT_DISCOVER, "true or false", as_bool)
    max_depth: int = setting(DEFAULT_MAX_DEPTH, "a whole number >= 0", non_negative_int)
    max_pages: int = setting(DEFAULT_MAX_PAGES, "a whole number >= 1", positive_int)
    schedule: Schedule = setting(
        parse_schedule(DEFAULT_SCHEDULE),
        'an interval such as "every 30m" or "every 6h", or a cron expression',
        parse_schedule,
    )

    def __post_init__(self) -> None:
        """Validate values given in code too."""
        validate("sources", self)


@dataclass(frozen=True)
class ServeConfig:
    """The ``[serve]`` section: the limits of ``scraper serve`` and whom it may fetch for.

    The address guard of the API is its own (``allow_private_addresses``, ``allowed_networks``
    here, not [fetch]'s): an intranet crawl's [fetch] allowance must not let anonymous API
    clients reach the intranet.
    """

    token: str | None = setting(None, "a non-empty string (a bearer token)", optional_text)
    max_body_bytes: int = setting(
        DEFAULT_SERVE_MAX_BODY_BYTES, "a whole number of bytes >= 1", positive_int
    )
    rate_limit: int = setting(
        DEFAULT_SERVE_RATE_LIMIT, "a whole number of requests per minute >= 0", non_negative_int
    )
    concurrency: int = setting(DEFAULT_SERVE_CONCURRENCY, "a whole number >= 1", positive_int)
    timeout: float = setting(DEFAULT_SERVE_TIMEOUT, "a number of seconds > 0", positive_seconds)
    batch_max: int = setting(DEFAULT_SERVE_BATCH_MAX, "a whole number >= 1", positive_int)
    extract_processes: int = setting(
        DEFAULT_SERVE_EXTRACT_PROCESSES, "a whole number >= 1", positive_int
    )
    allow_private_addresses: bool = setting(
        DEFAULT_ALLOW_PRIVATE_ADDRESSES, "true or false", as_bool
    )
    allowed_networks: tuple[str, ...] = setting(
        DEFAULT_ALLOWED_NETWORKS, 'a list of networks such as ["10.1.0.0/16"]', networks
    )

    def __post_init__(self) -> None:
        """Validate values given in code too."""
        validate("serve", self)


@dataclass(frozen=True)
class Config:
    """The whole configuration: one field per config.toml section (``sources`` is a list)."""

    fetch: FetchConfig = field(default_factory=FetchConfig)
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    frontier: FrontierConfig = field(default_factory=FrontierConfig)
    sink: SinkConfig = field(default_factory=SinkConfig)
    sources: tuple[SourceConfig, ...] = ()
    serve: ServeConfig = field(default_factory=ServeConfig)
