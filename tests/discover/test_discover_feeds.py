"""feed_urls over the real test server: RSS 2.0, RSS 1.0 (RDF), Atom, mislabelled feeds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from discover_support import run
from server import TestServer

from scraper.crawl.discover import Discovered, feed_urls
from scraper.errors import ContentTypeError, DiscoveryError

RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM_TYPE = {"Content-Type": "application/atom+xml"}

RSS2 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom">
 <channel>
  <title>The Paper</title><link>https://example.org/</link>
  <atom:link href="https://example.org/feed" rel="self" type="application/rss+xml"/>
  <item><title>One</title><link>https://example.org/one</link>
   <pubDate>Wed, 01 May 2024 10:00:00 +0200</pubDate></item>
  <item><title>Two</title><link> /two </link><dc:date>2024-05-02T00:00:00Z</dc:date></item>
  <item><title>Three</title><guid>https://example.org/three</guid></item>
  <item><title>Not a permalink</title><guid isPermaLink="false">abc-123</guid></item>
  <item><title>Repeat</title><link>https://example.org/one</link></item>
 </channel>
</rss>"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel rdf:about="https://example.org/rss">
  <title>The Paper</title><link>https://example.org/</link>
  <items><rdf:Seq><rdf:li rdf:resource="https://example.org/one"/></rdf:Seq></items>
 </channel>
 <item rdf:about="https://example.org/one">
  <title>One</title><link>https://example.org/one</link><dc:date>2024-05-01</dc:date>
 </item>
 <item rdf:about="https://example.org/about-only"><title>Two</title></item>
</rdf:RDF>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/blog/">
 <title>The Blog</title><id>urn:uuid:1</id><updated>2024-05-02T00:00:00Z</updated>
 <link rel="self" href="https://example.org/atom.xml"/>
 <entry>
  <title>One</title><id>urn:uuid:2</id>
  <link rel="edit" href="https://example.org/edit/1"/>
  <link rel="alternate" type="text/html" href="one.html"/>
  <published>2024-05-01T09:00:00+01:00</published><updated>2024-05-02T12:00:00Z</updated>
 </entry>
 <entry>
  <title>Two</title><id>urn:uuid:3</id><link href="https://example.org/two"/>
  <published>2024-05-01T00:00:00Z</published>
 </entry>
 <entry><title>No link</title><id>urn:uuid:4</id><link rel="enclosure" href="a.mp3"/></entry>
</feed>"""


def _day(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 5, day, hour, tzinfo=UTC)


def test_rss2_items_links_and_dates(http_server: TestServer) -> None:
    url = http_server.route("/feed", headers=RSS_TYPE, body=RSS2)
    assert run(lambda f: feed_urls(f, url)) == [
        Discovered("https://example.org/one", _day(1, 8)),
        Discovered(http_server.url("/two"), _day(2)),
        Discovered("https://example.org/three", None),
    ]


def test_rdf_items_links_and_dates(http_server: TestServer) -> None:
    url = http_server.route("/rss", headers={"Content-Type": "application/rdf+xml"}, body=RDF)
    assert run(lambda f: feed_urls(f, url)) == [
        Discovered("https://example.org/one", _day(1)),
        Discovered("https://example.org/about-only", None),
    ]


def test_atom_alternate_links_with_xml_base_and_newest_date(http_server: TestServer) -> None:
    url = http_server.route("/atom.xml", headers=ATOM_TYPE, body=ATOM)
    assert run(lambda f: feed_urls(f, url)) == [
        Discovered("https://example.org/blog/one.html", _day(2, 12)),
        Discovered("https://example.org/two", _day(1)),
    ]


def test_feed_served_as_text_html_is_read_by_its_body(http_server: TestServer) -> None:
    # Decision: a feed's label is often wrong; the body decides (Accept.XML takes text/html).
    url = http_server.route("/feed", headers={"Content-Type": "text/html"}, body=RSS2)
    assert len(run(lambda f: feed_urls(f, url))) == 3


def test_html_page_where_a_feed_should_be_is_a_discovery_error(http_server: TestServer) -> None:
    page = "<!doctype html><html><head><title>Home</title></head><body><p>Hi<br></body></html>"
    url = http_server.route("/feed", body=page)
    with pytest.raises(DiscoveryError, match=rf"^{url}: is not well-formed XML"):
        run(lambda f: feed_urls(f, url))


def test_sitemap_is_not_a_feed(http_server: TestServer) -> None:
    url = http_server.route("/feed", headers=RSS_TYPE, body="<urlset/>")
    with pytest.raises(
        DiscoveryError, match=r"not an RSS or Atom feed: its root element is <urlset>"
    ):
        run(lambda f: feed_urls(f, url))


def test_binary_content_type_is_refused_before_download(http_server: TestServer) -> None:
    url = http_server.route("/feed", headers={"Content-Type": "image/png"}, body=b"\x89PNG")
    with pytest.raises(ContentTypeError, match=r"not XML or gzip"):
        run(lambda f: feed_urls(f, url))


def test_unescaped_ampersand_is_malformed(http_server: TestServer) -> None:
    body = "<rss><channel><item><link>https://example.org/?a=1&b=2</link></item></channel></rss>"
    url = http_server.route("/feed", headers=RSS_TYPE, body=body)
    with pytest.raises(DiscoveryError, match=r"not well-formed XML"):
        run(lambda f: feed_urls(f, url))
