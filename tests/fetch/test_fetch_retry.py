"""Retries: transient failures are retried with backoff, Retry-After is honoured, all bounded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from fetch_support import fast_config, fetch, fetch_all, gaps, run_with_fetcher
from server import Reply, TestServer, http_date

from scraper.config import FetchConfig
from scraper.errors import ConnectError, FetchError, FetchTimeoutError, HTTPStatusError
from scraper.fetch import Fetcher, parse_retry_after
from scraper.fetch.retry import wall_cap
from scraper.models import Page

_OK = Reply(body="<p>ok</p>")
_BUSY = Reply(503, {"Retry-After": "1"}, body="<p>busy</p>")
_HANG_GRACE = 5.0  # seconds past the wall cap after which a fetch counts as hung


def _fetch_within(config: FetchConfig, *urls: str) -> list[Page | BaseException]:
    """Fetch ``urls`` in turn with one Fetcher; a fetch still running past its cap is a hang."""

    async def body(fetcher: Fetcher) -> list[Page | BaseException]:
        results: list[Page | BaseException] = []
        for url in urls:
            try:
                async with asyncio.timeout(wall_cap(config) + _HANG_GRACE):
                    results.append(await fetcher.fetch(url))
            except FetchError as exc:
                results.append(exc)
        return results

    return run_with_fetcher(config, body)


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
    # An HTTP date has whole seconds and is fixed when the route is made: 3 s ahead leaves over
    # a second to wait even when the first answer comes late on a busy machine.
    url = http_server.route_replies("/date", Reply(503, {"Retry-After": http_date(3)}), _OK)
    fetch(fast_config(), url)
    [gap] = gaps(http_server.requests("/date"))
    assert gap >= 0.9


def test_retry_after_beyond_the_wall_cap_gives_up_at_once(http_server: TestServer) -> None:
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


def test_pages_queued_behind_a_503_storm_keep_their_retries(http_server: TestServer) -> None:
    # One request at a time: /a fails, then /b, then /a again, each time after the host's
    # cool-down and growing slowdown, seconds past the 2.4 s budget; waiting is not charged.
    first = http_server.route_replies("/a", _BUSY, _BUSY, _OK)
    second = http_server.route_replies("/b", _BUSY, _OK)
    config = fast_config(timeout=0.4, retries=2, per_host_concurrency=1)
    results = fetch_all(config, [first, second])
    assert [r.status if isinstance(r, Page) else r for r in results] == [200, 200]
    assert len(http_server.requests("/a")) == 3


def test_retry_after_longer_than_the_budget_is_waited_for(http_server: TestServer) -> None:
    url = http_server.route_replies("/date", Reply(503, {"Retry-After": "2"}), _OK)
    page = fetch(fast_config(timeout=0.2, retries=1), url)  # budget 0.8 s, wall cap 3.2 s
    assert page.status == 200
    [gap] = gaps(http_server.requests("/date"))
    assert gap >= 1.9


def test_a_host_that_answers_503_forever_ends_within_the_wall_cap(
    http_server: TestServer,
) -> None:
    # Six retries allowed, each a second or more apart (Retry-After, then the host's slowdown):
    # the 5.6 s cap ends the fetch long before the retries or the 1.4 s own budget run out.
    url = http_server.route("/down", status=503, headers={"Retry-After": "1"})
    config = fast_config(timeout=0.1, retries=6)
    [result] = _fetch_within(config, url)
    assert isinstance(result, FetchError)
    served = http_server.requests("/down")
    assert 1 < len(served) < config.retries + 1
    assert served[-1].started - served[0].started < wall_cap(config)


def test_a_cool_down_longer_than_the_cap_times_out_the_fetch(http_server: TestServer) -> None:
    later = http_server.route("/later", status=503, headers={"Retry-After": "3600"})
    page = http_server.route("/page", body="<p>ok</p>")
    config = fast_config(timeout=0.1, retries=0)  # wall cap 0.8 s
    first, second = _fetch_within(config, later, page)
    assert isinstance(first, HTTPStatusError)
    assert isinstance(second, FetchTimeoutError)
    assert "not fetched within 0.8 s" in str(second)
    assert http_server.requests("/page") == []
