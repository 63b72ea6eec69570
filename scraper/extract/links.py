"""Link density: the share of a node's text that sits inside links (navigation's signature)."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

__all__ = ["link_density"]


def link_density(node: LexborNode, text_chars: int | None = None) -> float:
    """Share of the node's text inside <a> elements, in [0, 1]."""
    chars = text_chars if text_chars is not None else len(node.text(strip=True))
    if chars == 0:
        return 0.0
    linked = sum(len(a.text(strip=True)) for a in node.css("a"))
    return min(1.0, linked / chars)
