"""The accuracy gate: the extractor's figures on the tuning sets may not fall below pinned floors.

The sets are ../shared/bench/{aeb-dev,wcxb-dev} of the repository (present for developers and
CI, not in a user's clone: without them these tests skip, saying so), or the folder named by
SCRAPER_BENCH_DIR. Each page is extracted once, in this process, and scored with the bench's
own metric (scraper/bench/metric.py), so the figures are those `scraper bench` prints.

Each floor is the figure measured when it was set, less a small margin (the extractor is
deterministic; the margin lets a change trade a hair of one type for a gain elsewhere), and
never below the goal of issue #5 or trafilatura 2.3.1's figure on the same pages. Lowering a
floor is an explicit act: change the table, and say why in the commit.
"""

from __future__ import annotations

import gzip
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from scraper import extract
from scraper.bench.data import BenchSet, load_set
from scraper.bench.metric import PageScore, Summary, score_page, summarise
from scraper.models import PageType

_REPO = Path(__file__).resolve().parents[2]
_BENCH = Path(os.environ.get("SCRAPER_BENCH_DIR") or _REPO.parent / "shared" / "bench")

# aeb-dev, all 88 pages (measured 2026-12-08, sixth session: F1 0.9841, precision 0.9816); issue
# #5's goal is 0.975 and 0.97.
AEB_F1_FLOOR = 0.980
AEB_PRECISION_FLOOR = 0.977
# wcxb-dev by labelled page type: (floor, trafilatura 2.3.1's F1 on the same pages).
# Measured 2026-12-08 (sixth session): article 0.9547, service 0.8114, forum 0.7882, listing
# 0.6448, documentation 0.9132, collection 0.6290, product 0.6272.
WCXB_F1_FLOORS = {
    "article": (0.951, 0.932),  # issue #5's goal for articles is 0.95
    "service": (0.807, 0.750),
    "forum": (0.784, 0.703),
    "listing": (0.640, 0.567),
    "documentation": (0.909, 0.901),
    "collection": (0.625, 0.538),
    "product": (0.623, 0.596),
}
# page_type on wcxb-dev (measured: accuracy 0.894, 1 of 93 listings called articles).
ARTICLE_ACCURACY_FLOOR = 0.889
MAX_LISTINGS_AS_ARTICLES = 1


@dataclass(frozen=True)
class _Run:
    """One set extracted: each page's score and page type, by labelled type."""

    scores: dict[str, list[PageScore]]
    types: dict[str, list[PageType]]


def _set(name: str) -> BenchSet:
    folder = _BENCH / name
    if not (folder / "ground-truth.json").is_file():
        pytest.skip(f"{folder} not found: the accuracy gate needs ../shared/bench (or "
                    "SCRAPER_BENCH_DIR); a user's clone has no tuning sets")  # fmt: skip
    return load_set(folder)


def _run(bench_set: BenchSet) -> _Run:
    scores: dict[str, list[PageScore]] = defaultdict(list)
    types: dict[str, list[PageType]] = defaultdict(list)
    for page in bench_set.pages:
        article = extract(gzip.decompress(page.html_path.read_bytes()), url=page.url or None)
        scores[page.page_type].append(score_page(article.text, page.truth))
        types[page.page_type].append(article.page_type)
    return _Run(dict(scores), dict(types))


@pytest.fixture(scope="module")
def aeb() -> _Run:
    return _run(_set("aeb-dev"))


@pytest.fixture(scope="module")
def wcxb() -> _Run:
    return _run(_set("wcxb-dev"))


def _summary(run: _Run, page_type: str | None = None) -> Summary:
    groups = run.scores.values() if page_type is None else [run.scores[page_type]]
    return summarise([score for group in groups for score in group])


def test_aeb_f1_and_precision_stay_above_their_floors(aeb: _Run) -> None:
    figures = _summary(aeb)
    assert figures.f1 >= AEB_F1_FLOOR, f"aeb-dev F1 {figures.f1:.4f} < {AEB_F1_FLOOR}"
    assert figures.precision >= AEB_PRECISION_FLOOR, f"precision {figures.precision:.4f}"


@pytest.mark.parametrize("page_type", sorted(WCXB_F1_FLOORS))
def test_wcxb_f1_of_each_page_type_stays_above_its_floor(wcxb: _Run, page_type: str) -> None:
    floor, trafilatura = WCXB_F1_FLOORS[page_type]
    assert floor > trafilatura  # a floor at or below trafilatura's figure would gate nothing
    f1 = _summary(wcxb, page_type).f1
    assert f1 >= floor, f"wcxb-dev {page_type} F1 {f1:.4f} < floor {floor}"


def test_wcxb_article_vs_not_article_accuracy_stays_above_its_floor(wcxb: _Run) -> None:
    typed = [(label, ours) for label, found in wcxb.types.items() for ours in found]
    right = sum((label == "article") == (ours is PageType.ARTICLE) for label, ours in typed)
    assert right / len(typed) >= ARTICLE_ACCURACY_FLOOR, f"accuracy {right / len(typed):.4f}"


def test_wcxb_listings_called_articles_stay_few(wcxb: _Run) -> None:
    called = sum(ours is PageType.ARTICLE for ours in wcxb.types["listing"])
    assert called <= MAX_LISTINGS_AS_ARTICLES, f"{called} listings came out as articles"
