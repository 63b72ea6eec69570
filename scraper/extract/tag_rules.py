"""Rules for tag finding, as data: which containers, labels and texts hold an article's tags.

Everything ``tags.py`` matches against in the page lives here as a named table, each with a
comment saying why; regexes are compiled once at import. The meta names (article:tag, keywords)
sit with the other meta names in ``metadata_rules.py``.
"""

from __future__ import annotations

import re

# --- Tag lists ----------------------------------------------------------------------------------

# Tag-list containers, narrowed in C by substring; TAG_BLOCK_TOKENS then checks whole tokens
# (so "instagram" and "tagline" do not count). One case-blind test per word, not one per
# spelling ("tag", "Tag"): 30% cheaper, and it is the whole page's costliest search.
TAG_BLOCK_SELECTOR = (
    '[class*="tag" i], [id*="tag"], [class*="topic" i], [id*="topic"], '
    '[class*="keyword"], [id*="keyword"], [class*="subject"]'
)

# Class/id tokens (split on space, "-", "_" and camelCase) that name a tag list.
TAG_BLOCK_TOKENS = frozenset(
    {"tag", "tags", "taglist", "topic", "topics", "keyword", "keywords", "subjects"}
)

# Tokens that disqualify a tag container: tag clouds and topic menus list the whole site.
TAG_BLOCK_REJECT_TOKENS = frozenset(
    {
        "cloud",
        "nav",
        "menu",
        "navigation",
        "header",
        "footer",
        "widget",
        "sidebar",
        "trending",
        "share",
        "social",
    }
)

# Tags that disqualify a tag container for the same reason.
TAG_BLOCK_REJECT_TAGS = frozenset({"nav", "header", "footer", "aside", "body", "html"})

# Labels that introduce a run of tag links: "Read more about: Belarus", "Tags: ...".
TAG_LABELS = (
    "read more about",
    "more about",
    "tags",
    "tagged",
    "tagged with",
    "topics",
    "related topics",
    "filed under",
    "keywords",
    "themen",
    "schlagworte",
    "mots-clés",
    "etiquetas",
    "temas",
)

# A text that starts with one of the labels and its colon.
TAG_LABEL = re.compile(r"^\s*(?:" + "|".join(map(re.escape, TAG_LABELS)) + r")\s*:", re.I)

# How far before a colon in the article text a label may start (the longest label fits).
TAG_LABEL_WINDOW = 24

# Stop looking for labels after this many colons (code samples, tables of times).
TAG_LABEL_MAX_COLONS = 2000

# Elements that may hold a label.
TAG_LABEL_TAGS = "p, span, strong, b, em, dt, h2, h3, h4, h5, label, div"

# The selector for each label. Text matching is slow (every candidate's text is
# computed), so it runs for one label, and only once the article text is known to contain it.
TAG_LABEL_SELECTORS = {
    label: f':is({TAG_LABEL_TAGS}):lexbor-contains("{label}:" i)' for label in TAG_LABELS
}

# A tag container with more links than this is a tag cloud or a menu.
TAG_BLOCK_MAX_LINKS = 40

# A tag link text outside these bounds is a sentence or an icon.
TAG_MAX_CHARS = 50
TAG_MAX_WORDS = 6

# Tags that are CMS internals, not topics ("@post-id:1913719", "@river").
NOT_A_TAG = re.compile(r"^[@{]|https?:")

# Meta keywords are trusted only when there are few and they are short.
KEYWORDS_MAX_COUNT = 12
KEYWORDS_MAX_CHARS = 40
