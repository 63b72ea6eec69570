"""Fetch-then-extract for one URL: the path shared by ``scraper extract URL`` and Python callers."""

from __future__ import annotations

from scraper.config import Config, load_config
from scraper.extract import Trace, extract
from scraper.fetch import fetch_url
from scraper.models import Article

__all__ = ["extract_url"]


def extract_url(url: str, *, config: Config | None = None, trace: Trace | None = None) -> Article:
    """Fetch ``url`` with the polite, guarded fetcher and extract its article.

    Args:
        url: an absolute http(s) URL.
        config: fetch settings; by default ./config.toml if present, else the built-in defaults.
        trace: filled with every extraction decision when given (see ``scraper extract --explain``).

    Returns:
        The Article; its ``url`` is the final URL after redirects.

    Raises:
        FetchError: the page could not be fetched (a subclass says why).
        NotHTMLError: the response body is not HTML.

    Example:
        >>> extract_url("https://example.org/news/1").title  # doctest: +SKIP
        'A headline'
    """
    settings = config if config is not None else load_config(None)
    page = fetch_url(url, settings.fetch)
    return extract(page.content, url=page.final_url, charset=page.encoding, trace=trace)
