"""Authors: JSON-LD and meta names, microdata, then byline elements, split into clean names."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from selectolax.lexbor import LexborNode

from scraper.extract import jsonld
from scraper.extract import metadata_rules as rules
from scraper.extract.candidates import Candidate, ListCandidate, class_tokens, clean, node_value
from scraper.extract.sources import PageSources
from scraper.extract.tree import holds

__all__ = ["author_candidates", "clean_name"]


def author_candidates(page: PageSources) -> Iterator[ListCandidate]:
    """Author sources, best first, each split into names.

    Args:
        page: the page's metadata sources.

    Returns:
        A lazy ladder of (source, raw text, names): JSON-LD author/creator, meta names,
        microdata, then byline elements (rel=author links are filed as "link").
    """
    for obj in (page.article, page.webpage):
        value = obj.get("author") or obj.get("creator") if obj else None
        names = [n for item in jsonld.as_list(value) for n in jsonld.person_names(item, page.ids)]
        yield "json-ld", json.dumps(value, ensure_ascii=False), _split_names(names)
    for source, raw in page.meta_values(rules.META_AUTHOR):
        yield source, raw, _split_names([raw])
    for source, raw in _microdata_authors(page):
        yield source, raw, _split_names([raw])
    for node in _byline_nodes(page):
        raw = node.text(separator=" ")
        rejected = not class_tokens(node).isdisjoint(rules.BYLINE_REJECT_TOKENS)
        if not rejected and len(clean(raw)) <= rules.BYLINE_MAX_CHARS:
            source = "link" if (node.attributes.get("rel") or "") == "author" else "text"
            yield source, raw, _split_names([raw])


def _microdata_authors(page: PageSources) -> Iterator[Candidate]:
    """itemprop=author elements: their itemprop=name child, else their own value."""
    for prop in rules.MICRODATA_AUTHOR:
        for node in page.microdata.get(prop, ()):
            inner = node.css_first('[itemprop="name"]')
            yield "microdata", node_value(inner if inner is not None else node)


def _byline_nodes(page: PageSources) -> Iterator[LexborNode]:
    """Byline-looking elements inside the article area, then anywhere on the page. Both come
    from one search of the page when the area is smaller: most pages read both."""
    area = page.area
    if area.tag in ("body", "html"):
        yield from area.css(rules.BYLINE_SELECTOR)[: rules.BYLINE_MAX_CANDIDATES]
        return
    everywhere = page.tree.css(rules.BYLINE_SELECTOR)
    inside = [node for node in everywhere if holds(area, node)]
    yield from inside[: rules.BYLINE_MAX_CANDIDATES]
    yield from everywhere[: rules.BYLINE_MAX_CANDIDATES]


def _split_names(raws: Iterable[str]) -> list[str]:
    """Bylines to names: strip "By", cut at the date or separator, split on "and" and commas."""
    names: list[str] = []
    for raw in raws:
        text = rules.BYLINE_PREFIX.sub("", clean(raw))
        text = rules.BYLINE_CUT.split(text, maxsplit=1)[0]
        names += rules.AUTHOR_SPLIT.split(rules.BYLINE_PREFIX.sub("", text))
    return names


def clean_name(raw: str) -> str | None:
    """A person or agency name, or None for URLs, sentences and interface words.

    Example:
        >>> clean_name("By Jane Doe,"), clean_name("Share this")
        ('Jane Doe', None)
    """
    name = rules.BYLINE_PREFIX.sub("", clean(raw)).strip(rules.NAME_EDGE_CHARS)
    words = name.split()
    if not 2 <= len(name) <= rules.AUTHOR_MAX_CHARS or len(words) > rules.AUTHOR_MAX_WORDS:
        return None
    if rules.NOT_A_NAME.search(name) or name[0].islower():
        return None
    if any(w.lower().strip(".:") in rules.AUTHOR_NOISE_WORDS for w in words):
        return None
    return name
