"""The page-type report: a confusion matrix of labelled types against scraper's."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from scraper.bench.data import load_set
from scraper.bench.pagetypes import PageTypeReport, page_type_report, render_page_types

from .benchset import PAGE_TYPES, write_set


def test_every_page_is_counted_once(tmp_path: Path) -> None:
    report = page_type_report(load_set(write_set(tmp_path / "tiny")))
    assert report.pages == len(PAGE_TYPES)
    assert {label for label, _ in report.counts} == set(PAGE_TYPES.values())


def test_article_accuracy_and_listing_errors() -> None:
    counts = Counter({("article", "article"): 3, ("article", "other"): 1, ("listing", "article"): 2,
                      ("listing", "listing"): 4})  # fmt: skip
    report = PageTypeReport("made-up", counts)
    assert report.article_accuracy == 7 / 10
    assert report.listings_as_articles == 2


def test_rendered_matrix_has_a_row_per_label() -> None:
    counts = Counter({("article", "article"): 5, ("forum", "other"): 2})
    text = render_page_types(PageTypeReport("made-up", counts))
    assert "article vs not-article accuracy: 1.000 over 7 pages" in text
    assert any(
        line.startswith("forum") and line.split()[1:] == ["0", "0", "2"]
        for line in text.splitlines()
    )
