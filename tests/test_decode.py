"""Bytes to text: BOM, declared charset, <meta>, detection; binary input refused."""

from __future__ import annotations

import codecs

import pytest

from scraper.decode import decode_html
from scraper.errors import NotHTMLError

CYRILLIC = "<html><body><p>Президент пообещал помочь в переговорах с оппозицией.</p></body></html>"


def test_bom_wins() -> None:
    decoded = decode_html(codecs.BOM_UTF16_LE + "<p>héllo</p>".encode("utf-16-le"))
    assert (decoded.text, decoded.source) == ("<p>héllo</p>", "bom")


def test_declared_charset_is_used() -> None:
    decoded = decode_html("<p>café</p>".encode("cp1252"), declared="ISO-8859-1")
    assert decoded.text == "<p>café</p>"
    assert decoded.source == "declared"


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
