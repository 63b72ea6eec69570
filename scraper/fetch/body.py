"""Read a response body within ``max_bytes``, compressed and decompressed.

Why not let httpx decompress: its decoders turn each compressed chunk into all of its output
at once, so a 64 kB chunk of a brotli bomb can become gigabytes in memory before any count is
made. We read the raw bytes (``aiter_raw``) and decompress ourselves, asking the decompressor
for at most the bytes we still have room for; the moment there is more, we stop. Three limits
apply: a declared Content-Length, the raw bytes received, and the decompressed bytes.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import brotli  # type: ignore[import-untyped]
import httpx

from scraper.errors import ContentTypeError, TooLargeError

__all__ = ["ACCEPT_ENCODING", "read_body"]

# What we tell servers we can decompress; each has a bounded decoder below.
ACCEPT_ENCODING = "gzip, deflate, br"


class _Decoder(Protocol):
    """Decompresses chunk by chunk, returning at most ``limit`` bytes per call."""

    def decode(self, data: bytes, limit: int) -> bytes:
        """Up to ``limit`` bytes of output for ``data``; more pending means over the limit."""


class _Identity:
    """No content coding."""

    def decode(self, data: bytes, limit: int) -> bytes:
        """The data itself."""
        return data


class _Zlib:
    """gzip (wbits 31) or deflate, zlib-wrapped or raw (servers send both as "deflate")."""

    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._inner = zlib.decompressobj(wbits)
        self._started = False

    def decode(self, data: bytes, limit: int) -> bytes:
        """Decompress with max_length, so a bomb never expands past ``limit`` in memory."""
        try:
            out = self._inner.decompress(data, limit)
        except zlib.error:
            if self._started or self._wbits != zlib.MAX_WBITS:
                raise
            self._wbits, self._inner = -zlib.MAX_WBITS, zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._inner.decompress(data, limit)
        self._started = True
        return out


class _Brotli:
    """brotli, with the output buffer capped at ``limit``."""

    def __init__(self) -> None:
        self._inner = brotli.Decompressor()

    def decode(self, data: bytes, limit: int) -> bytes:
        """Decompress with output_buffer_limit, so a bomb stops at ``limit``."""
        return bytes(self._inner.process(data, output_buffer_limit=limit))


def _decoder(url: str, content_encoding: str) -> _Decoder:
    """The decoder for a Content-Encoding header, or ContentTypeError if we cannot decode it."""
    codings = [c.strip().lower() for c in content_encoding.split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return _Identity()
    if codings in (["gzip"], ["x-gzip"]):
        return _Zlib(zlib.MAX_WBITS | 16)
    if codings == ["deflate"]:
        return _Zlib(zlib.MAX_WBITS)
    if codings == ["br"]:
        return _Brotli()
    raise ContentTypeError(
        url,
        f"the body uses Content-Encoding {content_encoding!r}, which we did not ask for "
        f"and cannot decode (we accept {ACCEPT_ENCODING})",
    )


async def read_body(
    response: httpx.Response, url: str, max_bytes: int, *, truncate: bool = False
) -> bytes:
    """The decompressed body, read as a stream and stopped past ``max_bytes``.

    Args:
        response: a response opened with ``stream=True``.
        url: for error messages.
        max_bytes: limit on the raw and on the decompressed size.
        truncate: return the first ``max_bytes`` instead of failing (robots.txt).

    Returns:
        The body bytes.

    Raises:
        TooLargeError: over the limit (Content-Length, raw or decompressed), unless truncate.
        ContentTypeError: an unsupported or corrupt Content-Encoding.
    """
    if not truncate:
        _check_declared_length(response, url, max_bytes)
    decoder = _decoder(url, response.headers.get("content-encoding", ""))
    parts: list[bytes] = []
    raw = size = 0
    async for chunk in response.aiter_raw():
        raw += len(chunk)
        try:
            out = decoder.decode(chunk, max_bytes - size + 1)
        except (zlib.error, brotli.error) as exc:
            raise ContentTypeError(url, f"the compressed body is corrupt ({exc})") from exc
        size += len(out)
        parts.append(out)
        if size > max_bytes or raw > max_bytes:
            if truncate:
                return b"".join(parts)[:max_bytes]
            raise TooLargeError(url, _too_large(max_bytes, size, raw))
    return b"".join(parts)


def _check_declared_length(response: httpx.Response, url: str, max_bytes: int) -> None:
    """Refuse before reading when Content-Length already says the body is too big."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLargeError(
            url,
            f"Content-Length is {declared} bytes, over fetch.max_bytes = {max_bytes}; "
            "raise fetch.max_bytes to fetch it",
        )


def _too_large(max_bytes: int, size: int, raw: int) -> str:
    """The message for a body stopped mid-stream."""
    what = "decompressed body" if size > max_bytes else "body"
    hint = " (a decompression bomb?)" if size > max_bytes and raw <= max_bytes else ""
    return (
        f"the {what} grew past fetch.max_bytes = {max_bytes}{hint}; download stopped; "
        "raise fetch.max_bytes to fetch it"
    )
