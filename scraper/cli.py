"""The ``scraper`` command: a thin shell over the library.

Each command parses its options, calls the library, and prints. One place, ``_fail``, turns a
library error into one stderr line and the exit code of EXIT_CODES (documented in README.md).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, NoReturn

import click

from scraper.api import extract_url
from scraper.bench.command import bench_command
from scraper.config import SINK_KINDS, Config, load_config, with_overrides
from scraper.crawl import (
    CrawlStateError,
    JsonLogObserver,
    LearnReport,
    LiveObserver,
    Observer,
    QuietObserver,
    ReextractReport,
    WarcError,
    crawl,
    learn,
    learned_templates,
    print_summary,
    reextract,
    run_forever,
    select_sources,
    source_status,
)
from scraper.crawl.shared.status import SharedStatus, shared_status
from scraper.crawl.shared.worker import work
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
from scraper.extract import Trace, extract
from scraper.extract.explain import explain_html, explain_json
from scraper.models import Article
from scraper.version import __version__

__all__ = ["EXIT_CODES", "cli", "main"]

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


def _fail(error: ScraperError) -> NoReturn:
    """Print one line for a library error and exit with its code."""
    click.echo(f"scraper: {error}", err=True)
    for kind, code in EXIT_CODES:
        if isinstance(error, kind):
            sys.exit(code)
    sys.exit(1)


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
        article = _extract_source(source, url, _config(config_path, fetch_flags), trace)
        if trace is not None:
            _write_reports(trace, article, explain_path, explain_json_path)
        click.echo(article.render(fmt, indent=2))
        if not article.text:
            raise EmptyContentError(f"{source}: no main content found on the page")
    except ScraperError as error:
        _fail(error)


def _config(path: Path | None, fetch_flags: dict[str, Any]) -> Config:
    """The config from file and defaults, with command-line flags on top."""
    config = load_config(path)
    if fetch_flags.pop("allow_private", False):
        fetch_flags["allow_private_addresses"] = True
    if fetch_flags.pop("ignore_robots", False):
        fetch_flags["respect_robots"] = False
    return dataclasses.replace(config, fetch=with_overrides(config.fetch, **fetch_flags))


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


def _observer(quiet: bool, json_log: bool) -> Observer:
    """How progress is shown on stderr."""
    if json_log:
        return JsonLogObserver()
    return QuietObserver() if quiet or not sys.stderr.isatty() else LiveObserver()


@cli.command("crawl")
@crawl_options
@fetch_options
def crawl_command(
    names: tuple[str, ...],
    quiet: bool,
    json_log: bool,
    config_path: Path | None,
    **fetch_flags: Any,
) -> None:
    """Run every configured source once, then exit (for cron).

    Reads ./config.toml (or --config). Exits 0 when every source ran, 20 when a source failed
    (the summary on stderr says why), 6 for a config error, 21 when the state or sink cannot
    be opened. Ctrl-C (or SIGTERM) stops after the pages in flight are stored.
    """
    try:
        config = _config(config_path, fetch_flags)
        result = crawl(config, _observer(quiet, json_log), names)
    except ScraperError as error:
        _fail(error)
    if not quiet or not result.ok:
        print_summary(result.reports, sys.stderr)
    if not result.ok:
        sys.exit(EXIT_SOURCES_FAILED)


@cli.command("run")
@crawl_options
@fetch_options
def run_command(
    names: tuple[str, ...],
    quiet: bool,
    json_log: bool,
    config_path: Path | None,
    **fetch_flags: Any,
) -> None:
    """Stay up and run each source on its schedule ("every 30m", "every 6h", or cron).

    A failing source is reported and tried again at its next time. SIGINT or SIGTERM stops
    after the pages in flight are stored.
    """
    try:
        config = _config(config_path, fetch_flags)
        reports = run_forever(config, _observer(quiet, json_log), names)
    except ScraperError as error:
        _fail(error)
    if not quiet:
        print_summary(reports, sys.stderr)


@cli.command("worker")
@click.option("--name", help="This worker's name, unique in the crawl (default: <host>-<pid>).")
@click.option(
    "--until-idle", is_flag=True, help="Exit once no run is in progress (waits for one first)."
)
@crawl_options
@fetch_options
def worker_command(
    name: str | None,
    until_idle: bool,
    names: tuple[str, ...],
    quiet: bool,
    json_log: bool,
    config_path: Path | None,
    **fetch_flags: Any,
) -> None:
    """Work on a shared crawl ([frontier] kind = "redis"): take URLs, fetch, extract, store.

    Stays up (for a service manager) until SIGINT/SIGTERM, which stops after the pages in
    flight are stored; --until-idle waits for a run, works, and exits once no run is in
    progress. Start each run with
    `scraper crawl` on any one machine. Exits 6 for a config error, 21 when Redis or the
    sink cannot be used.
    """
    try:
        config = _config(config_path, fetch_flags)
        config = dataclasses.replace(config, sources=select_sources(config, names))
        reports = work(config, _observer(quiet, json_log), name=name, until_idle=until_idle)
    except ScraperError as error:
        _fail(error)
    if not quiet:
        print_summary(reports, sys.stderr)


@cli.command("status")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="A config.toml (default: ./config.toml when present).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source.")
def status_command(config_path: Path | None, as_json: bool) -> None:  # fmt: skip
    """Per source: last run, pages seen, stored, failed (with reasons), next run.

    With [frontier] kind = "redis": the shared crawl's runs, queues per host, workers alive.
    """
    try:
        config = load_config(config_path)
        if config.frontier.kind == "redis":
            _print_shared_status(shared_status(config), as_json)
            return
        statuses = source_status(config)
    except ScraperError as error:
        _fail(error)
    for status in statuses:
        if as_json:
            click.echo(json.dumps(status.to_dict(), ensure_ascii=False))
            continue
        click.echo(
            f"{status.source}: last run {status.last_run or 'never'} ({status.last_result}), "
            f"{status.pages_seen} pages seen, {status.stored} stored, {status.failed} failed, "
            f"next run {status.next_run}"
        )
        if status.reason:
            click.echo(f"  failed: {status.reason}")
        for url, reason in status.failures:
            click.echo(f"  {url}: {reason}")
        for site in (s for s in status.sites if s.blocks):  # sites with nothing learned: quiet
            click.echo(f"  template of {site.site}: {len(site.blocks)} blocks, {site.pages} pages")


def _print_shared_status(status: SharedStatus, as_json: bool) -> None:
    """The shared crawl's status: JSON, or a few lines per source."""
    if as_json:
        click.echo(json.dumps(status.to_dict(), ensure_ascii=False))
        return
    click.echo(
        f"{status.redis}: {len(status.workers_alive)} workers alive "
        f"({', '.join(status.workers_alive) or 'none'}); URL dedup sets: {status.seen_urls} "
        f"URLs in {status.seen_bytes / 1e6:.1f} MB"
    )
    for source in status.sources:
        counts = ", ".join(f"{n} {k}" for k, n in sorted(source.counts.items())) or "nothing yet"
        click.echo(
            f"{source.source}: run {source.run} (started {source.started or 'never'}), "
            f"{source.queued} queued, {source.leased} in progress; {counts}"
        )
        for host, queued in source.hosts.items():
            click.echo(f"  {host}: {queued} queued")


@cli.command("reextract")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="A config.toml (default: ./config.toml when present).",
)
@click.option(
    "--warc", type=click.Path(path_type=Path), help="The WARC folder (default: [crawl] warc)."
)
@click.option("--sink", "sink_kind", type=click.Choice(SINK_KINDS), help="Default: [sink] kind.")
@click.option(
    "--sink-path", type=click.Path(path_type=Path), help="Folder or file (default: [sink] path)."
)
@click.option("--quiet", is_flag=True, help="No summary on stderr.")
@click.option("--no-template", is_flag=True, help="Keep the blocks of the learned site templates.")
def reextract_command(
    config_path: Path | None,
    warc: Path | None,
    sink_kind: str | None,
    sink_path: Path | None,
    quiet: bool,
    no_template: bool,
) -> None:
    """Run the current extractor over every response captured in the WARC folder again.

    Records go to the sink (the same ids as the crawl's when the text is unchanged, so a sink
    holding them keeps one copy). The site templates learned in the crawl state are stripped
    (--no-template: kept). A torn WARC file is read up to the damage, with a warning. Exits 6
    for a config error, 21 when the WARC folder or the sink cannot be opened.
    """
    try:
        config = load_config(config_path)
        folder = warc or config.crawl.warc
        if folder is None:
            raise ConfigError("no WARC folder: set [crawl] warc in config.toml, or pass --warc DIR")
        templates = {} if no_template else learned_templates(config.crawl.state)
        sink = with_overrides(config.sink, kind=sink_kind, path=sink_path)
        report = reextract(folder, sink, templates)
    except ScraperError as error:
        _fail(error)
    if not quiet:
        click.echo(_reextract_summary(report), err=True)


def _reextract_summary(report: ReextractReport) -> str:
    """One line: responses read, records stored (and already in the sink), the rest skipped."""
    counts = report.counts
    skipped = ", ".join(
        f"{counts[k]} {k}" for k in ("unchanged", "duplicate", "listing", "empty", "not_html")
    )
    return (
        f"reextract: {counts['read']} responses read, {counts['stored']} records "
        f"({counts['already_had']} already in the sink); skipped {skipped}"
    )


@cli.command("learn")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="A config.toml (default: ./config.toml when present).",
)
@click.option("--site", help="Only this site: a host, with :port when its URLs have one.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per site.")
def learn_command(config_path: Path | None, site: str | None, as_json: bool) -> None:
    """Rebuild the per-site block counts from the WARC captures and print each site's template.

    Without [crawl] warc, prints the templates the crawls learned as they went. Exits 6 for a
    config error, 21 when the state or the WARC folder cannot be opened.
    """
    try:
        report = learn(load_config(config_path), site)
    except ScraperError as error:
        _fail(error)
    _print_learned(report, as_json)


def _print_learned(report: LearnReport, as_json: bool) -> None:
    """Each site's template on stdout; the replay's counts on stderr."""
    if report.read:
        click.echo(f"learn: {report.read} responses read, {report.counted} pages counted", err=True)
    for learned in report.sites:
        if as_json:
            click.echo(json.dumps(learned.to_dict(), ensure_ascii=False))
            continue
        click.echo(f"{learned.site}: {len(learned.blocks)} template blocks, {learned.pages} pages")
        for block in learned.blocks:
            click.echo(f"  {block.pages:>6} pages  {block.fingerprint}  {block.sample!r}")


cli.add_command(bench_command)


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
        _fail(error)
    except OSError as error:
        _fail(ScraperError(f"cannot listen on {host}:{port}: {error.strerror or error}"))


def main() -> None:
    """Console-script entry point."""
    cli()
