"""Field candidates: their shapes, how the first usable one is picked, and shared normalisers.

Every metadata field is read from a ladder of candidates, best source first; ``first`` and
``first_list`` walk a ladder (a generator, so costly sources run only when needed) and return
the first value that survives normalising, with its provenance.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from selectolax.lexbor import LexborNode

from scraper.extract import metadata_rules as rules
from scraper.models import FieldSource

__all__ = [
    "Candidate",
    "ListCandidate",
    "Pick",
    "class_tokens",
    "clean",
    "first",
    "first_list",
    "key",
    "node_value",
]

T = TypeVar("T")

# A raw value and the name of the source it was found in, e.g. ("meta", "Jane Doe").
Candidate = tuple[str, str]

# A list-valued candidate: source name, raw string as found, and the items it holds.
ListCandidate = tuple[str, str, list[str]]


@dataclass(frozen=True)
class Pick(Generic[T]):
    """A normalised field value and its provenance."""

    value: T
    source: FieldSource


def first(
    candidates: Iterable[Candidate], normalise: Callable[[str], str | None]
) -> Pick[str] | None:
    """The first candidate that normalises to a non-empty value.

    Example:
        >>> first([("meta", " "), ("title", "Hi")], str.strip).value
        'Hi'
    """
    for source, raw in candidates:
        value = normalise(raw) if isinstance(raw, str) else None
        if value:
            return Pick(value, FieldSource(source, raw))
    return None


def first_list(
    candidates: Iterable[ListCandidate], clean: Callable[[str], str | None]
) -> Pick[tuple[str, ...]] | None:
    """The first candidate with usable items: cleaned, deduped ignoring case, order kept.

    Example:
        >>> first_list([("meta", "a, A, b", ["a", "A", "b"])], str.strip).value
        ('a', 'b')
    """
    for source, raw, items in candidates:
        kept: dict[str, str] = {}
        for item in items:
            value = clean(item) if isinstance(item, str) else None
            if value and len(kept) < rules.MAX_ITEMS:
                kept.setdefault(value.casefold(), value)
        if kept:
            return Pick(tuple(kept.values()), FieldSource(source, raw))
    return None


def clean(raw: str) -> str:
    """Entities decoded (JSON-LD and double-escaped meta keep them), whitespace collapsed."""
    text = html.unescape(raw) if "&" in raw else raw
    return rules.WHITESPACE.sub(" ", text).strip()


def key(text: str) -> str:
    """A comparison key: letters and digits only, case-folded."""
    return rules.NON_ALNUM.sub("", text.casefold())


def node_value(node: LexborNode) -> str:
    """An element's machine-readable value (content, datetime), else its text."""
    attrs = node.attributes
    for attr in rules.VALUE_ATTRS:
        value = attrs.get(attr)
        if value:
            return value
    return node.text(separator=" ")


def class_tokens(node: LexborNode) -> set[str]:
    """Lowercase tokens of an element's class and id ("article__tags" -> article, tags)."""
    attrs = node.attributes
    joined = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return {t.lower() for t in rules.CLASS_TOKEN_SPLIT.split(joined) if t}
