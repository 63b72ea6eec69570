"""What a Trace holds: plain, frozen records of the extractor's decisions (no parser nodes).

``trace.py`` fills them while ``extract`` runs; ``explain`` renders them. Positions are document
order (a node's index in a walk of the <body> before cleaning).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = [
    "DROP_REASONS",
    "BlockRecord",
    "CandidateRecord",
    "ContainerRecord",
    "NodeRecord",
    "PageTypeRecord",
    "VoteRecord",
]

# Why stage 7 drops a block: reason code -> (the filter_rules.py table or step that decides, label).
DROP_REASONS: Final = {
    "empty": ("", "no text"),
    "link-density": (
        "MAX_BLOCK_LINK_DENSITY",
        "mostly link text (SENTENCE_MAX_LINK_DENSITY for a sentence)",
    ),
    "boilerplate-text": ("BOILERPLATE_TEXT", "a boilerplate line"),
    "byline": ("BYLINE_TEXT", "a byline"),
    "dateline": ("BYLINE_MAX_CHARS", "a short line holding a <time>: a dateline"),
    "appeal": ("APPEAL_TEXT", "an appeal: donation, newsletter, subscription"),
    "teaser-rail": (
        "TEASER_LIST_SHARE",
        "a teaser rail before or after the prose, not among its paragraphs",
    ),
    "title-repeat": ("metadata title", "repeats the headline"),
    "breadcrumb": ("metadata title", "a breadcrumb trail ending in the headline"),
    "pull-quote": ("quoted repeat", "a pull quote repeating the body"),
    "duplicate": ("DUPLICATE_MIN_CHARS", "a second copy of a long paragraph or list"),
    "trailing-heading": ("trailing heading", "a heading with nothing after it"),
    "outside-container": ("stage 6: score", "outside the chosen container"),
    "site-template": ("SiteTemplate", "site template: the same block on many of its pages"),
}


@dataclass(frozen=True)
class NodeRecord:
    """A node removed by cleaning, or flagged and spared, and the rule that decided."""

    stage: str  # tag, inline-card, hidden, call-to-action, furniture
    tag: str
    node: str  # a CSS-like label: tag#id.class[role=...]
    match: str  # what matched: 'class/id word "related"', "<nav>", 'link "Donate"'
    rule: str  # the rules.py table (or attribute) that matched
    text: str  # whitespace collapsed, cut at TEXT_CHARS
    chars: int  # the node's text length, as cleaning measured it
    position: int
    spared: str = ""  # why a flagged node stayed; empty when it was removed


@dataclass(frozen=True)
class BlockRecord:
    """One block of stage 7, kept or dropped; ``reason`` is a key of DROP_REASONS."""

    position: int
    kind: str
    text: str
    kept: bool
    reason: str = ""
    rule: str = ""
    detail: str = ""


@dataclass(frozen=True)
class CandidateRecord:
    """A container that paragraphs voted for (stage 6), with its scores."""

    node: str
    position: int
    excerpt: str
    raw: float  # tag and class weight plus votes
    link_density: float
    score: float  # raw * (1 - link density)


@dataclass(frozen=True)
class ContainerRecord:
    """Stage 6: the top candidates (best first), the chosen roots and how they were reached."""

    candidates: tuple[CandidateRecord, ...]
    roots: tuple[str, ...]
    wide: str
    decisions: tuple[str, ...]
    voters: int


@dataclass(frozen=True)
class VoteRecord:
    """One signal of the page-type vote: positive weights say article."""

    signal: str
    weight: float
    seen: str


@dataclass(frozen=True)
class PageTypeRecord:
    """Stage 9: each signal's vote, the prior, the sum and the outcome."""

    votes: tuple[VoteRecord, ...]
    prior: float
    score: float
    page_type: str
    confidence: float
