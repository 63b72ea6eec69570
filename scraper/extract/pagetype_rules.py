"""The page-type vote's tables (pagetype.py): declared types, CMS body classes, URL paths, and
each signal's weight and threshold, with the reason it exists."""

from __future__ import annotations

import re
from typing import Final

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
# og:type values that, beside og:type article, say the page is no article: a page declaring both
# ("website" from the theme, "article" from a plugin) says nothing of what it is, so og:type
# article then counts for nothing. On wcxb-dev: a hub of training plans (a listing) and a
# tutorial (an article, and its JSON-LD says so, which decides).
OG_NOT_ARTICLE: Final = frozenset({"og:website", "og:profile", "og:book"})
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
# URL paths of hubs, not stories: section fronts, tag pages, archives, search results, and
# the usual homes of docs, forums, shops and service pages. A "hub" is a section front only
# as the path's end or one segment before it ("/hub/science"): "/hub/technology/what-is-x/"
# is a story filed under one.
HUB_PATH = re.compile(
    r"/(?:tags?|topics?|category|categories|section|sections|archive|archives|search|page/\d+|"
    r"hubs?(?:/[\w-]+)?/?$|"
    r"author|authors|latest|news/?$|docs?|documentation|reference|api|manual|wiki|help|kb|"
    r"faqs?|forums?|threads?|t|questions|community|discussions?|products?|shop|store|"
    r"collections?|services?|solutions|pricing|plans|about(?:-us)?|contact(?:-us)?|careers|"
    r"jobs|courses?|programs?|events?)(?:/|$|\.html?$)",
    re.I,
)
ARTICLE_PATH = re.compile(r"/(?:19|20)\d\d/(?:\d\d?/)?|[a-z0-9]+(?:-[a-z0-9]+){3,}", re.I)

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
W_BUTTONS: Final = 2.0  # many "Read more" buttons in the content, each to its own page: teasers
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
# Teaser buttons: links whose whole text is "Read more", "Learn more"... (a teaser's way on,
# not "Read more: <headline>", a story's inline link to another). On wcxb-dev and aeb-dev, 11
# pages have BUTTONS_MIN or more in the chosen content, to distinct addresses: none is an
# article (services, docs, a listing); an article has at most 9 (a listicle's "Learn more").
BUTTON_TEXT: Final = re.compile(
    r"""^\W*(?:(?:read|learn|see|find\ out|view|discover|explore)\ more|continue\ reading
        |read\ (?:the\ )?(?:full\ )?(?:story|article|post)|more|weiterlesen|mehr\ lesen
        |lire\ la\ suite|en\ savoir\ plus|leer\ m[aá]s|saber\ m[aá]s|leggi\ tutto)\W*$""",
    re.I | re.X,
)
BUTTON_MAX_CHARS: Final = 30  # longer link texts are not read against BUTTON_TEXT
BUTTONS_MIN: Final = 10
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
