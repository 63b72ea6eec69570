"""Page metadata: title, authors, dates, language, site, description, tags, image, canonical URL.

Each field is the first usable value from a ladder of sources, best first, and records where
it came from (``FieldSource``). The ladders are generators, so a costly source (a CSS pass
over the body, htmldate) only runs when every cheaper one above it came up empty.

The work is layered: ``sources.py`` gathers the page's elements in one pass and finds the
headline and the article area; ``jsonld.py`` reads JSON-LD; ``bylines.py`` and ``tags.py`` hold
the two long ladders; ``candidates.py`` picks the first usable value. This module holds the
entry point and the short per-field ladders.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Final

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import bylines, dates, jsonld, tags
from scraper.extract import metadata_rules as rules
from scraper.extract.candidates import Candidate, Pick, clean, first, first_list, key, node_value
from scraper.extract.sources import PageSources
from scraper.models import FieldSource, Metadata

__all__ = ["MetadataDraft", "extract_metadata", "read_metadata", "with_htmldate"]


@dataclass(frozen=True)
class MetadataDraft:
    """The metadata from every source but htmldate; ``undated`` when every cheaper date source
    came up empty, so that htmldate, the slow last resort, may still be asked."""

    metadata: Metadata
    undated: bool


def extract_metadata(tree: LexborHTMLParser, url: str | None, markup: str) -> Metadata:
    """Read a page's metadata from its full, untouched parse.

    Stages:
      1. One CSS pass collects <meta>, <link>, <title>, JSON-LD, <h1>, <article>/<main> and
         microdata; JSON-LD is parsed (broken blocks skipped) and flattened (@graph, lists).
      2. Each field walks its ladder (JSON-LD, meta tags, microdata, markup, URL, visible
         text); the first usable value wins and is recorded in ``provenance``.
      3. The title is judged against the page's <h1> elements (what readers see): a candidate
         (JSON-LD, og:title, <title> without its " | Site" suffix) equal to one wins; else the
         first headline-like h1 beats the SEO titles; with no h1, the best-ranked candidate.
      4. The published date falls back to the URL, date widgets' text, then htmldate (slow,
         only when every other source is empty).

    Args:
        tree: the parsed page, before any boilerplate removal.
        url: the page's address, used to resolve relative links and read dates from the path.
        markup: the HTML the tree was parsed from (htmldate reads its start).

    Returns:
        The Metadata; fields with no usable source are None or empty. Never raises on broken
        HTML or JSON-LD.

    Example:
        >>> html = '<html lang="en"><title>Hi | Site</title></html>'
        >>> extract_metadata(LexborHTMLParser(html), None, html).language
        'en'
    """
    return with_htmldate(read_metadata(PageSources(tree, url)), markup, url)


def read_metadata(page: PageSources) -> MetadataDraft:
    """``extract_metadata`` but for htmldate (stage 4 of it), which ``with_htmldate`` adds: the
    extractor asks it only for a page that may be an article."""
    title = _title(page)
    published = _published(page)
    picks: dict[str, Pick[Any] | None] = {
        "title": title,
        "authors": first_list(bylines.author_candidates(page), bylines.clean_name),
        "published": published if published is not _UNDATED else None,
        "modified": first(_date_candidates(page, "dateModified", modified=True), dates.parse_date),
        "language": first(_language_candidates(page), _language),
        "site_name": first(_site_candidates(page), clean),
        "description": first(_description_candidates(page), clean),
        "tags": first_list(tags.tag_candidates(page), tags.clean_tag),
        "image": first(_image_candidates(page), page.absolute),
        "image_caption": first(_caption_candidates(page), clean),
        "canonical_url": first(_canonical_candidates(page), page.absolute),
    }
    found = {name: pick for name, pick in picks.items() if pick is not None}
    values = {name: pick.value for name, pick in found.items()}
    provenance = {name: pick.source for name, pick in found.items()}
    return MetadataDraft(Metadata(**values, provenance=provenance), published is _UNDATED)


def with_htmldate(draft: MetadataDraft, markup: str, url: str | None) -> Metadata:
    """The draft's metadata, with htmldate's publication date when the draft is undated.

    Args:
        draft: ``read_metadata``'s result.
        markup: the HTML the tree was parsed from (htmldate reads its start).
        url: the page's address.
    """
    metadata = draft.metadata
    day = dates.htmldate_published(markup, url) if draft.undated else None
    if not day:
        return metadata
    provenance = {**metadata.provenance, "published": FieldSource("htmldate", day)}
    return replace(metadata, published=day, provenance=provenance)


# --- Title --------------------------------------------------------------------------------------


def _title(page: PageSources) -> Pick[str] | None:
    """The headline, judged against the page's <h1> elements (what readers see as the title).

    In order: a candidate equal to some h1; the first headline-like h1 (SEO titles often
    differ from the visible one); with no h1, the best candidate or its untruncated form.
    """
    picks = page.title_picks
    for _, text in page.headlines:
        text_key = key(text)
        for pick in picks:
            if key(pick.value) == text_key:
                return pick
    if not page.headlines:
        # A JSON-LD headline cut at 110 characters (Google's old limit) yields to its full form.
        longer = (p for p in picks if picks and key(p.value).startswith(key(picks[0].value)))
        return max(longer, key=lambda p: len(p.value), default=None)
    node, text = page.headlines[0]
    return Pick(text, FieldSource("h1", node.text()))


# --- Dates --------------------------------------------------------------------------------------

# What _published gives when only htmldate is left to ask.
_UNDATED: Final = Pick("", FieldSource("htmldate", ""))


def _published(page: PageSources) -> Pick[str] | None:
    """Publication date: structured sources, then the URL, date widgets; _UNDATED when only
    htmldate (with_htmldate) is left."""
    found = first(_date_candidates(page, "datePublished", modified=False), dates.parse_date)
    if found:
        return found
    for address in (page.url, *page.links.get("canonical", ())):
        in_url = dates.date_in_url(address) if address else None
        if in_url:
            return Pick(in_url[0], FieldSource("url", in_url[1]))
    if page.times and not page.own_times:
        return None  # the only dates are teasers': a listing, which has no date of its own
    nodes = page.area.css(rules.DATE_TEXT_SELECTOR)[: rules.DATE_TEXT_MAX_CANDIDATES]
    texts = (clean(n.text(separator=" ")) for n in nodes)
    candidates = (("text", t) for t in texts if len(t) <= rules.DATE_TEXT_MAX_CHARS)
    found = first(candidates, dates.date_in_text)
    return found if found else _UNDATED


def _date_candidates(page: PageSources, ld_key: str, *, modified: bool) -> Iterator[Candidate]:
    """Date sources, best first: JSON-LD, OpenGraph meta, microdata, generic meta, <time>."""
    for obj in (page.article, page.webpage):
        yield from page.ld_values(obj, ld_key)
    strong, weak = (
        (rules.META_MODIFIED_STRONG, rules.META_MODIFIED_WEAK)
        if modified
        else (rules.META_PUBLISHED_STRONG, rules.META_PUBLISHED_WEAK)
    )
    yield from page.meta_values(strong)
    yield from page.microdata_values(
        rules.MICRODATA_MODIFIED if modified else rules.MICRODATA_PUBLISHED
    )
    yield from page.meta_values(weak)
    if not modified:
        for node in page.own_times[: rules.TIME_MAX_CANDIDATES]:
            yield "time", node_value(node)


# --- Language, site, description ---------------------------------------------------------------


def _language_candidates(page: PageSources) -> Iterator[Candidate]:
    """Language sources: <html lang> (filed as markup "meta"), meta tags, JSON-LD inLanguage."""
    root = page.tree.root
    lang = root.attributes.get("lang") or root.attributes.get("xml:lang") if root else None
    if lang:
        yield "meta", lang
    yield from page.meta_values(rules.META_LANGUAGE)
    yield from page.ld_values(page.article, "inLanguage")


def _language(raw: str) -> str | None:
    """BCP 47 in one form: primary tag lowercase, region uppercase, "-" ("en_us" -> "en-US")."""
    match = rules.LANGUAGE_TAG.match(raw.split(",")[0].strip())
    if not match:
        return None
    subtags = [s for s in match.group(2).replace("_", "-").split("-") if s]
    styled = [
        s.upper() if len(s) == 2 else s.title() if len(s) == 4 else s.lower() for s in subtags
    ]
    return "-".join([match.group(1).lower(), *styled])


def _site_candidates(page: PageSources) -> Iterator[Candidate]:
    """Site name: og:site_name, the JSON-LD publisher, then the web-app name."""
    yield from page.meta_values(rules.META_SITE_NAME)
    yield from page.publishers()
    yield from page.meta_values(rules.META_APP_NAME)


def _description_candidates(page: PageSources) -> Iterator[Candidate]:
    """Description: meta description, social cards, then JSON-LD."""
    yield from page.meta_values(rules.META_DESCRIPTION)
    yield from page.ld_values(page.article, "description")


# --- Image, caption, canonical ------------------------------------------------------------------


def _image_candidates(page: PageSources) -> Iterator[Candidate]:
    """Lead image: social card, JSON-LD, <link rel=image_src>, the article's first figure."""
    yield from page.meta_values(rules.META_IMAGE)
    for item in jsonld.as_list(page.article.get("image") if page.article else None):
        if isinstance(item, dict):
            item = item.get("url") or item.get("contentUrl")
        yield from (("json-ld", v) for v in jsonld.strings(item))
    yield from (("link", href) for href in page.links.get("image_src", ()))
    img = page.area.css_first("figure img")
    for attr in rules.IMG_SRC_ATTRS if img is not None else ():
        value = img.attributes.get(attr) if img is not None else None
        if value:
            yield "figure", value


def _caption_candidates(page: PageSources) -> Iterator[Candidate]:
    """Caption and credit of the lead image: the first figure's figcaption, then JSON-LD."""
    caption = page.area.css_first("figure figcaption")
    if caption is not None:
        yield "figure", caption.text(separator=" ")
    for item in jsonld.as_list(page.article.get("image") if page.article else None):
        if isinstance(item, dict):
            yield from (("json-ld", v) for v in jsonld.strings(item.get("caption")))


def _canonical_candidates(page: PageSources) -> Iterator[Candidate]:
    """Canonical address: <link rel=canonical>, then og:url."""
    yield from (("link", href) for href in page.links.get("canonical", ()))
    yield from page.meta_values(rules.META_URL)
