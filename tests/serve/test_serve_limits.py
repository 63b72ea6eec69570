"""Body size, bearer token, rate limit, concurrency limit and time budget, over real HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from serve_support import config, running
from server import Reply, TestServer

SLOW = 1.5  # seconds the slow page waits before its first byte
PAGE = "<html><body><article><p>" + "Words, words and words. " * 20 + "</p></article></body></html>"


@pytest.fixture(scope="module")
def small_body_api() -> Iterator[httpx.Client]:
    with running(config(max_body_bytes=2000)) as base, _client(base) as client:
        yield client


@pytest.fixture(scope="module")
def token_api() -> Iterator[httpx.Client]:
    with running(config(token="s3cret")) as base, _client(base) as client:
        yield client


def _client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, trust_env=False)


def _error_type(answer: httpx.Response) -> str:
    return str(answer.json()["error"]["type"])


def test_a_body_over_the_limit_is_413(small_body_api: httpx.Client) -> None:
    answer = small_body_api.post("/extract", json={"html": "x" * 3000})
    assert answer.status_code == 413
    assert _error_type(answer) == "body_too_large"


def test_a_chunked_body_over_the_limit_is_413(small_body_api: httpx.Client) -> None:
    chunks = (b'{"html": "' + b"x" * 1000, b"x" * 1000, b"x" * 1000 + b'"}')
    answer = small_body_api.post(
        "/extract", content=iter(chunks), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413


def test_a_body_within_the_limit_passes(small_body_api: httpx.Client) -> None:
    assert small_body_api.post("/extract", json={"html": PAGE[:1500]}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}],
    ids=["missing", "wrong", "not-bearer"],
)
@pytest.mark.parametrize("path", ["/", "/openapi.json", "/metrics", "/docs"])
def test_without_the_token_every_route_is_401(
    token_api: httpx.Client, headers: dict[str, str], path: str
) -> None:
    answer = token_api.get(path, headers=headers)
    assert answer.status_code == 401
    assert _error_type(answer) == "unauthorized"
    assert answer.headers["www-authenticate"].startswith("Bearer")


def test_without_the_token_extract_is_401(token_api: httpx.Client) -> None:
    assert token_api.post("/extract", json={"html": PAGE}).status_code == 401


def test_with_the_token_extract_works(token_api: httpx.Client) -> None:
    answer = token_api.post(
        "/extract", json={"html": PAGE}, headers={"Authorization": "Bearer s3cret"}
    )
    assert answer.status_code == 200


def test_health_needs_no_token(token_api: httpx.Client) -> None:
    assert token_api.get("/health").status_code == 200


def test_over_the_rate_a_client_gets_429_with_retry_after() -> None:
    with running(config(rate_limit=3)) as base, _client(base) as api:
        statuses = [api.get("/openapi.json").status_code for _ in range(4)]
        limited = api.get("/openapi.json")
        health = api.get("/health")
    assert statuses == [200, 200, 200, 429]
    assert _error_type(limited) == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    assert health.status_code == 200


def _wait_for(http_server: TestServer, path: str) -> None:
    """Until the test server has seen a request for ``path``."""
    deadline = time.monotonic() + 10
    while not http_server.requests(path):
        assert time.monotonic() < deadline, f"{path} was never requested"
        time.sleep(0.01)


def test_when_every_slot_is_busy_the_answer_is_503(http_server: TestServer) -> None:
    url = http_server.route_replies("/slow", Reply(body=PAGE, first_byte_delay=SLOW))
    with running(config(concurrency=1)) as base, _client(base) as api:
        first: list[httpx.Response] = []
        holder = threading.Thread(
            target=lambda: first.append(api.get("/extract", params={"url": url}))
        )
        holder.start()
        _wait_for(http_server, "/slow")
        busy = api.post("/extract", json={"html": PAGE})
        busy_batch = api.post("/extract/batch", json={"urls": [url]})
        holder.join()
        after = api.post("/extract", json={"html": PAGE})
    assert busy.status_code == 503
    assert _error_type(busy) == "busy"
    assert busy.headers["retry-after"] == "1"
    assert busy_batch.status_code == 503
    assert first[0].status_code == 200
    assert after.status_code == 200


def test_over_the_time_budget_the_answer_is_504(http_server: TestServer) -> None:
    url = http_server.route_replies("/slow", Reply(body=PAGE, first_byte_delay=SLOW))
    with running(config(timeout=0.3)) as base, _client(base) as api:
        answer = api.post("/extract", json={"url": url})
        health = api.get("/health")
    assert answer.status_code == 504
    assert _error_type(answer) == "time_budget"
    assert health.status_code == 200
