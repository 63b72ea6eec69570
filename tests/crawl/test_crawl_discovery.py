"""Automatic discovery per source: robots.txt sitemaps and announced feeds, over the test site."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from crawlsite import add_announced_feed, add_robots_sitemap, build_site, write_config
from records import read_records
from server import TestServer

from scraper.config import SourceConfig, load_config
from scraper.crawl import QuietObserver, SourceReport, crawl


def _run(tmp_path: Path, server: TestServer, **options: bool) -> SourceReport:
    result = crawl(load_config(write_config(tmp_path, server, **options)), QuietObserver())
    (report,) = result.reports
    assert result.ok
    return report


def _stored_urls(tmp_path: Path) -> set[str]:
    return {r["url"] for r in read_records(tmp_path / "out")}


def test_discover_is_on_by_default() -> None:
    assert SourceConfig(name="a", seeds=("https://a.test/",)).discover is True


def test_sitemaps_named_by_robots_txt_lead_to_unlinked_articles(
    tmp_path: Path, http_server: TestServer
) -> None:
    build_site(http_server, articles=10)
    mapped = add_robots_sitemap(http_server, count=4)
    _run(tmp_path, http_server)
    assert set(mapped) <= _stored_urls(tmp_path)
    assert len(http_server.requests("/robots.txt")) == 1


def test_feeds_announced_on_the_seed_page_are_read(tmp_path: Path, http_server: TestServer) -> None:
    site = build_site(http_server, articles=10)
    fed = add_announced_feed(http_server, site, count=3)
    _run(tmp_path, http_server)
    assert set(fed) <= _stored_urls(tmp_path)
    assert len(http_server.requests("/feed.xml")) == 1


def test_discovered_urls_obey_the_sources_follow_rules(
    tmp_path: Path, http_server: TestServer
) -> None:
    build_site(http_server, articles=5)
    add_robots_sitemap(http_server, count=2)
    outside = http_server.url("/elsewhere/about")  # listed, but outside the follow rule
    namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    sitemap = f'<urlset xmlns="{namespace}"><url><loc>{outside}</loc></url></urlset>'
    http_server.route(
        "/sitemap-news.xml", headers={"Content-Type": "application/xml"}, body=sitemap
    )
    _run(tmp_path, http_server)
    assert (
        http_server.requests("/sitemap-news.xml") and http_server.requests("/elsewhere/about") == []
    )


def test_discover_false_reads_neither_robots_txt_nor_announced_feeds(
    tmp_path: Path, http_server: TestServer
) -> None:
    site = build_site(http_server, articles=10)
    mapped = add_robots_sitemap(http_server, count=4)
    fed = add_announced_feed(http_server, site, count=3)
    _run(tmp_path, http_server, discover=False)
    assert not (set(mapped) | set(fed)) & _stored_urls(tmp_path)
    assert http_server.requests("/robots.txt") == []
    assert http_server.requests("/feed.xml") == []
    assert len(http_server.requests("/news")) == 1  # the seed, fetched by the run only


def test_a_broken_discovered_sitemap_is_logged_and_counted_but_the_source_runs(
    tmp_path: Path, http_server: TestServer, caplog: pytest.LogCaptureFixture
) -> None:
    build_site(http_server, articles=5)
    add_robots_sitemap(http_server, count=2)
    http_server.route("/sitemap-news.xml", status=500, body="oops")
    with caplog.at_level(logging.WARNING, logger="scraper.crawl"):
        report = _run(tmp_path, http_server)
    assert report.counts["discovery_failed"] == 1 and report.counts["stored"] == 5
    assert not report.failed
    assert not any("sitemap" in url for url, _ in report.failures)  # not a failed page
    assert "discovery skipped" in caplog.text and "sitemap-news.xml" in caplog.text
