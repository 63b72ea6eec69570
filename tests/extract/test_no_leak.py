"""Extraction keeps nothing of a page once it returns: a cache keyed by a parsed node would hold
its whole document alive (and, once freed memory is reused, answer for another page's node)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper import extract
from scraper.extract import Trace

PAGES = sorted((Path(__file__).parents[2] / "fixtures" / "pages").glob("*/source.html"))


def _live_trees() -> int:
    gc.collect()
    return sum(isinstance(o, LexborHTMLParser | LexborNode) for o in gc.get_objects())


@pytest.mark.parametrize("source", PAGES, ids=lambda path: path.parent.name)
def test_no_parsed_tree_outlives_extract(source: Path) -> None:
    before = _live_trees()
    extract(source.read_bytes(), "https://example.com/a")
    assert _live_trees() == before


def test_no_parsed_tree_outlives_a_traced_extract_once_the_trace_is_gone() -> None:
    before = _live_trees()
    trace = Trace()
    extract(PAGES[0].read_bytes(), "https://example.com/a", trace=trace)
    del trace
    assert _live_trees() == before
