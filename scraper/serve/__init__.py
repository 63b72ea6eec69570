"""The HTTP API: ``scraper serve``, the same extraction as ``scraper extract`` over HTTP.

    from scraper.serve import create_app, serve
    serve(load_config(None), host="127.0.0.1", port=8000)   # blocks; or run create_app(config)

Modules, in the order a request meets them:

- runner.py: binds the socket, runs uvicorn in one process or several.
- app.py: the FastAPI app: routes, error answers, OpenAPI and docs, the middleware order.
- metrics.py: Prometheus counters and histograms, and the middleware counting requests.
- guards.py: rate limit per client, bearer token, body size limit, concurrency slots.
- service.py: fetch (the guarded Fetcher) and extract (in worker processes) within a budget.
- work.py: what the worker processes run: extract and render.
- errors.py: library errors and the API's own refusals as JSON with the right status.
- schemas.py: request and response bodies; index.html: the page at /.
"""

from __future__ import annotations

from scraper.serve.app import ROUTES, create_app
from scraper.serve.runner import DEFAULT_HOST, DEFAULT_PORT, bind, serve

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "ROUTES", "bind", "create_app", "serve"]
