"""Golden pages: every fixtures/pages/<slug>/ directory is one extraction test case.

Each directory holds:

- ``source.html``: the page as served (bytes; its charset is declared in the page only);
- ``expected.txt``: the exact ``Article.text`` (blocks separated by one blank line);
- ``expected.json``: ``url`` (the address the page is extracted with), plus the record
  fields that must match ``Article.to_dict()`` exactly;
- ``absent.txt``: boilerplate phrases, one per line, that must not appear in the text.

The expectations change only through ``python tests/regen_golden.py SLUG...``, a deliberate
act whose diff is reviewed; never edit them to make a failing test pass.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scraper import Article, extract

PAGES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
SLUGS = sorted(path.name for path in PAGES_DIR.iterdir() if path.is_dir())


@dataclass(frozen=True)
class GoldenPage:
    """One golden page directory, read."""

    slug: str
    source: bytes
    url: str
    text: str
    metadata: dict[str, Any]  # the expected record fields, without "url"
    absent: tuple[str, ...]


def load_page(slug: str) -> GoldenPage:
    """Read fixtures/pages/<slug>/."""
    folder = PAGES_DIR / slug
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    url = expected.pop("url")
    absent = (folder / "absent.txt").read_text(encoding="utf-8").splitlines()
    return GoldenPage(
        slug=slug,
        source=(folder / "source.html").read_bytes(),
        url=url,
        text=(folder / "expected.txt").read_text(encoding="utf-8"),
        metadata=expected,
        absent=tuple(line for line in absent if line.strip()),
    )


@functools.cache
def extracted(slug: str) -> tuple[GoldenPage, Article]:
    """The page and the extractor's Article for it, computed once per slug for all tests."""
    page = load_page(slug)
    return page, extract(page.source, url=page.url)


def test_pages_exist() -> None:
    assert SLUGS, f"no golden pages under {PAGES_DIR}"


@pytest.mark.parametrize("slug", SLUGS)
def test_body(slug: str) -> None:
    page, article = extracted(slug)
    assert article.text == page.text


@pytest.mark.parametrize("slug", SLUGS)
def test_metadata(slug: str) -> None:
    page, article = extracted(slug)
    record = article.to_dict()
    # Compare all fields at once, so that one failure shows every field that is wrong.
    actual = {key: record.get(key) for key in page.metadata}
    assert actual == page.metadata


@pytest.mark.parametrize("slug", SLUGS)
def test_boilerplate_absent(slug: str) -> None:
    page, article = extracted(slug)
    leaked = [phrase for phrase in page.absent if phrase in article.text]
    assert leaked == []
