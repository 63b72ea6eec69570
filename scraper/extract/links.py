"""Link density: the share of a node's text that sits inside links (navigation's signature)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["anchors", "link_density"]

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
