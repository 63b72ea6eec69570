"""Stage 2: choose the node(s) that hold the main content.

Paragraph-like nodes vote for their ancestors (Readability's idea): a vote grows with length
and commas and shrinks with link density, the parent gets it whole, the grandparent half,
higher ancestors a third per level. Containers start from a tag weight and a class weight.
The best container is then widened: to its parent when several near-equal candidates share
it, and to siblings that score well or are clean paragraphs (bodies split around ads), or to
the near ancestor it shares with a twin (a candidate of its tag and class: a CMS's text blocks
split around a video or an embed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborNode

from scraper.extract import rules
from scraper.extract.classes import Verdict, attribute_verdict
from scraper.extract.links import link_density
from scraper.extract.teaser_cards import teaser_cards
from scraper.extract.tree import has_block_child, holds

if TYPE_CHECKING:
    from scraper.extract.trace import Trace

__all__ = ["Content", "ContentEvidence", "find_content"]

_VOTERS = "p, pre, td, blockquote, li, dd, div, section, article, main, span, font, center"
_CONTAINER_LIKE = frozenset({"div", "section", "article", "main", "span", "font", "center"})
_TOP_K = 12  # only the best raw candidates pay for a link-density measurement
# Below this share of the best final score, a candidate is neither a rival nor a twin.
_COUNTED_SHARE = min(rules.ALTERNATIVE_SHARE, rules.TWIN_SHARE)


@dataclass
class Content:
    """The chosen content: root nodes in document order, and the evidence for the choice."""

    roots: list[LexborNode]
    wide: LexborNode  # the nearest ancestor holding WIDE_MASS_SHARE of the page's prose
    score: float
    voters: int  # paragraph-like nodes that voted, on the whole page
    scores: dict[int, float] = field(default_factory=dict)  # mem_id -> final score


@dataclass(frozen=True)
class ContentEvidence:
    """What the choice rested on, for a Trace: candidates and each widening step's input."""

    ranked: list[tuple[LexborNode, float]]  # the best raw candidates and their raw scores
    best: LexborNode | None  # the best candidate after link density; None when nothing voted
    top: LexborNode | None  # ``best``, or the ancestor it widened to for near-equal rivals
    joined: int  # roots after siblings joined
    prose_share: float  # share of the page's prose under those roots
    teaser_share: float = 0.0  # share of it in teaser cards around them, not counted
    to_mass: bool = False  # the roots widened to hold MIN_MASS_SHARE of the prose
    to_article: bool = False  # the roots widened to the page's one <article>
    split: LexborNode | None = None  # the ancestor holding the best and its twin, if any


def find_content(
    body: LexborNode, trace: Trace | None = None, *, declared_article: bool = False
) -> Content:
    """Pick the main content of a cleaned <body>; the body itself when nothing votes.

    ``declared_article``: the page says it is an article (JSON-LD, og:type), so the prose of
    teaser cards around the chosen content is recirculation, not more of the content.
    """
    votes = _collect_votes(body)
    links = votes.links
    raw = votes.raw
    if not raw:
        content = Content([body], body, 0.0, 0)
        if trace is not None:
            trace.choose(content, ContentEvidence([], None, None, 1, 1.0))
        return content
    ranked = sorted(raw, key=raw.__getitem__, reverse=True)[:_TOP_K]
    final = _final_scores(ranked, votes, everyone=trace is not None)
    best = max(final, key=final.__getitem__)
    top = _widen_to_parent(votes.nodes[best], final)
    _measure_more(final, ranked, votes, top.mem_id)
    score = final.get(top.mem_id, final[best])
    _measure_more(final, ranked, votes, None, rules.TWIN_SHARE * score)  # _split_body's twins
    roots = joined = _with_siblings(top, score, raw, links)
    split = _split_body(top, score, final, votes, {root.mem_id for root in roots})
    if split is not None and link_density(split, None, links) > rules.TWIN_MAX_LINK_DENSITY:
        split = None  # cards of one class on a hub page
    roots = joined = [split] if split is not None else roots
    held = sum(votes.mass.get(root.mem_id, 0.0) for root in roots)
    teasers = 0.0  # the prose of teaser cards around the roots, when it is not content
    if held < rules.MIN_MASS_SHARE * votes.total and declared_article:
        teasers = sum(votes.mass.get(key, 0.0) for key in teaser_cards(body, roots))
    to_mass = held < rules.MIN_MASS_SHARE * (votes.total - teasers)
    if to_mass:
        roots = [_widen_to_mass(top, votes, rules.MIN_MASS_SHARE)]
    article = _lone_article(body, top, roots, votes)
    roots = [article] if article is not None else roots
    wide = _widen_to_mass(top, votes, rules.WIDE_MASS_SHARE)
    content = Content(roots, wide, score, votes.count, final)
    if trace is not None:
        ranked_raw = [(votes.nodes[key], raw[key]) for key in ranked]
        shares = (held / votes.total, teasers / votes.total)
        widened = (to_mass, article is not None)
        evidence = ContentEvidence(
            ranked_raw, votes.nodes[best], top, len(joined), *shares, *widened, split
        )
        trace.choose(content, evidence)
    return content


def _final_scores(ranked: list[int], votes: _Votes, *, everyone: bool) -> dict[int, float]:
    """The ranked candidates' scores after link density, best raw score first; unless
    ``everyone`` (a Trace shows them all), only while a candidate could still be the best, a
    rival (ALTERNATIVE_SHARE of the best) or a twin (TWIN_SHARE): a final score is at most the
    raw one, and the density of the large containers low in the ranking is the costly part.
    ``_measure_more`` adds those a later step needs; either keeps the ranking's order."""
    final: dict[int, float] = {}
    best = 0.0
    for key in ranked:
        if not everyone and best > 0 and votes.raw[key] < _COUNTED_SHARE * best:
            break  # this and every later candidate end below any rival or twin
        final[key] = _final_score(key, votes)
        best = max(best, final[key])
    return final


def _measure_more(
    final: dict[int, float],
    ranked: list[int],
    votes: _Votes,
    wanted: int | None,
    floor: float = math.inf,
) -> None:
    """Add the final scores of the ranked candidates not measured yet that are ``wanted`` or
    whose raw score reaches ``floor`` (below it, so does the final one), in ranked order."""
    missing = [k for k in ranked if k not in final and (k == wanted or votes.raw[k] >= floor)]
    for key in missing:
        final[key] = _final_score(key, votes)
    if missing:  # keep the ranking's order: later steps read the candidates in it
        ordered = {key: final[key] for key in ranked if key in final}
        final.clear()
        final.update(ordered)


def _final_score(key: int, votes: _Votes) -> float:
    """A candidate's raw score, less its link density's share."""
    return votes.raw[key] * (1.0 - link_density(votes.nodes[key], None, votes.links))


@dataclass
class _Votes:
    """Scores per container, the text mass below every node, and the page's total mass."""

    raw: dict[int, float] = field(default_factory=dict)
    nodes: dict[int, LexborNode] = field(default_factory=dict)
    mass: dict[int, float] = field(default_factory=dict)  # mem_id -> prose chars below it
    total: float = 0.0
    count: int = 0
    links: dict[int, int] = field(default_factory=dict)  # link mem_id -> its text's length


def _collect_votes(body: LexborNode) -> _Votes:
    """Each paragraph-like node adds its vote to its ancestors and its mass to all of them."""
    votes = _Votes()
    for node in body.css(_VOTERS):
        text = _voting_text(node)
        if len(text) < rules.MIN_PARAGRAPH_CHARS:
            continue
        prose = 1.0 - link_density(node, len(text), votes.links)
        vote = (
            1 + text.count(",") + min(len(text) // rules.CHARS_PER_POINT, rules.MAX_LENGTH_POINTS)
        )
        if prose <= 0:
            continue
        votes.count += 1
        _give(node, vote * prose, votes.raw, votes.nodes)
        _add_mass(node, len(text) * prose, votes)
    return votes


def _add_mass(node: LexborNode, mass: float, votes: _Votes) -> None:
    """Add a paragraph's prose characters to itself and every ancestor (bounded depth)."""
    votes.total += mass
    current: LexborNode | None = node
    for _ in range(rules.MAX_MASS_DEPTH):
        if current is None:
            return
        key = current.mem_id
        votes.mass[key] = votes.mass.get(key, 0.0) + mass
        current = current.parent


def _widen_to_mass(top: LexborNode, votes: _Votes, share: float) -> LexborNode:
    """The nearest ancestor of ``top`` (or itself) that holds ``share`` of the page's prose."""
    node = top
    while node.parent is not None and node.tag not in ("body", "html"):
        if votes.mass.get(node.mem_id, 0.0) >= share * votes.total:
            return node
        node = node.parent
    return node


def _lone_article(
    body: LexborNode, top: LexborNode, roots: list[LexborNode], votes: _Votes
) -> LexborNode | None:
    """The page's only <article>, when it holds the roots and they miss much of its prose
    (under ARTICLE_WIDEN_SHARE): a page builder splits a story into sections and columns."""
    article: LexborNode | None = top
    while article is not None and article.tag not in ("article", "body", "html"):
        article = article.parent
    if article is None or article.tag != "article" or len(body.css("article")) != 1:
        return None
    keys = {root.mem_id for root in roots}
    if article.mem_id in keys or not all(holds(article, root) for root in roots):
        return None
    held = sum(votes.mass.get(key, 0.0) for key in keys)
    return (
        article if held < rules.ARTICLE_WIDEN_SHARE * votes.mass.get(article.mem_id, 0.0) else None
    )


def _voting_text(node: LexborNode) -> str:
    """The text a node votes with: all of it for a paragraph, its own lines for a container.

    Only children are inspected, never whole subtrees, and a run of nested inline-only
    containers votes once, at its top: deep nesting (10,000 levels) stays linear.
    """
    tag = node.tag
    if tag in rules.PARAGRAPH_TAGS:
        if tag != "p" and has_block_child(node):
            return node.text(deep=False, strip=True)  # its inner blocks vote for themselves
        return node.text(strip=True)
    if tag in _CONTAINER_LIKE:
        if has_block_child(node):
            return node.text(deep=False, strip=True)
        parent = node.parent
        if parent is not None and (
            parent.tag in rules.PARAGRAPH_TAGS
            or (parent.tag in _CONTAINER_LIKE and not has_block_child(parent))
        ):
            return ""  # the enclosing paragraph or inline run votes with this text
        return node.text(strip=True)
    return ""


def _give(
    node: LexborNode, vote: float, raw: dict[int, float], nodes: dict[int, LexborNode]
) -> None:
    """Add a vote to the node's ancestors with Readability's decay."""
    ancestor = node.parent
    for level in range(rules.ANCESTOR_LEVELS):
        if ancestor is None or ancestor.tag in ("html", "-undef", None):
            return
        key = ancestor.mem_id
        if key not in raw:
            raw[key] = _initial_score(ancestor)
            nodes[key] = ancestor
        divider = 1 if level == 0 else 2 if level == 1 else level * 3
        raw[key] += vote / divider
        ancestor = ancestor.parent


def _initial_score(node: LexborNode) -> float:
    """A container's starting score: its tag's weight and its class/id's weight."""
    attrs = node.attributes
    score = float(rules.TAG_WEIGHTS.get(node.tag or "", 0))
    class_id = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    verdict = attribute_verdict(class_id)
    score += verdict.value * rules.CLASS_WEIGHT
    if attrs.get("itemprop") == "articleBody":
        score += rules.ARTICLE_BODY_BONUS
    return score


def _split_body(
    top: LexborNode, score: float, final: dict[int, float], votes: _Votes, roots: set[int]
) -> LexborNode | None:
    """The nearest ancestor of ``top`` (within TWIN_MAX_LEVELS) that also holds a twin of it:
    a candidate outside the roots with its tag and class, scoring TWIN_SHARE of it (a CMS
    splits a body into text blocks around a video, an embed, an ad). None when there is none."""
    klass = top.attributes.get("class")
    if not klass:
        return None
    above = _ancestors(top, rules.TWIN_MAX_LEVELS)
    found: LexborNode | None = None
    for key, value in final.items():
        node = votes.nodes[key]
        if key in roots or key in above or value < rules.TWIN_SHARE * score:
            continue
        if node.tag != top.tag or node.attributes.get("class") != klass:
            continue
        shared = _meeting(node, above, roots | {top.mem_id})
        if shared is not None and (found is None or above[shared.mem_id] > above[found.mem_id]):
            found = shared
    return found


def _ancestors(node: LexborNode, levels: int) -> dict[int, int]:
    """mem_id -> level (0: the parent) of a node's ancestors below <body>, at most ``levels``."""
    found: dict[int, int] = {}
    ancestor = node.parent
    for level in range(levels):
        if ancestor is None or ancestor.tag in ("body", "html"):
            break
        found[ancestor.mem_id] = level
        ancestor = ancestor.parent
    return found


def _meeting(node: LexborNode, above: dict[int, int], stops: set[int]) -> LexborNode | None:
    """The first ancestor of ``node`` listed in ``above``, within TWIN_MAX_LEVELS; None when
    the walk meets a node of ``stops`` first (a root, the best candidate) or nothing."""
    current = node.parent
    for _ in range(rules.TWIN_MAX_LEVELS):
        if current is None or current.mem_id in stops:
            return None
        if current.mem_id in above:
            return current
        current = current.parent
    return None


def _widen_to_parent(top: LexborNode, final: dict[int, float]) -> LexborNode:
    """Move up when several near-best candidates sit under one ancestor of the best."""
    best = final[top.mem_id]
    rivals = [
        key for key, value in final.items()
        if key != top.mem_id and value >= rules.ALTERNATIVE_SHARE * best
    ]  # fmt: skip
    if len(rivals) < rules.MIN_ALTERNATIVES:
        return top
    ancestor = top.parent
    while ancestor is not None and ancestor.tag not in ("body", "html"):
        inside = sum(1 for key in rivals if _has_descendant_id(ancestor, key))
        if inside >= rules.MIN_ALTERNATIVES:
            return ancestor
        ancestor = ancestor.parent
    return top


def _has_descendant_id(node: LexborNode, key: int) -> bool:
    """Whether a node with this mem_id lies inside ``node``."""
    return any(child.mem_id == key for child in node.traverse())


def _with_siblings(
    top: LexborNode, score: float, raw: dict[int, float], links: dict[int, int]
) -> list[LexborNode]:
    """The best container plus siblings that score well or are clean paragraphs."""
    parent = top.parent
    if parent is None or top.tag in ("body", "html"):
        return [top]
    threshold = max(rules.SIBLING_MIN_SCORE, score * rules.SIBLING_SHARE)
    roots = []
    child = parent.child
    before = True
    while child is not None:
        if child.mem_id == top.mem_id:
            before = False
            roots.append(child)
        elif _joins(child, threshold, raw, links, before=before):
            roots.append(child)
        child = child.next
    return roots


def _joins(
    sibling: LexborNode,
    threshold: float,
    raw: dict[int, float],
    links: dict[int, int],
    before: bool = False,
) -> bool:
    """Whether a sibling of the best container is part of the same content; ``before``: it
    comes before the container (where a standfirst stands)."""
    if not sibling.is_element_node:
        return False
    attrs = sibling.attributes
    class_id = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    if attribute_verdict(class_id) is Verdict.BOILERPLATE:
        return False
    if raw.get(sibling.mem_id, 0.0) * (1.0 - link_density(sibling, None, links)) >= threshold:
        return True
    if sibling.tag != "p":
        return before and _is_standfirst(sibling, links)
    text = sibling.text(strip=True)
    density = link_density(sibling, len(text), links)
    if len(text) > rules.SIBLING_PARAGRAPH_CHARS:
        return density < rules.SIBLING_MAX_LINK_DENSITY
    return density == 0 and text.endswith((".", "!", "?", '"', "”"))


def _is_standfirst(sibling: LexborNode, links: dict[int, int]) -> bool:
    """Whether a <div> just text, no links, long as a sentence (STANDFIRST_MIN_CHARS), is the
    story's standfirst before its body: a paragraph written outside <p>."""
    if sibling.tag != "div" or has_block_child(sibling):
        return False
    text = sibling.text(strip=True)
    return len(text) >= rules.STANDFIRST_MIN_CHARS and link_density(sibling, len(text), links) == 0
