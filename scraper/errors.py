"""The exception tree of scraper.

Every error we raise is a ``ScraperError``; callers catch that one class, or a
branch of it. Each message says what went wrong and what to do about it.

    ScraperError
    ├── ConfigError              config.toml is malformed or has a wrong value
    ├── ExtractError             the input cannot be turned into an article
    │   ├── NotHTMLError         the input is a PDF, an image or other binary data
    │   └── EmptyContentError    the page parsed, but holds no main content
    ├── FetchError               a URL could not be fetched (carries ``url``)
    │   ├── InvalidURLError      not an http(s) URL we can fetch
    │   ├── BlockedAddressError  the host resolves to a private/loopback/link-local address
    │   ├── RobotsDisallowedError robots.txt forbids the URL for our user agent
    │   ├── ConnectError         DNS failure, refused or reset connection
    │   ├── FetchTimeoutError    connect, read or total time budget exceeded
    │   ├── HTTPStatusError      the server answered with an error status (carries ``status``)
    │   ├── TooLargeError        the body (or its decompressed form) exceeds ``max_bytes``
    │   ├── ContentTypeError     the response is not of a type the caller accepts (HTML by default)
    │   └── RedirectError        too many redirects, or a redirect loop
    ├── DiscoveryError           a sitemap, feed or robots.txt is malformed, unsafe or off-site
    ├── BenchError               the benchmark data folder is missing or malformed
    └── SinkError                a sink cannot be opened, or a record cannot be stored
        ├── InvalidRecordError   the record has no string id, or holds what JSON cannot carry
        └── UnsafePathError      a sink file would lie outside its output folder
"""

from __future__ import annotations

__all__ = [
    "BenchError",
    "BlockedAddressError",
    "ConfigError",
    "ConnectError",
    "ContentTypeError",
    "DiscoveryError",
    "EmptyContentError",
    "ExtractError",
    "FetchError",
    "FetchTimeoutError",
    "HTTPStatusError",
    "InvalidRecordError",
    "InvalidURLError",
    "NotHTMLError",
    "RedirectError",
    "RobotsDisallowedError",
    "ScraperError",
    "SinkError",
    "TooLargeError",
    "UnsafePathError",
]


class ScraperError(Exception):
    """Base class of every error scraper raises on purpose."""


class ConfigError(ScraperError):
    """config.toml (or a CLI flag) is malformed or holds a wrong value."""


class ExtractError(ScraperError):
    """The input cannot be turned into an article."""


class NotHTMLError(ExtractError):
    """The input is binary data (PDF, image, archive), not HTML."""


class EmptyContentError(ExtractError):
    """The page parsed, but no main content could be found in it."""


class DiscoveryError(ScraperError):
    """A sitemap, feed or robots.txt cannot be used to discover URLs; callers skip it.

    Args:
        url: the sitemap, feed or robots.txt at fault.
        message: what is wrong with it and what to do about it.
    """

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message


class BenchError(ScraperError):
    """The benchmark data folder is missing or malformed."""


class FetchError(ScraperError):
    """A URL could not be fetched.

    Args:
        url: the URL that failed.
        message: what went wrong and what to do about it.
    """

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message


class InvalidURLError(FetchError):
    """The URL is not an absolute http(s) URL."""


class BlockedAddressError(FetchError):
    """The host resolves to an address the address guard refuses."""


class RobotsDisallowedError(FetchError):
    """robots.txt of the host disallows the URL for our user agent."""


class ConnectError(FetchError):
    """DNS failure, refused or reset connection."""


class FetchTimeoutError(FetchError):
    """A connect, read or total time budget was exceeded."""


class HTTPStatusError(FetchError):
    """The server answered with an error status.

    Args:
        url: the URL that failed.
        status: the HTTP status code.
        message: what went wrong and what to do about it.
        retry_after: seconds the server asked us to wait (Retry-After), if it said.
    """

    def __init__(
        self, url: str, status: int, message: str, retry_after: float | None = None
    ) -> None:
        super().__init__(url, message)
        self.status = status
        self.retry_after = retry_after


class TooLargeError(FetchError):
    """The body, compressed or decompressed, exceeds the configured max_bytes."""


class ContentTypeError(FetchError):
    """The response is not of a type the caller accepts (HTML or XHTML by default)."""


class RedirectError(FetchError):
    """Too many redirects, or a redirect loop."""


class SinkError(ScraperError):
    """A sink cannot be opened, or a record cannot be written or committed."""


class InvalidRecordError(SinkError):
    """The record has no non-empty string ``id``, or holds a value JSON cannot carry."""


class UnsafePathError(SinkError):
    """A file the sink would open lies outside its output folder (``..``, absolute, symlink)."""
