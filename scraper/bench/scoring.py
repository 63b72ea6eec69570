"""Turn a set's raw run (texts, seconds, KiB) into the figures the report prints.

Kept apart from the report so that the figures have one definition, whichever way they are
rendered (table, JSON, per-page lines), and apart from the runner so that they can be
recomputed from saved texts without running anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scraper.bench.metric import PageScore, Summary, score_page, summarise
from scraper.bench.runner import ExtractorRun, SetRun

__all__ = [
    "BASELINE_EXTRACTOR",
    "OUR_EXTRACTOR",
    "Comparison",
    "ExtractorFigures",
    "PageFigures",
    "SetFigures",
    "compare",
    "score_set",
]

# The ratio line compares these two, when both ran.
OUR_EXTRACTOR = "scraper"
BASELINE_EXTRACTOR = "trafilatura"
_KIB_PER_MIB = 1024


@dataclass(frozen=True)
class PageFigures:
    """One extractor on one page: the metric's view plus the run's."""

    page_id: str
    page_type: str
    score: PageScore
    elapsed_s: float
    error: str | None


@dataclass(frozen=True)
class ExtractorFigures:
    """One extractor on one set.

    ``peak_mb`` is the worker's peak RSS (see ``worker.peak_rss_kb``), ``baseline_mb`` the
    same after the extractor's imports and before the first page; their difference is what
    extracting costs.
    """

    name: str
    summary: Summary
    ms_per_page: float
    pages_per_s: float
    baseline_mb: float
    peak_mb: float
    errors: int
    restarts: int
    by_page_type: Mapping[str, Summary]
    pages: tuple[PageFigures, ...]


@dataclass(frozen=True)
class SetFigures:
    """Every extractor on one set."""

    name: str
    path: str
    pages: int
    wall_s: float
    has_page_types: bool
    extractors: tuple[ExtractorFigures, ...]


@dataclass(frozen=True)
class Comparison:
    """Ours against the baseline: ``speed`` > 1 means ours is faster; ``f1_delta`` > 0 better."""

    speed: float
    f1_delta: float


def score_set(set_run: SetRun) -> SetFigures:
    """Score every extractor's texts against the set's ground truth.

    Example:
        >>> score_set(run_set(bench_set, extractors)).extractors[0].summary.f1  # doctest: +SKIP
        0.93
    """
    bench_set = set_run.bench_set
    extractors = tuple(_score_run(run, set_run) for run in set_run.runs)
    return SetFigures(
        bench_set.name,
        str(bench_set.path),
        len(bench_set.pages),
        set_run.wall_s,
        bench_set.has_page_types,
        extractors,
    )


def compare(figures: SetFigures) -> Comparison | None:
    """The ratio of ours to the baseline, or None unless both ran on this set."""
    by_name = {e.name: e for e in figures.extractors}
    ours, baseline = by_name.get(OUR_EXTRACTOR), by_name.get(BASELINE_EXTRACTOR)
    if ours is None or baseline is None or ours.ms_per_page == 0:
        return None
    return Comparison(
        speed=baseline.ms_per_page / ours.ms_per_page,
        f1_delta=ours.summary.f1 - baseline.summary.f1,
    )


def _score_run(run: ExtractorRun, set_run: SetRun) -> ExtractorFigures:
    """Score one extractor's results, page by page and as a whole."""
    pages = tuple(
        PageFigures(
            page.page_id,
            page.page_type,
            score_page(result.text, page.truth),
            result.elapsed_s,
            result.error,
        )
        for page, result in zip(set_run.bench_set.pages, run.results, strict=True)
    )
    seconds = sum(p.elapsed_s for p in pages)
    return ExtractorFigures(
        name=run.name,
        summary=summarise([p.score for p in pages]),
        ms_per_page=1000 * seconds / len(pages) if pages else 0.0,
        pages_per_s=len(pages) / seconds if seconds else 0.0,
        baseline_mb=run.baseline_kb / _KIB_PER_MIB,
        peak_mb=run.peak_kb / _KIB_PER_MIB,
        errors=sum(1 for p in pages if p.error is not None),
        restarts=run.restarts,
        by_page_type=_by_page_type(pages),
        pages=pages,
    )


def _by_page_type(pages: Sequence[PageFigures]) -> dict[str, Summary]:
    """The metric over each page type's pages, types sorted by page count, largest first."""
    groups: dict[str, list[PageScore]] = {}
    for page in pages:
        groups.setdefault(page.page_type, []).append(page.score)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return {page_type: summarise(scores) for page_type, scores in ordered}
