"""Page metadata: title, authors, dates, language, site, description, tags, image, canonical URL.

Each field is the first usable value from a ladder of sources, best first, and records where
it came from (``FieldSource``). The ladders are generators, so a costly source (a CSS pass
over the body, htmldate) only runs when every cheaper one above it came up empty.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import dates
from scraper.extract import metadata_rules as rules
from scraper.models import FieldSource, Metadata

__all__ = ["extract_metadata"]

T = TypeVar("T")

# A raw value and the name of the source it was found in, e.g. ("meta", "Jane Doe").
Candidate = tuple[str, str]

# A list-valued candidate: source name, raw string as found, and the items it holds.
ListCandidate = tuple[str, str, list[str]]


@dataclass(frozen=True)
class _Pick(Generic[T]):
    """A normalised field value and its provenance."""

    value: T
    source: FieldSource


def extract_metadata(tree: LexborHTMLParser, url: str | None) -> Metadata:
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

    Returns:
        The Metadata; fields with no usable source are None or empty. Never raises on broken
        HTML or JSON-LD.

    Example:
        >>> tree = LexborHTMLParser('<html lang="en"><title>Hi | Site</title></html>')
        >>> extract_metadata(tree, None).language
        'en'
    """
    page = _Page(tree, url)
    title = _title(page)
    picks: dict[str, _Pick[Any] | None] = {
        "title": title,
        "authors": _first_list(_author_candidates(page), _clean_name),
        "published": _published(page),
        "modified": _first(_date_candidates(page, "dateModified", modified=True), dates.parse_date),
        "language": _first(_language_candidates(page), _language),
        "site_name": _first(_site_candidates(page), _clean),
        "description": _first(_description_candidates(page), _clean),
        "tags": _first_list(_tag_candidates(page), _clean_tag),
        "image": _first(_image_candidates(page), page.absolute),
        "image_caption": _first(_caption_candidates(page), _clean),
        "canonical_url": _first(_canonical_candidates(page), page.absolute),
    }
    found = {name: pick for name, pick in picks.items() if pick is not None}
    values = {name: pick.value for name, pick in found.items()}
    provenance = {name: pick.source for name, pick in found.items()}
    return Metadata(**values, provenance=provenance)


class _Page:
    """The page's metadata-bearing elements, gathered in one pass; costlier views on demand."""

    def __init__(self, tree: LexborHTMLParser, url: str | None) -> None:
        self.tree = tree
        self.url = url
        self.meta: dict[str, list[str]] = {}
        self.microdata: dict[str, list[LexborNode]] = {}
        self.links: dict[str, list[str]] = {}
        self.title: str | None = None
        self.h1s: list[LexborNode] = []
        self.areas: list[LexborNode] = []
        scripts: list[str] = []
        for node in tree.css(rules.BASE_SELECTOR):
            self._add(node, scripts)
        self.jsonld = _jsonld_objects(scripts)
        self.ids = {o["@id"]: o for o in self.jsonld if isinstance(o.get("@id"), str)}
        self.article = _first_typed(self.jsonld, rules.ARTICLE_TYPES)
        self.webpage = _first_typed(self.jsonld, rules.PAGE_TYPES)

    def _add(self, node: LexborNode, scripts: list[str]) -> None:
        """File one element of the base pass under what it can tell us."""
        tag, attrs = node.tag, node.attributes
        if tag == "meta":
            content = attrs.get("content")
            for key in ("property", "name", "http-equiv"):
                name = attrs.get(key)
                if name and content:
                    self.meta.setdefault(name.strip().lower(), []).append(content)
        elif tag == "link":
            for rel in (attrs.get("rel") or "").lower().split():
                self.links.setdefault(rel, []).append(attrs.get("href") or "")
        elif tag == "title" and self.title is None and node.parent and node.parent.tag == "head":
            self.title = node.text()
        elif tag == "script":
            scripts.append(node.text())
        elif tag == "h1":
            self.h1s.append(node)
        elif tag in rules.AREA_TAGS:
            self.areas.append(node)
        for prop in (attrs.get("itemprop") or "").lower().split():
            self.microdata.setdefault(prop, []).append(node)

    def meta_values(self, names: Iterable[str]) -> Iterator[Candidate]:
        """Meta contents for ``names``, in table order."""
        for name in names:
            for value in self.meta.get(name, ()):
                yield "meta", value

    def microdata_values(self, props: Iterable[str]) -> Iterator[Candidate]:
        """Microdata values for ``props``: the content/datetime attribute, else the text."""
        for prop in props:
            for node in self.microdata.get(prop, ()):
                yield "microdata", _node_value(node)

    def absolute(self, href: str) -> str | None:
        """``href`` resolved against the page URL; None for empty and inline (data:) values."""
        href = href.strip().split()[0] if href.strip() else ""
        if not href or href.startswith(("data:", "javascript:", "#")):
            return None
        return urljoin(self.url, href) if self.url else href

    @cached_property
    def site_names(self) -> tuple[str, ...]:
        """Comparison keys of the site's names: og:site_name, publisher, the host's core."""
        names = [v for _, v in self.meta_values(rules.META_SITE_NAME + rules.META_APP_NAME)]
        names += [name for _, name in _ld_publishers(self)]
        host = urlsplit(self.url or "").hostname or ""
        labels = [p for p in host.split(".")[:-1] if p not in rules.HOST_NOISE_LABELS]
        return tuple(k for k in (*map(_key, names), *labels) if len(k) >= rules.SITE_KEY_MIN_CHARS)

    @cached_property
    def title_picks(self) -> list[_Pick[str]]:
        """Title candidates, cleaned and stripped of site names, best source first."""
        picks = (_title_pick(self, source, raw) for source, raw in _title_candidates(self))
        return [p for p in picks if p is not None and not self.is_site(p.value)]

    @cached_property
    def headlines(self) -> list[tuple[LexborNode, str]]:
        """The <h1> elements that read like a headline (not a logo or a date), with their text."""
        found = []
        for node in self.h1s[: rules.H1_MAX_CANDIDATES]:
            text = _clean(node.text(separator=" "))
            fits = rules.H1_MIN_CHARS <= len(text) <= rules.H1_MAX_CHARS
            if fits and not self.is_site(text) and not _in_page_chrome(node):
                found.append((node, text))
        return found

    @cached_property
    def headline_node(self) -> LexborNode | None:
        """The h1 that agrees with a title candidate, else the first headline-like one."""
        keys = {_key(pick.value) for pick in self.title_picks}
        matching = (node for node, text in self.headlines if _key(text) in keys)
        return next(matching, self.headlines[0][0] if self.headlines else None)

    @cached_property
    def area(self) -> LexborNode:
        """The article container: the headline's nearest <article>/<main>, else the first."""
        node = self.headline_node
        while node is not None:
            if node.tag in rules.AREA_TAGS:
                return node
            node = node.parent
        fallback = self.areas[0] if self.areas else self.tree.body or self.tree.root
        assert fallback is not None  # lexbor always builds <html><body>, even for ""
        return fallback

    @cached_property
    def times(self) -> list[LexborNode]:
        """The <time> elements of the article area."""
        return self.area.css("time")

    @cached_property
    def own_times(self) -> list[LexborNode]:
        """The area's <time> elements that are not inside a teaser (a nested <article>)."""
        return [node for node in self.times if not _in_teaser(node, self.area)]

    def is_site(self, text: str) -> bool:
        """Whether ``text`` names the site itself (brand, domain) rather than the article."""
        key, short = _key(text), len(text.split()) <= rules.SITE_NAME_MAX_WORDS
        return bool(key) and any(
            key == site
            or (len(key) > rules.SITE_KEY_MIN_CHARS and key in site)
            or (short and site in key)
            for site in self.site_names
        )


def _in_page_chrome(node: LexborNode | None) -> bool:
    """Whether an h1 is the site's logo or sits in its navigation, footer or an aside."""
    while node is not None and node.tag not in rules.AREA_TAGS:
        if node.tag in rules.CHROME_TAGS or not _class_tokens(node).isdisjoint(rules.CHROME_TOKENS):
            return True
        node = node.parent
    return False


def _in_teaser(node: LexborNode, area: LexborNode) -> bool:
    """Whether ``node`` sits in an <article> nested inside the area (a teaser card)."""
    parent, stop = node.parent, area.mem_id  # ids: LexborNode == is far slower
    while parent is not None and parent.mem_id != stop:
        if parent.tag == "article":
            return True
        parent = parent.parent
    return False


# --- Title --------------------------------------------------------------------------------------


def _title(page: _Page) -> _Pick[str] | None:
    """The headline, judged against the page's <h1> elements (what readers see as the title).

    In order: a candidate equal to some h1; the first headline-like h1 (SEO titles often
    differ from the visible one); with no h1, the best candidate or its untruncated form.
    """
    picks = page.title_picks
    for _, text in page.headlines:
        key = _key(text)
        for pick in picks:
            if _key(pick.value) == key:
                return pick
    if not page.headlines:
        # A JSON-LD headline cut at 110 characters (Google's old limit) yields to its full form.
        longer = (p for p in picks if picks and _key(p.value).startswith(_key(picks[0].value)))
        return max(longer, key=lambda p: len(p.value), default=None)
    node, text = page.headlines[0]
    return _Pick(text, FieldSource("h1", node.text()))


def _title_candidates(page: _Page) -> Iterator[Candidate]:
    """Title sources, best first."""
    for obj in (page.article, page.webpage):
        if obj is not None:
            yield from (("json-ld", v) for v in _ld_strings(obj.get("headline")))
    if page.article is not None:
        yield from (("json-ld", v) for v in _ld_strings(page.article.get("name")))
    yield from page.meta_values(rules.META_TITLE)
    if page.title:
        yield "title", page.title


def _title_pick(page: _Page, source: str, raw: str) -> _Pick[str] | None:
    """A cleaned title candidate, with any site-name prefix or suffix cut off."""
    text = _strip_site(page, _clean(raw), short_parts=source == "title")
    return _Pick(text, FieldSource(source, raw)) if text else None


def _strip_site(page: _Page, title: str, *, short_parts: bool) -> str:
    """Drop " | Site" suffixes and "Site | " prefixes; short trailing parts too if asked."""
    while True:
        parts = list(rules.TITLE_SEPARATOR.finditer(title))
        if not parts:
            return title
        head, tail = title[: parts[-1].start()], title[parts[-1].end() :]
        first, rest = title[: parts[0].start()], title[parts[0].end() :]
        short = short_parts and len(tail.split()) <= rules.TITLE_SHORT_PART_WORDS
        if page.is_site(tail) or (short and len(head.split()) >= rules.TITLE_MIN_REMAINING_WORDS):
            title = head.strip()
        elif page.is_site(first):
            title = rest.strip()
        else:
            return title


# --- Authors ------------------------------------------------------------------------------------


def _author_candidates(page: _Page) -> Iterator[ListCandidate]:
    """Author sources, best first, each split into names."""
    for obj in (page.article, page.webpage):
        value = obj.get("author") or obj.get("creator") if obj else None
        names = [n for item in _ld_list(value) for n in _ld_person_names(page, item)]
        yield "json-ld", json.dumps(value, ensure_ascii=False), _split_names(names)
    for source, raw in page.meta_values(rules.META_AUTHOR):
        yield source, raw, _split_names([raw])
    for source, raw in _microdata_authors(page):
        yield source, raw, _split_names([raw])
    for node in _byline_nodes(page):
        raw = node.text(separator=" ")
        rejected = not _class_tokens(node).isdisjoint(rules.BYLINE_REJECT_TOKENS)
        if not rejected and len(_clean(raw)) <= rules.BYLINE_MAX_CHARS:
            source = "link" if (node.attributes.get("rel") or "") == "author" else "text"
            yield source, raw, _split_names([raw])


def _ld_person_names(page: _Page, item: Any) -> list[str]:
    """Names of one JSON-LD author entry: a string, a Person/Organization, or an @id reference."""
    if isinstance(item, dict) and "name" not in item and isinstance(item.get("@id"), str):
        item = page.ids.get(item["@id"], item)
    if isinstance(item, dict):
        item = item.get("name")
    return _ld_strings(item)


def _microdata_authors(page: _Page) -> Iterator[Candidate]:
    """itemprop=author elements: their itemprop=name child, else their own value."""
    for prop in rules.MICRODATA_AUTHOR:
        for node in page.microdata.get(prop, ()):
            inner = node.css_first('[itemprop="name"]')
            yield "microdata", _node_value(inner if inner is not None else node)


def _byline_nodes(page: _Page) -> Iterator[LexborNode]:
    """Byline-looking elements inside the article area, then anywhere on the page."""
    yield from page.area.css(rules.BYLINE_SELECTOR)[: rules.BYLINE_MAX_CANDIDATES]
    if page.area.tag not in ("body", "html"):
        yield from page.tree.css(rules.BYLINE_SELECTOR)[: rules.BYLINE_MAX_CANDIDATES]


def _split_names(raws: Iterable[str]) -> list[str]:
    """Bylines to names: strip "By", cut at the date or separator, split on "and" and commas."""
    names: list[str] = []
    for raw in raws:
        text = rules.BYLINE_PREFIX.sub("", _clean(raw))
        text = rules.BYLINE_CUT.split(text, maxsplit=1)[0]
        names += rules.AUTHOR_SPLIT.split(rules.BYLINE_PREFIX.sub("", text))
    return names


def _clean_name(raw: str) -> str | None:
    """A person or agency name, or None for URLs, sentences and interface words."""
    name = rules.BYLINE_PREFIX.sub("", _clean(raw)).strip(rules.NAME_EDGE_CHARS)
    words = name.split()
    if not 2 <= len(name) <= rules.AUTHOR_MAX_CHARS or len(words) > rules.AUTHOR_MAX_WORDS:
        return None
    if rules.NOT_A_NAME.search(name) or name[0].islower():
        return None
    if any(w.lower().strip(".:") in rules.AUTHOR_NOISE_WORDS for w in words):
        return None
    return name


# --- Dates --------------------------------------------------------------------------------------


def _published(page: _Page) -> _Pick[str] | None:
    """Publication date: structured sources, then the URL, date widgets, and htmldate last."""
    found = _first(_date_candidates(page, "datePublished", modified=False), dates.parse_date)
    if found:
        return found
    for address in (page.url, *page.links.get("canonical", ())):
        in_url = dates.date_in_url(address) if address else None
        if in_url:
            return _Pick(in_url[0], FieldSource("url", in_url[1]))
    if page.times and not page.own_times:
        return None  # the only dates are teasers': a listing, which has no date of its own
    nodes = page.area.css(rules.DATE_TEXT_SELECTOR)[: rules.DATE_TEXT_MAX_CANDIDATES]
    texts = (_clean(n.text(separator=" ")) for n in nodes)
    candidates = (("text", t) for t in texts if len(t) <= rules.DATE_TEXT_MAX_CHARS)
    found = _first(candidates, dates.date_in_text)
    if found:
        return found
    day = dates.htmldate_published(page.tree, page.url)
    return _Pick(day, FieldSource("htmldate", day)) if day else None


def _date_candidates(page: _Page, ld_key: str, *, modified: bool) -> Iterator[Candidate]:
    """Date sources, best first: JSON-LD, OpenGraph meta, microdata, generic meta, <time>."""
    for obj in (page.article, page.webpage):
        if obj is not None:
            yield from (("json-ld", v) for v in _ld_strings(obj.get(ld_key)))
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
            yield "time", _node_value(node)


# --- Language, site, description ---------------------------------------------------------------


def _language_candidates(page: _Page) -> Iterator[Candidate]:
    """Language sources: <html lang> (filed as markup "meta"), meta tags, JSON-LD inLanguage."""
    root = page.tree.root
    lang = root.attributes.get("lang") or root.attributes.get("xml:lang") if root else None
    if lang:
        yield "meta", lang
    yield from page.meta_values(rules.META_LANGUAGE)
    if page.article is not None:
        yield from (("json-ld", v) for v in _ld_strings(page.article.get("inLanguage")))


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


def _site_candidates(page: _Page) -> Iterator[Candidate]:
    """Site name: og:site_name, the JSON-LD publisher, then the web-app name."""
    yield from page.meta_values(rules.META_SITE_NAME)
    yield from _ld_publishers(page)
    yield from page.meta_values(rules.META_APP_NAME)


def _ld_publishers(page: _Page) -> Iterator[Candidate]:
    """Names of the article's publisher, then of any WebSite/Organization object."""
    publisher = page.article.get("publisher") if page.article else None
    for item in _ld_list(publisher):
        yield from (("json-ld", n) for n in _ld_person_names(page, item))
    for kind in rules.PUBLISHER_TYPES:
        obj = _first_typed(page.jsonld, (kind,))
        if obj is not None:
            yield from (("json-ld", n) for n in _ld_strings(obj.get("name")))


def _description_candidates(page: _Page) -> Iterator[Candidate]:
    """Description: meta description, social cards, then JSON-LD."""
    yield from page.meta_values(rules.META_DESCRIPTION)
    if page.article is not None:
        yield from (("json-ld", v) for v in _ld_strings(page.article.get("description")))


# --- Image, caption, canonical ------------------------------------------------------------------


def _image_candidates(page: _Page) -> Iterator[Candidate]:
    """Lead image: social card, JSON-LD, <link rel=image_src>, the article's first figure."""
    yield from page.meta_values(rules.META_IMAGE)
    for item in _ld_list(page.article.get("image") if page.article else None):
        if isinstance(item, dict):
            item = item.get("url") or item.get("contentUrl")
        yield from (("json-ld", v) for v in _ld_strings(item))
    yield from (("link", href) for href in page.links.get("image_src", ()))
    img = page.area.css_first("figure img")
    for attr in rules.IMG_SRC_ATTRS if img is not None else ():
        value = img.attributes.get(attr) if img is not None else None
        if value:
            yield "figure", value


def _caption_candidates(page: _Page) -> Iterator[Candidate]:
    """Caption and credit of the lead image: the first figure's figcaption, then JSON-LD."""
    caption = page.area.css_first("figure figcaption")
    if caption is not None:
        yield "figure", caption.text(separator=" ")
    for item in _ld_list(page.article.get("image") if page.article else None):
        if isinstance(item, dict):
            yield from (("json-ld", v) for v in _ld_strings(item.get("caption")))


def _canonical_candidates(page: _Page) -> Iterator[Candidate]:
    """Canonical address: <link rel=canonical>, then og:url."""
    yield from (("link", href) for href in page.links.get("canonical", ()))
    yield from page.meta_values(rules.META_URL)


# --- Tags ---------------------------------------------------------------------------------------


def _tag_candidates(page: _Page) -> Iterator[ListCandidate]:
    """Tag sources, best first: JSON-LD keywords, article:tag, rel=tag, tag lists, labels.

    Meta keywords come last (the brief lists them earlier): they are an SEO field, often
    stuffed or stale, while visible tag links are what the editors show readers.
    """
    value = page.article.get("keywords") if page.article else None
    items = [
        k for s in _ld_strings(value) for k in (s.split(",") if isinstance(value, str) else [s])
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
        if len(keywords) <= rules.KEYWORDS_MAX_COUNT and all(
            len(k.strip()) <= rules.KEYWORDS_MAX_CHARS for k in keywords
        ):
            yield source, raw, keywords


def _tag_blocks(page: _Page) -> Iterator[ListCandidate]:
    """Links in the article's tag-list containers (class/id token tag, tags, topics...)."""
    for node in page.area.css(rules.TAG_BLOCK_SELECTOR):
        tokens = _class_tokens(node)
        if not tokens & rules.TAG_BLOCK_TOKENS or tokens & rules.TAG_BLOCK_REJECT_TOKENS:
            continue
        if node.tag in ("a", "li") and node.parent is not None:
            node = node.parent  # one tag per element: its list is the block
        if node.tag in rules.TAG_BLOCK_REJECT_TAGS:
            continue
        links = node.css("a")
        texts = [_clean(a.text(separator=" ")) for a in links]
        block_text = _clean(node.text(separator=" "))
        # A tag list is mostly link text; a container that is mostly prose is not one.
        if (
            0 < len(links) <= rules.TAG_BLOCK_MAX_LINKS
            and len(block_text) <= 2 * sum(map(len, texts)) + rules.TAG_MAX_CHARS
        ):
            yield "text", block_text, texts


def _tag_labels(page: _Page) -> Iterator[ListCandidate]:
    """Links after a "Read more about:" / "Tags:" label in the article area.

    The text-matching selector is slow, so it runs only for a label the area's text holds.
    """
    label = _label_in(page.area.text())
    if label is None:
        return
    matches = [(n.text(separator=" "), n) for n in page.area.css(rules.TAG_LABEL_SELECTORS[label])]
    matches = [(text, node) for text, node in matches if rules.TAG_LABEL.match(text)]
    if matches:
        text, node = min(matches, key=lambda pair: len(pair[0]))
        yield "text", text, [_clean(a.text(separator=" ")) for a in _links_after(node)]


def _label_in(text: str) -> str | None:
    """The first tag label in ``text`` followed by a colon (found colon by colon: fast)."""
    colon = text.find(":")
    for _ in range(rules.TAG_LABEL_MAX_COLONS):
        if colon == -1:
            return None
        window = text[max(0, colon - rules.TAG_LABEL_WINDOW) : colon].rstrip().lower()
        if window.endswith(rules.TAG_LABELS):
            return next(label for label in rules.TAG_LABELS if window.endswith(label))
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
    return links[: rules.TAG_BLOCK_MAX_LINKS]


def _class_tokens(node: LexborNode) -> set[str]:
    """Lowercase tokens of an element's class and id ("article__tags" -> article, tags)."""
    attrs = node.attributes
    joined = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return {t.lower() for t in rules.CLASS_TOKEN_SPLIT.split(joined) if t}


def _clean_tag(raw: str) -> str | None:
    """A tag as shown, without "#" and punctuation; None for labels, sentences and icons."""
    tag = _clean(raw).lstrip("#").strip(" ,;:|·•")
    if not any(ch.isalnum() for ch in tag) or rules.TAG_LABEL.match(tag + ":"):
        return None  # an icon, or the label itself ("Tags")
    if rules.NOT_A_TAG.search(tag) or len(tag) > rules.TAG_MAX_CHARS:
        return None
    return tag if len(tag.split()) <= rules.TAG_MAX_WORDS else None


# --- Shared helpers -----------------------------------------------------------------------------


def _first(
    candidates: Iterable[Candidate], normalise: Callable[[str], str | None]
) -> _Pick[str] | None:
    """The first candidate that normalises to a non-empty value."""
    for source, raw in candidates:
        value = normalise(raw) if isinstance(raw, str) else None
        if value:
            return _Pick(value, FieldSource(source, raw))
    return None


def _first_list(
    candidates: Iterable[ListCandidate], clean: Callable[[str], str | None]
) -> _Pick[tuple[str, ...]] | None:
    """The first candidate with usable items: cleaned, deduped ignoring case, order kept."""
    for source, raw, items in candidates:
        kept: dict[str, str] = {}
        for item in items:
            value = clean(item) if isinstance(item, str) else None
            if value and len(kept) < rules.MAX_TAGS:
                kept.setdefault(value.casefold(), value)
        if kept:
            return _Pick(tuple(kept.values()), FieldSource(source, raw))
    return None


def _clean(raw: str) -> str:
    """Entities decoded (JSON-LD and double-escaped meta keep them), whitespace collapsed."""
    text = html.unescape(raw) if "&" in raw else raw
    return rules.WHITESPACE.sub(" ", text).strip()


def _key(text: str) -> str:
    """A comparison key: letters and digits only, case-folded."""
    return rules.NON_ALNUM.sub("", text.casefold())


def _node_value(node: LexborNode) -> str:
    """An element's machine-readable value (content, datetime), else its text."""
    attrs = node.attributes
    for attr in rules.VALUE_ATTRS:
        value = attrs.get(attr)
        if value:
            return value
    return node.text(separator=" ")


# --- JSON-LD ------------------------------------------------------------------------------------


def _jsonld_objects(scripts: Iterable[str]) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, out of lists and @graph; broken blocks skipped."""
    found: list[dict[str, Any]] = []
    for text in scripts:
        try:
            data = json.loads(rules.JSONLD_WRAPPER.sub("", text), strict=False)
        except (ValueError, RecursionError):
            continue
        _walk_jsonld(data, found, 0)
    return found


def _walk_jsonld(data: Any, found: list[dict[str, Any]], depth: int) -> None:
    """Collect dicts from ``data``, descending into lists and the keys that nest articles."""
    if depth > rules.JSONLD_MAX_DEPTH or len(found) >= rules.JSONLD_MAX_OBJECTS:
        return
    if isinstance(data, list):
        for item in data:
            _walk_jsonld(item, found, depth + 1)
    elif isinstance(data, dict):
        found.append(data)
        for key in rules.JSONLD_NEST_KEYS:
            if key in data:
                _walk_jsonld(data[key], found, depth + 1)


def _first_typed(
    objects: Iterable[dict[str, Any]], kinds: tuple[str, ...]
) -> dict[str, Any] | None:
    """The first object whose @type (bare, prefixed or a list) is one of ``kinds``."""
    for obj in objects:
        names = {t.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for t in _ld_strings(obj.get("@type"))}
        if not names.isdisjoint(kinds):
            return obj
    return None


def _ld_list(value: Any) -> list[Any]:
    """A JSON-LD value as a list (JSON-LD allows one value or many)."""
    return value if isinstance(value, list) else [] if value is None else [value]


def _ld_strings(value: Any) -> list[str]:
    """The strings in a JSON-LD value: a string, {"@value": ...}, or a list of those."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        inner = value.get("@value")
        return [inner] if isinstance(inner, str) else []
    if isinstance(value, list):
        return [s for item in value if not isinstance(item, list) for s in _ld_strings(item)]
    return []
