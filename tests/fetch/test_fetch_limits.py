"""Guards on the response: timeouts, size limits (bombs included), content type, charset."""

from __future__ import annotations

import gzip

import brotli  # type: ignore[import-untyped]
import pytest
from fetch_support import fast_config, fetch
from server import TestServer

from scraper.errors import ConnectError, ContentTypeError, FetchTimeoutError, TooLargeError


def test_slow_first_byte_times_out_after_every_attempt(http_server: TestServer) -> None:
    with pytest.raises(FetchTimeoutError, match=r"sent nothing for 0.4 s"):
        fetch(fast_config(), http_server.url("/fault/slow-first-byte"))
    assert len(http_server.requests("/fault/slow-first-byte")) == 3


def test_stall_mid_body_times_out(http_server: TestServer) -> None:
    with pytest.raises(FetchTimeoutError, match=r"raise fetch.timeout"):
        fetch(fast_config(retries=0), http_server.url("/fault/stall-mid-body"))


def test_truncated_body_is_a_connect_error(http_server: TestServer) -> None:
    with pytest.raises(ConnectError, match=r"closed the connection early"):
        fetch(fast_config(retries=1), http_server.url("/fault/truncated"))
    assert len(http_server.requests("/fault/truncated")) == 2


def test_declared_length_over_max_bytes_is_refused_unread(http_server: TestServer) -> None:
    with pytest.raises(TooLargeError, match=r"Content-Length is 3145728 bytes"):
        fetch(fast_config(), http_server.url("/fault/huge"))
    assert len(http_server.requests("/fault/huge")) == 1  # not retried


def test_streamed_body_over_max_bytes_is_stopped(http_server: TestServer) -> None:
    with pytest.raises(TooLargeError, match=r"grew past fetch.max_bytes = 1048576"):
        fetch(fast_config(), http_server.url("/fault/huge-chunked"))


@pytest.mark.parametrize("path", ["/fault/gzip-bomb", "/fault/brotli-bomb"])
def test_decompression_bomb_is_stopped(http_server: TestServer, path: str) -> None:
    with pytest.raises(TooLargeError, match=r"decompression bomb"):
        fetch(fast_config(), http_server.url(path))


@pytest.mark.parametrize(
    ("coding", "compress"),
    [("gzip", gzip.compress), ("br", brotli.compress), ("deflate", __import__("zlib").compress)],
)
def test_compressed_pages_are_decoded(
    http_server: TestServer, coding: str, compress: object
) -> None:
    html = "<p>" + "compressed text " * 500 + "</p>"
    body = compress(html.encode())  # type: ignore[operator]
    url = http_server.route("/z", headers={"Content-Encoding": coding}, body=body)
    page = fetch(fast_config(), url)
    assert page.text == html
    assert "br" in http_server.requests("/z")[0].headers["accept-encoding"]


def test_unknown_content_encoding_is_refused(http_server: TestServer) -> None:
    url = http_server.route("/z", headers={"Content-Encoding": "zstd"}, body=b"\x28\xb5")
    with pytest.raises(ContentTypeError, match=r"zstd"):
        fetch(fast_config(), url)


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json"])
def test_non_html_content_types_are_refused(http_server: TestServer, content_type: str) -> None:
    url = http_server.route("/file", headers={"Content-Type": content_type}, body=b"{}")
    with pytest.raises(ContentTypeError, match=content_type):
        fetch(fast_config(), url)


def test_xhtml_is_accepted(http_server: TestServer) -> None:
    url = http_server.route("/x", headers={"Content-Type": "application/xhtml+xml"}, body="<p/>")
    assert fetch(fast_config(), url).text == "<p/>"


def test_binary_served_as_html_is_refused(http_server: TestServer) -> None:
    with pytest.raises(ContentTypeError, match=r"PNG image"):
        fetch(fast_config(), http_server.url("/fault/binary-as-html"))


def test_charset_from_header(http_server: TestServer) -> None:
    url = http_server.route(
        "/latin", headers={"Content-Type": "text/html; charset=iso-8859-1"}, body=b"caf\xe9"
    )
    page = fetch(fast_config(), url)
    assert (page.text, page.encoding) == ("café", "cp1252")


def test_header_charset_wins_over_the_bytes(http_server: TestServer) -> None:
    page = fetch(fast_config(), http_server.url("/fault/wrong-charset"))
    assert page.encoding == "utf-8"
    assert "\ufffd" in page.text  # decoded as declared; never a crash


def test_charset_from_meta(http_server: TestServer) -> None:
    body = '<meta charset="windows-1251"><p>Привет</p>'.encode("cp1251")
    url = http_server.route("/ru", headers={"Content-Type": "text/html"}, body=body)
    page = fetch(fast_config(), url)
    assert "Привет" in page.text and page.encoding == "cp1251"


def test_missing_charset_is_detected(http_server: TestServer) -> None:
    page = fetch(fast_config(), http_server.url("/fault/missing-charset"))
    assert page.encoding != "utf-8"
    assert "café" in page.text


def test_bom_wins(http_server: TestServer) -> None:
    url = http_server.route(
        "/bom", headers={"Content-Type": "text/html"}, body=b"\xef\xbb\xbf\xc3\xa9"
    )
    assert fetch(fast_config(), url).text == "é"
