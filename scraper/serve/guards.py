"""The API's guards, one job each: rate per client, bearer token, body size, concurrency.

The first three are ASGI middlewares, in this order from the outside in (see app.py):

1. ``RateLimitMiddleware``: a token bucket per client address; 429 with Retry-After when empty.
   It runs before the token check, so that guessing tokens costs a client its own budget.
2. ``TokenMiddleware``: when a token is configured, every route but /health needs
   ``Authorization: Bearer <token>``; 401 otherwise.
3. ``BodyLimitMiddleware``: a declared Content-Length over the limit is refused at once (413),
   and a body without one is counted as it arrives and cut at the limit.

``Slots`` bounds extractions in flight; a request that finds them all taken gets 503 with
Retry-After at once rather than waiting in a queue it cannot see.
"""

from __future__ import annotations

import hmac
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scraper.serve.errors import ApiError, error_response
from scraper.serve.metrics import set_error_type

__all__ = [
    "BUSY_RETRY_AFTER",
    "BodyLimitMiddleware",
    "RateLimitMiddleware",
    "RateLimiter",
    "Slots",
    "TokenMiddleware",
    "send_error",
]

BUSY_RETRY_AFTER: Final = 1  # seconds a client is asked to wait when every slot is taken
_MAX_CLIENTS: Final = 10_000  # buckets kept before the full (idle) ones are forgotten


async def send_error(scope: Scope, receive: Receive, send: Send, error: ApiError) -> None:
    """Answer an ApiError from a middleware, noting its type for the metrics."""
    set_error_type(scope, error.type)
    await error_response(error)(scope, receive, send)


@dataclass
class _Bucket:
    """One client's tokens at one moment."""

    tokens: float
    at: float


class RateLimiter:
    """Token buckets per client: ``per_minute`` requests a minute, as a burst or spread out.

    Args:
        per_minute: the bucket's size and its refill per minute; 0 disables the limit.
        clock: seconds, monotonic (tests pass their own).
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._size = float(per_minute)
        self._per_second = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def take(self, client: str) -> float | None:
        """Spend one token of ``client``: None when allowed, else seconds until one is back."""
        if self._size == 0:
            return None
        now = self._clock()
        bucket = self._buckets.get(client)
        if bucket is None:
            self._forget_idle(now)
            bucket = self._buckets[client] = _Bucket(self._size, now)
        bucket.tokens = min(self._size, bucket.tokens + (now - bucket.at) * self._per_second)
        bucket.at = now
        if bucket.tokens < 1.0:
            return (1.0 - bucket.tokens) / self._per_second
        bucket.tokens -= 1.0
        return None

    def _forget_idle(self, now: float) -> None:
        """Drop the buckets that have refilled (their clients idle) once there are too many."""
        if len(self._buckets) < _MAX_CLIENTS:
            return
        for client, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.at) * self._per_second >= self._size:
                del self._buckets[client]


class RateLimitMiddleware:
    """429 with Retry-After when a client address has spent its requests (see RateLimiter)."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, exempt: Iterable[str]) -> None:
        self._app = app
        self._limiter = limiter
        self._exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in self._exempt:
            client = scope.get("client")
            wait = self._limiter.take(client[0] if client else "unknown")
            if wait is not None:
                seconds = max(1, math.ceil(wait))
                error = ApiError(
                    429,
                    "rate_limited",
                    f"too many requests from this address; retry in {seconds} s",
                    {"Retry-After": str(seconds)},
                )
                await send_error(scope, receive, send, error)
                return
        await self._app(scope, receive, send)


class TokenMiddleware:
    """401 unless the request carries ``Authorization: Bearer <token>`` (compared in constant
    time); paths in ``exempt`` need none."""

    def __init__(self, app: ASGIApp, token: str, exempt: Iterable[str]) -> None:
        self._app = app
        self._expected = f"Bearer {token}".encode()
        self._exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in self._exempt:
            given = dict(scope["headers"]).get(b"authorization", b"")
            if not hmac.compare_digest(given, self._expected):
                what = "a wrong" if given else "no"
                error = ApiError(
                    401,
                    "unauthorized",
                    f"{what} bearer token; send the header 'Authorization: Bearer <token>'",
                    {"WWW-Authenticate": 'Bearer realm="scraper"'},
                )
                await send_error(scope, receive, send, error)
                return
        await self._app(scope, receive, send)


class BodyLimitMiddleware:
    """413 for a request body over ``max_bytes``, declared or counted.

    The body is read here, up to the limit, and handed on whole: the routes take JSON bodies
    that they read whole anyway, and a refusal can be answered before any route runs.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self._app = app
        self._max = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self._max:
            await send_error(scope, receive, send, self._too_large())
            return
        body = await self._read(receive)
        if body is None:
            await send_error(scope, receive, send, self._too_large())
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self._app(scope, replay, send)

    async def _read(self, receive: Receive) -> bytes | None:
        """The whole body, or None once it passes the limit (or the client went away)."""
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            part = message.get("body", b"")
            size += len(part)
            if size > self._max:
                return None
            parts.append(part)
            if not message.get("more_body", False):
                return b"".join(parts)

    def _too_large(self) -> ApiError:
        """The 413 answer."""
        return ApiError(
            413,
            "body_too_large",
            f"the request body is over {self._max} bytes (serve.max_body_bytes); send less",
        )


class Slots:
    """At most ``limit`` holders at once; ``acquire`` says at once whether one was free."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._taken = 0

    @property
    def taken(self) -> int:
        """Slots held now."""
        return self._taken

    def acquire(self) -> None:
        """Take a slot, or raise ApiError 503 with Retry-After when all are taken."""
        if self._taken >= self._limit:
            raise ApiError(
                503,
                "busy",
                f"all {self._limit} extraction slots are busy (serve.concurrency); retry shortly",
                {"Retry-After": str(BUSY_RETRY_AFTER)},
            )
        self._taken += 1

    def release(self) -> None:
        """Give a slot back."""
        self._taken -= 1
