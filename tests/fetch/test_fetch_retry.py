"""Retries: transient failures are retried with backoff, Retry-After is honoured, all bounded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fetch_support import fast_config, fetch, gaps
from server import Reply, TestServer, http_date

from scraper.errors import ConnectError, HTTPStatusError
from scraper.fetch import parse_retry_after

_OK = Reply(body="<p>ok</p>")


def test_500_then_success_takes_two_attempts(http_server: TestServer) -> None:
    page = fetch(fast_config(), http_server.url("/fault/500-then-ok"))
    assert page.status == 200
    assert len(http_server.requests("/fault/500-then-ok")) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_persistent_server_errors_stop_after_the_retries(
    http_server: TestServer, status: int
) -> None:
    url = http_server.route("/down", status=status)
    with pytest.raises(HTTPStatusError, match=f"answered {status}") as caught:
        fetch(fast_config(retries=2), url)
    assert caught.value.status == status
    assert len(http_server.requests("/down")) == 3


def test_reset_connection_is_retried(http_server: TestServer) -> None:
    url = http_server.route_replies("/flaky", Reply(reset=True), _OK)
    assert fetch(fast_config(), url).text == "<p>ok</p>"
    assert len(http_server.requests("/flaky")) == 2


def test_reset_every_time_is_a_connect_error(http_server: TestServer) -> None:
    with pytest.raises(ConnectError, match=r"reset"):
        fetch(fast_config(retries=1), http_server.url("/fault/reset"))
    assert len(http_server.requests("/fault/reset")) == 2


def test_429_retry_after_seconds_is_waited_for(http_server: TestServer) -> None:
    fetch(fast_config(), http_server.url("/fault/429-seconds"))
    [gap] = gaps(http_server.requests("/fault/429-seconds"))
    assert gap >= 0.9


def test_503_retry_after_date_is_waited_for(http_server: TestServer) -> None:
    url = http_server.route_replies("/date", Reply(503, {"Retry-After": http_date(2)}), _OK)
    fetch(fast_config(), url)
    [gap] = gaps(http_server.requests("/date"))
    assert gap >= 0.9


def test_retry_after_beyond_the_time_budget_gives_up_at_once(http_server: TestServer) -> None:
    url = http_server.route("/later", status=503, headers={"Retry-After": "3600"})
    with pytest.raises(HTTPStatusError, match=r"Retry-After: 3600") as caught:
        fetch(fast_config(), url)
    assert caught.value.retry_after == 3600
    assert len(http_server.requests("/later")) == 1


def test_backoff_grows_between_attempts(http_server: TestServer) -> None:
    url = http_server.route("/down", status=500)
    with pytest.raises(HTTPStatusError):
        fetch(fast_config(retries=2, retry_backoff=0.2), url)
    first, second = gaps(http_server.requests("/down"))
    assert first >= 0.15 and second >= 0.35  # 0.2 s, then 0.4 s, plus jitter


_NOW = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("Mon, 01 Jan 2024 12:00:30 GMT", 30.0),
        ("Mon, 01 Jan 2024 11:00:00 GMT", 0.0),  # in the past: go now
        ("soon", None),
        ("-3", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=_NOW) == seconds
