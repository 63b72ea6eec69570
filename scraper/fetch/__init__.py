"""Fetching pages: ``Fetcher`` (async, for crawls) and ``fetch_url`` (sync, for one page).

Both return a ``scraper.models.Page`` or raise a ``scraper.errors.FetchError`` subclass. See
client.py for the layers a URL goes through. ``Fetcher.fetch(url, accept=Accept.XML)`` takes
sitemaps and feeds; the default takes HTML only.
"""

from __future__ import annotations

from scraper.fetch.accept import Accept
from scraper.fetch.client import MAX_REDIRECTS, Fetcher, fetch_url
from scraper.fetch.guard import AddressGuard, Resolver, blocked_reason, parse_ip_literal
from scraper.fetch.retry import RETRY_STATUSES, parse_retry_after

__all__ = [
    "MAX_REDIRECTS",
    "RETRY_STATUSES",
    "Accept",
    "AddressGuard",
    "Fetcher",
    "Resolver",
    "blocked_reason",
    "fetch_url",
    "parse_ip_literal",
    "parse_retry_after",
]
