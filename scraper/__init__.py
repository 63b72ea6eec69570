"""scraper: fetch pages politely, extract the article, store clean JSON.

The public API::

    from scraper import extract
    article = extract(html_bytes, url="https://example.com/a")
    article.text, article.to_dict()
    article = extract_url("https://example.com/a")  # fetch politely, then extract
"""

from __future__ import annotations

__version__ = "0.1.0"

from scraper.errors import (  # noqa: E402  (the version must exist before submodules import it)
    ConfigError,
    ExtractError,
    FetchError,
    NotHTMLError,
    ScraperError,
)
from scraper.api import extract_url  # noqa: E402
from scraper.extract import extract  # noqa: E402
from scraper.models import SCHEMA_VERSION, Article, Metadata, Page, PageType  # noqa: E402

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
