"""The ASGI app of ``scraper serve``: routes, error answers, guards, docs.

A request goes through, from the outside in: ``MetricsMiddleware`` (counts it),
``RateLimitMiddleware`` (429), ``TokenMiddleware`` (401, when a token is set),
``BodyLimitMiddleware`` (413), then its route; an extraction route takes a concurrency slot
(503) and runs within the time budget (504) in ``ExtractService``. Every error is answered as
``{"error": {"type": ..., "message": ...}}`` (errors.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from importlib import resources
from typing import Annotated, Any, Final

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from scraper.config import Config, ServeConfig
from scraper.errors import ScraperError
from scraper.fetch import Resolver
from scraper.serve.errors import ApiError, as_api_error, error_response
from scraper.serve.guards import (
    BodyLimitMiddleware,
    RateLimiter,
    RateLimitMiddleware,
    TokenMiddleware,
)
from scraper.serve.metrics import CONTENT_TYPE, Metrics, MetricsMiddleware, set_error_type
from scraper.serve.schemas import (
    MAX_URL_CHARS,
    BatchRequest,
    ErrorBody,
    ExtractRequest,
    Format,
    Health,
    record_schema,
)
from scraper.serve.service import ExtractService
from scraper.serve.work import Rendered
from scraper.version import __version__

__all__ = ["ROUTES", "create_app"]

# Every path the app answers (metrics label others "other"); /health needs no token.
ROUTES: Final = (
    "/",
    "/health",
    "/metrics",
    "/extract",
    "/extract/batch",
    "/explain",
    "/docs",
    "/openapi.json",
)
OPEN_ROUTES: Final = ("/health",)
JSON_LINES: Final = "application/x-ndjson"
# The page runs its own inline script and talks to this server only; nothing else loads.
_PAGE_POLICY: Final = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
)
_ERRORS: Final[dict[int | str, dict[str, Any]]] = {
    status: {"model": ErrorBody, "description": what}
    for status, what in (
        (400, "bad input: invalid JSON or URL, a refused address (blocked_address)"),
        (401, "no or wrong bearer token (when the server has one)"),
        (413, "the request body is over serve.max_body_bytes"),
        (422, "the page is not HTML (not_html)"),
        (429, "too many requests from this address; see Retry-After"),
        (502, "the page could not be fetched (connect_failed, upstream_status, ...)"),
        (503, "every extraction slot is busy; see Retry-After"),
        (504, "over the time budget (time_budget) or the page's server too slow"),
    )
}
_RECORD = {"$ref": "#/components/schemas/Record"}
_EXTRACTED: Final[dict[int | str, dict[str, Any]]] = {
    200: {
        "description": "The record (format=json), or the body as text or Markdown.",
        "content": {
            "application/json": {"schema": _RECORD},
            "text/plain": {"schema": {"type": "string"}},
            "text/markdown": {"schema": {"type": "string"}},
        },
    },
    **_ERRORS,
}


def create_app(config: Config, *, resolver: Resolver | None = None) -> FastAPI:
    """The API for one server process.

    Args:
        config: [serve] for the limits, token and address guard; [fetch] for the fetcher.
        resolver: how the fetcher resolves host names (tests); default DNS.

    Returns:
        The ASGI app; its lifespan starts the fetcher and the extraction workers.

    Example:
        >>> app = create_app(load_config(None))  # doctest: +SKIP
        >>> uvicorn.run(app, host="127.0.0.1", port=8000)  # doctest: +SKIP
    """
    metrics = Metrics(ROUTES)
    service = ExtractService(config, metrics, resolver=resolver)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await service.start()
        try:
            yield
        finally:
            await service.close()

    app = FastAPI(
        title="scraper",
        version=__version__,
        summary="Extract the article and its metadata from a web page.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    _extract_routes(app, service, config.serve)
    _info_routes(app, metrics)
    _error_handlers(app)
    app.openapi = lambda: _openapi(app, token=config.serve.token is not None)  # type: ignore[method-assign]
    _guards(app, config.serve, metrics)
    return app


def _guards(app: FastAPI, serve: ServeConfig, metrics: Metrics) -> None:
    """The middlewares; the last added runs first."""
    app.add_middleware(BodyLimitMiddleware, max_bytes=serve.max_body_bytes)
    if serve.token is not None:
        app.add_middleware(TokenMiddleware, token=serve.token, exempt=OPEN_ROUTES)
    app.add_middleware(
        RateLimitMiddleware, limiter=RateLimiter(serve.rate_limit), exempt=OPEN_ROUTES
    )
    app.add_middleware(MetricsMiddleware, metrics=metrics)


def _answer(rendered: Rendered) -> Response:
    """The HTTP answer for an extraction."""
    return Response(rendered.body, media_type=rendered.media_type)


def _extract_routes(app: FastAPI, service: ExtractService, serve: ServeConfig) -> None:
    """POST and GET /extract, POST /extract/batch, POST /explain."""

    @app.post("/extract", responses=_EXTRACTED, response_class=Response)
    async def extract_post(body: ExtractRequest, format: Format = "json") -> Response:
        """Extract posted HTML, or fetch `url` and extract it (the same record as
        `scraper extract`)."""
        with service.slot():
            if body.html is not None:
                return _answer(await service.extract_html(body.html, body.url, format))
            assert body.url is not None, "ExtractRequest requires url or html"
            return _answer(await service.extract_url(body.url, format))

    @app.get("/extract", responses=_EXTRACTED, response_class=Response)
    async def extract_get(
        url: Annotated[str, Query(max_length=MAX_URL_CHARS, description="The page to fetch.")],
        format: Format = "json",
    ) -> Response:
        """Fetch `url` and extract it."""
        with service.slot():
            return _answer(await service.extract_url(url, format))

    @app.post(
        "/extract/batch",
        response_class=StreamingResponse,
        responses={
            200: {
                "description": "JSON Lines as each URL finishes: "
                '{"index", "url", "record"} or {"index", "url", "error": {type, message, status}}',
                "content": {JSON_LINES: {"schema": {"type": "string"}}},
            },
            **_ERRORS,
        },
    )
    async def extract_batch(body: BatchRequest) -> Response:
        """Fetch and extract up to serve.batch_max URLs; one line per URL, a failing URL
        gives an error line and the others still come."""
        if len(body.urls) > serve.batch_max:
            raise ApiError(
                400,
                "bad_request",
                f"{len(body.urls)} URLs; at most {serve.batch_max} per batch "
                "(serve.batch_max): split the batch",
            )
        held = contextlib.ExitStack()
        held.enter_context(service.slot())
        return _HoldingStream(service.batch(body.urls), held, media_type=JSON_LINES)

    @app.post(
        "/explain",
        responses={
            200: {"description": '{"record": Record, "explain": the explain report}'},
            **_ERRORS,
        },
    )
    async def explain(body: ExtractRequest) -> Response:
        """The record and why each block of the page was kept or removed (the web page's
        explain view; the report's keys are those of `scraper extract --explain-json`)."""
        with service.slot():
            return _answer(await service.explain(body.html, body.url))


class _HoldingStream(StreamingResponse):
    """A streaming answer that gives its concurrency slot back when done, however it ends."""

    def __init__(
        self, content: AsyncIterator[str], held: contextlib.ExitStack, media_type: str
    ) -> None:
        super().__init__(content, media_type=media_type)
        self._held = held

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with self._held:
            await super().__call__(scope, receive, send)


def _info_routes(app: FastAPI, metrics: Metrics) -> None:
    """/, /health, /metrics and the interactive docs."""
    page = resources.files("scraper.serve").joinpath("index.html").read_text("utf-8")

    @app.get("/", include_in_schema=False)
    async def index() -> HTMLResponse:
        return HTMLResponse(page, headers={"Content-Security-Policy": _PAGE_POLICY})

    @app.get("/health")
    async def health() -> Health:
        """Liveness; needs no token."""
        return Health(status="ok", version=__version__)

    @app.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE: {}}}})
    async def prometheus() -> Response:
        """Prometheus text: requests, errors by type, extraction and fetch time histograms."""
        return Response(metrics.exposition(), media_type=CONTENT_TYPE)

    app.mount("/docs/static", StaticFiles(directory=swagger_ui_path), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="scraper API",
            swagger_js_url="/docs/static/swagger-ui-bundle.js",
            swagger_css_url="/docs/static/swagger-ui.css",
            swagger_favicon_url="/docs/static/favicon-32x32.png",
        )


def _error_handlers(app: FastAPI) -> None:
    """Every failure answered as {"error": {"type", "message"}}, never a traceback."""

    async def answer(request: Request, error: ApiError) -> Response:
        set_error_type(request.scope, error.type)
        return error_response(error)

    async def api_error(request: Request, exc: Exception) -> Response:
        return await answer(request, as_api_error(exc))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return await answer(request, ApiError(400, "bad_request", _validation_message(exc)))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        type_ = _HTTP_ERROR_TYPES.get(exc.status_code, "http_error")
        return await answer(request, ApiError(exc.status_code, type_, str(exc.detail)))

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(ScraperError, api_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, api_error)


_HTTP_ERROR_TYPES: Final = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}


def _validation_message(exc: RequestValidationError) -> str:
    """'body.url: Input should be a valid string; ...' from pydantic's errors."""
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(part) for part in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) + "; see /docs for the request shape"


def _openapi(app: FastAPI, *, token: bool) -> dict[str, Any]:
    """The OpenAPI document, with the record's JSON Schema and the bearer scheme."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Record"] = record_schema()
        components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        if token:
            schema["security"] = [{"bearer": []}]
        app.openapi_schema = schema
    return app.openapi_schema
