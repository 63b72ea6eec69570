"""Page-type accuracy: how scraper's ``page_type`` compares with a set's labelled types.

A set's ``meta.json`` labels pages article, listing, forum, product, ...; our extractor says
article, listing or other. The report is a confusion matrix (labelled type x our type) and
the article / not-article accuracy, the distinction a crawl relies on to store only articles.
"""

from __future__ import annotations

import gzip
from collections import Counter
from dataclasses import dataclass

from scraper.bench.data import BenchSet
from scraper.extract import extract
from scraper.models import PageType

__all__ = ["PageTypeReport", "page_type_report", "render_page_types"]

ARTICLE_LABEL = "article"  # the meta.json label our PageType.ARTICLE answers to
LISTING_LABEL = "listing"  # labelled listings must never come out as articles


@dataclass(frozen=True)
class PageTypeReport:
    """Counts of (labelled type, our type) over one set."""

    set_name: str
    counts: Counter[tuple[str, str]]

    @property
    def pages(self) -> int:
        """Pages classified."""
        return sum(self.counts.values())

    @property
    def article_accuracy(self) -> float:
        """Share of pages where article vs not-article agrees with the label."""
        right = sum(
            n
            for (label, ours), n in self.counts.items()
            if (label == ARTICLE_LABEL) == (ours == PageType.ARTICLE.value)
        )
        return right / self.pages if self.pages else 0.0

    @property
    def listings_as_articles(self) -> int:
        """Labelled listing pages we called articles (should be 0)."""
        return self.counts[(LISTING_LABEL, PageType.ARTICLE.value)]


def page_type_report(bench_set: BenchSet) -> PageTypeReport:
    """Classify every page of a set that has page types, in this process."""
    counts: Counter[tuple[str, str]] = Counter()
    for page in bench_set.pages:
        html = gzip.decompress(page.html_path.read_bytes())
        ours = extract(html, url=page.url or None).page_type.value
        counts[(page.page_type, ours)] += 1
    return PageTypeReport(bench_set.name, counts)


def render_page_types(report: PageTypeReport) -> str:
    """The confusion matrix as a plain-text table, then the two headline figures."""
    ours = [t.value for t in PageType]
    labels = sorted({label for label, _ in report.counts})
    lines = [f"page types of {report.set_name}: labelled (rows) x scraper (columns)"]
    lines.append(f"{'':16}" + "".join(f"{name:>10}" for name in ours))
    for label in labels:
        row = "".join(f"{report.counts[(label, name)]:>10}" for name in ours)
        lines.append(f"{label:16}{row}")
    lines.append(
        f"article vs not-article accuracy: {report.article_accuracy:.3f} "
        f"over {report.pages} pages; listings called articles: {report.listings_as_articles}"
    )
    return "\n".join(lines)
