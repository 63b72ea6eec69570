"""Rules for the metadata extractor, as data: which tags, names and tokens mean what.

Everything the metadata modules match against (``metadata.py``, ``sources.py``, ``jsonld.py``,
``bylines.py``, ``dates.py``; tag finding has its own ``tag_rules.py``) lives here as a named
table, each with a comment saying why; regexes are compiled once at import. Meta names are
lowercase because the extractor lowercases ``name``/``property`` before looking them up. Tables
are searched in order: the first entry that yields a value wins.
"""

from __future__ import annotations

import re

# --- Page structure -----------------------------------------------------------------------------

# One traversal collects every element the cheap sources need (full-document CSS passes dominate
# the cost on large pages, so the base pass is a single selector group).
# It also gathers what the page-type vote reads before cleaning: og:type, JSON-LD types, and
# add-to-cart controls (each its own full pass before, 0.5 ms a page in all).
# And the <iframe> elements, for the parse's own check (frames.py), and the controls that
# may open a collapsed section (aria-controls), for cleaning's hidden pass (hidden.py).
BASE_SELECTOR = (
    'meta, link, title, script[type="application/ld+json"], h1, article, main, [itemprop], '
    "form, button, input, iframe, [aria-controls]"
)

# Add-to-cart controls: a form posting to the cart (Shopify's /cart/add), a button or input
# named for it (WooCommerce, Amazon, Magento): tag -> the attributes that may hold CART_WORD,
# in any case (pagetype's "cart" signal).
CART_CONTROLS = {"form": ("action",), "button": ("id", "class", "name")}
CART_CONTROLS["input"] = CART_CONTROLS["button"]
CART_WORD = "cart"

# Containers that hold the article itself; the h1's nearest one is the article area.
AREA_TAGS = ("article", "main")

# --- JSON-LD ------------------------------------------------------------------------------------

# schema.org types that describe one article; the first such object on the page is "the"
# article, and its fields outrank page-level ones.
ARTICLE_TYPES = (
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "Article",
    "BlogPosting",
    "LiveBlogPosting",
    "TechArticle",
    "ScholarlyArticle",
    "SocialMediaPosting",
    "Report",
    "Review",
    "Recipe",
)

# Page-level types: used for headline and dates only when no article object exists.
PAGE_TYPES = ("WebPage", "ItemPage", "AboutPage", "CollectionPage", "QAPage", "FAQPage")

# Types whose ``name`` is the publisher's name (site_name fallback when no publisher is given).
PUBLISHER_TYPES = ("NewsMediaOrganization", "Organization", "WebSite")

# Keys under which a JSON-LD object nests the article (``@graph`` bundles, WebPage wrappers).
JSONLD_NEST_KEYS = ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement")

# Bound the walk: some pages ship megabytes of nested JSON-LD (product catalogues, SPA state).
JSONLD_MAX_DEPTH = 6
JSONLD_MAX_OBJECTS = 200

# Wrappers some CMSs leave around the JSON (HTML comments, CDATA) that json.loads rejects.
JSONLD_WRAPPER = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[)|(?:-->|//\s*\]\]>)\s*$")

# --- Meta tags (lowercase name / property / http-equiv) -----------------------------------------

# Social-card titles; twitter:title is often a shortened variant, hence second.
META_TITLE = ("og:title", "twitter:title", "dc.title")

# Person names; article:author is dropped when it is a profile URL (Facebook's convention).
META_AUTHOR = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "parsely-author",
    "sailthru.author",
    "citation_author",
)

# Publication time in the OpenGraph article namespace and its common misspellings: explicit.
META_PUBLISHED_STRONG = (
    "article:published_time",
    "og:published_time",
    "article:published",
    "published_time",
    "og:article:published_time",
)

# Generic date names: weaker (often the crawl or render date), so they rank below microdata.
META_PUBLISHED_WEAK = (
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "datepublished",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "citation_publication_date",
    "citation_date",
    "original-publish-date",
)

# Modification time in the OpenGraph namespace.
META_MODIFIED_STRONG = ("article:modified_time", "og:updated_time", "article:modified")

# Generic modification names.
META_MODIFIED_WEAK = (
    "last-modified",
    "lastmod",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "article.updated",
)

# Language declarations, most explicit first; og:locale uses underscores ("en_US").
META_LANGUAGE = ("content-language", "dc.language", "dcterms.language", "language", "og:locale")

# The publisher's own name for itself.
META_SITE_NAME = ("og:site_name",)

# App names: the last resort for site_name (often the same brand, sometimes an app's name).
META_APP_NAME = ("application-name", "apple-mobile-web-app-title")

# Summaries; the plain description is written for search snippets and is usually the cleanest.
META_DESCRIPTION = ("description", "og:description", "twitter:description", "dc.description")

# Lead image of the social card.
META_IMAGE = (
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
)

# One tag per meta element (OpenGraph article namespace).
META_TAG = ("article:tag", "og:article:tag")

# Comma-separated keyword lists: SEO fields, trusted only when few and short (see KEYWORDS_*).
META_KEYWORDS = ("news_keywords", "keywords")

# The page's own address in the social card.
META_URL = ("og:url", "twitter:url")

# --- Microdata (lowercase itemprop) -------------------------------------------------------------

# itemprop names per field; values come from content/datetime attributes, else element text.
MICRODATA_PUBLISHED = ("datepublished", "datecreated")
MICRODATA_MODIFIED = ("datemodified",)
MICRODATA_AUTHOR = ("author", "creator")

# How many of the article's own <time> elements to try for the publication date.
TIME_MAX_CANDIDATES = 3

# Attributes that carry a machine-readable value in microdata and <time>.
VALUE_ATTRS = ("content", "datetime")

# --- Title --------------------------------------------------------------------------------------

# Separators between a headline and the site name in <title>: "Headline | Site", "Site - Headline".
TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-\u2013\u2014·•»~/]|::)\s+|\s*\|\s*")

# A title part this short (in words) is taken for a site or section name and dropped.
TITLE_SHORT_PART_WORDS = 3

# After dropping a part, what remains must still look like a headline (in words).
TITLE_MIN_REMAINING_WORDS = 3

# Host labels that say nothing about the site ("www.bbc.co.uk" -> "bbc").
HOST_NOISE_LABELS = frozenset({"www", "m", "amp", "co", "com", "org", "net", "ac", "gov"})

# Site-name keys shorter than this (letters and digits) match too much to be used.
SITE_KEY_MIN_CHARS = 3

# A text of at most this many words that contains the site's name is the site's name
# ("BBC News" on bbc.co.uk); a longer one is a headline that mentions it.
SITE_NAME_MAX_WORDS = 3

# An h1 outside these bounds (characters) is a logo, a date or a paragraph, not a headline.
H1_MIN_CHARS = 3
H1_MAX_CHARS = 300

# Page chrome: an h1 inside these (before reaching <article>/<main>) is a logo or a banner.
CHROME_TAGS = frozenset({"nav", "footer", "aside"})
CHROME_TOKENS = frozenset({"logo", "brand", "branding", "masthead", "sitename", "navbar"})

# How many h1 elements to consider before giving up (pages with dozens are listings).
H1_MAX_CANDIDATES = 5

# --- Authors ------------------------------------------------------------------------------------

# Elements that hold a byline: class/itemprop/rel naming the author (outer element first).
# "author" is one case-blind test, not one per spelling (see tag_rules.TAG_BLOCK_SELECTOR).
BYLINE_SELECTOR = (
    '[class*="byline"], [class*="author" i], [rel="author"], '
    '[itemprop="author"], [class*="writer"], [id*="byline"]'
)

# Class/id tokens of elements that name an author but are not the byline: comment threads,
# forms ("comment-form-author" holds "Name *") and customer reviews.
BYLINE_REJECT_TOKENS = frozenset(
    {"comment", "comments", "form", "reply", "respond", "review", "reviews", "testimonial"}
)

# A byline element with more text than this is an author bio box, not a byline.
BYLINE_MAX_CHARS = 120

# How many byline elements to try before giving up.
BYLINE_MAX_CANDIDATES = 15

# The "By" that starts a byline, in the languages we see most.
BYLINE_PREFIX = re.compile(r"^\s*(?:by|from|von|par|por|di|door|av|af)\s*:?\s+", re.I)

# Where a byline stops being names: separators, "updated"/"published", a date or a time.
BYLINE_CUT = re.compile(
    r"\s[|•·\u2014\u2013]\s|\s[|•·]|\b(?:updated|published|posted|last modified|on)\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d",
    re.I,
)

# Between names in one byline: "Jane Doe, John Roe and Ann Poe", "A & B", "A und B".
AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b)\s*", re.I)

# A name longer than this (characters or words) is a sentence, not a person or agency.
AUTHOR_MAX_CHARS = 60
AUTHOR_MAX_WORDS = 6

# Words that mark a byline fragment as interface text, not a name.
AUTHOR_NOISE_WORDS = frozenset(
    {"share", "follow", "email", "comments", "comment", "read", "more", "view", "posts",
     "about", "author", "authors", "contributor", "min", "minutes", "reading", "time",
     "subscribe", "profile", "bio", "image", "photo", "sign", "login"}
)  # fmt: skip

# Punctuation trimmed off both ends of a name ("Jane Doe," "(AFP)").
NAME_EDGE_CHARS = " .,:;|-\u2013\u2014()[]"

# Values that are addresses, not names (profile URLs, e-mail addresses, paths).
NOT_A_NAME = re.compile(r"https?:|www\.|[@/*=<>{}]|\.com\b|^\W*$", re.I)

# --- Dates --------------------------------------------------------------------------------------

# Dates in URLs: /2020/09/29/, /2020-09-29-, /20200929/.
URL_DATE = (
    re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$|[^\d])"),
    re.compile(r"[/_-]((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"),
    re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|$)"),
)

# ISO 8601 with an optional time and zone: the shape fromisoformat may then parse.
ISO_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)

# Numeric day-first and year-first dates found in visible text: 29.09.2020, 2020/09/29.
NUMERIC_DATE = (
    (re.compile(r"\b(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d{2})\b"), ("d", "m", "y")),
    (re.compile(r"\b((?:19|20)\d{2})[./-](\d{1,2})[./-](\d{1,2})\b"), ("y", "m", "d")),
)

# English month names and their short forms, for "September 29, 2020" and "29 Sep 2020".
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip

# "September 29, 2020" / "Sep. 29 2020" and "29 September 2020".
_MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
TEXT_DATE_MDY = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b", re.I)
TEXT_DATE_DMY = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+" + _MONTH + r",?\s+((?:19|20)\d{2})\b", re.I
)

# htmldate's guess from a bare year (a "© 2023" footer) comes out as 1 January: not a date.
YEAR_ONLY_SUFFIX = "-01-01"

# Plausible publication years: outside this range a parsed date is a misparse.
MIN_YEAR = 1990
MAX_YEAR = 2100

# Elements whose visible text may hold the publication date (class names of date widgets;
# "date" case-blind, as BYLINE_SELECTOR's "author").
DATE_TEXT_SELECTOR = '[class*="date" i], [class*="publish"], [class*="time"]'

# How many date-widget elements to read before giving up.
DATE_TEXT_MAX_CANDIDATES = 10

# A date widget with more text than this is a paragraph that merely mentions a date.
DATE_TEXT_MAX_CHARS = 100

# --- Language -----------------------------------------------------------------------------------

# A BCP 47-looking tag: primary language then subtags ("en", "en-US", "zh-Hant-TW", "pt_BR").
LANGUAGE_TAG = re.compile(r"^([a-zA-Z]{2,3})((?:[-_][a-zA-Z0-9]{2,8})*)$")

# --- Image --------------------------------------------------------------------------------------

# <img> attributes that hold the address, lazy-loading ones included (src is often a placeholder).
IMG_SRC_ATTRS = ("data-src", "data-lazy-src", "data-original", "src", "srcset", "data-srcset")

# --- Text ---------------------------------------------------------------------------------------

# Everything but letters and digits: dropped from comparison keys
# ("The Moscow Times" and "themoscowtimes" compare equal).
NON_ALNUM = re.compile(r"[\W_]+")

# Runs of whitespace, collapsed to one space in every text value.
WHITESPACE = re.compile(r"\s+")

# Splits class and id values into tokens: separators and camelCase humps.
CLASS_TOKEN_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")

# Keep this many items of a list field (authors, tags) at most.
MAX_ITEMS = 30
