"""Stage 3b: drop the blocks inside the chosen content that are still boilerplate.

In order: link lists and teaser headlines (link density), short boilerplate lines ("Read more",
"Share this", "Advertisement"), bylines and datelines, appeals of any length, rails of other
stories (a list announced by "More ... stories", or teasers at the prose's edges), the headline
repeated at the top or ending a breadcrumb trail, pull quotes that repeat the body, long
paragraphs that stand twice, a run of blocks as long repeated back to back (a page's mobile and
desktop copies), and headings left dangling at the end.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING, Final

from scraper.extract import filter_rules, rules
from scraper.extract.blocks import Block

if TYPE_CHECKING:
    from scraper.extract.trace import BlockPass

__all__ = ["filter_blocks", "link_limit", "normalise"]

_NON_WORD = re.compile(r"\W+")
_LIST_PREFIX = re.compile(r"^(?:- |\d+\. )")  # as blocks.py opens list items
_APPEAL_MAX_CHARS = 600  # longer blocks are articles that may quote an appeal
# Characters that render as nothing: every character str.isspace() knows, and the format
# characters pages use (zero-width space, joiners, direction marks and isolates, word joiner,
# soft hyphen, BOM). A block of only these is empty: page builders put <p>&zwj;</p> between
# paragraphs as spacers (97 on one wcxb-dev page, 260 blocks on 22 pages in all).
_INVISIBLE: Final = (
    "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)


def normalise(text: str) -> str:
    """Case- and punctuation-blind form of a text, for equality tests."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def filter_blocks(
    blocks: list[Block], title: str | None, *, listing: bool = False, log: BlockPass | None = None
) -> list[Block]:
    """The blocks a reader wants, in order; on a listing page, teaser headlines are content.

    ``log``, when given, learns each dropped block's reason (a key of trace_records.DROP_REASONS).
    """
    kept = [block for block in blocks if _drop_reason(block, listing) is None]
    if log is not None:
        for block in blocks:
            reason = _drop_reason(block, listing)
            if reason is not None:
                log.dropped(block, reason)
    if not listing:
        kept = _logged(log, kept, _drop_announced_rails(blocks, kept), "teaser-rail")
        kept = _logged(log, kept, _drop_edge_teasers(kept), "teaser-rail")
    kept = _logged(log, kept, _drop_title(kept, title), "title-repeat")
    kept = _logged(log, kept, _drop_trails(kept, title), "breadcrumb")
    kept = _logged(log, kept, _drop_repeats(kept), "pull-quote")
    kept = _logged(log, kept, _drop_duplicates(kept), "duplicate")
    kept = _logged(log, kept, _drop_repeated_runs(kept), "duplicate")
    while kept and kept[-1].kind == "h":
        heading = kept.pop()
        if log is not None:
            log.dropped(heading, "trailing-heading")
    return kept


def _logged(
    log: BlockPass | None, before: list[Block], after: list[Block], reason: str
) -> list[Block]:
    """``after``, telling the log which blocks of ``before`` it dropped, and why."""
    if log is not None:
        log.dropped_between(before, after, reason)
    return after


def _drop_reason(block: Block, listing: bool) -> str | None:
    """Why one block, seen alone, is not content; None when it is."""
    text = block.text
    if not text.strip(_INVISIBLE):
        return "empty"
    # the base limit first: most blocks pass it, and a sentence's limit is only higher
    linked = (
        block.kind != "pre"
        and block.link_chars > filter_rules.MAX_BLOCK_LINK_DENSITY * len(text)
        and block.link_chars > link_limit(block) * len(text)
    )
    if linked and not (listing and _is_headline(block)):
        return "link-density"
    if len(text) < filter_rules.SHORT_BLOCK_CHARS and filter_rules.BOILERPLATE_TEXT.match(text):
        return "boilerplate-text"
    credit = _credit(block, text)
    if credit is not None:
        return credit
    if len(text) < _APPEAL_MAX_CHARS and filter_rules.APPEAL_TEXT.search(text):
        return "appeal"
    return None


def link_limit(block: Block) -> float:
    """The share of a block's text that may be links: more for a paragraph that reads as a
    sentence (SENTENCE_MAX_LINK_DENSITY), whose links are the names it mentions."""
    text = block.text
    sentence = (
        block.kind == "p"
        and text.rstrip().endswith(filter_rules.SENTENCE_ENDS)
        and len(text.split()) >= filter_rules.SENTENCE_MIN_WORDS
    )
    return (
        filter_rules.SENTENCE_MAX_LINK_DENSITY if sentence else filter_rules.MAX_BLOCK_LINK_DENSITY
    )


def _credit(block: Block, text: str) -> str | None:
    """Why a short credit line is dropped ("dateline" or "byline"), else None. A quoted post's
    own credit ("— Jane Roe (@janeroe) November 18, 2019" in a tweet's blockquote) is part of
    the post, kept."""
    if len(text) >= filter_rules.BYLINE_MAX_CHARS or (
        block.quote and filter_rules.POST_CREDIT.match(text)
    ):
        return None
    if block.has_time:
        return "dateline"
    return "byline" if filter_rules.BYLINE_TEXT.match(text) else None


def _drop_edge_teasers(blocks: list[Block]) -> list[Block]:
    """Remove teaser lists (items opening with linked headlines) before or after the prose.

    Inside the prose such a list is the article's own ("the best tools: ..."); at its edges
    it is a rail of other stories ("Breaking news", "More from us").
    """
    long_ones = [
        i for i, b in enumerate(blocks) if b.kind == "p" and len(b.text) >= filter_rules.PROSE_CHARS
    ]
    if not long_ones:
        return blocks
    first, last = long_ones[0], long_ones[-1]
    return [
        block for i, block in enumerate(blocks) if first <= i <= last or not _is_teaser_list(block)
    ]


def _is_teaser_list(block: Block) -> bool:
    """Whether most items of a list open with a linked headline, and the list stands in a box
    of its own, not among the article's paragraphs."""
    teasers = block.teasers >= filter_rules.TEASER_LIST_SHARE * block.items
    return bool(block.items) and teasers and not block.among_prose


def _is_headline(block: Block) -> bool:
    """A teaser headline (or a list of them): enough words per line to be a title, not a menu."""
    lines = block.text.count("\n") + 1
    return len(block.text.split()) >= filter_rules.HEADLINE_MIN_WORDS * lines


def _drop_title(blocks: list[Block], title: str | None) -> list[Block]:
    """Remove headings that repeat the headline (the h1 inside the body container)."""
    if not title:
        return blocks
    wanted = normalise(title)
    probes = _probes(wanted)
    return [b for b in blocks if not (b.kind in ("h", "p") and _is_text(b.text, wanted, probes))]


def _drop_trails(blocks: list[Block], title: str | None) -> list[Block]:
    """Remove breadcrumb trails: lists whose last item is the headline ("1. Home", "2. Tea",
    "3. Hollis Dripper" under "Hollis Pour-Over Dripper"), however they are marked up."""
    if not title or not any(block.kind == "list" for block in blocks):
        return blocks
    words = set(normalise(title).split())
    return [block for block in blocks if not _is_trail(block, words)]


def _is_trail(block: Block, title_words: set[str]) -> bool:
    """Whether a list of several items ends with the headline, or a short form of it (two
    words or more, all of the headline's)."""
    if block.kind != "list" or block.items < 2:
        return False
    last = normalise(_LIST_PREFIX.sub("", block.text.rpartition("\n")[2])).split()
    return len(last) >= 2 and title_words.issuperset(last)


def _probes(wanted: str) -> tuple[str, ...]:
    """Words of a normal form that any text of that form holds: its first and longest."""
    words = wanted.split(" ")
    return tuple(dict.fromkeys((words[0], max(words, key=len))))


def _is_text(text: str, wanted: str, probes: tuple[str, ...]) -> bool:
    """``normalise(text) == wanted``, cheaply refused first: the normal form is made of the
    case-folded text's words, so it is no longer than that text and holds each word of it
    (``probes``: with the longest word as well as the first, 3x fewer wcxb blocks reach the
    regular expression)."""
    folded = text.casefold()
    if len(folded) < len(wanted) or not all(probe in folded for probe in probes):
        return False
    return _NON_WORD.sub(" ", folded).strip() == wanted


def _drop_repeats(blocks: list[Block]) -> list[Block]:
    """Remove quoted blocks (pull quotes) whose text also stands in a longer block or earlier."""
    if not any(block.quote for block in blocks):
        return blocks  # only a quoted block is ever dropped
    keys = [normalise(block.text) for block in blocks]
    long_texts = [key for key, block in zip(keys, blocks, strict=True) if not block.quote]
    seen: set[str] = set()
    kept = []
    for key, block in zip(keys, blocks, strict=True):
        if block.quote and (key in seen or any(key in t and key != t for t in long_texts)):
            continue
        seen.add(key)
        kept.append(block)
    return kept


def _drop_duplicates(blocks: list[Block]) -> list[Block]:
    """Remove a second copy of a long paragraph or list (a page's mobile and desktop copies,
    a carousel's cloned slides); short lines may repeat on purpose (a meal plan's rows)."""
    seen: set[str] = set()
    kept = []
    for block in blocks:
        if block.kind in ("p", "list") and len(block.text) >= rules.DUPLICATE_MIN_CHARS:
            if block.text in seen:
                continue
            seen.add(block.text)
        kept.append(block)
    return kept


def _drop_repeated_runs(blocks: list[Block]) -> list[Block]:
    """Remove a run of two or more blocks that repeats an earlier run whole and is as long as
    a long paragraph (DUPLICATE_MIN_CHARS): a short product description or a plan's features,
    served twice for mobile and desktop, come out as lines each too short to be a copy."""
    texts = [block.text for block in blocks]
    if len(set(texts)) == len(texts):
        return blocks  # nothing stands twice (most pages): no run can repeat
    first: dict[str, int] = {}
    kept = []
    index = 0
    while index < len(blocks):
        text = texts[index]
        earlier = first.setdefault(text, index)
        if earlier != index:
            length = _run_length(blocks, earlier, index)
            run = blocks[index : index + length]
            if (
                length >= 2
                and earlier + length == index  # the copy follows the first, back to back
                and sum(len(b.text) for b in run) >= rules.DUPLICATE_MIN_CHARS
            ):
                index += length
                continue
        kept.append(blocks[index])
        index += 1
    return kept


def _run_length(blocks: list[Block], earlier: int, later: int) -> int:
    """How many blocks from ``later`` on repeat those from ``earlier`` on, before ``later``."""
    length = 0
    while (
        later + length < len(blocks)
        and earlier + length < later
        and blocks[earlier + length].text == blocks[later + length].text
    ):
        length += 1
    return length


def _drop_announced_rails(blocks: list[Block], kept: list[Block]) -> list[Block]:
    """``kept`` less each list announced as a rail of other stories by the short line just
    before it in ``blocks`` (RAIL_HEADING), and less that line."""
    gone: set[int] = set()
    for line, after in pairwise(blocks):
        if (
            after.kind == "list"
            and len(line.text) <= filter_rules.RAIL_HEADING_MAX_CHARS
            and after.link_chars >= filter_rules.RAIL_MIN_LINK_SHARE * len(after.text)
            and filter_rules.RAIL_HEADING.match(line.text)
        ):
            gone.update((id(line), id(after)))
    return [block for block in kept if id(block) not in gone] if gone else kept
