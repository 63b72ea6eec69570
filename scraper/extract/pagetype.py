"""Is this page an article, a listing, or something else? A weighted vote of page signals.

The signals are read before cleaning (declared types) and after extraction (the shape of the
body). Each weight and threshold is a table in pagetype_rules.py, with the reason it exists;
the names in capitals in this module's docstrings are that module's.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from scraper.extract import pagetype_rules as rules
from scraper.extract.blocks import Block
from scraper.extract.sources import PageSources
from scraper.models import PageType

if TYPE_CHECKING:
    from scraper.extract.trace import Trace

__all__ = [
    "Layout",
    "PageSignals",
    "Votes",
    "classify",
    "read_declared_types",
    "read_layout",
    "reads_whole_body",
]

_BODY_KINDS: Final = rules.BODY_ARTICLE_CLASSES | rules.BODY_LISTING_CLASSES
_OG_TYPE_PROPERTY: Final = "og:type"
_OG_DATED_PROPERTY: Final = "article:published_time"
_LD_TYPE = re.compile(r'"@type"\s*:\s*\[?\s*"([A-Za-z]+)"')
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class PageSignals:
    """What the page declares about itself."""

    # lower-case schema.org names, "og:<og:type>", OG_DATED, "body:<class>"
    declared: frozenset[str]
    has_date: bool
    url: str | None
    cart: bool = False  # an add-to-cart control (PageSources.cart)

    @property
    def product(self) -> bool:
        """Whether the page sells one thing: it declares a schema.org Product (or og:type
        product) or has an add-to-cart control."""
        return self.cart or bool(self.declared & rules.PRODUCT_TYPES)

    @property
    def declared_article(self) -> bool:
        """Whether the page's own markup says it is an article (the declared-type vote)."""
        return _declared_vote(self.declared) > 0

    @property
    def discussion(self) -> bool:
        """Whether the page declares a forum thread or a Q&A page (its posts are its content)."""
        return bool(self.declared & rules.DISCUSSION_TYPES)


def read_declared_types(page: PageSources) -> frozenset[str]:
    """schema.org @type values from JSON-LD, lower-cased; the og:type value as "og:<value>",
    OG_DATED when the page has an article:published_time, and "body:<class>" for the <body>'s
    classes that name a CMS's kind of page (BODY_PREFIX). Read from the metadata's one pass
    over the page (``page``)."""
    found: set[str] = set()
    if page.tree.body is not None:
        classes = (page.tree.body.attributes.get("class") or "").lower().split()
        found.update(rules.BODY_PREFIX + name for name in _BODY_KINDS.intersection(classes))
    for script in page.scripts:
        found.update(match.lower() for match in _LD_TYPE.findall(script or ""))
    for name, content in page.properties:
        if name == _OG_DATED_PROPERTY:
            found.add(rules.OG_DATED)
        elif name == _OG_TYPE_PROPERTY and (value := content.strip().lower()):
            found.add(rules.OG_PREFIX + value)
    return frozenset(found - {""})


@dataclass(frozen=True)
class Layout:
    """What the cleaned page's markup shows of cards, beyond the kept blocks."""

    prices: int = 0  # price tags in the cleaned body
    times: int = 0  # <time> elements in the chosen content
    headlines: int = 0  # linked headings in the content, counted from DATED_ITEMS_MIN times
    buttons: int = 0  # distinct addresses of the content's teaser buttons (BUTTON_TEXT)

    def dated_items(self, signals: PageSignals) -> bool:
        """Whether the content holds DATED_ITEMS_MIN <time>s (a declared thread's posts aside)."""
        return self.times >= rules.DATED_ITEMS_MIN and not signals.discussion

    @property
    def dated_teasers(self) -> bool:
        """Whether the content's <time>s date teasers (most with a linked headline), not posts."""
        return self.headlines >= rules.DATED_HEADLINES_SHARE * self.times


def read_layout(body: LexborNode, roots: list[LexborNode]) -> Layout:
    """Count the cleaned body's price tags, the content's <time>s and teaser buttons (three
    selections), and the content's linked headings when it holds DATED_ITEMS_MIN <time>s (one
    more, on few pages)."""
    prices = len(body.css(rules.PRICE_SELECTOR))
    times = sum(len(root.css("time")) for root in roots)
    buttons = _buttons(roots)
    if times < rules.DATED_ITEMS_MIN:
        return Layout(prices, times, buttons=buttons)
    headlines = sum(len(root.css(rules.HEADLINE_SELECTOR)) for root in roots)
    return Layout(prices, times, headlines, buttons)


def _buttons(roots: list[LexborNode]) -> int:
    """The distinct addresses of the teaser buttons in the content (BUTTON_TEXT)."""
    found = set()
    for root in roots:
        for link in root.css("a"):
            text = link.text(strip=True)
            if len(text) <= rules.BUTTON_MAX_CHARS and rules.BUTTON_TEXT.match(text):
                found.add(link.attributes.get("href") or "")
    return len(found)


@dataclass(frozen=True)
class Votes:
    """Each signal's weight in the vote (positive: article), and what the body measured.

    The signs of teasers (a body mostly of link text, a price grid, dated items, fragments)
    are summed first, as ``teasers``: the order of a float sum decides its last bit.
    """

    declared: float
    body_class: float
    date: float
    prose: float
    link_heavy: float
    price_grid: float
    dated_items: float
    fragments: float
    buttons: float
    url: float
    words: int
    long_paragraphs: int
    link_share: float
    layout: Layout = Layout()
    prior: float = rules.ARTICLE_PRIOR
    lists: bool = False  # link-heavy, a price grid or dated items: a listing if not an article

    @property
    def teasers(self) -> float:
        """The signs of teasers, together."""
        return self.link_heavy + self.price_grid + self.dated_items + self.fragments + self.buttons

    @property
    def score(self) -> float:
        """The sum, in a fixed order (the order decides the last bit of a float)."""
        return (
            self.declared
            + self.body_class
            + self.date
            + self.prose
            + self.teasers
            + (self.url - self.prior)
        )


@dataclass(frozen=True)
class Shape:
    """What the kept blocks show of the page: its words, its long paragraphs and their words,
    and whether it is made of fragments (read once, for every vote taken on the page)."""

    words: int
    long_paragraphs: int
    prose_words: int
    fragments: bool


def read_shape(blocks: list[Block]) -> Shape:
    """The kept blocks' Shape."""
    counts = [len(b.text.split()) for b in blocks]
    long_ones = [
        n for b, n in zip(blocks, counts, strict=True)
        if b.kind == "p" and len(b.text) >= rules.LONG_PARAGRAPH_CHARS
    ]  # fmt: skip
    words, prose_words = sum(counts), sum(long_ones)
    return Shape(words, len(long_ones), prose_words, _fragments(blocks, prose_words, words))


def classify(
    signals: PageSignals,
    shape: Shape,
    links_in_body: float,
    layout: Layout,
    trace: Trace | None = None,
) -> tuple[PageType, float]:
    """The page type and a confidence in [0.5, 1].

    Args:
        signals: declared types, date presence and URL.
        shape: the kept body blocks' words and fragments (read_shape).
        links_in_body: share of the chosen content's text inside links, before filtering.
        layout: the cleaned page's price tags and the content's <time>s (read_layout).
        trace: when given, records each signal's vote.
    """
    votes = _votes(signals, shape, links_in_body, layout)
    score = votes.score
    confidence = round(1.0 / (1.0 + math.exp(-abs(score))), 3)
    if score > 0:
        page_type = PageType.ARTICLE
    elif votes.lists or signals.declared & rules.LISTING_TYPES:
        page_type = PageType.LISTING
    else:
        page_type = PageType.OTHER
    if trace is not None:
        trace.vote(signals, votes, page_type, confidence)
    return page_type, confidence


def _votes(signals: PageSignals, shape: Shape, links_in_body: float, layout: Layout) -> Votes:
    """Weigh each signal."""
    prose = 0.0
    if shape.words >= rules.LONG_TEXT_WORDS and shape.long_paragraphs >= 3:
        prose = rules.W_LONG_TEXT
    elif shape.words < rules.SHORT_TEXT_WORDS:
        prose = -rules.W_SHORT_TEXT
    link_heavy = links_in_body >= rules.LINK_HEAVY_SHARE
    # A page that sells one thing shows a few prices of others; an undeclared thread's posts
    # are dated items too (no article), but no listing of teasers.
    grid = layout.prices >= rules.PRICE_GRID_MIN
    dated = layout.dated_items(signals)
    body_class = _body_class_vote(signals.declared)
    return Votes(
        declared=_declared_vote(signals.declared),
        body_class=body_class,
        date=rules.W_DATE if signals.has_date else -rules.W_DATE,
        prose=prose,
        link_heavy=-rules.W_LINK_HEAVY if link_heavy else 0.0,
        price_grid=-rules.W_PRICE_GRID if grid else 0.0,
        dated_items=-rules.W_DATED_ITEMS if dated else 0.0,
        fragments=-rules.W_FRAGMENTS if shape.fragments else 0.0,
        buttons=-rules.W_BUTTONS if layout.buttons >= rules.BUTTONS_MIN else 0.0,
        url=_url_vote(signals.url),
        words=shape.words,
        long_paragraphs=shape.long_paragraphs,
        link_share=links_in_body,
        layout=layout,
        lists=link_heavy
        or (dated and layout.dated_teasers)
        or (grid and not signals.declared & rules.PRODUCT_TYPES),
    )


def reads_whole_body(page_type: PageType, signals: PageSignals, layout: Layout) -> bool:
    """Whether stage 9 reads the content again from the whole cleaned body: a listing's
    teasers, or the posts of an undeclared thread, dated items without headlines (its question
    often stands outside the answers' container: on wcxb-dev's 14 such threads, a mean F1 of
    0.819 read from the body, 0.804 from the wide container)."""
    if page_type is PageType.LISTING:
        return True
    return page_type is PageType.OTHER and layout.dated_items(signals) and not layout.dated_teasers


def _fragments(blocks: list[Block], prose_words: int, words: int) -> bool:
    """Whether the body is made of short lines, not prose (see FRAGMENT_MIN_BLOCKS)."""
    if (
        len(blocks) < rules.FRAGMENT_MIN_BLOCKS
        or prose_words >= rules.FRAGMENT_MAX_PROSE_SHARE * words
    ):
        return False
    short = sum(1 for b in blocks if len(b.text) < rules.SHORT_BLOCK_CHARS)
    if short >= rules.SHORT_BLOCKS_SHARE * len(blocks):
        return True
    openings = Counter(
        " ".join(_DIGIT.sub("0", b.text.lower()).split()[: rules.REPEATED_LINE_WORDS])
        for b in blocks
        if len(b.text) <= rules.REPEATED_LINE_CHARS
    )
    repeated = sum(n for n in openings.values() if n >= rules.REPEATED_LINE_MIN)
    return repeated >= rules.REPEATED_LINES_SHARE * len(blocks)


def _declared_vote(declared: frozenset[str]) -> float:
    """+ for article types, - for listing and other types, 0 when the page says nothing.

    A JSON-LD article type outranks the product, FAQ and item-list types around it (a review
    of products, a post with a FAQ section: 51 of 53 such wcxb-dev pages are articles); only a
    discussion outranks it. og:type article alone counts for less (OG_PREFIX), and for
    nothing beside an og:type that contradicts it (OG_NOT_ARTICLE).
    """
    if declared & rules.DISCUSSION_TYPES:
        return -rules.W_DECLARED
    if declared & rules.ARTICLE_TYPES:
        return rules.W_DECLARED
    if declared & (rules.LISTING_TYPES | rules.OTHER_TYPES):
        return -rules.W_DECLARED
    if rules.OG_ARTICLE in declared and not declared & rules.OG_NOT_ARTICLE:
        return rules.W_OG_DATED if rules.OG_DATED in declared else rules.W_OG
    return 0.0


def _body_class_vote(declared: frozenset[str]) -> float:
    """+ when the CMS made the page from a post's template, - from a list's (BODY_PREFIX)."""
    kinds = {
        name.removeprefix(rules.BODY_PREFIX)
        for name in declared
        if name.startswith(rules.BODY_PREFIX)
    }
    if kinds & rules.BODY_LISTING_CLASSES:
        return -rules.W_BODY_LISTING
    return rules.W_BODY_ARTICLE if kinds & rules.BODY_ARTICLE_CLASSES else 0.0


def _url_vote(url: str | None) -> float:
    """+ for story-like paths (dates, long slugs), - for hub-like ones."""
    if not url:
        return 0.0
    path = urlsplit(url).path
    if path in ("", "/") or rules.HUB_PATH.search(path):
        return -rules.W_URL
    return rules.W_URL if rules.ARTICLE_PATH.search(path) else 0.0
