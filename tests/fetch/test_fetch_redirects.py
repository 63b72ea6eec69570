"""Redirects: followed hop by hop, recorded, bounded, loops caught, every hop guarded."""

from __future__ import annotations

import pytest
from fetch_support import fast_config, fetch
from server import Reply, TestServer

from scraper.errors import BlockedAddressError, RedirectError
from scraper.fetch import MAX_REDIRECTS


def test_chain_is_followed_and_recorded(http_server: TestServer) -> None:
    start = http_server.url("/fault/redirect-chain/0")
    page = fetch(fast_config(), start)
    assert page.url == start
    assert page.final_url == http_server.url("/fault/redirect-chain/3")
    assert page.redirects == tuple(http_server.url(f"/fault/redirect-chain/{i}") for i in range(3))
    assert [r.path for r in http_server.requests()] == [
        f"/fault/redirect-chain/{i}" for i in range(4)
    ]


def test_loop_is_detected(http_server: TestServer) -> None:
    with pytest.raises(RedirectError, match=r"redirect loop: .*loop/a -> .*loop/b -> .*loop/a"):
        fetch(fast_config(), http_server.url("/fault/redirect-loop/a"))
    assert len(http_server.requests()) == 2


def test_too_many_redirects(http_server: TestServer) -> None:
    with pytest.raises(RedirectError, match=f"more than {MAX_REDIRECTS} redirects"):
        fetch(fast_config(), http_server.url("/fault/redirect-chain-long/0"))
    assert len(http_server.requests()) == MAX_REDIRECTS + 1


def test_redirect_without_location(http_server: TestServer) -> None:
    url = http_server.route("/nowhere", status=301)
    with pytest.raises(RedirectError, match=r"without a Location"):
        fetch(fast_config(), url)


def test_relative_303_location(http_server: TestServer) -> None:
    http_server.route_replies("/a/b", Reply(303, {"Location": "../c?x=1#frag"}))
    http_server.route("/c", body="<p>c</p>")
    page = fetch(fast_config(), http_server.url("/a/b"))
    assert page.final_url == http_server.url("/c?x=1")


def test_redirect_to_metadata_address_is_blocked(http_server: TestServer) -> None:
    with pytest.raises(BlockedAddressError, match=r"169.254.169.254 is a link-local") as caught:
        fetch(fast_config(), http_server.url("/fault/redirect-private"))
    assert caught.value.url == "http://169.254.169.254/latest/meta-data/"


def test_redirect_to_localhost_is_blocked(http_server: TestServer) -> None:
    url = http_server.route_replies(
        "/r", Reply(302, {"Location": f"http://localhost:{http_server.port}/"})
    )
    with pytest.raises(BlockedAddressError, match=r"loopback name"):
        fetch(fast_config(), url)
    assert [r.path for r in http_server.requests()] == ["/r"]
