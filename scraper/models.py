"""The data that flows through scraper: Page (fetched) -> Article (extracted) -> record (stored).

``Article.to_dict()`` is the versioned record described in README.md ("The record") and in
``scraper/sink/record.schema.json``; bump ``SCHEMA_VERSION`` on any change to its shape.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

__all__ = ["SCHEMA_VERSION", "Article", "FieldSource", "Metadata", "Page", "PageType"]

SCHEMA_VERSION = "1.0"


class PageType(str, Enum):
    """What kind of page the main content came from."""

    ARTICLE = "article"  # a news story, blog post, essay: one main text
    LISTING = "listing"  # an index, section front, search result or archive page
    OTHER = "other"  # product page, login wall, form, documentation hub, ...


@dataclass(frozen=True)
class FieldSource:
    """Where one metadata value came from.

    ``source`` is one of: json-ld, meta, microdata, time, title, h1, url, text, htmldate,
    link, figure. ``raw`` is the string as found on the page, before normalisation.
    """

    source: str
    raw: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The JSON form: {"source": ..., "raw": ...}."""
        return {"source": self.source, "raw": self.raw}


@dataclass(frozen=True)
class Metadata:
    """Everything about a page except its body text."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO 8601
    modified: str | None = None  # ISO 8601
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    image: str | None = None
    image_caption: str | None = None
    canonical_url: str | None = None
    provenance: Mapping[str, FieldSource] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """A fetched HTTP response, as the fetcher hands it to the extractor."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    headers: Mapping[str, str]
    content: bytes
    text: str  # ``content`` decoded with ``encoding``
    encoding: str
    elapsed: float  # seconds, first request to last byte
    redirects: tuple[str, ...] = ()  # every URL that answered with a redirect, in order
    not_modified: bool = False  # True when a conditional GET got 304
    fetched_at: str = ""  # ISO 8601 UTC, set by the fetcher


@dataclass(frozen=True)
class Article:
    """The extracted article: body text plus metadata, ready to become a record.

    ``text`` is plain text, paragraphs separated by one blank line; ``markdown`` the same
    body keeping headings, lists, quotes and links.
    """

    url: str | None
    text: str
    markdown: str
    metadata: Metadata
    page_type: PageType
    page_type_confidence: float
    content_hash: str
    html_hash: str
    extractor_name: str
    extractor_version: str

    @property
    def title(self) -> str | None:
        """The headline."""
        return self.metadata.title

    @property
    def word_count(self) -> int:
        """Number of whitespace-separated words in ``text``."""
        return len(self.text.split())

    def render(self, fmt: str, *, indent: int | None = None) -> str:
        """The article as ``json`` (the record), ``text`` (the body) or ``markdown`` (with title).

        Example:
            >>> article.render("markdown").startswith("# ")  # doctest: +SKIP
            True
        """
        if fmt == "text":
            return self.text
        if fmt == "markdown":
            title = f"# {self.title}\n\n" if self.title else ""
            return title + self.markdown
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_dict(self) -> dict[str, Any]:
        """The record: a JSON-ready dict with a stable key order (see README "The record")."""
        meta = self.metadata
        return {
            "schema_version": SCHEMA_VERSION,
            "url": self.url,
            "canonical_url": meta.canonical_url,
            "title": meta.title,
            "authors": list(meta.authors),
            "published": meta.published,
            "modified": meta.modified,
            "language": meta.language,
            "site_name": meta.site_name,
            "description": meta.description,
            "tags": list(meta.tags),
            "image": meta.image,
            "image_caption": meta.image_caption,
            "text": self.text,
            "word_count": self.word_count,
            "page_type": self.page_type.value,
            "page_type_confidence": self.page_type_confidence,
            "content_hash": self.content_hash,
            "html_hash": self.html_hash,
            "extractor": {"name": self.extractor_name, "version": self.extractor_version},
            "provenance": {k: v.to_dict() for k, v in sorted(meta.provenance.items())},
        }
