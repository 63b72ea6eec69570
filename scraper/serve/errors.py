"""Every failure of the HTTP API as one JSON shape, with the status that tells the client why.

    {"error": {"type": "blocked_address", "message": "http://10.0.0.1/: 10.0.0.1 is a ..."}}

Library errors map to (status, type) by class, most specific first (``LIBRARY_ERRORS``); the
API's own refusals are ``ApiError``. Nothing else reaches a client: an unexpected exception is
logged with its traceback on the server and answered as ``internal`` without one.
"""

from __future__ import annotations

import logging
from typing import Final

from starlette.responses import JSONResponse

from scraper.errors import (
    BlockedAddressError,
    ConnectError,
    ContentTypeError,
    ExtractError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    InvalidURLError,
    NotHTMLError,
    RedirectError,
    RobotsDisallowedError,
    ScraperError,
    TooLargeError,
)

__all__ = ["LIBRARY_ERRORS", "ApiError", "as_api_error", "error_response"]

_LOG = logging.getLogger("scraper.serve")

# Library error -> (HTTP status, error type). 4xx: the request is at fault, do not retry it
# as is; 502/504: the page's server failed or was too slow; 422: the input is not a web page.
LIBRARY_ERRORS: Final[tuple[tuple[type[ScraperError], int, str], ...]] = (
    (InvalidURLError, 400, "invalid_url"),
    (BlockedAddressError, 400, "blocked_address"),  # SSRF guard, on the URL or any redirect
    (ContentTypeError, 422, "not_html"),  # the fetched page is a PDF, an image...
    (NotHTMLError, 422, "not_html"),  # the posted HTML is binary data
    (ExtractError, 422, "extract_failed"),
    (RobotsDisallowedError, 502, "robots_disallowed"),
    (ConnectError, 502, "connect_failed"),
    (FetchTimeoutError, 504, "fetch_timeout"),
    (HTTPStatusError, 502, "upstream_status"),
    (TooLargeError, 502, "upstream_too_large"),
    (RedirectError, 502, "redirect_failed"),
    (FetchError, 502, "fetch_failed"),
    (ScraperError, 500, "internal"),
)


class ApiError(Exception):
    """A refusal of the API itself: bad input, no token, too large, rate, busy, time budget.

    Args:
        status: the HTTP status.
        type: the error type clients switch on (``bad_request``, ``unauthorized``...).
        message: what is wrong and what to do.
        headers: extra response headers (Retry-After, WWW-Authenticate).
    """

    def __init__(
        self, status: int, type: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type
        self.message = message
        self.headers = headers or {}


def as_api_error(error: BaseException) -> ApiError:
    """The ApiError a client sees for any exception (unexpected ones logged here)."""
    if isinstance(error, ApiError):
        return error
    if isinstance(error, BlockedAddressError):
        return ApiError(400, "blocked_address", _blocked_message(error))
    if isinstance(error, ScraperError):
        for kind, status, type_ in LIBRARY_ERRORS:
            if isinstance(error, kind):
                return ApiError(status, type_, str(error))
    _LOG.error("unexpected error", exc_info=error)
    return ApiError(500, "internal", "internal error; the server log has the details")


def _blocked_message(error: BlockedAddressError) -> str:
    """The guard's reason, with the API's way to allow an address instead of the CLI's."""
    what = error.reason.split("; ", 1)[0]  # "10.0.0.1 is a private address"
    return (
        f"{error.url}: {what}; the API refuses private, loopback, link-local and reserved "
        "addresses (also when a redirect leads there); the server's operator can allow "
        "networks with [serve] allowed_networks"
    )


def error_response(error: ApiError) -> JSONResponse:
    """The JSON response for an ApiError."""
    body = {"error": {"type": error.type, "message": error.message}}
    return JSONResponse(body, status_code=error.status, headers=error.headers)
