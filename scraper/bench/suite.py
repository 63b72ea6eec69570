"""One bench run over several sets: load them all, run each, score each.

Every set is loaded (and checked) before the first worker starts, so that a typo in the last
folder name costs a second, not the whole run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scraper.bench.data import load_set
from scraper.bench.extractors import ExtractorSpec
from scraper.bench.runner import DEFAULT_PAGE_TIMEOUT_S, run_set
from scraper.bench.scoring import SetFigures, score_set

__all__ = ["BenchResult", "run_bench"]

# How often (in pages) progress is reported.
_PROGRESS_EVERY = 100


@dataclass(frozen=True)
class BenchResult:
    """The figures of every set, and the wall-clock seconds of the whole run."""

    sets: tuple[SetFigures, ...]
    wall_s: float


def run_bench(
    paths: Sequence[Path],
    extractors: Sequence[ExtractorSpec],
    limit: int | None = None,
    page_timeout_s: float = DEFAULT_PAGE_TIMEOUT_S,
    note: Callable[[str], None] = lambda _: None,
) -> BenchResult:
    """Run ``extractors`` interleaved over each set folder in ``paths`` and score them.

    Args:
        paths: bench set folders (see ``data.load_set``).
        extractors: the extractors to compare, in report order.
        limit: pages per set, the first ones by sorted id.
        page_timeout_s: seconds one extraction may take before its worker is killed.
        note: receives progress lines (for stderr).

    Returns:
        The figures per set.

    Raises:
        BenchError: a set is missing or malformed, or an extractor cannot be loaded.

    Example:
        >>> aeb = Path("../shared/bench/aeb-dev")
        >>> run_bench([aeb], [DEFAULT_EXTRACTORS["trafilatura"]]).sets[0].pages  # doctest: +SKIP
        88
    """
    start = time.perf_counter()
    bench_sets = [load_set(path, limit) for path in paths]
    names = ", ".join(spec.name for spec in extractors)
    figures = []
    for bench_set in bench_sets:
        total = len(bench_set.pages)
        note(f"{bench_set.name}: {total} pages, {names}")

        def progress(done: int, name: str = bench_set.name, total: int = total) -> None:
            if done % _PROGRESS_EVERY == 0 and done < total:
                note(f"{name}: {done}/{total}")

        figures.append(score_set(run_set(bench_set, extractors, page_timeout_s, progress)))
    return BenchResult(tuple(figures), time.perf_counter() - start)
