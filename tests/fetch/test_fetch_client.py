"""The Fetcher's basic contract: a Page with every field, conditional GET, URL and status errors."""

from __future__ import annotations

import socket

import pytest
from fetch_support import fast_config, fetch
from server import TestServer

import scraper.fetch
from scraper.config import DEFAULT_USER_AGENT, FetchConfig
from scraper.errors import ConnectError, HTTPStatusError, InvalidURLError
from scraper.fetch import fetch_url


def test_public_api_is_pinned() -> None:
    assert scraper.fetch.__all__ == [
        "MAX_REDIRECTS",
        "RETRY_STATUSES",
        "Accept",
        "AddressGuard",
        "Fetcher",
        "Resolver",
        "blocked_reason",
        "fetch_url",
        "parse_ip_literal",
        "parse_retry_after",
    ]


def test_page_has_status_headers_bytes_text_and_timing(http_server: TestServer) -> None:
    url = http_server.route("/article", headers={"X-Id": "7"}, body="<p>Grüße</p>")
    page = fetch(fast_config(), url)
    assert (page.url, page.final_url, page.status) == (url, url, 200)
    assert page.headers["x-id"] == "7"
    assert page.content == "<p>Grüße</p>".encode()
    assert (page.text, page.encoding) == ("<p>Grüße</p>", "utf-8")
    assert page.redirects == ()
    assert page.elapsed > 0
    assert page.fetched_at.endswith("+00:00")
    assert not page.not_modified


def test_user_agent_from_config_is_sent(http_server: TestServer) -> None:
    url = http_server.route("/ua", body="<p>x</p>")
    fetch(fast_config(), url)
    assert http_server.requests("/ua")[0].headers["user-agent"] == DEFAULT_USER_AGENT
    assert "+https://" in DEFAULT_USER_AGENT  # a contact URL site owners can follow


def test_conditional_get_reports_not_modified(http_server: TestServer) -> None:
    url = http_server.route("/cached", status=304)
    page = fetch(fast_config(), url, etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    assert page.not_modified and page.status == 304
    assert page.content == b"" and page.text == ""
    sent = http_server.requests("/cached")[0].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT"


def test_no_validators_sent_without_previous_copy(http_server: TestServer) -> None:
    url = http_server.route("/fresh", body="<p>x</p>")
    fetch(fast_config(), url)
    assert "if-none-match" not in http_server.requests("/fresh")[0].headers


@pytest.mark.parametrize("url", ["ftp://example.org/x", "not a url", "http://", "/relative"])
def test_non_http_urls_are_refused(url: str) -> None:
    with pytest.raises(InvalidURLError, match=r"http"):
        fetch(fast_config(), url)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_client_errors_are_not_retried(http_server: TestServer, status: int) -> None:
    url = http_server.route("/gone", status=status)
    with pytest.raises(HTTPStatusError, match=str(status)) as caught:
        fetch(fast_config(), url)
    assert caught.value.status == status
    assert caught.value.url == url
    assert len(http_server.requests("/gone")) == 1


def test_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ConnectError, match=r"cannot connect"):
        fetch(fast_config(), f"http://127.0.0.1:{port}/")


def test_fetch_url_runs_the_fetcher_synchronously(http_server: TestServer) -> None:
    url = http_server.route("/sync", body="<p>sync</p>")
    config = FetchConfig(allowed_networks=("127.0.0.1/32",), respect_robots=False, timeout=2)
    assert fetch_url(url, config).text == "<p>sync</p>"
