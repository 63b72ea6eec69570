"""The page as metadata sources: one CSS pass over its elements, and costlier views on demand.

``PageSources`` files every <meta>, <link>, <title>, JSON-LD block, <h1>, <article>/<main> and
microdata element in a single traversal. Views that need more (the site's names, the title
candidates, the visible headline, the article area and its <time> elements) are cached
properties, computed the first time a field's ladder asks for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import jsonld
from scraper.extract import metadata_rules as rules
from scraper.extract.candidates import Candidate, Pick, class_tokens, clean, key, node_value
from scraper.models import FieldSource

__all__ = ["PageSources"]


class PageSources:
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
        self.scripts: list[str] = []  # the JSON-LD blocks' texts
        self.properties: list[tuple[str, str]] = []  # <meta property=... content=...>, as found
        self.cart = False  # an add-to-cart control (rules.CART_CONTROLS)
        self.frames: list[LexborNode] = []  # the <iframe> elements (frames.py reads them)
        self.controlled: set[str] = set()  # ids that a toggle opens (_toggles)
        for node in tree.css(rules.BASE_SELECTOR):
            self._add(node)
        self.jsonld = jsonld.parse_objects(self.scripts)
        self.ids = {o["@id"]: o for o in self.jsonld if isinstance(o.get("@id"), str)}
        self.article = jsonld.first_typed(self.jsonld, rules.ARTICLE_TYPES)
        self.webpage = jsonld.first_typed(self.jsonld, rules.PAGE_TYPES)

    def _add(self, node: LexborNode) -> None:
        """File one element of the base pass under what it can tell us."""
        tag, attrs = node.tag, node.attributes
        if tag in rules.CART_CONTROLS:
            self.cart = self.cart or _names_cart(attrs, rules.CART_CONTROLS[tag])
        elif tag == "meta":
            content = attrs.get("content")
            if "property" in attrs:
                self.properties.append((attrs["property"] or "", content or ""))
            for name_attr in ("property", "name", "http-equiv"):
                name = attrs.get(name_attr)
                if name and content:
                    self.meta.setdefault(name.strip().lower(), []).append(content)
        elif tag == "link":
            for rel in (attrs.get("rel") or "").lower().split():
                self.links.setdefault(rel, []).append(attrs.get("href") or "")
        elif tag == "title" and self.title is None and node.parent and node.parent.tag == "head":
            self.title = node.text()
        elif tag == "script":
            self.scripts.append(node.text())
        elif tag == "h1":
            self.h1s.append(node)
        elif tag == "iframe":
            self.frames.append(node)
        elif tag in rules.AREA_TAGS:
            self.areas.append(node)
        for prop in (attrs.get("itemprop") or "").lower().split():
            self.microdata.setdefault(prop, []).append(node)
        if _toggles(attrs):
            self.controlled.update((attrs["aria-controls"] or "").split())

    def meta_values(self, names: Iterable[str]) -> Iterator[Candidate]:
        """Meta contents for ``names``, in table order."""
        for name in names:
            for value in self.meta.get(name, ()):
                yield "meta", value

    def microdata_values(self, props: Iterable[str]) -> Iterator[Candidate]:
        """Microdata values for ``props``: the content/datetime attribute, else the text."""
        for prop in props:
            for node in self.microdata.get(prop, ()):
                yield "microdata", node_value(node)

    def ld_values(self, obj: dict[str, Any] | None, field: str) -> Iterator[Candidate]:
        """The strings of one JSON-LD object's field, as candidates; none for a missing object."""
        if obj is not None:
            yield from (("json-ld", v) for v in jsonld.strings(obj.get(field)))

    def publishers(self) -> Iterator[Candidate]:
        """Names of the article's JSON-LD publisher, then of any WebSite/Organization object."""
        names = jsonld.publisher_names(self.article, self.jsonld, self.ids)
        yield from (("json-ld", name) for name in names)

    def absolute(self, href: str) -> str | None:
        """``href`` resolved against the page URL; None for empty, inline (data:) and unparsable
        values (``http://[`` makes urljoin raise ValueError)."""
        href = href.strip().split()[0] if href.strip() else ""
        if not href or href.startswith(("data:", "javascript:", "#")):
            return None
        try:
            return urljoin(self.url, href) if self.url else href
        except ValueError:
            return None

    @cached_property
    def site_names(self) -> tuple[str, ...]:
        """Comparison keys of the site's names: og:site_name, publisher, the host's core."""
        names = [v for _, v in self.meta_values(rules.META_SITE_NAME + rules.META_APP_NAME)]
        names += [name for _, name in self.publishers()]
        host = urlsplit(self.url or "").hostname or ""
        labels = [p for p in host.split(".")[:-1] if p not in rules.HOST_NOISE_LABELS]
        return tuple(k for k in (*map(key, names), *labels) if len(k) >= rules.SITE_KEY_MIN_CHARS)

    def is_site(self, text: str) -> bool:
        """Whether ``text`` names the site itself (brand, domain) rather than the article."""
        text_key, short = key(text), len(text.split()) <= rules.SITE_NAME_MAX_WORDS
        return bool(text_key) and any(
            text_key == site
            or (len(text_key) > rules.SITE_KEY_MIN_CHARS and text_key in site)
            or (short and site in text_key)
            for site in self.site_names
        )

    @cached_property
    def title_picks(self) -> list[Pick[str]]:
        """Title candidates, cleaned and stripped of site names, best source first."""
        picks = (self._title_pick(source, raw) for source, raw in self._title_candidates())
        return [p for p in picks if p is not None and not self.is_site(p.value)]

    def _title_candidates(self) -> Iterator[Candidate]:
        """Title sources, best first."""
        for obj in (self.article, self.webpage):
            yield from self.ld_values(obj, "headline")
        yield from self.ld_values(self.article, "name")
        yield from self.meta_values(rules.META_TITLE)
        if self.title:
            yield "title", self.title

    def _title_pick(self, source: str, raw: str) -> Pick[str] | None:
        """A cleaned title candidate, with any site-name prefix or suffix cut off."""
        text = self._strip_site(clean(raw), short_parts=source == "title")
        return Pick(text, FieldSource(source, raw)) if text else None

    def _strip_site(self, title: str, *, short_parts: bool) -> str:
        """Drop " | Site" suffixes and "Site | " prefixes; short trailing parts too if asked."""
        while True:
            parts = list(rules.TITLE_SEPARATOR.finditer(title))
            if not parts:
                return title
            head, tail = title[: parts[-1].start()], title[parts[-1].end() :]
            first, rest = title[: parts[0].start()], title[parts[0].end() :]
            short = short_parts and len(tail.split()) <= rules.TITLE_SHORT_PART_WORDS
            if self.is_site(tail) or (
                short and len(head.split()) >= rules.TITLE_MIN_REMAINING_WORDS
            ):
                title = head.strip()
            elif self.is_site(first):
                title = rest.strip()
            else:
                return title

    @cached_property
    def headlines(self) -> list[tuple[LexborNode, str]]:
        """The <h1> elements that read like a headline (not a logo or a date), with their text."""
        found = []
        for node in self.h1s[: rules.H1_MAX_CANDIDATES]:
            text = clean(node.text(separator=" "))
            fits = rules.H1_MIN_CHARS <= len(text) <= rules.H1_MAX_CHARS
            if fits and not self.is_site(text) and not _in_page_chrome(node):
                found.append((node, text))
        return found

    @cached_property
    def headline_node(self) -> LexborNode | None:
        """The h1 that agrees with a title candidate, else the first headline-like one."""
        keys = {key(pick.value) for pick in self.title_picks}
        matching = (node for node, text in self.headlines if key(text) in keys)
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


def _toggles(attrs: dict[str, str | None]) -> bool:
    """Whether an element opens and closes a section of the page (an accordion's button:
    aria-controls with aria-expanded), not a popup (aria-haspopup: a menu, a dialog)."""
    return "aria-controls" in attrs and "aria-expanded" in attrs and "aria-haspopup" not in attrs


def _names_cart(attrs: dict[str, str | None], keys: tuple[str, ...]) -> bool:
    """Whether one of the attributes holds the cart word, in any case."""
    return any(rules.CART_WORD in (attrs.get(key) or "").lower() for key in keys)


def _in_page_chrome(node: LexborNode | None) -> bool:
    """Whether an h1 is the site's logo or sits in its navigation, footer or an aside."""
    while node is not None and node.tag not in rules.AREA_TAGS:
        if node.tag in rules.CHROME_TAGS or not class_tokens(node).isdisjoint(rules.CHROME_TOKENS):
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
