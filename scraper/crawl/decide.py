"""What becomes of an analysed page: one decision, shared by the crawl and ``scraper reextract``.

In order, the first that holds:

1. ``listing``: not an article (an index, a section front, another kind of page);
2. ``empty``: an article page without main text;
3. ``unchanged``: the same text as the URL's stored revision;
4. ``duplicate``: the same text as a record stored under another URL;
5. ``stored``: anything else, a new record (the URL's next revision).
"""

from __future__ import annotations

from dataclasses import dataclass

from scraper.models import Article, PageType

__all__ = ["Decision", "decide"]


@dataclass(frozen=True)
class Decision:
    """The outcome for one page, and the URL holding its text when it is a duplicate."""

    outcome: str  # stored | unchanged | duplicate | listing | empty
    duplicate_of: str | None = None


def decide(article: Article, url: str, stored_hash: str | None, holder: str | None) -> Decision:
    """The outcome for ``article`` found at normalised ``url``.

    Args:
        article: the page's article.
        url: the page's normalised URL.
        stored_hash: the content hash of the URL's last stored record, if any.
        holder: the URL whose record holds ``article.content_hash``, if any.

    Example:
        >>> decide(article, "https://a.test/x", article.content_hash, None)  # doctest: +SKIP
        Decision(outcome='unchanged', duplicate_of=None)
    """
    if article.page_type is not PageType.ARTICLE:
        return Decision("listing")
    if not article.text:
        return Decision("empty")
    if stored_hash == article.content_hash:
        return Decision("unchanged")
    if holder is not None and holder != url:
        return Decision("duplicate", holder)
    return Decision("stored")
