"""sitemaps_from_robots: the Sitemap lines of robots.txt, over the real test server."""

from __future__ import annotations

import pytest
from discover_support import fast_config, run
from server import TestServer

from scraper.crawl.discover import sitemaps_from_robots
from scraper.errors import HTTPStatusError, InvalidURLError

TEXT = {"Content-Type": "text/plain"}


def test_sitemap_lines_in_order_resolved_and_unique(http_server: TestServer) -> None:
    body = (
        "User-agent: *\nDisallow: /private/\n\n"
        "Sitemap: https://example.org/sitemap.xml\n"
        "sitemap: /news-sitemap.xml\n"
        "Sitemap: https://cdn.example.net/sitemaps/index.xml.gz\n"
        "Sitemap: https://example.org/sitemap.xml\n"
    )
    http_server.route("/robots.txt", headers=TEXT, body=body)
    found = run(lambda f: sitemaps_from_robots(f, http_server.url("/some/page?x=1")))
    assert found == [
        "https://example.org/sitemap.xml",
        http_server.url("/news-sitemap.xml"),
        "https://cdn.example.net/sitemaps/index.xml.gz",
    ]


def test_missing_robots_txt_means_no_sitemaps(http_server: TestServer) -> None:
    assert run(lambda f: sitemaps_from_robots(f, http_server.url("/"))) == []


def test_robots_txt_without_sitemap_lines(http_server: TestServer) -> None:
    http_server.route("/robots.txt", headers=TEXT, body="User-agent: *\nDisallow:\n")
    assert run(lambda f: sitemaps_from_robots(f, http_server.url("/"))) == []


def test_server_error_is_raised(http_server: TestServer) -> None:
    http_server.route("/robots.txt", status=503, headers=TEXT, body="down")
    with pytest.raises(HTTPStatusError):
        run(lambda f: sitemaps_from_robots(f, http_server.url("/")))


def test_works_with_robots_respected(http_server: TestServer) -> None:
    http_server.route("/robots.txt", headers=TEXT, body="User-agent: *\nSitemap: /s.xml\n")
    config = fast_config(respect_robots=True)
    found = run(lambda f: sitemaps_from_robots(f, http_server.url("/")), config)
    assert found == [http_server.url("/s.xml")]


def test_not_an_http_url() -> None:
    with pytest.raises(InvalidURLError, match=r"not an absolute http"):
        run(lambda f: sitemaps_from_robots(f, "example.org"))
