"""URL rules: one normal form per address, and which links a source follows.

``normalise_url`` gives the key under which the frontier and state know a page: scheme and host
lowercased, default ports, fragments and tracking parameters (utm_*, fbclid, gclid...) dropped,
query parameters sorted, path case kept (courlan does the cleaning). ``LinkRules`` compiles a
source's follow/deny regexes once and answers whether a link belongs to the crawl.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from courlan import normalize_url

from scraper.errors import InvalidURLError

if TYPE_CHECKING:  # the config brings croniter and tomllib; extraction processes import this
    from scraper.config import SourceConfig

__all__ = ["SKIPPED_EXTENSIONS", "LinkRules", "normalise_url", "site_of"]

# Links to files that are never HTML: not worth a request (the fetcher would refuse them anyway).
_IMAGES: Final = ".jpg .jpeg .png .gif .webp .svg .ico .bmp .tif .tiff .avif"
_MEDIA: Final = ".mp3 .mp4 .m4a .wav .ogg .webm .mov .avi"
_FILES: Final = ".pdf .zip .gz .tgz .rar .7z .exe .dmg .apk .doc .docx .xls .xlsx .ppt .pptx"
_ASSETS: Final = ".css .js .json .xml .rss .atom .txt .csv"  # assets and data, not pages
SKIPPED_EXTENSIONS: Final = frozenset(" ".join((_IMAGES, _MEDIA, _FILES, _ASSETS)).split())
_SCHEMES: Final = frozenset({"http", "https"})
# A URL already in normal form: lowercase host, no port, a path of characters that are never
# percent-encoded, no query, no fragment. Such a URL is its own normal form (checked against
# the full path on 14,426 distinct links of the bench pages, and by a property test); about
# half of real links are like this, and the full path takes 15 us against 1.
_NORMAL: Final = re.compile(r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*(?:/[A-Za-z0-9._~/-]*)?")


def normalise_url(url: str) -> str:
    """The normal form of an absolute http(s) URL.

    Raises:
        InvalidURLError: the URL is not absolute http(s), or cannot be parsed.

    Example:
        >>> normalise_url("HTTPS://Example.COM/News/A?utm_source=x&b=2&a=1#top")
        'https://example.com/News/A?a=1&b=2'
    """
    if _NORMAL.fullmatch(url) and _plain(url.partition("://")[2]):
        return url if url.count("/") > 2 else url + "/"
    return _normalised(url)


def _normalised(url: str) -> str:
    """``normalise_url`` the long way: courlan, then the path's ``/`` and no fragment."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
            raise InvalidURLError(url, "not an absolute http:// or https:// URL; fix the link")
        cleaned = urllib.parse.urlsplit(normalize_url(url.strip()))
    except ValueError as exc:
        raise InvalidURLError(url, f"not a valid URL ({exc}); fix the link") from exc
    return urllib.parse.urlunsplit(cleaned._replace(path=cleaned.path or "/", fragment=""))


def _plain(rest: str) -> bool:
    """No punycode host to decode, no ``//`` to collapse, no dot segment to resolve."""
    return "xn--" not in rest and "//" not in rest and "/." not in rest


def site_of(url: str) -> str:
    """The site a URL belongs to: its host without a leading ``www.``."""
    host = urllib.parse.urlsplit(url).hostname or ""
    return host.removeprefix("www.")


@dataclass(frozen=True)
class LinkRules:
    """Which links a source follows: allow/deny regexes, same site as a seed, depth."""

    follow: tuple[re.Pattern[str], ...]
    deny: tuple[re.Pattern[str], ...]
    sites: frozenset[str] | None  # None: any site
    max_depth: int

    @classmethod
    def from_source(cls, source: SourceConfig) -> LinkRules:
        """The rules of one [[sources]] entry, regexes compiled once."""
        entry_points = (*source.seeds, *source.sitemaps, *source.feeds)
        return cls(
            follow=tuple(re.compile(p) for p in source.follow),
            deny=tuple(re.compile(p) for p in source.deny),
            sites=frozenset(site_of(u) for u in entry_points) if source.same_site else None,
            max_depth=source.max_depth,
        )

    def allows(self, url: str, depth: int) -> bool:
        """Whether a normalised link found at ``depth`` is crawled."""
        if depth > self.max_depth:
            return False
        path = urllib.parse.urlsplit(url).path.lower()
        if any(path.endswith(ext) for ext in SKIPPED_EXTENSIONS):
            return False
        if self.sites is not None and site_of(url) not in self.sites:
            return False
        if self.follow and not any(p.search(url) for p in self.follow):
            return False
        return not any(p.search(url) for p in self.deny)
