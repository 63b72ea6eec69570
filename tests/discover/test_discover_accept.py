"""Fetcher.fetch(accept=...): HTML stays the default; XML and text only when asked; limits hold."""

from __future__ import annotations

import gzip

import pytest
from discover_support import GZIP, XML, run
from server import TestServer

from scraper.errors import ContentTypeError, TooLargeError
from scraper.fetch import Accept


def test_default_still_refuses_xml(http_server: TestServer) -> None:
    url = http_server.route("/s.xml", headers=XML, body="<urlset/>")
    with pytest.raises(ContentTypeError, match=r"not HTML or XHTML"):
        run(lambda f: f.fetch(url))


@pytest.mark.parametrize(
    "content_type",
    ["application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "text/html"],
)
def test_xml_accepts_xml_types(http_server: TestServer, content_type: str) -> None:
    url = http_server.route("/doc", headers={"Content-Type": content_type}, body="<rss/>")
    page = run(lambda f: f.fetch(url, accept=Accept.XML))
    assert page.content == b"<rss/>"
    assert page.text == "<rss/>"


@pytest.mark.parametrize("content_type", ["application/x-gzip", "application/gzip"])
def test_xml_keeps_gzip_bodies_compressed(http_server: TestServer, content_type: str) -> None:
    body = gzip.compress(b"<urlset/>")
    url = http_server.route("/s.xml.gz", headers={"Content-Type": content_type}, body=body)
    page = run(lambda f: f.fetch(url, accept=Accept.XML))
    assert (page.content, page.text) == (body, "")


def test_octet_stream_only_with_a_gz_path(http_server: TestServer) -> None:
    binary = {"Content-Type": "application/octet-stream"}
    body = gzip.compress(b"<urlset/>")
    good = http_server.route("/s.xml.gz", headers=binary, body=body)
    bad = http_server.route("/s.bin", headers=binary, body=body)
    assert run(lambda f: f.fetch(good, accept=Accept.XML)).content == body
    with pytest.raises(ContentTypeError, match=r"'application/octet-stream', not XML or gzip"):
        run(lambda f: f.fetch(bad, accept=Accept.XML))


def test_html_default_refuses_gzip(http_server: TestServer) -> None:
    url = http_server.route("/s.xml.gz", headers=GZIP, body=gzip.compress(b"<urlset/>"))
    with pytest.raises(ContentTypeError):
        run(lambda f: f.fetch(url))


def test_text_accepts_plain_text_only(http_server: TestServer) -> None:
    text = http_server.route("/robots.txt", headers={"Content-Type": "text/plain"}, body="a")
    xml = http_server.route("/s.xml", headers=XML, body="<urlset/>")
    assert run(lambda f: f.fetch(text, accept=Accept.TEXT)).text == "a"
    with pytest.raises(ContentTypeError, match=r"not plain text"):
        run(lambda f: f.fetch(xml, accept=Accept.TEXT))


@pytest.mark.parametrize("path", ["/fault/huge", "/fault/gzip-bomb"])
def test_size_limits_hold_for_xml(http_server: TestServer, path: str) -> None:
    with pytest.raises(TooLargeError):
        run(lambda f: f.fetch(http_server.url(path), accept=Accept.XML))
