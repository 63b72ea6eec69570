"""Prometheus metrics of one server process, and the ASGI middleware that counts requests.

Each app has its own registry (two apps in one process, as in the tests, do not share
counts). With several worker processes each keeps its own; scrape them one by one or put
them behind one address and sum, as for any pre-fork server.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CONTENT_TYPE", "Metrics", "MetricsMiddleware", "error_type_of", "set_error_type"]

CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"
# Extraction takes 8-20 ms on a typical page (README "Benchmark"), seconds on a huge one.
_EXTRACT_BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Fetches: loopback milliseconds to a slow site's tens of seconds.
_FETCH_BUCKETS: Final = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_OTHER_ROUTE: Final = "other"  # the label of paths no route serves (bounded label values)


class Metrics:
    """The counters and histograms of the API, in a registry of their own.

    Args:
        routes: the paths the app serves; any other path is counted as "other".
    """

    def __init__(self, routes: Iterable[str]) -> None:
        self.registry = CollectorRegistry()
        self._routes = frozenset(routes)
        self.requests = Counter(
            "scraper_http_requests",
            "HTTP requests answered, by route, method and status.",
            ("route", "method", "status"),
            registry=self.registry,
        )
        self.errors = Counter(
            "scraper_errors",
            "Errors answered, by type (the error.type of the JSON body); batch lines included.",
            ("type",),
            registry=self.registry,
        )
        self.extract_seconds = Histogram(
            "scraper_extract_seconds",
            "Time to extract one page in a worker process, queueing included.",
            buckets=_EXTRACT_BUCKETS,
            registry=self.registry,
        )
        self.fetch_seconds = Histogram(
            "scraper_fetch_seconds",
            "Time to fetch one page, redirects and retries included.",
            buckets=_FETCH_BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "scraper_extractions_in_flight",
            "Extraction requests holding a concurrency slot.",
            registry=self.registry,
        )

    def route_label(self, path: str) -> str:
        """The route label for a request path."""
        return path if path in self._routes else _OTHER_ROUTE

    def exposition(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)


def set_error_type(scope: Scope, error_type: str) -> None:
    """Note the error type answered to this request, for MetricsMiddleware to count."""
    scope.setdefault("state", {})["error_type"] = error_type


def error_type_of(scope: Scope) -> str | None:
    """The error type noted for this request, if any."""
    value = scope.get("state", {}).get("error_type")
    return value if isinstance(value, str) else None


class MetricsMiddleware:
    """Counts every HTTP request by route and status, and every error by type (outermost)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self._app = app
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        status = 500  # what a client sees if the app raises before answering

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self._app(scope, receive, send_noting_status)
        except Exception:
            if error_type_of(scope) is None:
                set_error_type(scope, "internal")
            raise
        finally:
            route = self._metrics.route_label(scope["path"])
            self._metrics.requests.labels(route, scope["method"], str(status)).inc()
            error_type = error_type_of(scope)
            if error_type is not None:
                self._metrics.errors.labels(error_type).inc()
