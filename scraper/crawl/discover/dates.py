"""The dates of sitemaps and feeds: W3C Datetime / RFC 3339 (sitemaps, Atom, dc:date) and
RFC 822 (RSS pubDate), read into timezone-aware UTC datetimes.

A date we cannot read makes its entry undated (None), not the document broken: one bad
<lastmod> should not cost the other 49,999 URLs of a sitemap.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime

__all__ = ["as_utc", "newest", "parse_date"]

# W3C Datetime's reduced precisions, which datetime.fromisoformat does not take: "2024", "2024-05".
_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def parse_date(text: str | None) -> datetime | None:
    """A sitemap or feed date as an aware UTC datetime, or None when absent or unreadable.

    Naive times are taken as UTC; a bare date means its midnight UTC.

    Example:
        >>> parse_date("2024-05-01T12:00:00+02:00").isoformat()
        '2024-05-01T10:00:00+00:00'
        >>> parse_date("Wed, 01 May 2024 10:00:00 GMT").isoformat()
        '2024-05-01T10:00:00+00:00'
    """
    text = (text or "").strip()
    if not text:
        return None
    return _w3c(text) or _rfc822(text)


def newest(dates: list[datetime | None]) -> datetime | None:
    """The latest of the known dates, or None when none is known."""
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _w3c(text: str) -> datetime | None:
    """W3C Datetime / ISO 8601, or None."""
    match = _YEAR_MONTH.match(text)
    try:
        if match:
            return datetime(int(match.group(1)), int(match.group(2) or 1), 1, tzinfo=UTC)
        return as_utc(datetime.fromisoformat(text))
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    """RFC 822 / RFC 2822 (RSS pubDate), or None."""
    try:
        return as_utc(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
