"""Small walks over a parsed tree that several stages share."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from scraper.extract import rules

__all__ = ["has_block_child", "holds", "inside_any", "outermost", "pre_text"]


def has_block_child(node: LexborNode) -> bool:
    """Whether any child element of ``node`` is block-level (rules.BLOCK_TAGS)."""
    child = node.child
    while child is not None:
        if child.tag in rules.BLOCK_TAGS:
            return True
        child = child.next
    return False


def holds(ancestor: LexborNode, node: LexborNode) -> bool:
    """Whether ``node`` is ``ancestor`` or lies inside it: a walk up, not down (a node's
    ancestors are few, its descendants many); mem_ids compared, as LexborNode == is slow.

    Example:
        >>> from selectolax.lexbor import LexborHTMLParser
        >>> tree = LexborHTMLParser("<div><p>a</p></div>")
        >>> holds(tree.css_first("div"), tree.css_first("p"))
        True
    """
    key = ancestor.mem_id
    current: LexborNode | None = node
    while current is not None:
        if current.mem_id == key:
            return True
        current = current.parent
    return False


def outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """Nodes in document order, without those inside another listed node."""
    keys = {node.mem_id for node in nodes}
    return [node for node in nodes if node.parent is None or not inside_any(node.parent, keys)]


def inside_any(node: LexborNode, keys: set[int]) -> bool:
    """Whether the node or one of its ancestors has a mem_id listed in ``keys``."""
    current: LexborNode | None = node
    while current is not None:
        if current.mem_id in keys:
            return True
        current = current.parent
    return False


def pre_text(node: LexborNode) -> str:
    """A <pre>'s text, each <br> a line break (a CMS that writes code with <br> between lines;
    Lexbor's text() drops them, and "python3<br>import os" read as "python3import os")."""
    if node.css_first("br") is None:
        return node.text(deep=True) or ""
    parts = []
    for inner in node.traverse(include_text=True):
        if inner.tag == "br":
            parts.append("\n")
        elif inner.tag == "-text":
            parts.append(inner.text_content or "")
    return "".join(parts)
