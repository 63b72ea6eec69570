"""What the ``scraper`` commands share: exit codes, the [fetch] override flags, the crawl
flags, reading the config with flags on top, and turning a library error into an exit."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, NoReturn

import click

from scraper.config import Config, load_config, with_overrides
from scraper.crawl import (
    CrawlStateError,
    JsonLogObserver,
    LiveObserver,
    Observer,
    QuietObserver,
    WarcError,
)
from scraper.errors import (
    BlockedAddressError,
    ConfigError,
    ConnectError,
    ContentTypeError,
    EmptyContentError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    InvalidURLError,
    NotHTMLError,
    RedirectError,
    RobotsDisallowedError,
    ScraperError,
    SinkError,
    TooLargeError,
)

__all__ = [
    "EXIT_CODES",
    "EXIT_INPUT",
    "EXIT_SOURCES_FAILED",
    "config_from",
    "crawl_options",
    "fail",
    "fetch_options",
    "observer",
]

# Exit codes, most specific class first; 0 is success, 2 is a usage error (click's).
EXIT_CODES: Final[tuple[tuple[type[ScraperError], int], ...]] = (
    (EmptyContentError, 3),  # the page has no main content (the record is still printed)
    (NotHTMLError, 4),  # the input is a PDF, an image or other binary data
    (ConfigError, 6),  # config.toml or a flag is wrong
    (InvalidURLError, 10),
    (BlockedAddressError, 11),  # private/loopback/link-local target without --allow-private
    (RobotsDisallowedError, 12),
    (ConnectError, 13),
    (FetchTimeoutError, 14),
    (HTTPStatusError, 15),
    (TooLargeError, 16),
    (ContentTypeError, 17),
    (RedirectError, 18),
    (FetchError, 19),  # any other fetch failure
    (CrawlStateError, 21),  # the crawl's state file cannot be opened
    (WarcError, 21),  # the WARC folder cannot be created, written or read
    (SinkError, 21),  # the sink cannot be opened
    (ScraperError, 1),
)
EXIT_INPUT: Final = 5  # the input file cannot be read
EXIT_SOURCES_FAILED: Final = 20  # scraper crawl: one or more sources failed (see the summary)
FORMATS: Final = ("json", "text", "markdown")


def fetch_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options that override config.toml's [fetch] section (shared by fetching commands)."""
    options = (
        click.option("--config", "config_path", type=click.Path(path_type=Path),
                     help="A config.toml (default: ./config.toml when present)."),
        click.option("--allow-private", is_flag=True,
                     help="Allow private, loopback and link-local addresses (your own network)."),
        click.option("--user-agent", help="User-Agent header, with a contact URL."),
        click.option("--timeout", type=float, help="Seconds to connect and per read."),
        click.option("--max-bytes", type=int, help="Largest body accepted, in bytes."),
        click.option("--retries", type=int, help="Retries on 429/5xx and network errors."),
        click.option("--ignore-robots", is_flag=True, help="Do not obey robots.txt."),
    )  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def fail(error: ScraperError) -> NoReturn:
    """Print one line for a library error and exit with its code."""
    click.echo(f"scraper: {error}", err=True)
    for kind, code in EXIT_CODES:
        if isinstance(error, kind):
            sys.exit(code)
    sys.exit(1)


def config_from(path: Path | None, fetch_flags: dict[str, Any]) -> Config:
    """The config from file and defaults, with command-line flags on top."""
    config = load_config(path)
    if fetch_flags.pop("allow_private", False):
        fetch_flags["allow_private_addresses"] = True
    if fetch_flags.pop("ignore_robots", False):
        fetch_flags["respect_robots"] = False
    return dataclasses.replace(config, fetch=with_overrides(config.fetch, **fetch_flags))


def crawl_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options shared by the crawl commands: sources and how progress is shown."""
    options = (
        click.option("--source", "names", multiple=True,
                     help="Only this [[sources]] name (repeatable; default: all)."),
        click.option("--quiet", is_flag=True, help="No progress; the summary only on failure."),
        click.option("--json-log", is_flag=True, help="Progress as JSON lines on stderr."),
    )  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def observer(quiet: bool, json_log: bool) -> Observer:
    """How progress is shown on stderr."""
    if json_log:
        return JsonLogObserver()
    return QuietObserver() if quiet or not sys.stderr.isatty() else LiveObserver()
