"""The stored record: ``Article.to_dict()`` plus a stable ``id`` and a ``crawl`` object.

    {..., "id": "sha256:<hex>",
     "crawl": {"source": "moscow-times", "fetched_at": "2026-11-27T21:00:00+00:00",
               "revision": 1, "status": 200, "final_url": "https://...",
               "duplicate_urls": ["https://..."]}}

``id`` is the SHA-256 of the normalised URL and the content hash: the same text at the same
address always has the same id (so writing it again is a no-op for the sink), and a changed
text gets a new id and the next ``revision``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scraper.models import Article

__all__ = ["CrawlInfo", "build_record", "record_id"]


@dataclass(frozen=True)
class CrawlInfo:
    """How and when the crawl found a page; becomes the record's ``crawl`` object."""

    source: str
    fetched_at: str  # ISO 8601 UTC
    revision: int  # 1 for the first version of the URL's text, 2 after it changed, ...
    status: int
    final_url: str
    duplicate_urls: Sequence[str] = ()  # other URLs known to serve the same text

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, keys in a stable order."""
        return {
            "source": self.source,
            "fetched_at": self.fetched_at,
            "revision": self.revision,
            "status": self.status,
            "final_url": self.final_url,
            "duplicate_urls": list(self.duplicate_urls),
        }


def record_id(url: str, content_hash: str) -> str:
    """``sha256:<hex>`` of the normalised URL and the content hash.

    Example:
        >>> record_id("https://example.com/a", "sha256:00")[:15]
        'sha256:4a2e6a1'
    """
    digest = hashlib.sha256(f"{url}\n{content_hash}".encode()).hexdigest()
    return f"sha256:{digest}"


def build_record(article: Article, url: str, crawl: CrawlInfo) -> dict[str, Any]:
    """The record to store for ``article`` found at normalised ``url``."""
    record = article.to_dict()
    record["id"] = record_id(url, article.content_hash)
    record["crawl"] = crawl.to_dict()
    return record
