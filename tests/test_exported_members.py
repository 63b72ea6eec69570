"""The public API is declared once, in scraper.__all__; this pins it."""

from __future__ import annotations

import scraper

EXPECTED = {
    "SCHEMA_VERSION", "Article", "ConfigError", "ExtractError", "FetchError", "Metadata",
    "NotHTMLError", "Page", "PageType", "ScraperError", "__version__", "extract", "extract_url",
}  # fmt: skip


def test_all_is_pinned() -> None:
    assert set(scraper.__all__) == EXPECTED


def test_every_exported_name_exists() -> None:
    for name in scraper.__all__:
        assert hasattr(scraper, name), name
