"""Turn httpx errors and HTTP error statuses into our FetchError types, with useful messages.

One table per kind of failure, so that the wording of every fetch error lives in one place.
"""

from __future__ import annotations

import httpx

from scraper.errors import (
    ConnectError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    InvalidURLError,
)

__all__ = ["status_error", "transport_error"]

# httpx error -> our error type and what it means; the first match wins (subclasses first).
_TRANSPORT_ERRORS: tuple[tuple[type[httpx.HTTPError], type[FetchError], str], ...] = (
    (httpx.ConnectTimeout, FetchTimeoutError, "connecting took over {timeout:g} s"),
    (httpx.ReadTimeout, FetchTimeoutError, "the server sent nothing for {timeout:g} s"),
    (httpx.WriteTimeout, FetchTimeoutError, "sending the request took over {timeout:g} s"),
    (httpx.PoolTimeout, FetchTimeoutError, "no connection came free within {timeout:g} s"),
    (httpx.TimeoutException, FetchTimeoutError, "timed out after {timeout:g} s"),
    (httpx.ConnectError, ConnectError, "cannot connect"),
    (httpx.RemoteProtocolError, ConnectError, "the server closed the connection early"),
    (httpx.ReadError, ConnectError, "the connection broke while reading (reset?)"),
    (httpx.WriteError, ConnectError, "the connection broke while sending (reset?)"),
    (httpx.UnsupportedProtocol, InvalidURLError, "unsupported URL scheme"),
    (httpx.HTTPError, ConnectError, "the HTTP exchange failed"),
)

_TIMEOUT_HINT = "the server is too slow or unreachable; try later or raise fetch.timeout"
_NETWORK_HINT = "check the URL and your network, or try later"

# Status -> what it means for the caller; 4xx and 5xx not listed get a generic hint.
_STATUS_HINTS: dict[int, str] = {
    401: "the page needs a login; scraper cannot fetch it",
    403: "access is forbidden (or we are blocked); do not retry soon",
    404: "the page does not exist; drop the URL",
    410: "the page is gone for good; drop the URL",
    429: "the site is rate-limiting us; slow down (lower fetch.concurrency, raise "
    "fetch.per_host_delay) and try later",
    500: "the server failed; try later",
    502: "the site's gateway failed; try later",
    503: "the site is overloaded or down; try later",
    504: "the site's gateway timed out; try later",
}
_CLIENT_ERROR_HINT = "the server refused the request; check the URL"
_SERVER_ERROR_HINT = "the server failed; try later"
_OTHER_STATUS_HINT = "scraper only accepts 2xx answers (and 304 to a conditional request)"


def transport_error(url: str, exc: httpx.HTTPError, timeout: float) -> FetchError:
    """The FetchError for a failed exchange: timeout, connection error or bad URL."""
    for httpx_type, our_type, what in _TRANSPORT_ERRORS:
        if isinstance(exc, httpx_type):
            hint = _TIMEOUT_HINT if our_type is FetchTimeoutError else _NETWORK_HINT
            cause = str(exc) or type(exc).__name__
            return our_type(url, f"{what.format(timeout=timeout)} ({cause}); {hint}")
    raise AssertionError("unreachable: httpx.HTTPError is the last row") from exc


def status_error(url: str, status: int, reason: str, retry_after: float | None) -> HTTPStatusError:
    """The HTTPStatusError for a status we do not accept, with a hint on what to do."""
    if status in _STATUS_HINTS:
        hint = _STATUS_HINTS[status]
    elif 400 <= status < 500:
        hint = _CLIENT_ERROR_HINT
    elif status >= 500:
        hint = _SERVER_ERROR_HINT
    else:
        hint = _OTHER_STATUS_HINT
    wait = f" (Retry-After: {retry_after:g} s)" if retry_after is not None else ""
    message = f"the server answered {status} {reason}{wait}; {hint}"
    return HTTPStatusError(url, status, message, retry_after=retry_after)
