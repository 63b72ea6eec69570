"""The crawl commands of ``scraper``: crawl, run, worker, status, reextract, learn.

They are registered on the ``scraper`` group in cli.py; what they share is in cli_common.py.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import click

from scraper.cli_common import (
    EXIT_SOURCES_FAILED,
    config_from,
    crawl_options,
    fail,
    fetch_options,
    observer,
)
from scraper.config import SINK_KINDS, load_config, with_overrides
from scraper.crawl import (
    LearnReport,
    ReextractReport,
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
from scraper.errors import ConfigError, ScraperError

__all__ = [
    "CRAWL_COMMANDS",
]


@click.command("crawl")
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
        config = config_from(config_path, fetch_flags)
        result = crawl(config, observer(quiet, json_log), names)
    except ScraperError as error:
        fail(error)
    if not quiet or not result.ok:
        print_summary(result.reports, sys.stderr)
    if not result.ok:
        sys.exit(EXIT_SOURCES_FAILED)


@click.command("run")
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
        config = config_from(config_path, fetch_flags)
        reports = run_forever(config, observer(quiet, json_log), names)
    except ScraperError as error:
        fail(error)
    if not quiet:
        print_summary(reports, sys.stderr)


@click.command("worker")
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
        config = config_from(config_path, fetch_flags)
        config = dataclasses.replace(config, sources=select_sources(config, names))
        reports = work(config, observer(quiet, json_log), name=name, until_idle=until_idle)
    except ScraperError as error:
        fail(error)
    if not quiet:
        print_summary(reports, sys.stderr)


@click.command("status")
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
        fail(error)
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


@click.command("reextract")
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
        fail(error)
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


@click.command("learn")
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
        fail(error)
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


# Registered on the ``scraper`` group, in this order.
CRAWL_COMMANDS = (
    crawl_command, run_command, worker_command, status_command, reextract_command, learn_command,
)  # fmt: skip
