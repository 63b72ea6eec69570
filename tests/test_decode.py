"""Bytes to text: BOM, declared charset, <meta>, detection; binary input refused."""

from __future__ import annotations

import codecs

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.decode import decode_html, said_utf8
from scraper.errors import NotHTMLError

CYRILLIC = "<html><body><p>Президент пообещал помочь в переговорах с оппозицией.</p></body></html>"


def test_bom_wins() -> None:
    decoded = decode_html(codecs.BOM_UTF16_LE + "<p>héllo</p>".encode("utf-16-le"))
    assert (decoded.text, decoded.source) == ("<p>héllo</p>", "bom")


def test_declared_charset_is_used() -> None:
    decoded = decode_html("<p>café</p>".encode("cp1252"), declared="ISO-8859-1")
    assert decoded.text == "<p>café</p>"
    assert decoded.source == "declared"


@pytest.mark.parametrize("declared", [None, "iso-8859-1"])
def test_valid_utf8_beyond_ascii_is_utf8_whatever_its_label(declared: str | None) -> None:
    # A stale <meta charset="iso-8859-1"> (or server default) over UTF-8 text: read as
    # windows-1252, "café" would be "cafÃ©".
    data = '<meta charset="iso-8859-1"><p>café – déjà</p>'.encode()
    decoded = decode_html(data, declared)
    assert (decoded.text[-18:], decoded.encoding, decoded.utf8) == (
        "<p>café – déjà</p>",
        "utf-8",
        True,
    )


def test_a_legacy_label_stands_over_ascii_and_over_invalid_utf8() -> None:
    assert decode_html(b'<meta charset="iso-8859-1"><p>cafe</p>').encoding == "cp1252"
    latin = decode_html('<meta charset="iso-8859-1"><p>café</p>'.encode("cp1252"))
    assert (latin.text[-11:], latin.encoding) == ("<p>café</p>", "cp1252")


def test_meta_charset() -> None:
    data = b'<meta charset="windows-1251">' + CYRILLIC.encode("cp1251")
    assert "Президент" in decode_html(data).text


def test_http_equiv_charset() -> None:
    head = b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    assert "Президент" in decode_html(head + CYRILLIC.encode("koi8-r")).text


def test_utf8_without_declaration() -> None:
    assert decode_html(CYRILLIC.encode("utf-8")).source == "utf-8"


@pytest.mark.parametrize("declared", [None, "utf-8", "UTF8"])
def test_valid_utf8_is_marked_exact(declared: str | None) -> None:
    data = CYRILLIC.encode("utf-8")
    decoded = decode_html(data, declared)
    assert (decoded.text, decoded.utf8) == (CYRILLIC, True)


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + b"<p>a</p>",
        b'<meta charset="utf-8"><p>caf\xe9</p>',
        "<p>é</p>".encode("cp1252"),
    ],
    ids=["bom", "invalid-declared-utf8", "legacy"],
)
def test_bytes_that_are_not_their_text_in_utf8_are_not_exact(data: bytes) -> None:
    assert not decode_html(data).utf8


def test_invalid_utf8_declared_as_utf8_is_replaced_not_dropped() -> None:
    assert decode_html(b'<meta charset="utf-8"><p>caf\xe9</p>').text.endswith("caf\ufffd</p>")


def test_undeclared_legacy_charset_is_detected() -> None:
    decoded = decode_html((CYRILLIC * 5).encode("cp1251"))
    assert decoded.source == "detected"
    assert "Президент" in decoded.text


def test_unknown_declared_label_falls_through() -> None:
    assert decode_html(b"<p>plain</p>", declared="x-no-such-charset").text == "<p>plain</p>"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (bytes(range(0, 8)) * 64, "binary"),
    ],
    ids=["pdf", "png", "jpeg", "zip", "control-bytes"],
)
def test_binary_is_refused(data: bytes, what: str) -> None:
    with pytest.raises(NotHTMLError, match=what):
        decode_html(data)


@pytest.mark.parametrize(
    ("data", "declared", "source"),
    [
        (b"<meta charset=utf-8><p>caf\xc3\xa9", None, "meta"),
        (b"<p>caf\xc3\xa9", "UTF-8", "declared"),
        (b'<meta charset="latin-1"><p>x', "utf-8", "declared"),  # HTTP wins, as decode_html has it
        (b"<meta charset=latin-1><p>caf\xe9", None, None),
        (b"<meta charset=utf-8><p>x", "latin-1", None),
        (b"\xef\xbb\xbf<meta charset=utf-8><p>x", None, None),  # a BOM: decode_html strips it
        (b"<p>caf\xc3\xa9", None, None),  # said by nobody: decoding must find it valid first
        (b"<meta charset=no-such-thing><p>x", "utf-8", "declared"),
    ],
)
def test_said_utf8_agrees_with_decode_html(
    data: bytes, declared: str | None, source: str | None
) -> None:
    assert said_utf8(data, declared) == source
    if source is not None:
        decoded = decode_html(data, declared)
        assert (decoded.encoding, decoded.source) == ("utf-8", source)


def test_said_utf8_refuses_binary() -> None:
    with pytest.raises(NotHTMLError):
        said_utf8(b"%PDF-1.7 <meta charset=utf-8>")


# Each invalid sequence, as the parser takes bytes said to be UTF-8: truncated, overlong,
# surrogates, past U+10FFFF, stray continuation bytes, cut off at the end.
INVALID_UTF8 = [
    b"caf\xe9 x",
    b"a\xc3 b",
    b"\xf0\x9f\x98 z",
    b"\xed\xa0\x80 sur",
    b"\xff\xfe ok",
    b"\xe2\x82 \xe2\x82\xac",
    b"\xc0\xaf x",
    b"\xf4\x90\x80\x80 big",
    b"\x80\xbf lone",
    b"end\xe2\x82",
]


@pytest.mark.parametrize("inner", INVALID_UTF8)
def test_lexbor_replaces_invalid_utf8_as_python_does(inner: bytes) -> None:
    # What lets extract() hand bytes said to be UTF-8 to the parser undecoded, valid or not.
    page = b"<html><head><meta charset=utf-8></head><body><p>" + inner + b"</p></body></html>"
    from_bytes = LexborHTMLParser(page).css_first("p")
    from_text = LexborHTMLParser(page.decode("utf-8", "replace")).css_first("p")
    assert from_bytes is not None and from_text is not None
    assert from_bytes.text() == from_text.text()
    assert "\ufffd" in from_bytes.text()
