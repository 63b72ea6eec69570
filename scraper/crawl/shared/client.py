"""The connection to the shared frontier's Redis, its key names, and its Lua scripts.

Every key of a crawl starts with ``[frontier] prefix`` (default ``scraper``), so two crawls
can share one Redis. Per source ``S``:

    {p}:queue:S     zset   url -> depth * 2^32 + sequence (breadth-first, then first queued)
    {p}:leases:S    zset   url -> lease expiry (ms, Redis clock)
    {p}:owners:S    hash   url -> token of the worker holding it
    {p}:depths:S    hash   url -> depth, while the URL is queued or leased
    {p}:pending:S   hash   url -> page state held while its record is written
    {p}:seen:S      set    first 16 hex digits of SHA-1(url) of every URL queued this run
    {p}:taken:S     string URLs taken this run (max_pages)
    {p}:counts:S    hash   outcome -> pages, this run
    {p}:failures:S  hash   url -> why it failed, this run
    {p}:run:S       hash   id, started, finished, error of the current (or last) run
    {p}:runs:S      list   finished runs (JSON), newest first, the last 100

and for the whole crawl: ``{p}:pages`` (url -> last page state: validators, content hash,
revision, links), ``{p}:contents`` (content hash -> url of its record), ``{p}:dups:URL`` (URLs
serving URL's text), ``{p}:seq``, ``{p}:workers`` (name -> last heartbeat, ms), and per host
``{p}:host:H`` / ``{p}:slots:H`` (politeness.py).

Redis restarts and dropped connections are retried with backoff for about a minute
(``RECONNECT_SECONDS``); the scripts are loaded again when a restarted Redis has forgotten
them. For the frontier to survive a restart of Redis itself, run Redis with AOF
(``appendonly yes``); ``check_durability`` warns when it is off.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final, TypeVar

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import BusyLoadingError, RedisError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from scraper.config import FrontierConfig
from scraper.crawl.state import CrawlStateError

__all__ = [
    "RECONNECT_SECONDS",
    "SCRIPTS",
    "Keys",
    "SharedFrontierError",
    "SharedRedis",
]

RECONNECT_TRIES: Final = 40  # attempts of one command while Redis is away
RECONNECT_SECONDS: Final = 60  # about how long those attempts last (backoff capped at 2 s)
SCRIPTS: Final = ("claim", "enqueue", "finish", "renew", "acquire", "settle")
_log = logging.getLogger(__name__)
_T = TypeVar("_T")


class SharedFrontierError(CrawlStateError):
    """The shared frontier's Redis is unreachable or refused a command."""


@dataclass(frozen=True)
class Keys:
    """The names of a crawl's keys (see the module docstring)."""

    prefix: str

    def of(self, part: str, source: str) -> str:
        """A per-source key such as ``scraper:queue:news``."""
        return f"{self.prefix}:{part}:{source}"

    def crawl(self, part: str) -> str:
        """A key of the whole crawl such as ``scraper:pages``."""
        return f"{self.prefix}:{part}"

    def dups(self, url: str) -> str:
        """The set of URLs found serving the same text as ``url``."""
        return f"{self.prefix}:dups:{url}"

    def host(self, host: str) -> tuple[str, str]:
        """The host's pace hash and its slot set."""
        return f"{self.prefix}:host:{host}", f"{self.prefix}:slots:{host}"


class SharedRedis:
    """One client to the crawl's Redis, with the keys and scripts; ``await close()`` at the end.

    Args:
        config: the [frontier] section.
    """

    def __init__(self, config: FrontierConfig) -> None:
        self.url = config.url
        self.keys = Keys(config.prefix)
        retry = Retry(ExponentialBackoff(cap=2.0, base=0.05), RECONNECT_TRIES)
        self.redis: aioredis.Redis = aioredis.Redis.from_url(
            config.url,
            decode_responses=True,
            retry=retry,
            retry_on_error=[RedisConnectionError, RedisTimeoutError, BusyLoadingError],
            socket_timeout=10,
            socket_connect_timeout=5,
            health_check_interval=15,
        )
        package = resources.files("scraper.crawl.shared") / "lua"
        self._scripts: dict[str, AsyncScript] = {
            name: self.redis.register_script((package / f"{name}.lua").read_text("utf-8"))
            for name in SCRIPTS
        }

    async def run(self, script: str, keys: Sequence[str], args: Sequence[Any]) -> Any:
        """Run one of the Lua scripts.

        Raises:
            SharedFrontierError: Redis stayed unreachable, or refused the script.
        """
        try:
            return await self._scripts[script](keys=list(keys), args=list(args))
        except RedisError as exc:
            raise self.error(exc) from exc

    async def call(self, command: Awaitable[_T]) -> _T:
        """Await one Redis command.

        Raises:
            SharedFrontierError: Redis stayed unreachable, or refused the command.
        """
        try:
            return await command
        except RedisError as exc:
            raise self.error(exc) from exc

    def error(self, exc: BaseException) -> SharedFrontierError:
        """The error to raise for a failed Redis command."""
        return SharedFrontierError(
            f"{self.url}: the shared frontier's Redis failed ({type(exc).__name__}: {exc}); "
            f"workers retry for about {RECONNECT_SECONDS} s: check that Redis runs and that "
            "[frontier] url points to it"
        )

    async def ping(self) -> None:
        """Check that Redis answers, at once: a wrong URL fails in seconds, not after the minute
        of retries that a running crawl gives a restarting Redis.

        Raises:
            SharedFrontierError: it does not.
        """
        quick = aioredis.Redis.from_url(
            self.url, retry=Retry(ExponentialBackoff(cap=0.5), 2), socket_connect_timeout=3
        )
        try:
            await quick.ping()
        except RedisError as exc:
            raise SharedFrontierError(
                f"{self.url}: no Redis answers there ({type(exc).__name__}: {exc}); start it, "
                "or set [frontier] url to where it runs"
            ) from exc
        finally:
            await quick.aclose()

    async def check_durability(self) -> None:
        """Warn when Redis keeps nothing on disk (the frontier would not survive its restart)."""
        try:
            found = await self.redis.config_get("appendonly")
        except RedisError:  # CONFIG may be disabled on a managed Redis: nothing to say then
            return
        if found.get("appendonly") != "yes":
            _log.warning(
                "%s runs without AOF (appendonly no): a restart of Redis loses the frontier; "
                "set appendonly yes for crawls that must survive it",
                self.url,
            )

    async def close(self) -> None:
        """Close the connections."""
        await self.redis.aclose()
