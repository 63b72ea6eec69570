"""Cleaning's second pass: nodes a reader never sees (``hidden``, ``aria-hidden``,
``display: none``), unless they hold much of the page's text: content that a script shows (a
streamed React segment, a product page's deferred block) stays for scoring; and unless the
reader can open them: an accordion's collapsed panel, named by a control's aria-controls."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Final

from selectolax.lexbor import LexborNode

from scraper.extract import rules
from scraper.extract.links import link_density
from scraper.extract.tree import inside_any, outermost

if TYPE_CHECKING:
    from scraper.extract.trace import Trace

__all__ = ["SPARED_LARGE", "hidden_nodes"]

_HIDDEN_SELECTOR: Final = '[hidden], [aria-hidden="true"], [style*="none"], [style*="hidden"]'
# Why a hidden node was spared, for a Trace.
SPARED_LARGE: Final = "holds over MAX_REMOVED_SHARE of the page's text: left to scoring"
_SPARED_COLLAPSED: Final = "a collapsed section that a control on the page opens (aria-controls)"
_SPARED_STREAMED: Final = "a streamed segment (React's id S:...) that a script moves into the page"
_SPARED_REVEALED: Final = "outweighs the page's visible text and reads as prose: shown by a script"


def hidden_nodes(
    body: LexborNode, chars: int, trace: Trace | None, controlled: Collection[str] = ()
) -> list[LexborNode]:
    """Nodes a reader never sees, unless they hold much of the page's ``chars`` of text
    (content shown by JS), or a toggle on the page opens them (their id is in ``controlled``:
    sources.PageSources.controlled, a collapsed accordion panel)."""
    limit = rules.MAX_REMOVED_SHARE * chars
    found = []
    for node in body.css(_HIDDEN_SELECTOR):
        if node.tag == "body":
            continue
        attrs = node.attributes
        hidden = "hidden" in attrs or attrs.get("aria-hidden") == "true"
        if not hidden and not rules.HIDDEN_STYLE.search(attrs.get("style") or ""):
            continue
        if rules.STREAMED_SEGMENT_ID.match(attrs.get("id") or ""):
            if trace is not None:
                trace.spare("hidden", node, _SPARED_STREAMED)
            continue
        if controlled and attrs.get("id") in controlled:
            if trace is not None:
                trace.spare("hidden", node, _SPARED_COLLAPSED)
            continue
        if len(node.text(strip=True)) <= limit:
            found.append(node)
        elif trace is not None:
            trace.spare("hidden", node, SPARED_LARGE)
    return _revealed_by_script(found, chars, trace) if found else found


def _revealed_by_script(
    found: list[LexborNode], chars: int, trace: Trace | None
) -> list[LexborNode]:
    """``found`` less the hidden nodes that outweigh all the page's visible text (its
    ``chars`` less theirs) and read as prose: a page that shows its content by script (a
    product page's deferred block)."""
    outer = outermost(found)
    hidden = [len(node.text(strip=True)) for node in outer]
    visible = chars - sum(hidden)
    revealed = {
        node.mem_id
        for node, chars in zip(outer, hidden, strict=True)
        if chars > rules.REVEALED_FACTOR * max(visible, 0)
        and chars >= rules.REVEALED_MIN_CHARS
        and link_density(node, chars) < rules.WEAK_SPARE_LINKS
    }
    if not revealed:
        return found
    if trace is not None:
        for node in outer:
            if node.mem_id in revealed:
                trace.spare("hidden", node, _SPARED_REVEALED)
    return [node for node in found if not inside_any(node, revealed)]
