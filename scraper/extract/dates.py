"""Date strings -> ISO 8601, dates in URLs and visible text, and the htmldate fallback.

Kept apart from ``metadata.py`` because date parsing is its own small language (ISO 8601,
RFC 2822, "September 29, 2020", "29.09.2020") and because the htmldate fallback is the one slow,
third-party step of metadata extraction, which we want fenced in one place.

Output form: a date-only source gives ``YYYY-MM-DD``; a source with a time gives
``YYYY-MM-DDTHH:MM:SS`` plus its UTC offset when it has one (``Z`` becomes ``+00:00``);
fractions of a second are dropped.
"""

from __future__ import annotations

import email.utils
import re
from datetime import date, datetime

import htmldate

from scraper.extract.metadata_rules import (
    ISO_DATE,
    MAX_YEAR,
    MIN_YEAR,
    MONTHS,
    NUMERIC_DATE,
    TEXT_DATE_DMY,
    TEXT_DATE_MDY,
    URL_DATE,
    YEAR_ONLY_SUFFIX,
)

# htmldate reads at most this many characters of <head> and of <body> (see _budgeted_markup).
HTMLDATE_MAX_CHARS = 40_000
_BODY_TAG = re.compile(r"<body\b", re.I)

__all__ = ["date_in_text", "date_in_url", "htmldate_published", "parse_date"]


def parse_date(raw: str) -> str | None:
    """Normalise a date as found in a meta tag, JSON-LD or an attribute to ISO 8601.

    Machine formats keep their time and offset; human formats give a date only.

    Args:
        raw: the string as found, e.g. ``"2020-09-29T18:02:00+03:00"`` or ``"Sep 29, 2020"``.

    Returns:
        The ISO 8601 form, or None when ``raw`` holds no plausible date.

    Example:
        >>> parse_date("2020-09-29T18:02:00.000+0300")
        '2020-09-29T18:02:00+03:00'
    """
    text = raw.strip()
    if not text or len(text) > 200:
        return None
    match = ISO_DATE.match(text)
    if match:
        return _iso(text, has_time=match.group(4) is not None)
    return _rfc2822(text) or date_in_text(text)


def date_in_text(text: str) -> str | None:
    """The first date written out in ``text`` ("Tuesday, September 29, 2020", "29.09.2020").

    Returns:
        ``YYYY-MM-DD`` or None.
    """
    for pattern, months_first in ((TEXT_DATE_MDY, True), (TEXT_DATE_DMY, False)):
        match = pattern.search(text)
        if match:
            month_name, day = (1, 2) if months_first else (2, 1)
            month = MONTHS[match.group(month_name).lower()]
            found = _ymd(int(match.group(3)), month, int(match.group(day)))
            if found:
                return found
    for pattern, order in NUMERIC_DATE:
        match = pattern.search(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            found = _ymd(parts["y"], parts["m"], parts["d"])
            if found:
                return found
    return None


def date_in_url(url: str) -> tuple[str, str] | None:
    """The date a URL path encodes (``/2020/09/29/``), with the matched text.

    Returns:
        ``(YYYY-MM-DD, raw)`` or None.
    """
    for pattern in URL_DATE:
        match = pattern.search(url)
        if match:
            found = _ymd(*map(int, match.groups()))
            if found:
                return found, match.group(0).strip("/_-.")
    return None


def htmldate_published(markup: str, url: str | None) -> str | None:
    """Ask htmldate for the original publication date: the slow last resort.

    htmldate runs many heuristics over a full lxml parse of arbitrary HTML; any exception it
    raises is treated as "no date", because metadata extraction must never fail on a bad page.
    A 1 January answer is dropped: it is htmldate's reading of a bare year (copyright lines),
    and real publications on that day are rarer than footers.

    Returns:
        ``YYYY-MM-DD`` or None.
    """
    budgeted = _budgeted_markup(markup)
    if not budgeted:
        return None
    try:
        found = htmldate.find_date(budgeted, url=url, extensive_search=False, original_date=True)
    except Exception:  # third-party heuristics on untrusted input; see the docstring
        return None
    if not isinstance(found, str) or found.endswith(YEAR_ONLY_SUFFIX):
        return None
    return found if parse_date(found) else None


def _budgeted_markup(markup: str) -> str:
    """The page's source up to its <body> tag and the start of what follows: dates sit near
    the top, and htmldate's cost grows with the page (a 2 MB page took 2 s), so each part is
    capped at HTMLDATE_MAX_CHARS. Cut from the source, not from the parsed tree: serialising
    a large <body> to cut it cost more than htmldate's own parse (0.9 ms a call)."""
    body = _BODY_TAG.search(markup)
    if body is None:  # a fragment: the parser builds the <body>
        return markup[: 2 * HTMLDATE_MAX_CHARS]
    head = _closed(markup[: body.start()][:HTMLDATE_MAX_CHARS])
    return head + markup[body.start() : body.start() + HTMLDATE_MAX_CHARS]


def _closed(head: str) -> str:
    """A cut <head> without the script or style the cut left open (a parser would read all
    that follows, the body included, as its text)."""
    lowered = head.lower()
    for tag in ("script", "style"):
        opened = lowered.rfind(f"<{tag}")
        if opened > lowered.rfind(f"</{tag}"):
            head, lowered = head[:opened], lowered[:opened]
    return head


def _iso(text: str, *, has_time: bool) -> str | None:
    """ISO 8601 text, already shape-checked, to our normal form."""
    try:
        if not has_time:
            day = date.fromisoformat(text[:10])
            return day.isoformat() if MIN_YEAR <= day.year <= MAX_YEAR else None
        moment = datetime.fromisoformat(text.replace(" ", "T", 1).replace(",", "."))
    except ValueError:
        return None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    return moment.replace(microsecond=0).isoformat()


def _rfc2822(text: str) -> str | None:
    """An e-mail style date with a time ("Tue, 29 Sep 2020 18:02:00 +0300"), else None."""
    if ":" not in text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    return moment.replace(microsecond=0).isoformat()


def _ymd(year: int, month: int, day: int) -> str | None:
    """A calendar date as ISO text, or None when it does not exist or is implausible."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
