"""The dates of sitemaps and feeds, read into aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scraper.crawl.discover.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", datetime(2024, 1, 1, tzinfo=UTC)),
        ("2024-05", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-01T10:30+02:00", datetime(2024, 5, 1, 8, 30, tzinfo=UTC)),
        ("2024-05-01T10:30:15.5Z", datetime(2024, 5, 1, 10, 30, 15, 500000, tzinfo=UTC)),
        ("2024-05-01T10:30:00", datetime(2024, 5, 1, 10, 30, tzinfo=UTC)),
        (" Wed, 01 May 2024 10:00:00 GMT ", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("Wed, 01 May 2024 10:00:00 -0500", datetime(2024, 5, 1, 15, tzinfo=UTC)),
    ],
    ids=["year", "month", "date", "minutes-offset", "fraction-z", "naive", "rfc822-gmt", "rfc822"],
)
def test_readable_dates(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "yesterday", "2024-13-45", "Mon, 99 Foo"])
def test_unreadable_dates_are_none(text: str | None) -> None:
    assert parse_date(text) is None
