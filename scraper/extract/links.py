"""Link density: the share of a node's text that sits inside links (navigation's signature)."""

from __future__ import annotations

import re
import urllib.parse
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["anchors", "joined", "link_density", "origin_of"]

_ABSOLUTE: Final = ("http://", "https://")
_WITH_HOST: Final = re.compile(r"https?://[^/?#]")  # an absolute href with a host: no urljoin
_ROOTED: Final = re.compile(r"/[^/\\\s][^\\\s]*|/")  # /path?query#part, no space, no backslash
# What urljoin changes in an href: dot segments, empty query, fragment or params, and the
# tabs and newlines it deletes.
_ALTERED: Final = re.compile(r"/\.|\?#|[?#]$|;|[\t\r\n]")

# A subtree of at most this many elements is searched for links by a Python walk, a larger one
# by css("a"). Each css() call parses its selector again (about 6 us), more than walking a
# paragraph's few elements costs; on the wcxb voters the walk took half the time of css().
_WALK_MAX_ELEMENTS = 24


def anchors(tree: LexborHTMLParser) -> tuple[tuple[str, ...], str | None]:
    """The distinct ``<a href>`` values of the page (stripped, in order; a third of a page's
    hrefs are repeats) and its ``<base href>``, if any."""
    base = tree.css_first("base[href]")
    hrefs = {(node.attrs.get("href") or "").strip(): None for node in tree.css("a[href]")}
    return tuple(hrefs), (base.attrs.get("href") or "").strip() if base is not None else None


def origin_of(base: str) -> str | None:
    """The ``scheme://host`` of an http(s) address, which a rooted href joins; else None."""
    if not base.startswith(_ABSOLUTE):
        return None
    parts = urllib.parse.urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


def joined(base: str, origin: str | None, href: str) -> str:
    """``urljoin(base, href)``, exactly; ``origin`` is ``origin_of(base)``.

    Most hrefs need none of urljoin's work (a third of the crawl's link step, and of the
    blocks of a page full of links): an absolute http(s) href that urljoin would not alter is
    itself, and a plain rooted one (``/a/b?c``: no ``//``, no dot segment) is the origin and
    the href. Property tests hold both equal to urljoin.

    Raises:
        ValueError: urljoin's, for an href that is not a URL (``http://[``).
    """
    if _WITH_HOST.match(href) and not _ALTERED.search(href):
        return href
    if origin is not None and _ROOTED.fullmatch(href) and not _ALTERED.search(href):
        return origin + href
    return urllib.parse.urljoin(base, href)


def link_density(
    node: LexborNode, text_chars: int | None = None, memo: dict[int, int] | None = None
) -> float:
    """Share of the node's text inside <a> elements, in [0, 1].

    ``memo`` (link mem_id -> its text's length) spares re-reading the links of nested nodes;
    it is valid only while the tree is not changed.
    """
    chars = text_chars if text_chars is not None else len(node.text(strip=True))
    if chars == 0:
        return 0.0
    if memo is None:
        linked = sum(len(a.text(strip=True)) for a in _links(node))
    else:
        linked = sum(_link_chars(a, memo) for a in _links(node))
    return min(1.0, linked / chars)


def _links(node: LexborNode) -> list[LexborNode]:
    """The <a> elements in the node's subtree, the node included (as css("a") lists them)."""
    links = []
    for count, inner in enumerate(node.traverse()):
        if count == _WALK_MAX_ELEMENTS:
            return node.css("a")  # a large subtree: the selector engine walks it faster
        if inner.tag == "a":
            links.append(inner)
    return links


def _link_chars(link: LexborNode, memo: dict[int, int]) -> int:
    """The length of one link's text, read once per memo."""
    key = link.mem_id
    chars = memo.get(key)
    if chars is None:
        chars = memo[key] = len(link.text(strip=True))
    return chars
