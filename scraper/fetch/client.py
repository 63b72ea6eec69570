"""The Fetcher: URL in, Page out, politely and within bounds, or a typed FetchError.

One URL goes through these layers, each in its own module:

1. ``fetch``: check the URL, then follow redirects hop by hop (limit and loop detection here),
   and decode the final body into a Page (charset via scraper.decode). ``accept`` says which
   content types the caller takes (accept.py): HTML unless it asks for XML or plain text.
   ``_capped`` holds the whole fetch to the wall-time cap (retry.py), so it never hangs.
2. ``_fetch_hop``: robots.txt for the hop's URL (robots.py), then the retry policy (retry.py)
   around attempts.
3. ``_attempt``: wait for a politeness slot for the host (politeness.py; that wait is not
   charged to the retry budget), then one exchange under a total time limit; httpx errors
   become FetchErrors (failures.py).
4. ``_exchange``: send, tell politeness how the host answered, judge the status and content
   type (accept.py), and stream the body within max_bytes (body.py).
Every connection, including those of redirects and robots.txt, is opened by the guarded
transport (transport.py), which resolves the host and refuses private addresses (guard.py).
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

import httpx

from scraper.config import FetchConfig
from scraper.decode import decode_html
from scraper.errors import (
    BlockedAddressError,
    ContentTypeError,
    FetchTimeoutError,
    InvalidURLError,
    NotHTMLError,
    RedirectError,
)
from scraper.fetch.accept import Accept, accept_header, check_content_type
from scraper.fetch.body import ACCEPT_ENCODING, read_body
from scraper.fetch.failures import status_error, transport_error
from scraper.fetch.guard import AddressGuard, Resolver, parse_ip_literal
from scraper.fetch.politeness import Pacer, Politeness
from scraper.fetch.retry import RETRY_STATUSES, RetryClock, parse_retry_after, retrying, wall_cap
from scraper.fetch.robots import ROBOTS_MAX_REDIRECTS, RobotsCache
from scraper.fetch.transport import GuardedTransport
from scraper.models import Page

__all__ = ["MAX_REDIRECTS", "Fetcher", "fetch_url"]

MAX_REDIRECTS = 10  # hops followed before giving up (browsers allow about 20, crawlers 5-10)
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_ATTEMPT_TIMEOUTS = 2  # one attempt may last this many fetch.timeout (a server dripping bytes)


@dataclass(frozen=True)
class _Answer:
    """One hop's accepted answer: a redirect (location set), 304, or a 2xx body."""

    status: int
    headers: dict[str, str]
    content: bytes = b""
    charset: str | None = None
    location: str | None = None


class Fetcher:
    """Fetches pages: retries, politeness, robots.txt and the address guard built in.

    Use it as an async context manager so its connections are closed:

        async with Fetcher(config) as fetcher:
            page = await fetcher.fetch("https://example.org/")

    Args:
        config: the [fetch] section; read once here.
        resolver: how host names are resolved (tests map names to 127.0.0.1); default DNS.
        politeness: the pace keeper; default one of this process (``Politeness``), a shared
            crawl passes one kept in Redis for all its workers.
    """

    def __init__(
        self,
        config: FetchConfig,
        *,
        resolver: Resolver | None = None,
        politeness: Pacer | None = None,
    ) -> None:
        self._config = config
        self._attempt_timeout = config.timeout * _ATTEMPT_TIMEOUTS
        self._politeness = politeness or Politeness(config)
        self._transport = GuardedTransport(
            AddressGuard.from_config(config, resolver), max_connections=config.concurrency
        )
        # The client builds requests (headers, timeouts) and serves robots.txt, which may follow
        # redirects; pages go straight to the transport, as httpx would refuse some Location
        # values itself before our redirect handling could send them to the guard.
        self._client = httpx.AsyncClient(
            transport=self._transport,
            headers={
                "User-Agent": config.user_agent,
                "Accept": accept_header(Accept.HTML),
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            timeout=httpx.Timeout(config.timeout),
            follow_redirects=False,
            max_redirects=ROBOTS_MAX_REDIRECTS,
            trust_env=False,
        )
        self._robots = (
            RobotsCache(config, self._client, self._politeness) if config.respect_robots else None
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every pooled connection."""
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: Accept = Accept.HTML,
    ) -> Page:
        """Fetch one page (HTML unless ``accept`` says otherwise), following redirects.

        Args:
            url: an absolute http(s) URL.
            etag: the ETag of the copy we have; sent as If-None-Match.
            last_modified: its Last-Modified; sent as If-Modified-Since.
            accept: the content types taken (see Accept): HTML pages by default; XML for
                sitemaps and feeds (a gzip body stays compressed in ``content``, ``text``
                empty); TEXT for robots.txt and the like. Size limits apply to all.

        Returns:
            The Page; ``not_modified`` is True (and the body empty) when the server
            answered 304 to the conditional request.

        Raises:
            FetchError: one of its subclasses (see scraper.errors), naming URL and cause;
                FetchTimeoutError when the fetch outlasts its wall-time cap (retry.py).

        Example:
            >>> page = await fetcher.fetch("https://example.org/")  # doctest: +SKIP
            >>> page.status, page.final_url
            (200, 'https://example.org/')
        """
        started = time.monotonic()
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        target = _parse_url(url)
        conditional = _conditional_headers(etag, last_modified)
        redirects: list[str] = []
        async with self._capped(url) as deadline:
            answer = await self._fetch_hop(target, conditional, accept, deadline)
            while answer.location is not None:
                redirects.append(str(target))
                target = _next_hop(url, target, answer.location, redirects)
                answer = await self._fetch_hop(target, conditional, accept, deadline)
        elapsed = time.monotonic() - started
        return _page(url, str(target), answer, redirects, elapsed, fetched_at, accept)

    @asynccontextmanager
    async def _capped(self, url: str) -> AsyncIterator[float]:
        """Hold a whole fetch to its wall-time cap; yields the deadline (time.monotonic())."""
        cap = wall_cap(self._config)
        limit = asyncio.timeout(cap)
        try:
            async with limit:
                yield time.monotonic() + cap
        except TimeoutError as exc:
            if not limit.expired():
                raise
            raise FetchTimeoutError(
                url,
                f"not fetched within {cap:g} s, the time limit of one fetch with its waits "
                "for the host's turn (it grows with fetch.timeout and fetch.retries); the "
                "host kept us waiting (Retry-After cool-downs, 429/503 slowdown): try later",
            ) from exc

    async def _fetch_hop(
        self, target: httpx.URL, headers: dict[str, str], accept: Accept, deadline: float
    ) -> _Answer:
        """robots.txt, then attempts under the retry policy, for one URL of the chain."""
        try:
            if self._robots is not None:
                await self._robots.check(target)
            clock = RetryClock(deadline)
            controller = retrying(self._config, clock)
            return await controller(self._attempt, target, headers, accept, clock)
        except BlockedAddressError as exc:
            raise BlockedAddressError(str(target), exc.reason) from exc

    async def _attempt(
        self, target: httpx.URL, headers: dict[str, str], accept: Accept, clock: RetryClock
    ) -> _Answer:
        """One try: wait for the host's turn (kept off the budget), then exchange in time."""
        url = str(target)
        queued = time.monotonic()
        async with self._politeness.slot(target.host):
            clock.queued += time.monotonic() - queued
            try:
                async with asyncio.timeout(self._attempt_timeout):
                    return await self._exchange(target, headers, accept)
            except TimeoutError as exc:
                self._politeness.record_timeout(target.host, self._attempt_timeout)
                raise FetchTimeoutError(
                    url,
                    f"no complete response within {self._attempt_timeout:g} s; the "
                    "server is too slow; try later or raise fetch.timeout",
                ) from exc
            except httpx.HTTPError as exc:
                if isinstance(exc, httpx.TimeoutException):
                    self._politeness.record_timeout(target.host, self._config.timeout)
                raise transport_error(url, exc, self._config.timeout) from exc

    async def _exchange(
        self, target: httpx.URL, headers: dict[str, str], accept: Accept
    ) -> _Answer:
        """Send the request, report the host's pace, then judge and read the response."""
        request = self._client.build_request(
            "GET", target, headers={**headers, "Accept": accept_header(accept)}
        )
        sent = time.monotonic()
        response = await self._transport.handle_async_request(request)
        response.request = request
        try:
            retry_after = None
            if response.status_code in RETRY_STATUSES:
                retry_after = parse_retry_after(response.headers.get("retry-after"))
            self._politeness.record(
                target.host, response.status_code, time.monotonic() - sent, retry_after
            )
            return await self._judge(target, response, bool(headers), retry_after, accept)
        finally:
            await response.aclose()

    async def _judge(
        self,
        target: httpx.URL,
        response: httpx.Response,
        conditional: bool,
        retry_after: float | None,
        accept: Accept,
    ) -> _Answer:
        """Accept a redirect, a 304 to a conditional request or an accepted 2xx; raise otherwise."""
        url, status, headers = str(target), response.status_code, dict(response.headers.items())
        if status in _REDIRECT_STATUSES:
            location = response.headers.get("location")
            if not location:
                raise RedirectError(url, f"answered {status} without a Location header")
            return _Answer(status, headers, location=location)
        if status == 304 and conditional:
            return _Answer(status, headers)
        if not 200 <= status < 300:
            raise status_error(url, status, response.reason_phrase, retry_after)
        check_content_type(url, target.path, response.headers.get("content-type", ""), accept)
        content = await read_body(response, url, self._config.max_bytes)
        return _Answer(status, headers, content, response.charset_encoding)


def fetch_url(
    url: str, config: FetchConfig, *, etag: str | None = None, last_modified: str | None = None
) -> Page:
    """Fetch one page from synchronous code (``scraper extract URL``).

    Runs a Fetcher in its own event loop; do not call it from async code (use Fetcher).

    Raises:
        FetchError: as Fetcher.fetch.

    Example:
        >>> fetch_url("https://example.org/", FetchConfig()).status  # doctest: +SKIP
        200
    """

    async def run() -> Page:
        async with Fetcher(config) as fetcher:
            return await fetcher.fetch(url, etag=etag, last_modified=last_modified)

    return asyncio.run(run())


def _parse_url(url: str) -> httpx.URL:
    """The URL without its fragment, or InvalidURLError unless it is absolute http(s)."""
    try:
        parsed = httpx.URL(_canonical_ipv4_host(url))
    except httpx.InvalidURL as exc:
        raise InvalidURLError(url, f"not a valid URL ({exc}); pass an absolute URL") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidURLError(url, "not an absolute http:// or https:// URL; pass one")
    return parsed.copy_with(fragment=None)


def _canonical_ipv4_host(url: str) -> str:
    """The URL with a legacy IPv4 host (2130706433, 0177.0.0.1) written as browsers do (WHATWG).

    httpx rejects some of these forms and would pass others to the resolver as names; written
    out, they reach the address guard as the addresses they are.
    """
    try:
        parts = urllib.parse.urlsplit(url)
        host, port = parts.hostname, parts.port
        literal = parse_ip_literal(host) if host and ":" not in host else None
    except ValueError as exc:
        raise InvalidURLError(url, f"not a valid URL ({exc}); pass an absolute URL") from exc
    if literal is None or str(literal) == host:
        return url
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (f"{userinfo}@" if userinfo else "") + str(literal) + (f":{port}" if port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since for the validators we were given."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _next_hop(origin: str, current: httpx.URL, location: str, seen: list[str]) -> httpx.URL:
    """The redirect target, unless the chain is too long, loops or leaves http(s)."""
    try:
        target = _parse_url(urllib.parse.urljoin(str(current), location))
    except InvalidURLError as exc:
        raise RedirectError(str(current), f"redirects to an invalid URL {location!r}") from exc
    chain = " -> ".join([*seen, str(target)])
    if str(target) in seen:
        raise RedirectError(origin, f"redirect loop: {chain}; the site is misconfigured")
    if len(seen) > MAX_REDIRECTS:
        raise RedirectError(
            origin, f"more than {MAX_REDIRECTS} redirects: {chain}; the site is misconfigured"
        )
    return target


def _page(
    url: str,
    final_url: str,
    answer: _Answer,
    redirects: list[str],
    elapsed: float,
    at: str,
    accept: Accept,
) -> Page:
    """The Page for the last hop's answer, its body decoded (empty for 304 or a binary body)."""
    not_modified = answer.status == 304
    text, encoding = "", ""
    if not not_modified:
        try:
            decoded = decode_html(answer.content, answer.charset)
            text, encoding = decoded.text, decoded.encoding
        except NotHTMLError as exc:
            if accept is Accept.HTML:
                declared = answer.headers.get("content-type", "no content type")
                raise ContentTypeError(final_url, f"declared {declared!r} but {exc}") from exc
            # a binary body the caller asked for (a gzipped sitemap): it reads page.content
    return Page(
        url=url,
        final_url=final_url,
        status=answer.status,
        headers=answer.headers,
        content=answer.content,
        text=text,
        encoding=encoding,
        elapsed=elapsed,
        redirects=tuple(redirects),
        not_modified=not_modified,
        fetched_at=at,
    )
