"""scraper: fetch pages politely, extract the article, store clean JSON.

The public API::

    from scraper import extract
    article = extract(html_bytes, url="https://example.com/a")
    article.text, article.to_dict()
    article = extract_url("https://example.com/a")  # fetch politely, then extract
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scraper.errors import (
    ConfigError,
    ExtractError,
    FetchError,
    NotHTMLError,
    ScraperError,
)
from scraper.extract import extract
from scraper.models import SCHEMA_VERSION, Article, Metadata, Page, PageType
from scraper.version import __version__

if TYPE_CHECKING:
    from scraper.api import extract_url

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "ConfigError",
    "ExtractError",
    "FetchError",
    "Metadata",
    "NotHTMLError",
    "Page",
    "PageType",
    "ScraperError",
    "__version__",
    "extract",
    "extract_url",
]


def __getattr__(name: str) -> Any:
    """``extract_url`` on first use: it brings the fetcher (httpx), which extraction processes
    of a crawl never need (each one imports this package; see scraper/crawl/pool.py)."""
    if name == "extract_url":
        from scraper.api import extract_url

        return extract_url
    raise AttributeError(f"module 'scraper' has no attribute {name!r}")
