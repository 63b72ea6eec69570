"""sitemap_urls over the real test server: indexes, gzip, news, lastmod windows, bounds."""

from __future__ import annotations

import gzip
import logging
from datetime import UTC, datetime

import pytest
from discover_support import (
    GZIP,
    NEWS_NS,
    XML,
    gzip_bomb,
    resolver,
    run,
    sitemap_index,
    urlset,
)
from server import TestServer

from scraper.crawl.discover import Discovered, sitemap_urls
from scraper.errors import DiscoveryError, HTTPStatusError

MAY_1 = datetime(2024, 5, 1, tzinfo=UTC)
MAY_2 = datetime(2024, 5, 2, tzinfo=UTC)


def _urls(found: list[Discovered]) -> list[str]:
    return [d.url for d in found]


def test_index_with_a_plain_and_a_gzipped_child(http_server: TestServer) -> None:
    a, b = http_server.url("/a"), http_server.url("/b")
    plain = http_server.route("/s1.xml", headers=XML, body=urlset((a, "2024-05-01")))
    zipped = urlset((b, "2024-05-02T00:00:00Z")).encode()
    packed = http_server.route("/s2.xml.gz", headers=GZIP, body=gzip.compress(zipped))
    index = http_server.route(
        "/index.xml", headers=XML, body=sitemap_index((plain, None), (packed, None))
    )
    found = run(lambda f: sitemap_urls(f, index))
    assert found == [Discovered(a, MAY_1), Discovered(b, MAY_2)]


def test_gzip_served_as_octet_stream_with_gz_path(http_server: TestServer) -> None:
    a = http_server.url("/a")
    body = gzip.compress(urlset((a, None)).encode())
    url = http_server.route(
        "/s.xml.gz", headers={"Content-Type": "application/octet-stream"}, body=body
    )
    assert _urls(run(lambda f: sitemap_urls(f, url))) == [a]


def test_news_sitemap_publication_date_is_lastmod(http_server: TestServer) -> None:
    story = http_server.url("/2024/05/story")
    body = (
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="{NEWS_NS}">'
        f"<url><loc>{story}</loc><news:news><news:publication>"
        "<news:name>The Paper</news:name><news:language>en</news:language></news:publication>"
        "<news:publication_date>2024-05-02T08:30:00+02:00</news:publication_date>"
        "<news:title>A story</news:title></news:news></url></urlset>"
    )
    url = http_server.route("/news.xml", headers=XML, body=body)
    found = run(lambda f: sitemap_urls(f, url))
    assert found == [Discovered(story, datetime(2024, 5, 2, 6, 30, tzinfo=UTC))]


def test_since_keeps_recent_and_undated_urls(http_server: TestServer) -> None:
    old, new, undated = (http_server.url(p) for p in ("/old", "/new", "/undated"))
    body = urlset((old, "2024-04-30T23:59:59Z"), (new, "2024-05-01"), (undated, None))
    url = http_server.route("/s.xml", headers=XML, body=body)
    found = run(lambda f: sitemap_urls(f, url, since=MAY_1))
    assert _urls(found) == [new, undated]


def test_since_skips_children_unchanged_by_their_index_lastmod(http_server: TestServer) -> None:
    fresh = http_server.route("/fresh.xml", headers=XML, body=urlset((http_server.url("/a"), None)))
    stale = http_server.route("/stale.xml", headers=XML, body=urlset((http_server.url("/b"), None)))
    body = sitemap_index((fresh, "2024-05-03"), (stale, "2024-01-01"))
    index = http_server.route("/index.xml", headers=XML, body=body)
    found = run(lambda f: sitemap_urls(f, index, since=MAY_2))
    assert _urls(found) == [http_server.url("/a")]
    assert http_server.requests("/stale.xml") == []


def test_index_loop_terminates_fetching_each_sitemap_once(http_server: TestServer) -> None:
    a, b = http_server.url("/a.xml"), http_server.url("/b.xml")
    http_server.route("/a.xml", headers=XML, body=sitemap_index((b, None)))
    http_server.route("/b.xml", headers=XML, body=sitemap_index((a, None)))
    assert run(lambda f: sitemap_urls(f, a)) == []
    assert len(http_server.requests("/a.xml")) == len(http_server.requests("/b.xml")) == 1


def test_off_site_child_is_refused_unfetched(
    http_server: TestServer, caplog: pytest.LogCaptureFixture
) -> None:
    page = http_server.url("/page")
    http_server.route("/child.xml", headers=XML, body=urlset((page, None)))
    elsewhere = http_server.url("/child.xml", host="other.test")
    index = http_server.route("/index.xml", headers=XML, body=sitemap_index((elsewhere, None)))
    resolve = resolver({"other.test": ["127.0.0.1"], "127.0.0.1": ["127.0.0.1"]})
    with caplog.at_level(logging.WARNING):
        assert run(lambda f: sitemap_urls(f, index), resolve=resolve) == []
    assert "is on another host than" in caplog.text
    assert [r for r in http_server.requests() if r.host == "other.test"] == []


def test_www_host_counts_as_the_same_site(http_server: TestServer) -> None:
    page = http_server.url("/page")
    http_server.route("/child.xml", headers=XML, body=urlset((page, None)))
    www = http_server.url("/child.xml", host="www.site.test")
    index = http_server.url("/index.xml", host="site.test")
    http_server.route("/index.xml", headers=XML, body=sitemap_index((www, None)))
    resolve = resolver({"site.test": ["127.0.0.1"], "www.site.test": ["127.0.0.1"]})
    assert _urls(run(lambda f: sitemap_urls(f, index), resolve=resolve)) == [page]


def test_child_redirecting_off_site_is_dropped(http_server: TestServer) -> None:
    http_server.route("/child.xml", headers=XML, body=urlset((http_server.url("/page"), None)))
    away = http_server.url("/child.xml", host="other.test")
    moved = http_server.route("/moved.xml", status=301, headers={"Location": away})
    index = http_server.route("/index.xml", headers=XML, body=sitemap_index((moved, None)))
    resolve = resolver({"other.test": ["127.0.0.1"], "127.0.0.1": ["127.0.0.1"]})
    assert run(lambda f: sitemap_urls(f, index), resolve=resolve) == []


def test_gzip_bomb_sitemap_is_stopped(http_server: TestServer) -> None:
    url = http_server.route("/bomb.xml.gz", headers=GZIP, body=gzip_bomb())
    with pytest.raises(DiscoveryError, match=r"bomb\.xml\.gz: .*decompresses to more than"):
        run(lambda f: sitemap_urls(f, url))


def test_gzip_bomb_child_is_skipped_and_the_rest_kept(http_server: TestServer) -> None:
    bomb = http_server.route("/bomb.xml.gz", headers=GZIP, body=gzip_bomb())
    good = http_server.route("/good.xml", headers=XML, body=urlset((http_server.url("/a"), None)))
    index = http_server.route(
        "/index.xml", headers=XML, body=sitemap_index((bomb, None), (good, None))
    )
    assert _urls(run(lambda f: sitemap_urls(f, index))) == [http_server.url("/a")]


def test_failing_child_is_skipped(http_server: TestServer) -> None:
    good = http_server.route("/good.xml", headers=XML, body=urlset((http_server.url("/a"), None)))
    gone = http_server.url("/gone.xml")  # not routed: 404
    index = http_server.route(
        "/index.xml", headers=XML, body=sitemap_index((gone, None), (good, None))
    )
    assert _urls(run(lambda f: sitemap_urls(f, index))) == [http_server.url("/a")]


def test_failing_first_sitemap_raises(http_server: TestServer) -> None:
    with pytest.raises(HTTPStatusError):
        run(lambda f: sitemap_urls(f, http_server.url("/missing.xml")))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<urlset><url><loc>http://x/</loc></urlset>", r"not well-formed XML"),
        ("<!doctype html><html><body><p>hi</body></html>", r"not well-formed XML"),
        ("<html><body>hi</body></html>", r"root element is <html>"),
    ],
    ids=["truncated-xml", "html-page", "xhtml-root"],
)
def test_malformed_sitemap_names_url_and_fault(
    http_server: TestServer, body: str, message: str
) -> None:
    url = http_server.route("/bad.xml", headers=XML, body=body)
    with pytest.raises(DiscoveryError, match=rf"^{url}: .*{message}"):
        run(lambda f: sitemap_urls(f, url))


def test_depth_is_capped(http_server: TestServer) -> None:
    leaf = http_server.route("/leaf.xml", headers=XML, body=urlset((http_server.url("/a"), None)))
    mid = http_server.route("/mid.xml", headers=XML, body=sitemap_index((leaf, None)))
    top = http_server.route("/top.xml", headers=XML, body=sitemap_index((mid, None)))
    assert run(lambda f: sitemap_urls(f, top, max_depth=1)) == []
    assert http_server.requests("/leaf.xml") == []
    assert _urls(run(lambda f: sitemap_urls(f, top, max_depth=2))) == [http_server.url("/a")]


def test_number_of_sitemaps_fetched_is_capped(http_server: TestServer) -> None:
    children = [
        (
            http_server.route(
                f"/s{i}.xml", headers=XML, body=urlset((http_server.url(f"/p{i}"), None))
            ),
            None,
        )
        for i in range(5)
    ]
    index = http_server.route("/index.xml", headers=XML, body=sitemap_index(*children))
    found = run(lambda f: sitemap_urls(f, index, max_sitemaps=3))
    assert _urls(found) == [http_server.url("/p0"), http_server.url("/p1")]
    assert len(http_server.requests()) == 3


def test_limit_stops_the_walk(http_server: TestServer) -> None:
    first = http_server.route(
        "/s1.xml", headers=XML, body=urlset(*((http_server.url(f"/p{i}"), None) for i in range(5)))
    )
    second = http_server.route("/s2.xml", headers=XML, body=urlset((http_server.url("/q"), None)))
    index = http_server.route(
        "/index.xml", headers=XML, body=sitemap_index((first, None), (second, None))
    )
    found = run(lambda f: sitemap_urls(f, index, limit=3))
    assert _urls(found) == [http_server.url(f"/p{i}") for i in range(3)]
    assert http_server.requests("/s2.xml") == []


def test_repeated_and_unusable_locs_are_dropped(http_server: TestServer) -> None:
    a = http_server.url("/a")
    body = urlset((a, None), (a, "2024-05-01"), ("ftp://x/file", None), ("", None), ("/rel", None))
    url = http_server.route("/s.xml", headers=XML, body=body)
    assert _urls(run(lambda f: sitemap_urls(f, url))) == [a, http_server.url("/rel")]


def test_feed_is_taken_as_a_sitemap(http_server: TestServer) -> None:
    body = f"<rss><channel><item><link>{http_server.url('/story')}</link></item></channel></rss>"
    url = http_server.route("/feed", headers={"Content-Type": "application/rss+xml"}, body=body)
    assert _urls(run(lambda f: sitemap_urls(f, url))) == [http_server.url("/story")]


def test_sitemap_is_fetched_with_an_xml_accept_header(http_server: TestServer) -> None:
    url = http_server.route("/s.xml", headers=XML, body=urlset())
    run(lambda f: sitemap_urls(f, url))
    assert http_server.requests("/s.xml")[0].headers["accept"].startswith("application/xml")
