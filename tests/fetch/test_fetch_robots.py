"""robots.txt: fetched once per site, rules and Crawl-delay obeyed, 4xx allows, 5xx refuses."""

from __future__ import annotations

import pytest
from fetch_support import fast_config, fetch, fetch_all, gaps
from server import TestServer

from scraper.errors import RobotsDisallowedError

_ROBOTS = "User-agent: *\nDisallow: /private\n"


def _pages(server: TestServer, *paths: str) -> list[str]:
    """Register HTML pages; return their URLs."""
    return [server.route(path, body=f"<p>{path}</p>") for path in paths]


def test_disallowed_path_is_never_requested(http_server: TestServer) -> None:
    http_server.route("/robots.txt", headers={"Content-Type": "text/plain"}, body=_ROBOTS)
    [url] = _pages(http_server, "/private/page")
    with pytest.raises(RobotsDisallowedError, match=r"robots.txt disallows this URL"):
        fetch(fast_config(respect_robots=True), url)
    assert [r.path for r in http_server.requests()] == ["/robots.txt"]


def test_robots_is_fetched_once_per_site(http_server: TestServer) -> None:
    http_server.route("/robots.txt", headers={"Content-Type": "text/plain"}, body=_ROBOTS)
    urls = _pages(http_server, "/a", "/b", "/c")
    results = fetch_all(fast_config(respect_robots=True), urls)
    assert all(not isinstance(r, BaseException) for r in results)
    assert len(http_server.requests("/robots.txt")) == 1


def test_rules_for_our_user_agent_apply(http_server: TestServer) -> None:
    robots = "User-agent: scraper\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    http_server.route("/robots.txt", headers={"Content-Type": "text/plain"}, body=robots)
    [url] = _pages(http_server, "/page")
    with pytest.raises(RobotsDisallowedError, match=r"for user agent 'scraper/0.1"):
        fetch(fast_config(respect_robots=True), url)


def test_missing_robots_allows_everything(http_server: TestServer) -> None:
    [url] = _pages(http_server, "/private/page")  # /robots.txt is a 404 here
    assert fetch(fast_config(respect_robots=True), url).status == 200


def test_failing_robots_disallows_the_site(http_server: TestServer) -> None:
    http_server.route("/robots.txt", status=500)
    [url] = _pages(http_server, "/page")
    with pytest.raises(RobotsDisallowedError, match=r"robots.txt answered 500; the whole site"):
        fetch(fast_config(respect_robots=True), url)
    assert [r.path for r in http_server.requests()] == ["/robots.txt"]


def test_crawl_delay_spaces_requests(http_server: TestServer) -> None:
    robots = "User-agent: *\nCrawl-delay: 0.5\n"
    http_server.route("/robots.txt", headers={"Content-Type": "text/plain"}, body=robots)
    urls = _pages(http_server, "/1", "/2", "/3")
    fetch_all(fast_config(respect_robots=True), urls)
    pages = [r for r in http_server.requests() if r.path != "/robots.txt"]
    assert len(pages) == 3
    assert min(gaps(pages)) >= 0.4


def test_robots_can_be_ignored(http_server: TestServer) -> None:
    http_server.route("/robots.txt", headers={"Content-Type": "text/plain"}, body=_ROBOTS)
    [url] = _pages(http_server, "/private/page")
    assert fetch(fast_config(respect_robots=False), url).status == 200
    assert http_server.requests("/robots.txt") == []
