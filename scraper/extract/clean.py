"""Stage 1: remove what is never main content, in place, before scoring.

Three passes, each one C-level selection plus a Python verdict per match:
1. tags that never hold text for a reader (scripts, styles, media, form controls, captions),
   and cards set inside a paragraph's text (cards.py: a hover card), found by their images;
2. hidden nodes (hidden.py: ``hidden``, ``aria-hidden``, ``display: none``);
3. page furniture: nav/footer/aside/header/form tags, boilerplate ARIA roles, and class/id
   words (rules.BOILERPLATE_WORDS). A node holding much of the page's text is spared, so a
   body container with an unlucky class name ("content-with-sidebar") survives; a consent
   dialog is not, however long its legal text, nor a <nav>/<footer> made mostly of links.

Nodes are removed in reverse document order, after every verdict is taken, so that no freed
node is ever read.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from selectolax.lexbor import LexborNode

from scraper.extract import rules
from scraper.extract.cards import inline_cards
from scraper.extract.classes import (
    Verdict,
    attribute_verdict,
    explain_verdict,
    is_consent,
    is_product_furniture,
    is_strong,
    without_comment_words,
)
from scraper.extract.hidden import SPARED_LARGE, hidden_nodes
from scraper.extract.links import link_density
from scraper.extract.tree import holds, outermost

if TYPE_CHECKING:
    from scraper.extract.trace import Trace

__all__ = ["PageKind", "clean"]

# :is() lists each node once, in document order (a plain selector list repeats a node once
# per alternative it matches), so a node's descendants follow it as one run.
_FURNITURE_SELECTOR = (
    f":is({', '.join((*rules.STRUCTURAL_TAGS, *rules.CODE_TAGS, '[class]', '[id]', '[role]'))})"
)
# Found by one walk in document order that reads each tag: a selector list of 28 tags costs
# more (0.45 against 0.35 ms a page), and strip_tags() walks the tree once per tag.
_REMOVE = frozenset(rules.REMOVE_TAGS)
_UNWRAPPED = frozenset({"noscript", "button"})  # never content, unless _unwraps says so
# _strength of a product page's reviews: removed whatever their size.
_ALWAYS = 3
# The page's own word for where its body is.
_ARTICLE_BODY = '[itemprop="articleBody"]'
# A flagged node with at least this many long paragraphs is judged by scoring, not removed.
_SPARE_PARAGRAPHS = 3
_LONG_PARAGRAPH_CHARS = 120
# Why a flagged node was spared, for a Trace.
_SPARED_EMBED = "mostly an embedded post (a tweet...) that the story quotes"
_SPARED_PROSE = (
    "a weak match that reads as prose (WEAK_SPARE_CHARS with few links, several long "
    "paragraphs, or the articleBody)"
)


class PageKind(NamedTuple):
    """What the page is, as far as cleaning cares (pagetype.PageSignals tells); a tuple, as
    it is part of a cache key.

    ``product``: it sells one thing; its customer reviews and ratings
    (rules.PRODUCT_FURNITURE_WORDS) are its comments, removed whatever their size.
    ``discussion``: it is a forum thread or a Q&A page; its posts are its content, so comment
    class words (rules.COMMENT_WORDS) mark nothing there.
    ``keep_hidden``: its hidden nodes are its content (a reading that removed them left no
    text), so the hidden-node pass removes nothing.
    """

    product: bool = False
    discussion: bool = False
    keep_hidden: bool = False


_ANY_PAGE = PageKind()


def clean(
    body: LexborNode,
    trace: Trace | None = None,
    kind: PageKind = _ANY_PAGE,
    controlled: Collection[str] = (),
) -> int:
    """Remove never-content tags, hidden nodes and page furniture from ``body`` in place;
    return the number of hidden nodes removed.

    ``kind`` changes what counts as furniture and hidden (see PageKind); ``controlled`` holds
    the ids that a control on the page opens (aria-controls), never hidden from the reader.
    With a ``trace``, each removed node (and each flagged node spared) is recorded with its rule.
    """
    _remove(_call_to_action_boxes(body, trace), trace, "call-to-action")
    never, images = _never_content(body)
    cards = _cards(images, trace)  # found while their images are in the tree
    _strip(never, trace)
    _remove(cards, trace, "inline-card")
    chars = len(body.text(strip=True))
    hidden = [] if kind.keep_hidden else hidden_nodes(body, chars, trace, controlled)
    # The text left is the body's less the hidden subtrees' (text(strip=True) adds up per
    # text node; a node matching two of the selector's alternatives is listed twice): cheaper
    # than reading the whole body's text again.
    gone = {node.mem_id: node for node in outermost(hidden)}
    chars -= sum(len(node.text(strip=True)) for node in gone.values())
    _remove(hidden, trace, "hidden")
    limit = rules.MAX_REMOVED_SHARE * chars
    _remove(_furniture(body, limit, trace, kind, _own_post(body)), trace, "furniture")
    return len(hidden)


def _cards(images: list[LexborNode], trace: Trace | None) -> list[LexborNode]:
    """The cards set inside paragraphs around ``images`` (cards.py), outermost only; flagged
    for a Trace."""
    cards = outermost(inline_cards(images)) if images else []
    if trace is not None:
        for card in cards:
            trace.flag(card, "an image and links set inside a paragraph", "INLINE_CARD_MIN_LINKS")
    return cards


def _strip(nodes: list[LexborNode], trace: Trace | None) -> None:
    """Detach never-content elements; detached, not freed, so any order is safe."""
    if trace is not None:
        trace.removing("tag", nodes)
    for node in nodes:
        node.decompose(recursive=False)


def _never_content(body: LexborNode) -> tuple[list[LexborNode], list[LexborNode]]:
    """The elements of REMOVE_TAGS, in one walk, and the <img> among them (cards.py reads
    them); a <noscript> fallback that holds the page's text (forums serve crawlers this way),
    and a <button> straight inside a heading (an accordion's toggle), are unwrapped
    instead, their content kept (14 wcxb-dev pages up, 7 down by at most 0.06)."""
    found, images, unwrapped = [], [], []
    for node in body.traverse():
        tag = node.tag
        if tag in _UNWRAPPED and _unwraps(node, tag):
            unwrapped.append(node)
        elif tag in _REMOVE:
            found.append(node)
            if tag == "img":
                images.append(node)
    for node in unwrapped:  # after the walk: unwrapping changes the tree
        node.unwrap()
    return found, images


def _unwraps(node: LexborNode, tag: str) -> bool:
    """Whether a never-content element holds content to keep: a <noscript> crawler fallback
    with the page's text, a <button> straight inside a heading (an accordion's toggle)."""
    if tag == "noscript":
        return len(node.text(strip=True)) >= rules.NOSCRIPT_CONTENT_CHARS
    return node.parent is not None and node.parent.tag in rules.HEADING_LEVELS


def _call_to_action_boxes(body: LexborNode, trace: Trace | None) -> list[LexborNode]:
    """The small boxes around "Subscribe", "Sign up", "Donate" buttons and e-mail fields."""
    boxes: dict[int, LexborNode] = {}
    for control in body.css(rules.CTA_SELECTOR):
        is_field = control.tag == "input" and control.attributes.get("type") == "email"
        label = control.text(strip=True) or control.attributes.get("value") or ""
        if not is_field and not rules.CTA_TEXT.match(label):
            continue
        box = control
        parent = control.parent
        while parent is not None and parent.tag not in rules.CTA_BOX_STOP_TAGS:
            if len(parent.text(strip=True)) > rules.CTA_BOX_MAX_CHARS:
                break
            box, parent = parent, parent.parent
        boxes.setdefault(box.mem_id, box)
        if trace is not None:
            match = f'link "{label}"' if label else "e-mail field"
            trace.flag(box, match, "CTA_TEXT" if label else "CTA_SELECTOR")
    return outermost(list(boxes.values()))


def _own_post(body: LexborNode) -> str | None:
    """The class WordPress gives the page's own post ("post-3767" for <body class="postid-3767">),
    or None on other pages."""
    found = rules.WORDPRESS_POST_ID.search(body.attributes.get("class") or "")
    return f"post-{found.group(1)}" if found else None


def _furniture(
    body: LexborNode, limit: float, trace: Trace | None, kind: PageKind, own_post: str | None
) -> list[LexborNode]:
    """Navigation, footers, rails, boxes and bars, except those that hold the article (and the
    page's own WordPress post, whose classes name its tags and categories)."""
    found: list[LexborNode] = []
    declared, embeds = _declared_and_embeds(body)  # searched once here, not once per match
    nodes = body.css(_FURNITURE_SELECTOR)
    places = {node.mem_id: place for place, node in enumerate(nodes)}
    index = 0
    while index < len(nodes):
        node = nodes[index]
        index += 1
        tag = node.tag or ""
        if tag == "body":  # css() lists body itself
            continue
        if tag in rules.CODE_TAGS:  # a highlighter's "hljs-comment" is part of the code
            index = _past(node, index, places)
            continue
        attrs = node.attributes
        anchor = tag in rules.ANCHOR_TAGS  # its id is a link target made of its text
        class_id = f"{attrs.get('class') or ''} {'' if anchor else attrs.get('id') or ''}"
        role = attrs.get("role") or ""
        strength = _strength(tag, class_id, role, kind)
        if strength == 0 or (own_post is not None and own_post in class_id.split()):
            continue  # not furniture
        text = node.text(strip=True)
        chars = len(text)
        notice = bool(role) and _is_consent_modal(role, text)
        if trace is not None:
            trace.flag(node, *_matched(tag, class_id, role, kind, strength, notice))
        if notice:
            strength = _ALWAYS
        if chars > limit and not _removed_however_large(node, tag, class_id, strength, chars):
            if trace is not None:
                trace.spare("furniture", node, SPARED_LARGE)
            continue  # the page's body container, with an unlucky class name
        if strength == 1 and _is_prose(node, chars, declared):
            if trace is not None:
                trace.spare("furniture", node, _SPARED_PROSE)
            continue
        if embeds and strength < _ALWAYS and _quotes_embed(node, chars, embeds):
            if trace is not None:
                trace.spare("furniture", node, _SPARED_EMBED)
            continue
        found.append(node)
        index = _past(node, index, places)  # what lies inside goes with it anyway
    return found


def _declared_and_embeds(
    body: LexborNode,
) -> tuple[list[LexborNode], list[tuple[LexborNode, int]]]:
    """The page's itemprop=articleBody nodes, and its embedded posts with their text's length
    (one selection for both)."""
    declared, embeds = [], []
    for node in body.css(f"{_ARTICLE_BODY}, {rules.EMBED_SELECTOR}"):
        if node.attributes.get("itemprop") == "articleBody":
            declared.append(node)
        else:
            embeds.append((node, len(node.text(strip=True))))
    return declared, embeds


def _quotes_embed(node: LexborNode, chars: int, embeds: list[tuple[LexborNode, int]]) -> bool:
    """Whether EMBED_SHARE of the node's ``chars`` of text is in embedded posts."""
    inside = sum(length for embed, length in embeds if holds(node, embed))
    return inside > 0 and inside >= rules.EMBED_SHARE * chars


def _past(node: LexborNode, index: int, places: dict[int, int]) -> int:
    """The place in the furniture selection (``places``: mem_id -> place) of the first entry
    past ``node``'s subtree; ``index`` is the place after the node. The entries inside it come
    right after it (document order); the first element past its subtree is found by a few
    steps, and is most often an entry itself; else the entries inside are counted."""
    current: LexborNode | None = node
    while current is not None and current.tag != "body":
        following = current.next
        while following is not None and not following.is_element_node:
            following = following.next
        if following is not None:
            place = places.get(following.mem_id)
            if place is not None:
                return place
            break
        current = current.parent
    return index + len(node.css(_FURNITURE_SELECTOR)) - 1


def _matched(
    tag: str, class_id: str, role: str, kind: PageKind, strength: int, notice: bool
) -> tuple[str, str]:
    """What made a node furniture, for a Trace, read as _strength reads it."""
    if notice:
        return f'role="{role.strip()}" reading as a cookie notice', "CONSENT_TEXT"
    if strength == _ALWAYS:
        return "customer reviews on a product page", "PRODUCT_FURNITURE_WORDS"
    return explain_verdict(
        tag, without_comment_words(class_id) if kind.discussion else class_id, role
    )


def _removed_however_large(
    node: LexborNode, tag: str, class_id: str, strength: int, chars: int
) -> bool:
    """Whether furniture goes even when it holds much of the page's text: a consent dialog, a
    product page's reviews, a <nav> or <footer>, a furniture tag made mostly of links."""
    if strength == _ALWAYS or is_consent(class_id) or tag in rules.FRAME_TAGS:
        return True
    if tag not in rules.LINK_FURNITURE_TAGS:
        return False
    return link_density(node, chars) >= rules.LINK_FURNITURE_DENSITY


def _is_consent_modal(role: str, text: str) -> bool:
    """Whether a node is a modal dialog reading as a cookie notice (removed whatever its size:
    a half-built page's only long text can be its consent banner's)."""
    return role.strip().lower() in rules.MODAL_ROLES and bool(rules.CONSENT_TEXT.search(text))


# Sized like the caches of classes.py (see there).
@lru_cache(maxsize=2048)
def _strength(tag: str, class_id: str, role: str, kind: PageKind) -> int:
    """_ALWAYS: a product page's reviews, removed whatever their size; 2: a strong class
    word; 1: a weak word, a furniture tag or role; 0: not furniture."""
    if kind.product and is_product_furniture(class_id):
        return _ALWAYS
    if kind.discussion:
        class_id = without_comment_words(class_id)
    verdict = attribute_verdict(class_id, role)
    if verdict is not Verdict.CONTENT and tag in rules.FRAME_TAGS:
        return 2
    if verdict is Verdict.BOILERPLATE:
        return 2 if is_strong(class_id) else 1
    return int(tag in rules.STRUCTURAL_TAGS and verdict is not Verdict.CONTENT)


def _is_prose(node: LexborNode, chars: int, declared: list[LexborNode]) -> bool:
    """Whether a weakly flagged node reads as content: long, few links, or real paragraphs
    (``declared``: the page's itemprop=articleBody nodes)."""
    if chars >= rules.WEAK_SPARE_CHARS and link_density(node, chars) < rules.WEAK_SPARE_LINKS:
        return True
    return _holds_article(node, chars, declared)


def _holds_article(node: LexborNode, chars: int, declared: list[LexborNode]) -> bool:
    """Whether the node contains the page's declared body or several long paragraphs (which
    ``chars`` of text may be too few to hold)."""
    if any(holds(node, inner) for inner in declared):
        return True
    if chars < _SPARE_PARAGRAPHS * _LONG_PARAGRAPH_CHARS:
        return False
    long_ones = 0
    for paragraph in node.css("p"):
        if len(paragraph.text(strip=True)) >= _LONG_PARAGRAPH_CHARS:
            long_ones += 1
            if long_ones >= _SPARE_PARAGRAPHS:
                return True
    return False


def _remove(nodes: list[LexborNode], trace: Trace | None, stage: str) -> None:
    """Decompose nodes deepest-last-first, so no node is touched after its ancestor is freed."""
    if trace is not None:
        trace.removing(stage, nodes)
    done: set[int] = set()
    for node in reversed(nodes):
        if node.mem_id not in done:  # never free a node twice
            done.add(node.mem_id)
            node.decompose()
