"""``scraper bench``: the click shell over ``suite.run_bench``.

Parses options, finds the sets, prints the report. A BenchError becomes its message on stderr
and exit status 2 (``BenchFailed``); nothing else is caught, so a bug shows its traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import click

from scraper.bench.data import default_sets, load_set
from scraper.bench.extractors import DEFAULT_EXTRACTORS, ExtractorSpec
from scraper.bench.pagetypes import page_type_report, render_page_types
from scraper.bench.report import page_lines, render_json, render_text
from scraper.bench.runner import DEFAULT_PAGE_TIMEOUT_S
from scraper.bench.suite import BenchResult, run_bench
from scraper.errors import BenchError

__all__ = ["BenchFailed", "bench_command", "make_bench_command"]

# Exit status of a bench that could not run: bad folder, bad data, extractor not loadable.
BENCH_ERROR_EXIT = 2


class BenchFailed(click.ClickException):
    """A BenchError on its way to stderr: click prints ``Error: <message>``, exits 2."""

    exit_code = BENCH_ERROR_EXIT


def make_bench_command(extractors: Mapping[str, ExtractorSpec]) -> click.Command:
    """Build the ``bench`` command over an extractor table (tests pass stand-ins).

    Args:
        extractors: name -> extractor, in report order; ``--only`` chooses among the names.

    Returns:
        The click command, named "bench".
    """

    @click.command("bench")
    @click.argument("dirs", metavar="[DIR]...", nargs=-1, type=click.Path(path_type=Path))
    @click.option("--limit", type=click.IntRange(min=1), help="Pages per set: the first N ids.")
    @click.option("--only", type=click.Choice(list(extractors)), help="Run one extractor.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
    @click.option(
        "--per-page",
        type=click.Path(path_type=Path, dir_okay=False, writable=True),
        help="Also write JSON lines id/set/extractor/p/r/f1 per page to this file.",
    )
    @click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULT_PAGE_TIMEOUT_S,
        show_default=True,
        help="Seconds one extraction may take before its worker is killed and restarted.",
    )
    @click.option(
        "--page-types",
        is_flag=True,
        help="Also report scraper's page_type against the sets' labels (confusion matrix).",
    )
    def bench(
        dirs: tuple[Path, ...],
        limit: int | None,
        only: str | None,
        as_json: bool,
        per_page: Path | None,
        timeout: float,
        page_types: bool,
    ) -> None:
        """Score extractors against bench sets, for accuracy, speed and memory, in one run.

        Each DIR holds html/<id>.html.gz and ground-truth.json (and maybe meta.json with page
        types). Without DIR, the default sets aeb-dev and wcxb-dev under ../shared/bench are
        used, and a missing one is skipped with a note. Extractors run interleaved on the
        same pages, each in its own process, so speed and memory compare fairly.
        """
        specs = [extractors[only]] if only else list(extractors.values())
        try:
            result = run_bench(_set_paths(dirs), specs, limit, timeout, note=_note)
            if per_page is not None:
                _write_page_lines(per_page, result)
        except BenchError as exc:
            raise BenchFailed(str(exc)) from exc
        click.echo(render_json(result.sets, result.wall_s) if as_json else _text(result))
        if page_types:
            _page_types(dirs, limit)

    return bench


def _set_paths(dirs: tuple[Path, ...]) -> list[Path]:
    """The DIR arguments, or the default sets that exist; BenchError when there is none."""
    paths = list(dirs) or default_sets(_note)
    if not paths:
        raise BenchError("no bench set found; pass a set folder as DIR")
    return paths


def _text(result: BenchResult) -> str:
    """The plain-text report."""
    return render_text(result.sets, result.wall_s)


def _write_page_lines(path: Path, result: BenchResult) -> None:
    """Write the per-page JSON lines, one file for all sets."""
    try:
        with path.open("w", encoding="utf-8") as out:
            out.writelines(f"{line}\n" for line in page_lines(result.sets))
    except OSError as exc:
        raise BenchError(f"{path}: cannot write the per-page scores ({exc})") from exc


def _page_types(dirs: tuple[Path, ...], limit: int | None) -> None:
    """Print the page-type confusion matrix of every set that has labels."""
    for path in _set_paths(dirs):
        bench_set = load_set(path, limit)
        if bench_set.has_page_types:
            click.echo("\n" + render_page_types(page_type_report(bench_set)))


def _note(message: str) -> None:
    """Progress and notes go to stderr, so that stdout stays the report (or the JSON)."""
    click.echo(message, err=True)


bench_command = make_bench_command(DEFAULT_EXTRACTORS)
