"""Shared fixtures: the test HTTP server (tests/server.py) on 127.0.0.1.

``http_server`` is a started ``TestServer`` for one test; register pages with
``http_server.route("/path", status=200, headers={...}, body="<html>...")`` (it returns the
URL), inspect ``http_server.requests()`` afterwards. The server stops when the test ends.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from server import TestServer


@pytest.fixture
def http_server() -> Iterator[TestServer]:
    """A running TestServer with the built-in fault routes, stopped after the test."""
    with TestServer() as server:
        yield server
