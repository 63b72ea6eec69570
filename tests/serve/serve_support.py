"""Helpers for the API tests: configs, the app served by uvicorn in a thread, fake DNS.

Named serve_support (not helpers) because test folders have no __init__.py and module names
must be unique across the suite.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

from scraper.config import Config, FetchConfig, ServeConfig
from scraper.fetch import Resolver
from scraper.serve import bind, create_app

LOOPBACK_ONLY = ("127.0.0.1/32",)  # the test server, and nothing else private
_START_TIMEOUT = 30.0  # seconds for uvicorn and the extraction workers to come up


def config(**serve: Any) -> Config:
    """A config for tests: the fetcher fast and impolite, [serve] as given over test defaults.

    [serve] defaults here: the test server's 127.0.0.1/32 allowed, one extraction process, no
    rate limit; pass ``allowed_networks=()`` for the shipped defaults of the address guard.
    """
    fetch = FetchConfig(timeout=5.0, retries=0, per_host_delay=0.0, respect_robots=False)
    values: dict[str, Any] = {
        "allowed_networks": LOOPBACK_ONLY,
        "extract_processes": 1,
        "rate_limit": 0,
    }
    values.update(serve)
    return Config(fetch=fetch, serve=ServeConfig(**values))


async def no_dns(host: str, port: int) -> list[str]:
    """A resolver that knows no names: tests never ask real DNS."""
    raise socket.gaierror(socket.EAI_NONAME, f"{host} is not resolved in tests")


@contextlib.contextmanager
def running(settings: Config, resolver: Resolver = no_dns) -> Iterator[str]:
    """Serve the app on 127.0.0.1, a port of the OS's choosing; yield its base URL."""
    sock = bind("127.0.0.1", 0)
    app = create_app(settings, resolver=resolver)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the API did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(_START_TIMEOUT)
        sock.close()
