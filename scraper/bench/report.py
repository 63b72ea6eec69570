"""Render bench figures: a plain-text table, one JSON document, or JSON lines per page.

All three read the same ``SetFigures``, so the table and the JSON never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from scraper.bench.metric import Summary
from scraper.bench.scoring import (
    BASELINE_EXTRACTOR,
    OUR_EXTRACTOR,
    ExtractorFigures,
    SetFigures,
    compare,
)

__all__ = ["page_lines", "render_json", "render_text"]

# Columns of the per-extractor table: header and width (figures are right-aligned).
_COLUMNS: tuple[tuple[str, int], ...] = (
    ("extractor", 12),
    ("pages", 6),
    ("F1", 6),
    ("prec", 6),
    ("recall", 6),
    ("acc", 6),
    ("ms/page", 8),
    ("pages/s", 8),
    ("base MB", 8),
    ("peak MB", 8),
    ("errors", 6),
)
_PAGE_TYPE_HEADER = "F1 by page type"
# Digits kept in JSON: scores to 1e-4 (the noise is larger), times to the microsecond.
_SCORE_DIGITS = 4
_MS_DIGITS = 3


def render_text(sets: Sequence[SetFigures], wall_s: float) -> str:
    """The human report: per set, a row per extractor, the ratio line, F1 per page type.

    Example:
        >>> print(render_text([score_set(run)], 12.5))  # doctest: +SKIP
        aeb-dev: 88 pages in 9.8 s (../shared/bench/aeb-dev)
        ...
    """
    blocks = [_set_block(figures) for figures in sets]
    blocks.append(f"total: {len(sets)} set(s) in {wall_s:.1f} s")
    return "\n\n".join(blocks)


def render_json(sets: Sequence[SetFigures], wall_s: float) -> str:
    """The same figures as one JSON document (per-page scores are in ``page_lines``)."""
    document = {"sets": [_set_json(figures) for figures in sets], "wall_s": round(wall_s, 3)}
    return json.dumps(document, indent=2, ensure_ascii=False)


def page_lines(sets: Sequence[SetFigures]) -> Iterator[str]:
    """One JSON line per set, extractor and page, to hunt down the pages that score badly.

    ``p``, ``r`` and ``f1`` are null where the metric leaves the page out (see ``metric``).
    """
    for figures in sets:
        for extractor in figures.extractors:
            for page in extractor.pages:
                record = {
                    "id": page.page_id,
                    "set": figures.name,
                    "extractor": extractor.name,
                    "page_type": page.page_type,
                    "p": _round(page.score.precision),
                    "r": _round(page.score.recall),
                    "f1": _round(page.score.f1),
                    "exact": page.score.exact,
                    "ms": round(1000 * page.elapsed_s, _MS_DIGITS),
                    "error": page.error,
                }
                yield json.dumps(record, ensure_ascii=False)


def _set_block(figures: SetFigures) -> str:
    """The text block of one set."""
    lines = [f"{figures.name}: {figures.pages} pages in {figures.wall_s:.1f} s ({figures.path})"]
    lines.append(_row([name for name, _ in _COLUMNS]))
    lines.extend(_row(_extractor_cells(e)) for e in figures.extractors)
    comparison = compare(figures)
    if comparison is not None:
        lines.append(
            f"{OUR_EXTRACTOR} vs {BASELINE_EXTRACTOR}: speed x {comparison.speed:.2f}, "
            f"F1 {comparison.f1_delta:+.3f}"
        )
    if figures.has_page_types:
        lines.append("")
        lines.extend(_page_type_lines(figures.extractors))
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    """Cells padded to the column widths: names left-aligned, figures right-aligned."""
    padded = [
        cell.ljust(width) if i == 0 else cell.rjust(width)
        for i, (cell, (_, width)) in enumerate(zip(cells, _COLUMNS, strict=True))
    ]
    return "  ".join(padded).rstrip()


def _extractor_cells(e: ExtractorFigures) -> list[str]:
    """One extractor's row of the table."""
    s = e.summary
    return [
        e.name,
        str(s.pages),
        f"{s.f1:.3f}",
        f"{s.precision:.3f}",
        f"{s.recall:.3f}",
        f"{s.accuracy:.3f}",
        f"{e.ms_per_page:.1f}",
        f"{e.pages_per_s:.1f}",
        f"{e.baseline_mb:.0f}",
        f"{e.peak_mb:.0f}",
        str(e.errors),
    ]


def _page_type_lines(extractors: Sequence[ExtractorFigures]) -> list[str]:
    """F1 per page type, a column per extractor, types in the order scoring gave them."""
    names = [e.name for e in extractors]
    width = max([len(_PAGE_TYPE_HEADER), *(len(t) for t in extractors[0].by_page_type)])
    header = _PAGE_TYPE_HEADER.ljust(width) + "  pages" + "".join(f"  {n:>12}" for n in names)
    lines = [header]
    for page_type, summary in extractors[0].by_page_type.items():
        scores = "".join(f"  {e.by_page_type[page_type].f1:>12.3f}" for e in extractors)
        lines.append(f"{page_type.ljust(width)}  {summary.pages:>5}{scores}")
    return lines


def _set_json(figures: SetFigures) -> dict[str, Any]:
    """One set as a JSON object."""
    comparison = compare(figures)
    return {
        "name": figures.name,
        "path": figures.path,
        "pages": figures.pages,
        "wall_s": round(figures.wall_s, 3),
        "extractors": [_extractor_json(e) for e in figures.extractors],
        "comparison": None
        if comparison is None
        else {
            "ours": OUR_EXTRACTOR,
            "baseline": BASELINE_EXTRACTOR,
            "speed": round(comparison.speed, _SCORE_DIGITS),
            "f1_delta": round(comparison.f1_delta, _SCORE_DIGITS),
        },
    }


def _extractor_json(e: ExtractorFigures) -> dict[str, Any]:
    """One extractor's figures on one set as a JSON object."""
    return {
        "name": e.name,
        **_summary_json(e.summary),
        "ms_per_page": round(e.ms_per_page, _MS_DIGITS),
        "pages_per_s": round(e.pages_per_s, _MS_DIGITS),
        "baseline_mb": round(e.baseline_mb, 1),
        "peak_mb": round(e.peak_mb, 1),
        "errors": e.errors,
        "worker_restarts": e.restarts,
        "by_page_type": {t: _summary_json(s) for t, s in e.by_page_type.items()},
    }


def _summary_json(s: Summary) -> dict[str, Any]:
    """The metric's figures as JSON fields."""
    return {
        "pages": s.pages,
        "f1": round(s.f1, _SCORE_DIGITS),
        "precision": round(s.precision, _SCORE_DIGITS),
        "recall": round(s.recall, _SCORE_DIGITS),
        "accuracy": round(s.accuracy, _SCORE_DIGITS),
    }


def _round(value: float | None) -> float | None:
    """A score rounded for JSON, None kept."""
    return None if value is None else round(value, _SCORE_DIGITS)
