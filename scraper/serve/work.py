"""What runs in the extraction worker processes: extract one page and render the answer there.

Rendering in the worker keeps the event loop's share of each request small: only strings
come back across the process boundary, never the parse tree (a ``Trace`` holds nodes, which
cannot be pickled; its JSON form can).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from scraper.extract import Trace, extract
from scraper.extract.explain import explain_json

__all__ = ["FORMATS", "MEDIA_TYPES", "Rendered", "explain_page", "extract_page", "ready"]

FORMATS: Final = ("json", "text", "markdown")  # as `scraper extract --format`
MEDIA_TYPES: Final = {
    "json": "application/json",
    "text": "text/plain; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
}


@dataclass(frozen=True)
class Rendered:
    """One extraction's answer: the body in the asked format, and whether text was found."""

    body: str
    media_type: str
    empty: bool


def ready() -> None:
    """A no-op each worker runs at start, so the pool is warm before the first request."""


def extract_page(html: str | bytes, url: str | None, charset: str | None, fmt: str) -> Rendered:
    """Extract a page and render it as ``scraper extract --format fmt`` prints it."""
    article = extract(html, url=url, charset=charset)
    return Rendered(article.render(fmt), MEDIA_TYPES[fmt], not article.text)


def explain_page(html: str | bytes, url: str | None, charset: str | None) -> Rendered:
    """Extract with a trace: ``{"record": ..., "explain": ...}`` for the web page's toggle."""
    trace = Trace()
    article = extract(html, url=url, charset=charset, trace=trace)
    answer = {"record": article.to_dict(), "explain": explain_json(trace, article)}
    return Rendered(json.dumps(answer, ensure_ascii=False), MEDIA_TYPES["json"], not article.text)
