"""robots.txt: fetched once per origin, parsed with protego, cached with an expiry.

What an answer means follows Google's documented handling (developers.google.com/search/docs/
crawling-indexing/robots/robots_txt):
- 2xx: the rules apply; Crawl-delay is passed to politeness.
- 4xx (but 429), or redirects beyond ``ROBOTS_MAX_REDIRECTS``: there are no rules; allow all.
- 429, 5xx, unreachable, timeout: the whole origin is disallowed for ``_ERROR_TTL``, then
  asked again. Rules that did load are kept for ``_TTL``.
The robots.txt request itself takes a politeness slot, and its connection passes the address
guard like any other; content past ``_MAX_ROBOTS_BYTES`` is ignored, as Google does.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx
from protego import Protego

from scraper.config import FetchConfig
from scraper.errors import ContentTypeError, RobotsDisallowedError
from scraper.fetch.body import read_body
from scraper.fetch.politeness import Pacer

__all__ = ["ROBOTS_MAX_REDIRECTS", "RobotsCache"]

_TTL = 24 * 3600.0  # seconds loaded rules are trusted
_ERROR_TTL = 600.0  # seconds an origin stays disallowed after robots.txt failed with 5xx/429
_MAX_ROBOTS_BYTES = 500 * 1024  # Google reads the first 500 KiB
ROBOTS_MAX_REDIRECTS = 5  # Google follows five hops, then treats robots.txt as missing
# (the fetcher builds its client with this limit: only robots.txt uses httpx redirects)
_MAX_ENTRIES = 10_000  # origins remembered; the oldest entry goes first
_TIMEOUT_FACTOR = 2  # a robots.txt fetch may take this many fetch.timeout in total


@dataclass(frozen=True)
class _Rules:
    """One origin's robots.txt verdict: rules, allow all (no rules), or refuse all."""

    parser: Protego | None
    refusal: str | None
    expires: float


class RobotsCache:
    """Answers "may our user agent fetch this URL?", fetching robots.txt when needed.

    Args:
        config: user_agent and timeout are read once here.
        client: the fetcher's guarded HTTP client.
        politeness: the robots.txt request waits for a slot like a page does.
    """

    def __init__(self, config: FetchConfig, client: httpx.AsyncClient, politeness: Pacer):
        self._agent = config.user_agent
        self._timeout = config.timeout * _TIMEOUT_FACTOR
        self._client = client
        self._politeness = politeness
        self._rules: dict[str, _Rules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, url: httpx.URL) -> None:
        """Return when robots.txt allows ``url``; raise otherwise.

        Raises:
            RobotsDisallowedError: the rules disallow the URL, or robots.txt is failing.
            BlockedAddressError: the host is refused by the address guard.
        """
        origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
        rules = await self._get(origin, url.host)
        if rules.refusal is not None:
            raise RobotsDisallowedError(
                str(url),
                f"{rules.refusal}; the whole site counts as disallowed for a while "
                "(as Google does); try again later, or set fetch.respect_robots = false",
            )
        if rules.parser is not None and not rules.parser.can_fetch(str(url), self._agent):
            raise RobotsDisallowedError(
                str(url),
                f"{origin}/robots.txt disallows this URL for user agent "
                f"{self._agent!r}; skip it, or set fetch.respect_robots = false if the site "
                "owner allows you",
            )

    async def _get(self, origin: str, host: str) -> _Rules:
        """The origin's rules, from the cache or fetched once however many callers ask."""
        rules = self._rules.get(origin)
        if rules is not None and rules.expires > time.monotonic():
            return rules
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            rules = self._rules.get(origin)
            if rules is None or rules.expires <= time.monotonic():
                rules = await self._load(origin, host)
                self._store(origin, rules)
        return rules

    def _store(self, origin: str, rules: _Rules) -> None:
        """Cache rules, forgetting the oldest origin when the cache is full."""
        self._rules.pop(origin, None)
        self._rules[origin] = rules
        if len(self._rules) > _MAX_ENTRIES:
            oldest = next(iter(self._rules))
            del self._rules[oldest]
            self._locks.pop(oldest, None)

    async def _load(self, origin: str, host: str) -> _Rules:
        """Fetch and interpret ``origin``/robots.txt."""
        url = f"{origin}/robots.txt"
        try:
            async with self._politeness.slot(host), asyncio.timeout(self._timeout):
                status, body = await self._download(url)
        except httpx.TooManyRedirects:
            return _Rules(None, None, time.monotonic() + _TTL)
        except (httpx.TransportError, TimeoutError, ContentTypeError) as exc:
            reason = str(exc) or type(exc).__name__
            return _refuse(f"{url} could not be fetched ({reason})")
        if status == 429 or status >= 500:
            return _refuse(f"{url} answered {status}")
        if not 200 <= status < 300:
            return _Rules(None, None, time.monotonic() + _TTL)
        parser = Protego.parse(body.decode("utf-8", "replace"))
        self._politeness.set_crawl_delay(host, parser.crawl_delay(self._agent))
        return _Rules(parser, None, time.monotonic() + _TTL)

    async def _download(self, url: str) -> tuple[int, bytes]:
        """Status and (2xx only) the first bytes of robots.txt, following a few redirects."""
        request = self._client.build_request("GET", url)
        response = await self._client.send(request, stream=True, follow_redirects=True)
        try:
            if not 200 <= response.status_code < 300:
                return response.status_code, b""
            body = await read_body(response, url, _MAX_ROBOTS_BYTES, truncate=True)
            return response.status_code, body
        finally:
            await response.aclose()


def _refuse(reason: str) -> _Rules:
    """Disallow the origin for ``_ERROR_TTL`` seconds, saying why."""
    return _Rules(None, reason, time.monotonic() + _ERROR_TTL)
