"""JSON-LD: parse a page's blocks, flatten them, and read values in the shapes schema.org allows.

JSON-LD lets most values be one item or a list, a plain string or ``{"@value": ...}``, an inline
object or an ``@id`` reference; these helpers turn each of those into plain Python lists.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from scraper.extract import metadata_rules as rules

__all__ = ["as_list", "first_typed", "parse_objects", "person_names", "publisher_names", "strings"]


def parse_objects(scripts: Iterable[str]) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, out of lists and @graph; broken blocks skipped.

    Args:
        scripts: the texts of the page's ``application/ld+json`` scripts.

    Returns:
        The objects in document order, outer before nested; at most JSONLD_MAX_OBJECTS.

    Example:
        >>> parse_objects(['{"@graph": [{"@type": "NewsArticle"}]}', "{broken"])
        [{'@graph': [{'@type': 'NewsArticle'}]}, {'@type': 'NewsArticle'}]
    """
    found: list[dict[str, Any]] = []
    for text in scripts:
        try:
            data = _loads(text)
        except (ValueError, RecursionError):
            continue
        _walk(data, found, 0)
    return found


def _loads(text: str) -> Any:
    """One block's JSON, out of its CMS wrapper when it has one. Parsed as it is first: a
    wrapper always breaks the JSON, and the search for one scans a large block end to end."""
    try:
        return json.loads(text, strict=False)
    except ValueError:
        return json.loads(rules.JSONLD_WRAPPER.sub("", text), strict=False)


def _walk(data: Any, found: list[dict[str, Any]], depth: int) -> None:
    """Collect dicts from ``data``, descending into lists and the keys that nest articles."""
    if depth > rules.JSONLD_MAX_DEPTH or len(found) >= rules.JSONLD_MAX_OBJECTS:
        return
    if isinstance(data, list):
        for item in data:
            _walk(item, found, depth + 1)
    elif isinstance(data, dict):
        found.append(data)
        for key in rules.JSONLD_NEST_KEYS:
            if key in data:
                _walk(data[key], found, depth + 1)


def first_typed(objects: Iterable[dict[str, Any]], kinds: tuple[str, ...]) -> dict[str, Any] | None:
    """The first object whose @type (bare, prefixed or a list) is one of ``kinds``."""
    for obj in objects:
        names = {t.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for t in strings(obj.get("@type"))}
        if not names.isdisjoint(kinds):
            return obj
    return None


def as_list(value: Any) -> list[Any]:
    """A JSON-LD value as a list (JSON-LD allows one value or many)."""
    return value if isinstance(value, list) else [] if value is None else [value]


def strings(value: Any) -> list[str]:
    """The strings in a JSON-LD value: a string, {"@value": ...}, or a list of those."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        inner = value.get("@value")
        return [inner] if isinstance(inner, str) else []
    if isinstance(value, list):
        return [s for item in value if not isinstance(item, list) for s in strings(item)]
    return []


def person_names(item: Any, ids: dict[str, dict[str, Any]]) -> list[str]:
    """Names of one author or publisher entry: a string, an object, or an @id into ``ids``."""
    if isinstance(item, dict) and "name" not in item and isinstance(item.get("@id"), str):
        item = ids.get(item["@id"], item)
    if isinstance(item, dict):
        item = item.get("name")
    return strings(item)


def publisher_names(
    article: dict[str, Any] | None, objects: list[dict[str, Any]], ids: dict[str, dict[str, Any]]
) -> Iterator[str]:
    """Names of the article's publisher, then of any WebSite/Organization object."""
    publisher = article.get("publisher") if article else None
    for item in as_list(publisher):
        yield from person_names(item, ids)
    for kind in rules.PUBLISHER_TYPES:
        obj = first_typed(objects, (kind,))
        if obj is not None:
            yield from strings(obj.get("name"))
