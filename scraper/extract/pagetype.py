"""Is this page an article, a listing, or something else? A weighted vote of page signals.

The signals are read before cleaning (declared types) and after extraction (the shape of the
body). Each weight is in rules-like tables below with the reason it exists.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

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

# schema.org types that declare an article, a listing, or a page of another kind.
ARTICLE_TYPES: Final = frozenset(
    {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
     "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "report",
     "scholarlyarticle", "liveblogposting", "socialmediaposting"}
)  # fmt: skip
LISTING_TYPES: Final = frozenset(
    {"collectionpage", "itemlist", "searchresultspage", "sitenavigationelement", "blog",
     "og:product.group"}
)  # fmt: skip
OTHER_TYPES: Final = frozenset(
    {"product", "offer", "aggregateoffer", "faqpage", "qapage", "discussionforumposting",
     "softwareapplication", "recipe", "event", "jobposting", "profilepage", "aboutpage",
     "contactpage", "localbusiness", "howto", "course", "techarticle", "og:product"}
)  # fmt: skip
# Types that declare a discussion: a forum thread, a Q&A page (not "Comment": a blog post
# declares its comments with it). They outrank a nested article type: a forum answers.
DISCUSSION_TYPES: Final = frozenset({"discussionforumposting", "qapage"})
# A page that sells one thing (its related products are no grid of its own).
PRODUCT_TYPES: Final = frozenset({"product", "og:product"})
# og:type values are kept as "og:<value>": SEO plugins set og:type "article" on every page of
# a site, so it says less than a JSON-LD article type (on wcxb-dev, 257 of 267 pages with a
# JSON-LD article type are articles, 138 of 216 with og:type article and nothing more).
OG_PREFIX: Final = "og:"
OG_ARTICLE: Final = "og:article"
# article:published_time, kept as this name: the og:type article of a dated post (131 of 148
# such wcxb-dev pages are articles; plugins leave it out on a site's other pages).
OG_DATED: Final = "og:published_time"
# The <body> classes a CMS's templates set for the kind of page, kept as "body:<class>":
# WordPress's body_class() (a blog post; an archive of a category, tag, author or date, a
# search, page 2+ of a list), Ghost's template classes, Drupal's node type. On wcxb-dev, 216 of
# 216 pages with "single-post" are articles; 7 of 9 with "archive" are listings or collections.
# WordPress's "blog" (its posts index) is left out: other sites use it on their posts.
BODY_PREFIX: Final = "body:"
BODY_ARTICLE_CLASSES: Final = frozenset(
    {"single-post", "post-template", "node-type-article", "page-node-type-article"}
)
BODY_LISTING_CLASSES: Final = frozenset(
    {"archive", "search-results", "search-no-results", "paged", "post-type-archive",
     "home-template", "tag-template", "author-template"}
)  # fmt: skip
_BODY_KINDS: Final = BODY_ARTICLE_CLASSES | BODY_LISTING_CLASSES
_OG_TYPE_PROPERTY: Final = "og:type"
_OG_DATED_PROPERTY: Final = "article:published_time"
_LD_TYPE = re.compile(r'"@type"\s*:\s*\[?\s*"([A-Za-z]+)"')
# URL paths of hubs, not stories: section fronts, tag pages, archives, search results, and
# the usual homes of docs, forums, shops and service pages. A "hub" is a section front only
# as the path's end or one segment before it ("/hub/science"): "/hub/technology/what-is-x/"
# is a story filed under one.
_HUB_PATH = re.compile(
    r"/(?:tags?|topics?|category|categories|section|sections|archive|archives|search|page/\d+|"
    r"hubs?(?:/[\w-]+)?/?$|"
    r"author|authors|latest|news/?$|docs?|documentation|reference|api|manual|wiki|help|kb|"
    r"faqs?|forums?|threads?|t|questions|community|discussions?|products?|shop|store|"
    r"collections?|services?|solutions|pricing|plans|about(?:-us)?|contact(?:-us)?|careers|"
    r"jobs|courses?|programs?|events?)(?:/|$|\.html?$)",
    re.I,
)
_ARTICLE_PATH = re.compile(r"/(?:19|20)\d\d/(?:\d\d?/)?|[a-z0-9]+(?:-[a-z0-9]+){3,}", re.I)

# Weights of the vote; a positive sum means article.
W_DECLARED: Final = 2.5  # JSON-LD saying what the page is
W_OG: Final = 1.5  # og:type article alone: set by SEO plugins on many pages that are not
W_OG_DATED: Final = 2.0  # og:type article with an article:published_time
W_DATE: Final = 0.8  # a publication date: articles have one, hubs rarely
W_LONG_TEXT: Final = 1.5  # many words in long paragraphs
W_SHORT_TEXT: Final = 1.5  # almost no prose
W_LINK_HEAVY: Final = 2.0  # the body is mostly link text: teasers
W_BODY_ARTICLE: Final = 1.0  # the CMS made it from its template for a post (BODY_PREFIX)
W_BODY_LISTING: Final = 2.0  # the CMS made it from a list template: an archive, a search
W_URL: Final = 2.0  # the URL path looks like a story or like a hub (as telling as a declared
# type: a logistic fit on wcxb-dev weighs both about 2; 1.5 lost 6 articles)
W_PRICE_GRID: Final = 3.0  # many prices: a shop's grid of products, never one story
W_DATED_ITEMS: Final = 2.0  # several <time>s in the content: dated posts or teasers
W_FRAGMENTS: Final = 1.5  # the body is short lines (card labels, prices, durations), not prose
# Most pages on the web are not articles: a page must earn the label (tuned on wcxb-dev's
# labelled page types: article vs not-article accuracy 0.74 without it, 0.83 with it).
ARTICLE_PRIOR: Final = 1.5
LONG_TEXT_WORDS: Final = 400
SHORT_TEXT_WORDS: Final = 80
LONG_PARAGRAPH_CHARS: Final = 120
LINK_HEAVY_SHARE: Final = 0.2
# Price tags in the cleaned body: a product grid from this many. A product page shows its own
# and a carousel's few (a median of 2 on wcxb-dev's product pages, 0 on its articles).
PRICE_SELECTOR: Final = '[class*="price" i]'
PRICE_GRID_MIN: Final = 8
# <time> elements inside the chosen content: each item of a list of posts or teasers has one,
# a story has at most its own (no wcxb-dev or AEB article has three).
DATED_ITEMS_MIN: Final = 3
# Dated items are teasers when at least this share of them have a linked headline (a list of
# posts links each title); a forum thread's posts have a date and an author, no headline. On
# wcxb-dev's pages with 3+ <time>s in the content, each listing has a linked heading per <time>,
# each undeclared thread at most one in all.
DATED_HEADLINES_SHARE: Final = 0.5
# A linked headline: a link in a heading, or a heading in a link (a card linked whole).
HEADLINE_SELECTOR: Final = ", ".join(f"h{level} a, a h{level}" for level in range(1, 7))
# Fragments: among at least FRAGMENT_MIN_BLOCKS blocks, half are short lines, or 40% are
# short lines repeating the same first words (digits masked: "$230", "Release date: ...",
# "On Now") at least 3 times: the labels of cards. A listicle's cards sit between long
# paragraphs: a body with FRAGMENT_MAX_PROSE_SHARE of its words in them is prose.
FRAGMENT_MIN_BLOCKS: Final = 10
SHORT_BLOCK_CHARS: Final = 40
SHORT_BLOCKS_SHARE: Final = 0.5
REPEATED_LINE_CHARS: Final = 60
REPEATED_LINE_WORDS: Final = 2
REPEATED_LINE_MIN: Final = 3
REPEATED_LINES_SHARE: Final = 0.4
FRAGMENT_MAX_PROSE_SHARE: Final = 0.6
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
        return self.cart or bool(self.declared & PRODUCT_TYPES)

    @property
    def discussion(self) -> bool:
        """Whether the page declares a forum thread or a Q&A page (its posts are its content)."""
        return bool(self.declared & DISCUSSION_TYPES)


def read_declared_types(page: PageSources) -> frozenset[str]:
    """schema.org @type values from JSON-LD, lower-cased; the og:type value as "og:<value>",
    OG_DATED when the page has an article:published_time, and "body:<class>" for the <body>'s
    classes that name a CMS's kind of page (BODY_PREFIX). Read from the metadata's one pass
    over the page (``page``)."""
    found: set[str] = set()
    if page.tree.body is not None:
        classes = (page.tree.body.attributes.get("class") or "").lower().split()
        found.update(BODY_PREFIX + name for name in _BODY_KINDS.intersection(classes))
    for script in page.scripts:
        found.update(match.lower() for match in _LD_TYPE.findall(script or ""))
    for name, content in page.properties:
        if name == _OG_DATED_PROPERTY:
            found.add(OG_DATED)
        elif name == _OG_TYPE_PROPERTY and (value := content.strip().lower()):
            found.add(OG_PREFIX + value)
    return frozenset(found - {""})


@dataclass(frozen=True)
class Layout:
    """What the cleaned page's markup shows of cards, beyond the kept blocks."""

    prices: int = 0  # price tags in the cleaned body
    times: int = 0  # <time> elements in the chosen content
    headlines: int = 0  # linked headings in the content, counted only from DATED_ITEMS_MIN times

    def dated_items(self, signals: PageSignals) -> bool:
        """Whether the content holds DATED_ITEMS_MIN <time>s (a declared thread's posts aside)."""
        return self.times >= DATED_ITEMS_MIN and not signals.discussion

    @property
    def dated_teasers(self) -> bool:
        """Whether the content's <time>s date teasers (most with a linked headline), not posts."""
        return self.headlines >= DATED_HEADLINES_SHARE * self.times


def read_layout(body: LexborNode, roots: list[LexborNode]) -> Layout:
    """Count the cleaned body's price tags and the content's <time>s (two selections), and the
    content's linked headings when it holds DATED_ITEMS_MIN <time>s (one more, on few pages)."""
    prices = len(body.css(PRICE_SELECTOR))
    times = sum(len(root.css("time")) for root in roots)
    if times < DATED_ITEMS_MIN:
        return Layout(prices, times)
    return Layout(prices, times, sum(len(root.css(HEADLINE_SELECTOR)) for root in roots))


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
    url: float
    words: int
    long_paragraphs: int
    link_share: float
    layout: Layout = Layout()
    prior: float = ARTICLE_PRIOR
    lists: bool = False  # link-heavy, a price grid or dated items: a listing if not an article

    @property
    def teasers(self) -> float:
        """The signs of teasers, together."""
        return self.link_heavy + self.price_grid + self.dated_items + self.fragments

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
        if b.kind == "p" and len(b.text) >= LONG_PARAGRAPH_CHARS
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
    elif votes.lists or signals.declared & LISTING_TYPES:
        page_type = PageType.LISTING
    else:
        page_type = PageType.OTHER
    if trace is not None:
        trace.vote(signals, votes, page_type, confidence)
    return page_type, confidence


def _votes(signals: PageSignals, shape: Shape, links_in_body: float, layout: Layout) -> Votes:
    """Weigh each signal."""
    prose = 0.0
    if shape.words >= LONG_TEXT_WORDS and shape.long_paragraphs >= 3:
        prose = W_LONG_TEXT
    elif shape.words < SHORT_TEXT_WORDS:
        prose = -W_SHORT_TEXT
    link_heavy = links_in_body >= LINK_HEAVY_SHARE
    # A page that sells one thing shows a few prices of others; an undeclared thread's posts
    # are dated items too (no article), but no listing of teasers.
    grid = layout.prices >= PRICE_GRID_MIN
    dated = layout.dated_items(signals)
    body_class = _body_class_vote(signals.declared)
    return Votes(
        declared=_declared_vote(signals.declared),
        body_class=body_class,
        date=W_DATE if signals.has_date else -W_DATE,
        prose=prose,
        link_heavy=-W_LINK_HEAVY if link_heavy else 0.0,
        price_grid=-W_PRICE_GRID if grid else 0.0,
        dated_items=-W_DATED_ITEMS if dated else 0.0,
        fragments=-W_FRAGMENTS if shape.fragments else 0.0,
        url=_url_vote(signals.url),
        words=shape.words,
        long_paragraphs=shape.long_paragraphs,
        link_share=links_in_body,
        layout=layout,
        lists=link_heavy
        or (dated and layout.dated_teasers)
        or (grid and not signals.declared & PRODUCT_TYPES),
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
    if len(blocks) < FRAGMENT_MIN_BLOCKS or prose_words >= FRAGMENT_MAX_PROSE_SHARE * words:
        return False
    short = sum(1 for b in blocks if len(b.text) < SHORT_BLOCK_CHARS)
    if short >= SHORT_BLOCKS_SHARE * len(blocks):
        return True
    openings = Counter(
        " ".join(_DIGIT.sub("0", b.text.lower()).split()[:REPEATED_LINE_WORDS])
        for b in blocks
        if len(b.text) <= REPEATED_LINE_CHARS
    )
    repeated = sum(n for n in openings.values() if n >= REPEATED_LINE_MIN)
    return repeated >= REPEATED_LINES_SHARE * len(blocks)


def _declared_vote(declared: frozenset[str]) -> float:
    """+ for article types, - for listing and other types, 0 when the page says nothing.

    A JSON-LD article type outranks the product, FAQ and item-list types around it (a review
    of products, a post with a FAQ section: 51 of 53 such wcxb-dev pages are articles); only a
    discussion outranks it. og:type article alone counts for less (OG_PREFIX).
    """
    if declared & DISCUSSION_TYPES:
        return -W_DECLARED
    if declared & ARTICLE_TYPES:
        return W_DECLARED
    if declared & (LISTING_TYPES | OTHER_TYPES):
        return -W_DECLARED
    if OG_ARTICLE in declared:
        return W_OG_DATED if OG_DATED in declared else W_OG
    return 0.0


def _body_class_vote(declared: frozenset[str]) -> float:
    """+ when the CMS made the page from a post's template, - from a list's (BODY_PREFIX)."""
    kinds = {name.removeprefix(BODY_PREFIX) for name in declared if name.startswith(BODY_PREFIX)}
    if kinds & BODY_LISTING_CLASSES:
        return -W_BODY_LISTING
    return W_BODY_ARTICLE if kinds & BODY_ARTICLE_CLASSES else 0.0


def _url_vote(url: str | None) -> float:
    """+ for story-like paths (dates, long slugs), - for hub-like ones."""
    if not url:
        return 0.0
    path = urlsplit(url).path
    if path in ("", "/") or _HUB_PATH.search(path):
        return -W_URL
    return W_URL if _ARTICLE_PATH.search(path) else 0.0
