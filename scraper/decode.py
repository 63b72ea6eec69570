"""Bytes -> text for HTML: BOM, declared charset, <meta>, then detection; and a binary sniff.

Shared by the fetcher (which knows the Content-Type charset) and the extractor (which may get
bare bytes), so that callers never guess encodings.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from scraper.errors import NotHTMLError

__all__ = ["Decoded", "decode_html", "said_utf8", "sniff_binary"]

# Byte-order marks, longest first so that UTF-32 is not mistaken for UTF-16.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# The HTML spec only looks for <meta charset> in the first 1024 bytes; real pages put it later.
_META_WINDOW = 8192
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.I)

# WHATWG: these labels mean windows-1252 in browsers, whatever the label says.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "utf8": "utf-8",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}

# Magic numbers of formats that are never HTML.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image, WAV or AVI)"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"\x7fELF", "an executable"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
)
_SNIFF_WINDOW = 1024
_MAX_CONTROL_SHARE = 0.1  # above this share of control bytes, it is binary, not text
# Control bytes other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])


@dataclass(frozen=True)
class Decoded:
    """Decoded text and how its encoding was found (bom, declared, meta, utf-8, detected).

    ``utf8``: the bytes are exactly the text in UTF-8 (no BOM, nothing replaced), so a parser
    that reads UTF-8 can take them as they are.
    """

    text: str
    encoding: str
    source: str
    utf8: bool = False


def sniff_binary(data: bytes) -> None:
    """Raise NotHTMLError when ``data`` is evidently not text.

    Raises:
        NotHTMLError: the bytes start with a known binary magic number or are mostly control bytes.
    """
    head = data[:_SNIFF_WINDOW]
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            raise NotHTMLError(f"the input is {what}, not HTML; pass an HTML page instead")
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and controls / len(head) > _MAX_CONTROL_SHARE:
        raise NotHTMLError("the input is binary data, not HTML; pass an HTML page instead")


def decode_html(data: bytes, declared: str | None = None) -> Decoded:
    """Decode HTML bytes: BOM, then the declared (HTTP) charset, then <meta>, then detection.
    Bytes labelled with another charset that are valid UTF-8 beyond ASCII are UTF-8.

    Args:
        data: the raw page.
        declared: the charset from a Content-Type header, if any.

    Returns:
        The text, with undecodable bytes replaced, and the encoding used.

    Raises:
        NotHTMLError: the bytes are binary data, not text.

    Example:
        >>> decode_html(b'<meta charset="latin-1"><p>caf\\xe9').text[-4:]
        'café'
    """
    sniff_binary(data)
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(name, "replace"), name, "bom")
    found = _said_codec(data, declared)
    if found is not None:
        codec, source = found
        if codec == "utf-8":
            return _utf8(data, source)
        if not data.isascii() and (text := _valid_utf8(data)) is not None:
            return Decoded(text, "utf-8", "utf-8", utf8=True)  # the label is wrong
        return Decoded(data.decode(codec, "replace"), codec, source)
    if (text := _valid_utf8(data)) is not None:
        return Decoded(text, "utf-8", "utf-8", utf8=True)
    best = charset_normalizer.from_bytes(data[:65536]).best()
    name = _codec(best.encoding if best is not None else None) or "cp1252"
    return Decoded(data.decode(name, "replace"), name, "detected")


def said_utf8(data: bytes, declared: str | None = None) -> str | None:
    """Where ``decode_html`` would learn that ``data`` is UTF-8 without decoding it: "declared"
    (the HTTP charset) or "meta"; None for a BOM, another charset or no word of one.

    A parser that decodes UTF-8 itself can take such bytes as they are: Lexbor replaces
    invalid sequences as ``decode("utf-8", "replace")`` does (tests/test_decode.py holds it).

    Raises:
        NotHTMLError: the bytes are binary data, not text.
    """
    sniff_binary(data)
    if data.startswith(tuple(bom for bom, _ in _BOMS)):
        return None
    found = _said_codec(data, declared)
    return found[1] if found is not None and found[0] == "utf-8" else None


def _said_codec(data: bytes, declared: str | None) -> tuple[str, str] | None:
    """The codec the page is said to be in and who says so: the declared (HTTP) charset,
    else <meta>; a label Python does not know is passed over."""
    for label, source in ((declared, "declared"), (_meta_charset(data), "meta")):
        codec = _codec(label)
        if codec is not None:
            return codec, source
    return None


def _valid_utf8(data: bytes) -> str | None:
    """The bytes as UTF-8 when they are valid UTF-8, else None. Text in a legacy charset with
    any letter beyond ASCII is almost never valid UTF-8 (a Latin-1 "é" is a lone 0xE9), so
    valid UTF-8 with such letters is UTF-8, whatever its label says: a template's stale
    <meta charset="iso-8859-1"> over a UTF-8 database, a server's default charset."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _utf8(data: bytes, source: str) -> Decoded:
    """Bytes said to be UTF-8, decoded with undecodable bytes replaced."""
    if (text := _valid_utf8(data)) is not None:
        return Decoded(text, "utf-8", source, utf8=True)
    return Decoded(data.decode("utf-8", "replace"), "utf-8", source)


def _meta_charset(data: bytes) -> str | None:
    """The charset named by <meta charset> or <meta http-equiv> near the top of the page."""
    match = _META_CHARSET.search(data[:_META_WINDOW])
    return match.group(1).decode("ascii", "replace") if match else None


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # a page that says utf-16 in a <meta> but has no BOM is really ASCII-compatible
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name
