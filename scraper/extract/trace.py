"""An optional recorder of the extractor's decisions: what each stage removed or chose, and why.

``extract(html, url, trace=Trace())`` fills a Trace as the stages run; with ``trace=None`` (the
default) no stage computes anything for it. A Trace holds plain records (strings and numbers,
no parser nodes), so it outlives the parse; ``scraper.extract.explain`` renders it as JSON or
as an HTML report.

Positions are document order: a node's index in a walk of the <body> before cleaning, so that
removed nodes, kept blocks and dropped blocks can be listed in the order a reader sees them.
One Trace records one page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Final

from selectolax.lexbor import LexborNode

from scraper.extract import filter_rules, rules
from scraper.extract.blocks import Block, blocks_of
from scraper.extract.classes import explain_verdict
from scraper.extract.filter import filter_blocks, link_limit
from scraper.extract.links import link_density
from scraper.extract.pagetype_rules import BODY_PREFIX, DATED_ITEMS_MIN
from scraper.extract.trace_records import (
    DROP_REASONS,
    BlockRecord,
    CandidateRecord,
    ContainerRecord,
    NodeRecord,
    PageTypeRecord,
    VoteRecord,
)

if TYPE_CHECKING:
    from scraper.extract.pagetype import Layout, PageSignals, Votes
    from scraper.extract.score import Content, ContentEvidence
    from scraper.models import PageType

__all__ = ["BlockPass", "Trace"]

EXCERPT_CHARS: Final = 200  # a candidate container is shown by this much of its text
TEXT_CHARS: Final = 2000  # a removed node's text is kept up to this length
LABEL_CHARS: Final = 120  # a node's tag.class#id label is cut here


@dataclass
class BlockPass:
    """One run of stage 7 (blocks, then filter) over some roots: every block and its fate."""

    name: str  # container, fallback, listing, thread, wide
    roots: tuple[str, ...]
    order: dict[int, int] = field(repr=False)
    used: bool = False  # this pass's blocks became the article
    _emitted: list[tuple[Block, int]] = field(default_factory=list, repr=False)
    _drops: dict[int, str] = field(default_factory=dict, repr=False)

    def emitted(self, block: Block, node: LexborNode) -> None:
        """A block was built from ``node``."""
        self._emitted.append((block, self.order.get(node.mem_id, -1)))

    def dropped(self, block: Block, reason: str) -> None:
        """A block was dropped; the first reason given stands."""
        self._drops.setdefault(id(block), reason)

    def dropped_between(self, before: list[Block], after: list[Block], reason: str) -> None:
        """Blocks in ``before`` but not in ``after`` were dropped for ``reason``."""
        left = {id(block) for block in after}
        for block in before:
            if id(block) not in left:
                self.dropped(block, reason)

    def holds(self, blocks: list[Block]) -> bool:
        """Whether ``blocks`` are exactly this pass's kept blocks."""
        kept = [id(block) for block, _ in self._emitted if id(block) not in self._drops]
        return kept == [id(block) for block in blocks]

    def records(self) -> list[BlockRecord]:
        """Every emitted block in order, kept or dropped with its reason and detail."""
        out = []
        for block, position in self._emitted:
            reason = self._drops.get(id(block), "")
            rule = DROP_REASONS.get(reason, ("", ""))[0] if reason else ""
            detail = _detail(block, reason) if reason else ""
            out.append(
                BlockRecord(position, block.kind, block.text, not reason, reason, rule, detail)
            )
        return out


@dataclass
class Trace:
    """What the extractor did with one page; pass a fresh one to ``extract`` to fill it.

    Example:
        >>> from scraper.extract import extract
        >>> trace = Trace()
        >>> _ = extract("<body><nav>Home</nav><p>Hello, world.</p></body>", trace=trace)
        >>> [(node.stage, node.rule) for node in trace.removed]
        [('furniture', 'STRUCTURAL_TAGS')]
    """

    notes: list[str] = field(default_factory=list)  # decoding, budget
    removed: list[NodeRecord] = field(default_factory=list)
    spared: list[NodeRecord] = field(default_factory=list)
    container: ContainerRecord | None = None
    passes: list[BlockPass] = field(default_factory=list)
    page_type: PageTypeRecord | None = None
    outside: list[BlockRecord] = field(default_factory=list)  # cleaned page, not in the used pass
    _order: dict[int, int] = field(default_factory=dict, repr=False)
    _flags: dict[int, tuple[str, str]] = field(default_factory=dict, repr=False)

    def restart(self, note: str) -> None:
        """Forget every record, for a second reading of the page; ``note`` says why."""
        fresh = Trace()
        for item in fields(self):
            setattr(self, item.name, getattr(fresh, item.name))
        self.notes.append(note)

    # --- stages 1-5: decoding, cleaning -----------------------------------------------------

    def begin(self, body: LexborNode) -> None:
        """Number the nodes of the untouched <body> in document order."""
        nodes = body.traverse(include_text=True)
        self._order = {node.mem_id: index for index, node in enumerate(nodes)}

    def flag(self, node: LexborNode, match: str, rule: str) -> None:
        """Note why a node is about to be removed, when the remover knows it best."""
        self._flags[node.mem_id] = (match, rule)

    def removing(self, stage: str, nodes: Iterable[LexborNode]) -> None:
        """Record the nodes a clean pass removes (the outermost ones: the rest go with them)."""
        listed = list(nodes)
        keys = {node.mem_id for node in listed}
        memo: dict[int, bool] = {}
        for node in listed:
            if not _inside_any(node, keys, memo):
                flagged = self._flags.pop(node.mem_id, None)
                match, rule = flagged if flagged is not None else _why_removed(stage, node)
                self.removed.append(self._node_record(stage, node, match, rule))

    def spare(self, stage: str, node: LexborNode, why: str) -> None:
        """Record a node a clean pass flagged but kept, and why it was kept."""
        flagged = self._flags.pop(node.mem_id, None)
        match, rule = flagged if flagged is not None else _why_removed(stage, node)
        self.spared.append(self._node_record(stage, node, match, rule, why))

    def _node_record(
        self, stage: str, node: LexborNode, match: str, rule: str, spared: str = ""
    ) -> NodeRecord:
        """A NodeRecord for a node still in the tree."""
        chars = len(node.text(strip=True))
        position = self._order.get(node.mem_id, -1)
        text = _excerpt(node, TEXT_CHARS)
        return NodeRecord(
            stage, node.tag or "", _label(node), match, rule, text, chars, position, spared
        )

    # --- stage 6: the container -------------------------------------------------------------

    def choose(self, content: Content, evidence: ContentEvidence) -> None:
        """Record stage 6: the ranked candidates, the roots, and each widening step."""
        candidates = tuple(
            self._candidate(node, raw, content.scores[node.mem_id]) for node, raw in evidence.ranked
        )
        candidates = tuple(sorted(candidates, key=lambda c: c.score, reverse=True))
        self.container = ContainerRecord(
            candidates,
            tuple(_label(root) for root in content.roots),
            _label(content.wide),
            _decisions(content, evidence),
            content.voters,
        )

    def _candidate(self, node: LexborNode, raw: float, score: float) -> CandidateRecord:
        """A CandidateRecord for a scored container."""
        position = self._order.get(node.mem_id, -1)
        density = round(link_density(node), 3)
        return CandidateRecord(
            _label(node),
            position,
            _excerpt(node, EXCERPT_CHARS),
            round(raw, 2),
            density,
            round(score, 2),
        )

    # --- stages 7-9: blocks, filter, page type ----------------------------------------------

    def block_pass(self, name: str, roots: list[LexborNode]) -> BlockPass:
        """Start recording one run of stage 7 over ``roots``."""
        block_pass = BlockPass(name, tuple(_label(root) for root in roots), self._order)
        self.passes.append(block_pass)
        return block_pass

    def vote(
        self, signals: PageSignals, votes: Votes, page_type: PageType, confidence: float
    ) -> None:
        """Record stage 9: what each signal saw and weighed."""
        layout = votes.layout
        seen = (
            ("declared type", votes.declared, _names(signals.declared, body=False)),
            ("body class", votes.body_class, _names(signals.declared, body=True)),
            ("date", votes.date, "a published date" if signals.has_date else "no date"),
            ("prose", votes.prose, f"{votes.words} words, {votes.long_paragraphs} long paragraphs"),
            ("links", votes.link_heavy, f"{votes.link_share:.0%} of the content's text is links"),
            ("price grid", votes.price_grid, f"{layout.prices} price tags in the cleaned page"),
            ("dated items", votes.dated_items, _dated_seen(layout)),
            ("fragments", votes.fragments, _fragments_seen(votes)),
            ("buttons", votes.buttons, f'{layout.buttons} "Read more" buttons in the content'),
            ("url", votes.url, signals.url or "no URL"),
        )
        records = tuple(VoteRecord(name, weight, text) for name, weight, text in seen)
        self.page_type = PageTypeRecord(
            records, votes.prior, round(votes.score, 3), page_type.value, confidence
        )

    def template_dropped(self, before: list[Block], after: list[Block]) -> None:
        """Stage 10: the blocks of ``before`` missing from ``after`` belong to the site template."""
        used = next((p for p in reversed(self.passes) if p.holds(before)), None)
        if used is not None:
            used.dropped_between(before, after, "site-template")

    def use(
        self, blocks: list[Block], body: LexborNode, url: str | None, title: str | None
    ) -> None:
        """Mark the pass whose blocks became the article; list the page's blocks outside it."""
        used = next((p for p in reversed(self.passes) if p.holds(blocks)), None)
        if used is None:
            return
        used.used = True
        inside = {(r.position, r.text) for r in used.records()}
        page = BlockPass("page", (_label(body),), self._order)
        filter_blocks(blocks_of([body], url, page), title, log=page)
        records = page.records()
        self.outside = [_outside(r) for r in records if (r.position, r.text) not in inside]


def _names(declared: frozenset[str], body: bool) -> str:
    """The declared names one vote read: the <body>'s classes (BODY_PREFIX), or the others."""
    return ", ".join(sorted(n for n in declared if n.startswith(BODY_PREFIX) == body)) or "none"


def _dated_seen(layout: Layout) -> str:
    """What the dated-items signal saw: the content's <time>s and, when many, its headlines."""
    seen = f"{layout.times} <time> in the content"
    if layout.times < DATED_ITEMS_MIN:
        return seen
    kind = "teasers" if layout.dated_teasers else "posts, not teasers"
    return f"{seen}, {layout.headlines} linked headlines: {kind}"


def _fragments_seen(votes: Votes) -> str:
    """What the fragments signal saw, in words."""
    if votes.fragments:
        return "mostly short or repeated lines: the labels of cards"
    return "no run of short lines outside the prose"


def _outside(record: BlockRecord) -> BlockRecord:
    """A block of the cleaned page that is not under the chosen container."""
    detail = "not under the chosen container"
    if record.reason:
        label = DROP_REASONS.get(record.reason, ("", record.reason))[1]
        detail += f"; the filter would drop it too: {label} ({record.detail})"
    reason = "outside-container"
    rule = DROP_REASONS[reason][0]
    return BlockRecord(record.position, record.kind, record.text, False, reason, rule, detail)


def _mass_step(content: Content, evidence: ContentEvidence) -> str:
    """The MIN_MASS_SHARE step in words: widened, or not for the teaser cards around."""
    held = f"the roots held {evidence.prose_share:.0%} of the page's prose, under MIN_MASS_SHARE"
    held += f"={rules.MIN_MASS_SHARE:.0%}"
    if evidence.to_mass:
        return f"{held}: widened to {_label(content.roots[0])}"
    return (
        f"{held}, but {evidence.teaser_share:.0%} is in teaser cards around them (headings "
        f"linking away, CARD_MAX_CHARS={rules.CARD_MAX_CHARS}) on a page declared an article: "
        "not counted, not widened"
    )


def _decisions(content: Content, evidence: ContentEvidence) -> tuple[str, ...]:
    """Stage 6's steps in words, from its evidence."""
    best, top = evidence.best, evidence.top
    if best is None or top is None:
        return ("no paragraph voted: the content is the whole <body>",)
    steps = [f"best candidate: {_label(best)} (score {content.scores[best.mem_id]:.2f})"]
    if top.mem_id != best.mem_id:
        steps.append(
            f"near-equal rivals (at least ALTERNATIVE_SHARE={rules.ALTERNATIVE_SHARE} of the best"
            f" score, MIN_ALTERNATIVES={rules.MIN_ALTERNATIVES}) share an ancestor: widened to "
            f"{_label(top)}"
        )
    if evidence.split is not None:
        steps.append(
            f"a twin of {_label(top)} (its tag and class, TWIN_SHARE={rules.TWIN_SHARE} of its "
            f"score) lies within TWIN_MAX_LEVELS={rules.TWIN_MAX_LEVELS}: a body split in blocks,"
            f" widened to {_label(evidence.split)}"
        )
    if evidence.joined > 1:
        steps.append(
            f"{evidence.joined - 1} sibling(s) joined: scoring SIBLING_SHARE="
            f"{rules.SIBLING_SHARE} of the best, or clean paragraphs"
        )
    if evidence.prose_share < rules.MIN_MASS_SHARE:
        steps.append(_mass_step(content, evidence))
    if evidence.to_article:
        steps.append(
            "the page's one <article> holds the roots, which hold under ARTICLE_WIDEN_SHARE="
            f"{rules.ARTICLE_WIDEN_SHARE:.0%} of its prose: widened to {_label(content.roots[0])}"
        )
    steps.append(f"wide container (WIDE_MASS_SHARE, for non-articles): {_label(content.wide)}")
    return tuple(steps)


def _why_removed(stage: str, node: LexborNode) -> tuple[str, str]:
    """What matched a node in a clean pass: (the match, the rule)."""
    tag = node.tag or ""
    attrs = node.attributes
    if stage == "tag":
        return f"<{tag}>", "REMOVE_TAGS"
    if stage == "hidden":
        if "hidden" in attrs:
            return "hidden attribute", "hidden"
        if attrs.get("aria-hidden") == "true":
            return 'aria-hidden="true"', "aria-hidden"
        return f'style="{attrs.get("style") or ""}"', "HIDDEN_STYLE"
    class_id = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return explain_verdict(tag, class_id, attrs.get("role") or "")


def _detail(block: Block, reason: str) -> str:
    """The evidence for a dropped block: the density measured or the text matched."""
    text = block.text
    if reason == "link-density":
        share = block.link_chars / max(len(text), 1)
        return f"{share:.0%} of its text is links (limit {link_limit(block):.0%})"
    pattern = {
        "boilerplate-text": filter_rules.BOILERPLATE_TEXT,
        "byline": filter_rules.BYLINE_TEXT,
    }.get(reason)
    found = pattern.match(text) if pattern else None
    if reason == "appeal":
        found = filter_rules.APPEAL_TEXT.search(text)
    if found:
        return f'matched "{found.group(0).strip()}"'
    if reason == "teaser-rail":
        return f"{block.teasers} of {block.items} items open with a linked headline"
    return DROP_REASONS.get(reason, ("", reason))[1]


def _inside_any(node: LexborNode, keys: set[int], memo: dict[int, bool]) -> bool:
    """Whether an ancestor of ``node`` is among ``keys``; ``memo`` keeps deep trees linear."""
    path = []
    parent = node.parent
    inside = False
    while parent is not None:
        key = parent.mem_id
        if key in keys or key in memo:
            inside = key in keys or memo[key]
            break
        path.append(key)
        parent = parent.parent
    memo.update(dict.fromkeys(path, inside))
    return inside


def _label(node: LexborNode) -> str:
    """A CSS-like name for a node: tag#id.class.class[role=...]."""
    attrs = node.attributes
    label = node.tag or "?"
    if attrs.get("id"):
        label += f"#{attrs['id']}"
    label += "".join(f".{name}" for name in (attrs.get("class") or "").split())
    if attrs.get("role"):
        label += f"[role={attrs['role']}]"
    return label[:LABEL_CHARS]


def _excerpt(node: LexborNode, limit: int) -> str:
    """The start of a node's text, whitespace collapsed."""
    text = " ".join((node.text(separator=" ") or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
