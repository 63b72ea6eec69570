"""Cards set inside a paragraph's text, found while cleaning still sees the page's images.

A news site's hover card sits in the middle of a sentence: "...threatened to kill Rep.
<span>Ilhan Omar<span class="rollover-block"><img> Ilhan Omar <a>story</a> <a>story</a>
<a>MORE</a></span></span> (D-Minn.)...". A script shows it on hover; in the HTML it is part of the
paragraph, whose share of link text then drops the whole paragraph, lead sentence and all.
Such a card is the smallest inline element around an image inside a <p> that holds
INLINE_CARD_MIN_LINKS links, most of its text linked (INLINE_CARD_LINK_SHARE): it is removed,
and the paragraph keeps its own words. An image linked on its own, or set in prose with a link
or two beside it, is no card: the links must hold most of the element's text.
"""

from __future__ import annotations

from collections.abc import Iterable

from selectolax.lexbor import LexborNode

from scraper.extract import rules
from scraper.extract.links import link_density

__all__ = ["inline_cards"]


def inline_cards(images: Iterable[LexborNode]) -> list[LexborNode]:
    """The cards around ``images`` (<img> elements still in the tree), each once, in the order
    of their images."""
    found: dict[int, LexborNode] = {}
    for image in images:
        card = _card_around(image)
        if card is not None:
            found.setdefault(card.mem_id, card)
    return list(found.values())


def _card_around(image: LexborNode) -> LexborNode | None:
    """The smallest inline ancestor of an image in a paragraph that reads as a card; None when
    the image stands outside a <p> (the walk up meets a block first) or in no card."""
    chain: list[LexborNode] = []
    node = image.parent
    while node is not None and node.tag in rules.INLINE_TAGS:
        chain.append(node)
        node = node.parent
    if node is None or node.tag != "p":
        return None
    for inline in chain:
        if len(inline.css("a")) >= rules.INLINE_CARD_MIN_LINKS:
            chars = len(inline.text(strip=True))
            card = chars and link_density(inline, chars) >= rules.INLINE_CARD_LINK_SHARE
            return inline if card else None
    return None
