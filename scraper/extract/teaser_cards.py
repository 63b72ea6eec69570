"""Teaser cards: the small container of a heading that links to another page ("Read this
next", "More stories": an image, a date, a headline, an excerpt). On a page that declares
itself an article, the prose of the cards around the chosen content is recirculation: scoring
does not widen the content to take it in (score.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from selectolax.lexbor import LexborNode

from scraper.extract import rules
from scraper.extract.tree import inside_any

__all__ = ["teaser_cards"]

# A link to another page: not an in-page anchor (an accordion's toggle, a table of contents).
_AWAY: Final = 'a[href]:not([href^="#"]):not([href^="javascript:"])'
_LINKED_HEADINGS: Final = ", ".join(f"{tag} {_AWAY}, {_AWAY} {tag}" for tag in rules.HEADING_LEVELS)
_TOP: Final = frozenset({"body", "html"})


def teaser_cards(body: LexborNode, roots: list[LexborNode]) -> Iterator[int]:
    """The mem_ids of the teaser cards outside ``roots``, each once: for every heading that
    links away, its largest ancestor of at most rules.CARD_MAX_CHARS of text. A heading inside
    the roots is the content's own."""
    keys = {root.mem_id for root in roots}
    seen: set[int] = set()
    for heading in body.css(_LINKED_HEADINGS):
        card = _card_of(heading, keys)
        if card is not None and card.mem_id not in seen:
            seen.add(card.mem_id)
            yield card.mem_id


def _card_of(heading: LexborNode, roots: set[int]) -> LexborNode | None:
    """The heading's card, or None when the heading stands in one of ``roots``."""
    if inside_any(heading, roots):
        return None
    card = None
    node: LexborNode | None = heading
    while node is not None and node.tag not in _TOP:
        if len(node.text(strip=True)) > rules.CARD_MAX_CHARS:
            break
        card, node = node, node.parent
    return card
