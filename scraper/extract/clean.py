"""Stage 1: remove what is never main content, in place, before scoring.

Three passes, each one C-level selection plus a Python verdict per match:
1. tags that never hold text for a reader (scripts, styles, media, form controls, captions);
2. hidden nodes (``hidden``, ``aria-hidden``, ``display: none``);
3. page furniture: nav/footer/aside/header tags, boilerplate ARIA roles, and class/id words
   (rules.BOILERPLATE_WORDS). A node holding much of the page's text is spared, so a body
   container with an unlucky class name survives.

Nodes are removed in reverse document order, after every verdict is taken, so that no freed
node is ever read.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from scraper.extract import rules
from scraper.extract.classes import Verdict, attribute_verdict, is_strong
from scraper.extract.links import link_density

__all__ = ["clean"]

_HIDDEN_SELECTOR = '[hidden], [aria-hidden="true"], [style*="none"], [style*="hidden"]'
_FURNITURE_SELECTOR = ", ".join((*rules.STRUCTURAL_TAGS, "[class]", "[id]", "[role]"))
# A flagged node with at least this many long paragraphs is judged by scoring, not removed.
_SPARE_PARAGRAPHS = 3
_LONG_PARAGRAPH_CHARS = 120


def clean(body: LexborNode) -> None:
    """Remove never-content tags, hidden nodes and page furniture from ``body`` in place."""
    _unwrap_noscript_content(body)
    body.strip_tags(list(rules.REMOVE_TAGS))
    limit = rules.MAX_REMOVED_SHARE * len(body.text(strip=True))
    _remove(_hidden(body, limit))
    _remove(_furniture(body, rules.MAX_REMOVED_SHARE * len(body.text(strip=True))))


def _unwrap_noscript_content(body: LexborNode) -> None:
    """Keep <noscript> fallbacks that hold the page's text (forums serve crawlers this way)."""
    for node in body.css("noscript"):
        if len(node.text(strip=True)) >= rules.NOSCRIPT_CONTENT_CHARS:
            node.unwrap()


def _hidden(body: LexborNode, limit: float) -> list[LexborNode]:
    """Nodes a reader never sees, unless they hold much of the page (content shown by JS)."""
    found = []
    for node in body.css(_HIDDEN_SELECTOR):
        attrs = node.attributes
        hidden = "hidden" in attrs or attrs.get("aria-hidden") == "true"
        if not hidden and not rules.HIDDEN_STYLE.search(attrs.get("style") or ""):
            continue
        if len(node.text(strip=True)) <= limit:
            found.append(node)
    return found


def _furniture(body: LexborNode, limit: float) -> list[LexborNode]:
    """Navigation, footers, rails, boxes and bars, except those that hold the article."""
    found = []
    for node in body.css(_FURNITURE_SELECTOR):
        strength = _furniture_strength(node)
        if strength == 0:
            continue
        chars = len(node.text(strip=True))
        if chars > limit:
            continue
        if strength == 1 and _is_prose(node, chars):
            continue
        found.append(node)
    return found


def _furniture_strength(node: LexborNode) -> int:
    """2: a strong class word; 1: a weak word, a furniture tag or role; 0: not furniture."""
    attrs = node.attributes
    class_id = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    verdict = attribute_verdict(class_id, attrs.get("role") or "")
    if verdict is Verdict.BOILERPLATE:
        return 2 if is_strong(class_id) else 1
    return int(node.tag in rules.STRUCTURAL_TAGS and verdict is not Verdict.CONTENT)


def _is_prose(node: LexborNode, chars: int) -> bool:
    """Whether a weakly flagged node reads as content: long, few links, or real paragraphs."""
    if chars >= rules.WEAK_SPARE_CHARS and link_density(node, chars) < rules.WEAK_SPARE_LINKS:
        return True
    return _holds_article(node)


def _holds_article(node: LexborNode) -> bool:
    """Whether the node contains several long paragraphs or the page's declared body."""
    if node.css_first('[itemprop="articleBody"]') is not None:
        return True
    long_ones = 0
    for paragraph in node.css("p"):
        if len(paragraph.text(strip=True)) >= _LONG_PARAGRAPH_CHARS:
            long_ones += 1
            if long_ones >= _SPARE_PARAGRAPHS:
                return True
    return False


def _remove(nodes: list[LexborNode]) -> None:
    """Decompose nodes deepest-last-first, so no node is touched after its ancestor is freed."""
    for node in reversed(nodes):
        node.decompose()
