"""feed_links: the feeds a home page announces, resolved absolute."""

from __future__ import annotations

from scraper.crawl.discover import feed_links

BASE = "https://example.org/news/"


def test_rss_and_atom_alternates_in_page_order() -> None:
    html = """<html><head>
      <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.rss">
      <link rel="stylesheet" href="/style.css">
      <link rel="alternate" type="application/atom+xml" href="atom.xml">
      <link rel="alternate" hreflang="fr" href="/fr/">
    </head><body></body></html>"""
    assert feed_links(html, BASE) == [
        "https://example.org/feed.rss",
        "https://example.org/news/atom.xml",
    ]


def test_rel_and_type_are_case_insensitive_tokens() -> None:
    html = '<link rel="Alternate Home" type="Application/RSS+XML; charset=utf-8" href="/f">'
    assert feed_links(html, BASE) == ["https://example.org/f"]


def test_base_href_is_honoured() -> None:
    html = (
        '<base href="https://cdn.example.org/x/">'
        "<link rel=alternate type=application/rss+xml href=feed>"
    )
    assert feed_links(html, BASE) == ["https://cdn.example.org/x/feed"]


def test_repeats_fragments_and_non_http_links_are_dropped() -> None:
    html = """
      <link rel="alternate" type="application/rss+xml" href="/feed#top">
      <link rel="alternate" type="application/rss+xml" href="https://example.org/feed">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate" type="application/rss+xml" href="">"""
    assert feed_links(html, BASE) == ["https://example.org/feed"]


def test_page_without_feeds() -> None:
    assert feed_links("<p>no feeds here</p>", BASE) == []
