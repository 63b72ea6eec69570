"""The API fuzzed from its own /openapi.json with schemathesis: no input gives a 5xx.

Every URL schemathesis makes up that could be fetched (anything with ':' or '/'), and every
other of even length, is replaced by a page of the loopback test server carrying the
original in its query, so the fuzzing never leaves 127.0.0.1 and never meets a real upstream
failure (a 502 of someone else's); the rest reach the API as generated (refused as 400).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from serve_support import config, running
from server import TestServer

PAGE = (
    "<html><head><title>Fuzz</title></head>"
    "<body><article><p>A page, with words.</p></article></body></html>"
)
EXAMPLES = 15  # per operation: the whole module stays well under 30 s


@pytest.fixture(scope="module")
def upstream() -> Iterator[TestServer]:
    with TestServer(with_faults=False) as server:
        server.route("/page", body=PAGE)
        yield server


@pytest.fixture(scope="module")
def api_schema(upstream: TestServer) -> Iterator[Any]:
    with running(config()) as base:
        yield schemathesis.openapi.from_url(f"{base}/openapi.json")


def _loopback(upstream: TestServer, value: Any) -> Any:
    """A generated URL that could be fetched becomes the test server's page, and so does
    every other of even length (so the fetch path is fuzzed too); the rest stay as made."""
    fetchable = isinstance(value, str) and (":" in value or "/" in value)
    if fetchable or (isinstance(value, str) and len(value) % 2 == 0):
        return upstream.url("/page?" + urllib.parse.urlencode({"q": value}))
    return value


def _keep_on_loopback(case: Any, upstream: TestServer) -> None:
    """Rewrite every URL the API would fetch in the case's body and query."""
    if isinstance(case.query, dict) and "url" in case.query:
        case.query["url"] = _loopback(upstream, case.query["url"])
    body = case.body
    if isinstance(body, dict):
        if "url" in body and body.get("html") is None:
            body["url"] = _loopback(upstream, body["url"])
        if isinstance(body.get("urls"), list):
            body["urls"] = [_loopback(upstream, url) for url in body["urls"]]


def test_no_input_gives_a_server_error(api_schema: Any, upstream: TestServer) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 6
    with requests.Session() as session:
        session.trust_env = False
        for operation in operations:
            _fuzz(operation, upstream, session)
    assert any(r.path.startswith("/page?") for r in upstream.requests()), "nothing was fetched"


def _fuzz(operation: Any, upstream: TestServer, session: requests.Session) -> None:
    """EXAMPLES generated requests to one operation; none may give a 5xx."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case: Any) -> None:
        _keep_on_loopback(case, upstream)
        response = case.call(session=session)
        assert response.status_code < 500, f"{case.method} {case.path}: {response.text[:500]}"
        if response.status_code >= 400:
            assert set(response.json()["error"]) == {"type", "message"}

    check()
