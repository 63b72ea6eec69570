"""URL rules shared by discovery: which links count, and which hosts count as the same site."""

from __future__ import annotations

import urllib.parse

__all__ = ["MAX_URL_LENGTH", "absolute_http", "same_site", "site_of"]

MAX_URL_LENGTH = 2048  # sitemaps.org: a <loc> is under 2,048 characters; longer is junk
_WWW = "www."  # example.org and www.example.org are one site (a common sitemap set-up)


def absolute_http(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``, without its fragment; None unless a usable http(s) URL.

    Example:
        >>> absolute_http("https://example.org/a/", "b?x=1#top")
        'https://example.org/a/b?x=1'
    """
    href = href.strip()
    if not href or len(href) > MAX_URL_LENGTH:
        return None
    try:
        url = urllib.parse.urldefrag(urllib.parse.urljoin(base, href)).url
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # a malformed IPv6 literal, say
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


def site_of(url: str) -> str:
    """The host of ``url``, lower case, without port and without a leading "www."."""
    try:
        host = urllib.parse.urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix(_WWW)


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on the same host, scheme, port and a leading "www." aside.

    Example:
        >>> same_site("https://example.org/a.xml", "http://www.example.org:8080/b.xml")
        True
        >>> same_site("https://example.org/a.xml", "https://cdn.example.org/b.xml")
        False
    """
    site = site_of(url)
    return bool(site) and site == site_of(other)
