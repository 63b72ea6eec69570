"""Boilerplate rules as data: tag sets, class/id/role tokens, text patterns and scoring weights.

Nothing here runs: every table is read by clean.py, classes.py, score.py or blocks.py (the
filter's tables are in filter_rules.py, the metadata's, the tags' and the page type's in
their own *_rules.py). Each table says why it exists; change a table, run `scraper bench`,
and keep the change only if F1 does not drop.
"""

from __future__ import annotations

import re
from typing import Final

# --- Stage 1: what is removed before scoring -------------------------------------------------

# Never content: code, styling, embedded media players, form controls, document metadata.
REMOVE_TAGS: Final = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "video", "audio", "map", "button", "input", "select", "textarea", "option", "link", "meta",
    "head", "dialog", "figcaption", "picture", "img", "source", "math", "label", "legend",
)  # fmt: skip

# A card set inside a paragraph's text (cards.py): the smallest inline element (INLINE_TAGS)
# around an <img> in a <p> holding this many links, this share of its text linked. On the dev
# pages: 3 such cards, all news hover cards (a portrait, a name, links to other stories), whose
# link text had dropped their paragraphs (two lead sentences among them).
INLINE_CARD_MIN_LINKS: Final = 2
INLINE_CARD_LINK_SHARE: Final = 0.7

# The heading tags and their levels (blocks.py reads the levels, clean.py the tags).
HEADING_LEVELS: Final = {f"h{level}": level for level in range(1, 7)}

# Page furniture by HTML5 semantics; removed unless it holds most of the page's text.
STRUCTURAL_TAGS: Final = ("nav", "footer", "aside", "header", "menu", "form")

# Elements whose id is a link target made from their text (a docs entry <dt id="subscribe">,
# a heading <h2 id="related-work">), not the name of a component: their id is not read.
ANCHOR_TAGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt"})

# Code: its highlighters' classes ("hljs-comment", Prism's "token comment") are no furniture,
# nor anything inside it.
CODE_TAGS: Final = ("pre",)

# ARIA landmark roles that are never the main content.
BOILERPLATE_ROLES: Final = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog",
     "alertdialog", "menu", "menubar", "toolbar", "tablist", "alert", "tooltip"}
)  # fmt: skip

# Class/id words that name boilerplate blocks. A class token matches when one of its words
# (split on '-', '_' and camelCase) is in this set, or the whole token is.
BOILERPLATE_WORDS: Final = frozenset(
    {
        # related / recirculation rails
        "related", "recommended", "recommendations", "recirc", "recirculation", "mostread",
        "popular", "trending", "outbrain", "taboola", "teasers", "morestories", "readmore",
        "readnext", "upnext", "relatedposts", "relatedarticles", "ticker", "breaking",
        # newsletter and subscription boxes
        "newsletter", "newsletters", "subscribe", "subscription", "signup", "optin", "paywall",
        # share and social bars
        "share", "sharing", "sharebar", "social", "socials", "sharethis", "addthis", "follow",
        # comments
        "comment", "comments", "disqus", "discussion", "respond", "replies",
        # consent notices
        "cookie", "cookies", "consent", "gdpr", "cmp", "onetrust",
        # ads and promos
        "ad", "ads", "adslot", "advert", "advertisement", "advertising", "sponsor", "sponsored",
        "promo", "promotion", "promoted", "dfp", "gpt", "banner", "affiliate",
        # donation appeals
        "donate", "donation", "donations", "contribute", "contribution", "support", "membership",
        # navigation and page furniture
        "breadcrumb", "breadcrumbs", "pagination", "pager", "sidebar", "widget", "widgets",
        "navbar", "nav", "navigation", "menu", "footer", "masthead", "toolbar", "skip",
        "modal", "popup", "overlay", "lightbox", "tooltip", "print", "login", "signin",
        # author boxes, bylines, tag lists, captions
        "byline", "bio", "authorbox", "author", "tags", "tag", "tagcloud", "topics", "keywords",
        "caption", "credit", "credits", "dateline", "timestamp", "meta", "metadata", "rating",
        "header", "standfirst", "kicker", "eyebrow", "subtitle", "letters", "feedback",
        # shop furniture around a product description
        "stock", "cart", "checkout", "reviews", "ratings", "wishlist",
        "srOnly", "sronly", "hidden", "visuallyhidden", "hide",
    }
)  # fmt: skip

# Utility-CSS class tokens (Tailwind and kin) put variants before a colon: in
# "print:break-inside-avoid" and "md:hidden" only what follows the last colon is read; the
# variant ("print", "md") names a medium or a screen size, not a part of the page.
UTILITY_VARIANT: Final = ":"
# Utility classes whose name holds a class word are read as no words at all: Tailwind's text
# colours, sizes and alignments ("text-white", "text-lg") are not the content word "text", and
# "overflow-hidden" clips a box's overflow, it does not hide the box.
UTILITY_CLASS: Final = re.compile(
    r"text-(?:xs|sm|base|lg|[2-9]?xl|left|center|right|justify|start|end|white|black|transparent"
    r"|current|inherit|[a-z]+-\d{2,3}|\[.*\])$"
    r"|overflow(?:-[xy])?-(?:hidden|auto|scroll|visible|clip)$"
)

# WordPress names the page's own post in <body class="postid-3767"> and gives its container
# the class "post-3767", beside classes for its terms ("tag-gifts", "product_cat-buckles")
# that read as a tag list: that container is never furniture (clean.py).
WORDPRESS_POST_ID: Final = re.compile(r"\bpostid-(\d+)\b")

# Page builders name every block of a page with generic words ("elementor-widget",
# "so-widget", "et_pb_module"): in a token opening with a builder's name, these words name
# nothing; the rest of the token does ("elementor-widget-share-buttons" is still a share bar).
PAGE_BUILDERS: Final = frozenset({"elementor", "so", "et", "fl", "wpb", "vc", "brxe", "kb"})
BUILDER_WORDS: Final = frozenset({"widget", "widgets", "module", "wrap", "container", "element"})

# A class token opening with one of these names a state of the node, not what it is:
# "hasSidebar", "with-share-bar" mark a layout, never furniture. ("no-" is left out: on the
# bench, "no-sidebar"-like tokens more often did mark furniture.)
STATE_WORDS: Final = frozenset({"has", "with"})

# Class/id words that name the article body; they veto removal and raise a container's score.
CONTENT_WORDS: Final = frozenset(
    {"article", "articlebody", "content", "entry", "post", "story", "body", "main", "text",
     "prose", "richtext", "markdown", "blog", "column", "page", "single", "hentry"}
)  # fmt: skip

# Links and controls whose text asks the reader to act; the small box around one is a
# newsletter, subscription or donation box (see clean.py).
CTA_TEXT: Final = re.compile(
    r"""^\W*(?:(?:sign\ ?up|subscribe|donate)\b.{0,50}$|join\ now|contribute|support\ us
        |become\ a\ (?:member|subscriber|supporter)|get\ the\ newsletter|register\ now
        |jetzt\ abonnieren|abonnieren|s.abonner|je\ m.abonne|suscr[ií]bete|suscribirse
        |assine|iscriviti|подписаться)\W*$""",
    re.I | re.X,
)
CTA_SELECTOR: Final = 'a, button, [role="button"], input[type="submit"], input[type="email"]'
# The box around a call to action: the largest ancestor with at most this much text, below
# these tags: a landing page's whole <main> can hold less (postman.com's: 0.00 -> 0.57).
CTA_BOX_MAX_CHARS: Final = 300
CTA_BOX_STOP_TAGS: Final = frozenset({"body", "main", "article"})

# These override CONTENT_WORDS: "article-related" is a related rail, not the article.
STRONG_BOILERPLATE_WORDS: Final = frozenset(
    {"related", "recommended", "newsletter", "share", "social", "comments", "comment", "cookie",
     "consent", "sidebar", "footer", "breadcrumb", "breadcrumbs", "promo", "advert", "ad", "ads",
     "outbrain", "taboola", "donate", "donation", "byline", "tags", "caption", "credit", "bio",
     "signup", "optin"}
)  # fmt: skip

# Attribute values that mark a node as hidden from readers.
HIDDEN_STYLE: Final = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# React's streaming renderer (Next.js and kin) sends late parts of a page in hidden divs with
# ids "S:0", "S:1f"... and moves them into place by script: they are content, not hidden.
STREAMED_SEGMENT_ID: Final = re.compile(r"S:[0-9a-z]+$")

# A paragraph or list of at least this many characters that stands twice in the kept blocks
# is a copy (mobile and desktop versions, cloned slides): the second goes. Shorter lines may
# repeat on purpose (a meal plan's rows, an interview's recurring question).
DUPLICATE_MIN_CHARS: Final = 250

# A hidden node with more text than this many times all the visible text left beside it (and
# at least REVEALED_MIN_CHARS, few links) is the content a script will show: it is kept.
REVEALED_FACTOR: Final = 2.0
REVEALED_MIN_CHARS: Final = 500

# On a page that declares a schema.org Product, its customer reviews and ratings are what
# comments are to an article: removed whatever their size ("product-reviews",
# "customerReviews"). Plural only: "x-review" names a review article's own body.
PRODUCT_FURNITURE_WORDS: Final = frozenset({"reviews", "ratings"})

# Class words of comment sections: on a forum thread or a Q&A page the posts are the content,
# and these words mark nothing there (clean.PageKind).
COMMENT_WORDS: Final = frozenset(
    {"comment", "comments", "disqus", "discussion", "respond", "replies", "reply"}
)

# Consent dialogs carry more legal text than many articles: removed whatever their size.
CONSENT_WORDS: Final = frozenset(
    {"cookie", "cookies", "consent", "gdpr", "cmp", "onetrust", "cookiebot", "didomi",
     "usercentrics", "quantcast", "truste", "cookielaw"}
)  # fmt: skip

# A node holding more than this share of the page's text is never removed by a class rule:
# a body container whose class mentions "share" or "ad" must survive.
MAX_REMOVED_SHARE: Final = 0.4
# ... except a <nav> or <footer> (without a content word: "article-nav-content" is not one),
# which never holds the main content and goes even when it reads as prose (a mega menu of
# plain labels; a shop's footer holding its policies' dialogs):
FRAME_TAGS: Final = frozenset({"nav", "footer"})
# ... and a modal (role="dialog" or "alertdialog") that reads as a cookie notice: its legal
# text can outweigh a page the server sent half-built, and reads as prose. (A modal may hold
# content, a product's description in a slide-over sheet: only the notice goes.)
MODAL_ROLES: Final = frozenset({"dialog", "alertdialog"})
CONSENT_TEXT: Final = re.compile(
    r"\b(?:use[sd]?|using|store|place|set)\ (?:\w+\ ){0,5}?cookies\b|\bcookies?\ (?:policy|settings"
    r"|preferences|notice|consent)|\bcookies\ (?:and|or)\ (?:similar|other)\ (?:technologies|tools"
    r"|methods)",
    re.I | re.X,
)
# ... and a <nav>, <header>, <footer> or <aside> that is mostly links: a mega menu or a
# link-farm footer can hold most of a shop's or docs hub's text, and is still furniture.
LINK_FURNITURE_TAGS: Final = frozenset({"nav", "header", "footer", "aside"})
LINK_FURNITURE_DENSITY: Final = 0.5

# A weakly flagged node ("widget", "meta", a <header>) survives cleaning when it reads as prose:
# at least this many characters with a link density under WEAK_SPARE_LINKS. Page builders put
# "widget" on every text block.
WEAK_SPARE_CHARS: Final = 250
WEAK_SPARE_LINKS: Final = 0.3

# <noscript> holding at least this much text is a crawler fallback (Discourse forums): keep it.
NOSCRIPT_CONTENT_CHARS: Final = 200

# Posts a story quotes, as their providers publish them: a blockquote of the post's text that
# the provider's script turns into a card. A furniture box with EMBED_SHARE of its text in
# them is the quote's wrapper ("social-media-embed" holding a tweet), not a share bar: spared.
EMBED_SELECTOR: Final = ", ".join(
    f"blockquote.{name}"
    for name in ("twitter-tweet", "twitter-video", "instagram-media", "tiktok-embed",
                 "bluesky-embed", "threads-post", "reddit-embed-bq", "mastodon-embed")
)  # fmt: skip
EMBED_SHARE: Final = 0.6

# --- Stage 2: choosing the main container ----------------------------------------------------

# Tags whose text counts as a paragraph of content.
PARAGRAPH_TAGS: Final = frozenset({"p", "pre", "blockquote", "td", "dd", "li"})

# Block-level tags: a div with none of these as children is read as a paragraph.
BLOCK_TAGS: Final = frozenset(
    {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset",
     "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
     "main", "nav", "ol", "p", "pre", "section", "table", "ul", "tr", "td", "th", "tbody"}
)  # fmt: skip

# The inline elements of HTML. An element that is neither one of these nor in BLOCK_TAGS (a
# custom element, <article-card>, or a misspelt tag) and holds a block is read as a block: read
# as a run of inline text, its cards came apart into paragraphs that lost their links.
INLINE_TAGS: Final = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "font",
     "i", "ins", "kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike",
     "strong", "sub", "sup", "time", "tt", "u", "var", "wbr", "center", "big", "nobr"}
)  # fmt: skip

# Paragraphs shorter than this (characters) do not vote for a container.
MIN_PARAGRAPH_CHARS: Final = 25
# Each vote: 1 + commas + one point per this many characters, at most MAX_LENGTH_POINTS.
CHARS_PER_POINT: Final = 100
MAX_LENGTH_POINTS: Final = 3
# How much of a paragraph's vote reaches its ancestors: parent, grandparent, then 1/(3*level).
ANCESTOR_LEVELS: Final = 5

# Starting score of a container by its tag (Readability's table: divs usually hold articles).
TAG_WEIGHTS: Final = {
    "article": 10, "main": 5, "section": 3, "div": 5, "pre": 3, "td": 3, "blockquote": 3,
    "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3,
    "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5,
}  # fmt: skip
CLASS_WEIGHT: Final = 25  # added for a content word, subtracted for a boilerplate word
ARTICLE_BODY_BONUS: Final = 50  # itemprop="articleBody": the page says where its body is

# A sibling of the best container joins the content when its score reaches this share of the
# best one's (bodies split around mid-article ads), or when it is a clean paragraph.
SIBLING_SHARE: Final = 0.2
SIBLING_MIN_SCORE: Final = 10.0
SIBLING_PARAGRAPH_CHARS: Final = 80
SIBLING_MAX_LINK_DENSITY: Final = 0.25
# A <div> of text alone before the best container, with no link, at least this long, is the
# story's standfirst written outside <p> ("article__summary"), part of the content. Shorter
# ones there are kickers and teasers ("... what a time to be alive ..."), and a disclosure
# before a post links its policy ("Note: some posts may contain affiliate links").
STANDFIRST_MIN_CHARS: Final = 120

# A candidate of the best one's tag and class scoring this share of it, whose common ancestor
# with it lies within TWIN_MAX_LEVELS, is another part of the same body (a CMS's text blocks
# split around a video, an embed, an ad): the content is that ancestor, unless a fifth of its
# text is links (cards of the same class on a hub page).
TWIN_SHARE: Final = 0.3
TWIN_MAX_LEVELS: Final = 5
TWIN_MAX_LINK_DENSITY: Final = 0.2

# When the chosen content holds less than this share of the page's prose (characters of
# low-link paragraphs), it is one section of a page whose content is spread out (a product
# or service page): widen to the nearest ancestor that holds this share.
MIN_MASS_SHARE: Final = 0.5
# On a page that declares itself an article, the prose of teaser cards outside the chosen
# content (a heading linking to another page, in a container of at most this many characters
# of text: teaser_cards.py) is not counted in that share: "Read this next" excerpts are not
# more of the story. Undeclared pages count it: a listing's or a hub's cards are its content.
# On the dev pages: 2 pages up (one 0.63 -> 1.00), none down; counted on every page, 4 down.
CARD_MAX_CHARS: Final = 800
# When the page has one <article> holding the chosen roots and they hold under this share of
# its prose, the <article> is the content: page builders split a story into sections.
ARTICLE_WIDEN_SHARE: Final = 0.8
# A page that is neither article nor listing (product, service, docs hub) spreads its content
# over sections: its content is the nearest ancestor holding this share of the prose.
WIDE_MASS_SHARE: Final = 0.8
MAX_MASS_DEPTH: Final = 64  # prose mass is added to at most this many ancestors

# When several high-scoring candidates share a parent, the parent is the real container.
ALTERNATIVE_SHARE: Final = 0.75
MIN_ALTERNATIVES: Final = 3
