"""Tags: JSON-LD keywords, article:tag, rel=tag links, tag-list blocks, "Tags:" labels, keywords.

The page-reading sources look only inside the article area, so a site-wide tag cloud or topic
menu is not taken for the article's tags. The tables live in ``tag_rules.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from selectolax.lexbor import LexborNode

from scraper.extract import jsonld, tag_rules
from scraper.extract import metadata_rules as rules
from scraper.extract.candidates import ListCandidate, class_tokens, clean
from scraper.extract.sources import PageSources

__all__ = ["clean_tag", "tag_candidates"]


def tag_candidates(page: PageSources) -> Iterator[ListCandidate]:
    """Tag sources, best first: JSON-LD keywords, article:tag, rel=tag, tag lists, labels.

    Meta keywords come last (the brief lists them earlier): they are an SEO field, often
    stuffed or stale, while visible tag links are what the editors show readers.

    Args:
        page: the page's metadata sources.

    Returns:
        A lazy ladder of (source, raw text, tags as found).
    """
    value = page.article.get("keywords") if page.article else None
    items = [
        k for s in jsonld.strings(value) for k in (s.split(",") if isinstance(value, str) else [s])
    ]
    yield "json-ld", json.dumps(value, ensure_ascii=False), items
    metas = [v for _, v in page.meta_values(rules.META_TAG)]
    yield "meta", ", ".join(metas), metas[0].split(",") if len(metas) == 1 else metas
    links = page.area.css('a[rel~="tag"]')
    yield "link", " ".join(a.text(separator=" ") for a in links), [a.text() for a in links]
    yield from _tag_blocks(page)
    yield from _tag_labels(page)
    for source, raw in page.meta_values(rules.META_KEYWORDS):
        keywords = raw.split(",")
        if len(keywords) <= tag_rules.KEYWORDS_MAX_COUNT and all(
            len(k.strip()) <= tag_rules.KEYWORDS_MAX_CHARS for k in keywords
        ):
            yield source, raw, keywords


def _tag_blocks(page: PageSources) -> Iterator[ListCandidate]:
    """Links in the article's tag-list containers (class/id token tag, tags, topics...)."""
    for node in page.area.css(tag_rules.TAG_BLOCK_SELECTOR):
        tokens = class_tokens(node)
        if not tokens & tag_rules.TAG_BLOCK_TOKENS or tokens & tag_rules.TAG_BLOCK_REJECT_TOKENS:
            continue
        if node.tag in ("a", "li") and node.parent is not None:
            node = node.parent  # one tag per element: its list is the block
        if node.tag in tag_rules.TAG_BLOCK_REJECT_TAGS:
            continue
        links = node.css("a")
        texts = [clean(a.text(separator=" ")) for a in links]
        block_text = clean(node.text(separator=" "))
        # A tag list is mostly link text; a container that is mostly prose is not one.
        if (
            0 < len(links) <= tag_rules.TAG_BLOCK_MAX_LINKS
            and len(block_text) <= 2 * sum(map(len, texts)) + tag_rules.TAG_MAX_CHARS
        ):
            yield "text", block_text, texts


def _tag_labels(page: PageSources) -> Iterator[ListCandidate]:
    """Links after a "Read more about:" / "Tags:" label in the article area.

    The text-matching selector is slow, so it runs only for a label the area's text holds.
    """
    label = _label_in(page.area.text())
    if label is None:
        return
    selector = tag_rules.TAG_LABEL_SELECTORS[label]
    matches = [(n.text(separator=" "), n) for n in page.area.css(selector)]
    matches = [(text, node) for text, node in matches if tag_rules.TAG_LABEL.match(text)]
    if matches:
        text, node = min(matches, key=lambda pair: len(pair[0]))
        yield "text", text, [clean(a.text(separator=" ")) for a in _links_after(node)]


def _label_in(text: str) -> str | None:
    """The first tag label in ``text`` followed by a colon (found colon by colon: fast)."""
    colon = text.find(":")
    for _ in range(tag_rules.TAG_LABEL_MAX_COLONS):
        if colon == -1:
            return None
        window = text[max(0, colon - tag_rules.TAG_LABEL_WINDOW) : colon].rstrip().lower()
        if window.endswith(tag_rules.TAG_LABELS):
            return next(label for label in tag_rules.TAG_LABELS if window.endswith(label))
        colon = text.find(":", colon + 1)
    return None


def _links_after(label: LexborNode) -> list[LexborNode]:
    """The links inside a label element, else those in the siblings right after it."""
    links = label.css("a")
    sibling = label.next
    while not links and sibling is not None:
        if sibling.tag == "a":
            links.append(sibling)
        elif sibling.tag and not sibling.tag.startswith(("-", "_")):
            links = sibling.css("a")
        sibling = sibling.next
    while sibling is not None and sibling.tag in ("a", "-text"):
        if sibling.tag == "a":
            links.append(sibling)
        sibling = sibling.next
    return links[: tag_rules.TAG_BLOCK_MAX_LINKS]


def clean_tag(raw: str) -> str | None:
    """A tag as shown, without "#" and punctuation; None for labels, sentences and icons.

    Example:
        >>> clean_tag("#Belarus,"), clean_tag("Tags")
        ('Belarus', None)
    """
    tag = clean(raw).lstrip("#").strip(" ,;:|·•")
    if not any(ch.isalnum() for ch in tag) or tag_rules.TAG_LABEL.match(tag + ":"):
        return None  # an icon, or the label itself ("Tags")
    if tag_rules.NOT_A_TAG.search(tag) or len(tag) > tag_rules.TAG_MAX_CHARS:
        return None
    return tag if len(tag.split()) <= tag_rules.TAG_MAX_WORDS else None
