"""Untrusted XML bytes -> an element tree, safely; gzip bytes -> XML bytes, within a cap.

Sitemaps and feeds come from anyone, so parsing refuses what XML attacks are made of:
1. every entity declaration (defusedxml, forbid_entities): billion laughs and quadratic
   blowup need declared entities, and so do external (SYSTEM) entities such as file:// or
   http:// ones; the document is refused before any entity is expanded or fetched;
2. external references of any other kind (forbid_external); an external DTD named in a
   DOCTYPE is never loaded (the parser loads nothing), so RSS 0.91's Netscape DOCTYPE parses;
3. gzip bombs: decompression stops one byte past ``max_bytes``.
Element names are matched by local name (``local``), so the sitemap, news, RSS 1.0 and Atom
namespaces, and feeds that forget theirs, all read the same.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml import ElementTree as SafeElementTree

from scraper.errors import DiscoveryError

__all__ = ["GZIP_MAGIC", "children", "first_text", "gunzip", "local", "parse_xml"]

GZIP_MAGIC = b"\x1f\x8b"  # how a gzip file starts, whatever its content type or name
_REFUSED = (
    "entity declarations are refused (billion-laughs bombs and external-entity attacks are "
    "made of them), so the document was not read; skip it"
)


def parse_xml(url: str, data: bytes) -> Element:
    """The root element of ``data``, parsed with entities and external references refused.

    Raises:
        DiscoveryError: the bytes are not well-formed XML, or declare entities.
    """
    try:
        root: Element = SafeElementTree.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.EntitiesForbidden as exc:
        raise DiscoveryError(url, f"declares the XML entity {exc.name!r}; {_REFUSED}") from exc
    except defusedxml.DefusedXmlException as exc:
        raise DiscoveryError(url, f"makes an external XML reference ({exc}); {_REFUSED}") from exc
    except ParseError as exc:
        raise DiscoveryError(
            url,
            f"is not well-formed XML ({exc}); the sitemap or feed is broken (or an HTML "
            "page): skip it, or tell the site owner",
        ) from exc
    return root


def gunzip(url: str, data: bytes, max_bytes: int) -> bytes:
    """The decompressed gzip ``data``, stopped one byte past ``max_bytes``.

    Raises:
        DiscoveryError: the data is corrupt or truncated, or decompresses past ``max_bytes``.
    """
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise DiscoveryError(url, f"the gzip data is corrupt ({exc}); skip it") from exc
    if len(out) > max_bytes:
        raise DiscoveryError(
            url,
            f"the gzip data decompresses to more than {max_bytes} bytes (a gzip bomb?); "
            "decompression stopped; skip it, or raise max_bytes if it is a real sitemap",
        )
    if not inflater.eof:
        raise DiscoveryError(url, "the gzip data is truncated; skip it, or try again later")
    return out


def local(tag: str) -> str:
    """The local name of an ElementTree tag: "{namespace}loc" -> "loc"."""
    return tag.rpartition("}")[2]


def children(element: Element, *names: str) -> Iterator[Element]:
    """The direct children of ``element`` whose local name is one of ``names``."""
    for child in element:
        if isinstance(child.tag, str) and local(child.tag) in names:
            yield child


def first_text(element: Element, name: str) -> str | None:
    """The stripped text of the first direct child named ``name`` that has text, if any."""
    for child in children(element, name):
        text = (child.text or "").strip()
        if text:
            return text
    return None
