"""The ``scraper`` command: a thin shell over the library.

Each command parses its options, calls the library, and prints. One place,
``cli_common.fail``, turns a library error into one stderr line and the exit code of
EXIT_CODES (documented in README.md). The crawl commands live in cli_crawl.py.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import click

from scraper.api import extract_url
from scraper.bench.command import bench_command
from scraper.cli_common import (
    EXIT_CODES,
    EXIT_INPUT,
    EXIT_SOURCES_FAILED,
    config_from,
    fail,
    fetch_options,
)
from scraper.cli_crawl import CRAWL_COMMANDS
from scraper.config import Config, load_config, with_overrides
from scraper.errors import EmptyContentError, ScraperError
from scraper.extract import Trace, extract
from scraper.extract.explain import explain_html, explain_json
from scraper.models import Article
from scraper.version import __version__

__all__ = ["EXIT_CODES", "EXIT_INPUT", "EXIT_SOURCES_FAILED", "cli", "main"]

FORMATS: Final = ("json", "text", "markdown")


@click.group()
@click.version_option(__version__, prog_name="scraper")
def cli() -> None:
    """Fetch pages politely, extract the article, store clean JSON."""


def _report_path(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """An --explain path: a file (never a directory) in a folder that exists."""
    if value is not None and not value.resolve().parent.is_dir():
        raise click.BadParameter(f"the folder {value.parent} does not exist; create it first")
    return value


def _report_option(name: str, dest: str, help_text: str) -> Callable[..., Any]:
    """An option naming a report file to write."""
    kind = click.Path(dir_okay=False, writable=True, path_type=Path)
    return click.option(name, dest, type=kind, callback=_report_path, help=help_text)


@cli.command("extract")
@click.argument("source")
@click.option("--url", help="The page's address (for files and stdin): resolves links, sets url.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@_report_option(
    "--explain", "explain_path", "Also write an HTML report: each block kept or removed, and why."
)
@_report_option("--explain-json", "explain_json_path", "Also write that report as JSON.")
@fetch_options
def extract_command(
    source: str,
    url: str | None,
    fmt: str,
    explain_path: Path | None,
    explain_json_path: Path | None,
    config_path: Path | None,
    **fetch_flags: Any,
) -> None:
    """Extract the article from SOURCE: an HTML file, '-' for stdin, or an http(s) URL.

    Prints one JSON record (or the body as text or Markdown) on stdout. Exits 3 when the page
    has no main content, 4 when it is not HTML; see README "Exit codes". --explain and
    --explain-json also write why each block of the page was kept or removed.
    """
    trace = Trace() if explain_path or explain_json_path else None
    try:
        article = _extract_source(source, url, config_from(config_path, fetch_flags), trace)
        if trace is not None:
            _write_reports(trace, article, explain_path, explain_json_path)
        click.echo(article.render(fmt, indent=2))
        if not article.text:
            raise EmptyContentError(f"{source}: no main content found on the page")
    except ScraperError as error:
        fail(error)


def _extract_source(
    source: str, url: str | None, config: Config, trace: Trace | None = None
) -> Article:
    """Read a file, stdin or URL and extract it (filling ``trace`` when given)."""
    if source.startswith(("http://", "https://")):
        return extract_url(source, config=config, trace=trace)
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as error:
        click.echo(f"scraper: cannot read {source}: {error.strerror or error}", err=True)
        sys.exit(EXIT_INPUT)
    return extract(data, url=url, trace=trace)


def _write_reports(
    trace: Trace, article: Article, html_path: Path | None, json_path: Path | None
) -> None:
    """Write the --explain (HTML) and --explain-json reports."""
    try:
        if html_path is not None:
            html_path.write_text(explain_html(trace, article), encoding="utf-8")
        if json_path is not None:
            report = json.dumps(explain_json(trace, article), ensure_ascii=False, indent=2)
            json_path.write_text(report + "\n", encoding="utf-8")
    except OSError as error:
        raise ScraperError(f"cannot write {error.filename}: {error.strerror or error}") from error


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port (0: any free one).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes sharing the port (limits and metrics are per process).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="A config.toml (default: ./config.toml when present).",
)
def serve_command(host: str, port: int, workers: int, config_path: Path | None) -> None:
    """Serve the extractor over HTTP: POST /extract, /extract/batch, a page at /, /docs.

    Limits, the bearer token and the address guard come from config.toml's [serve] section;
    the environment variable SCRAPER_TOKEN, when set, is the token. See README "Serve".
    """
    from scraper.serve import serve  # here: the web stack costs other commands 0.4 s to import

    try:
        config = load_config(config_path)
        token = os.environ.get("SCRAPER_TOKEN") or None
        config = dataclasses.replace(config, serve=with_overrides(config.serve, token=token))
        serve(config, host, port, workers)
    except ScraperError as error:
        fail(error)
    except OSError as error:
        fail(ScraperError(f"cannot listen on {host}:{port}: {error.strerror or error}"))


cli.add_command(bench_command)
for _command in CRAWL_COMMANDS:
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    cli()
