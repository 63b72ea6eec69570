"""What discovery hands the crawler: a URL and, when the source said, when it last changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Discovered"]


@dataclass(frozen=True)
class Discovered:
    """One URL found in a sitemap or feed.

    Attributes:
        url: an absolute http(s) URL.
        lastmod: when it last changed (timezone-aware, UTC), or None when the source gave
            no date or one we could not read.
    """

    url: str
    lastmod: datetime | None = None
