"""Stage 10: a site's template, learned from its own pages, stripped from each page's blocks.

Class words and phrase tables (stages 5 and 7) catch boilerplate that says what it is. A site
whose donation appeal, "Read more" teaser or disclaimer wears hashed class names and unusual
wording gets past them, but it gives itself away differently: the very same block stands on
page after page of that site, while an article's paragraphs stand on one page only.

- **fingerprint**: a block's text, normalised (``filter.normalise``: case, punctuation and
  spacing blind), hashed. Only whole blocks compare equal, so an article paragraph that quotes
  a common phrase (a substring of it) has its own fingerprint and survives.
- **learning** (the crawl counts, ``learn_template`` decides): a fingerprint belongs to the
  site's template when it stands on at least ``MIN_PAGES`` distinct pages and on at least
  ``MIN_SHARE`` of the site's pages counted so far.
- **stripping** (``strip_template``): a page's blocks whose fingerprint is in the template are
  dropped, unless that would remove over ``MAX_STRIP_SHARE`` of the page's text (a page made
  mostly of the template is better left whole than emptied).

Everything is a pure function of the counts and the page: the same state gives the same output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from scraper.extract.blocks import Block
from scraper.extract.filter import normalise
from scraper.models import Article

if TYPE_CHECKING:
    from scraper.extract.trace import Trace

__all__ = [
    "FINGERPRINT_CHARS",
    "MAX_STRIP_SHARE",
    "MIN_PAGES",
    "MIN_SHARE",
    "SAMPLE_CHARS",
    "BlockPrint",
    "SiteExtraction",
    "SiteTemplate",
    "block_prints",
    "fingerprint",
    "learn_template",
    "strip_template",
]

MIN_PAGES: Final = 3  # on two pages a block may be a coincidence (a series, a correction)
MIN_SHARE: Final = 0.2  # a block on a few pages of a big site is a topic's, not the template's
MAX_STRIP_SHARE: Final = 0.6  # never strip more than this share of a page's text
FINGERPRINT_CHARS: Final = 16  # hex digits of SHA-256 kept: 64 bits, no collision in a site
SAMPLE_CHARS: Final = 160  # a learned block is shown (status, learn) by this much of its text


def fingerprint(text: str) -> str:
    """The fingerprint of a block's text: its normalised form, hashed.

    Example:
        >>> fingerprint("Support us!") == fingerprint("support  us")
        True
    """
    digest = hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()
    return digest[:FINGERPRINT_CHARS]


@dataclass(frozen=True)
class BlockPrint:
    """One block of a page as learning counts it: its fingerprint and the start of its text."""

    fingerprint: str
    sample: str


@dataclass(frozen=True)
class SiteTemplate:
    """The fingerprints of the blocks that make up a site's template (frozen: shareable)."""

    fingerprints: frozenset[str] = frozenset()

    def __contains__(self, block_fingerprint: object) -> bool:
        return block_fingerprint in self.fingerprints

    def __len__(self) -> int:
        return len(self.fingerprints)


@dataclass(frozen=True)
class SiteExtraction:
    """``extract_for_site``'s result: the Article, the prints of the blocks it kept before
    the template was applied (what learning counts), and the page's anchors as parsed, before
    any cleaning (what a crawl follows): each distinct ``<a href>`` value, stripped, in order,
    and the ``<base href>`` value if there is one. A crawl reads them here so that the page
    is parsed once (0.8 ms a page on the crawl benchmark's 140 kB pages)."""

    article: Article
    prints: tuple[BlockPrint, ...]
    hrefs: tuple[str, ...] = ()
    base_href: str | None = None


def block_prints(blocks: Iterable[Block]) -> tuple[BlockPrint, ...]:
    """One print per distinct fingerprint among ``blocks``, in order (a page counts once)."""
    prints: dict[str, BlockPrint] = {}
    for block in blocks:
        key = fingerprint(block.text)
        if normalise(block.text) and key not in prints:
            prints[key] = BlockPrint(key, block.text[:SAMPLE_CHARS])
    return tuple(prints.values())


def learn_template(counts: Mapping[str, int], pages: int) -> SiteTemplate:
    """The template of a site: fingerprints on enough of its ``pages`` pages.

    Args:
        counts: fingerprint -> how many distinct pages of the site hold that block.
        pages: how many pages of the site were counted.

    Example:
        >>> len(learn_template({"a1": 9, "b2": 1}, pages=10))
        1
    """
    floor = max(MIN_PAGES, MIN_SHARE * pages)
    return SiteTemplate(frozenset(key for key, seen in counts.items() if seen >= floor))


def strip_template(
    blocks: list[Block], template: SiteTemplate | None, trace: Trace | None = None
) -> list[Block]:
    """``blocks`` without those of the site's template, within the safety bound.

    Returns ``blocks`` itself when nothing is stripped (no template, no match, or over
    ``MAX_STRIP_SHARE`` of the text would go); ``trace`` learns each stripped block.
    """
    if not template:
        return blocks
    kept = [block for block in blocks if fingerprint(block.text) not in template]
    if len(kept) == len(blocks):
        return blocks
    total = sum(len(block.text) for block in blocks)
    if total - sum(len(block.text) for block in kept) > MAX_STRIP_SHARE * total:
        if trace is not None:
            trace.notes.append("site template: not applied, it would remove most of the text")
        return blocks
    if trace is not None:
        trace.template_dropped(blocks, kept)
    return kept
