"""Per-site block counts in the crawl state, from which each site's template is learned.

Two tables, on the state's connection (as the frontier's):

- ``site_pages``: one row per normalised URL counted: its site, its source, and the
  fingerprints of the blocks its article kept (before any template), so that a page fetched
  again replaces its old blocks instead of counting twice;
- ``site_blocks``: per site and fingerprint, on how many of the site's pages the block stands,
  and (from its second page on) the start of its text, to show what was learned.

A site is the host of the page's final URL, with its port when it has one. Only pages whose
article is counted as the crawl's own (decided ``stored`` or ``unchanged``; not listings,
empty pages or duplicates under a second URL) are counted. A row costs about 40 bytes per
distinct block of the site; nothing is pruned.
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from scraper.crawl.state import State
from scraper.extract.template import MIN_PAGES, BlockPrint, SiteTemplate, learn_template

__all__ = [
    "LEARNED_OUTCOMES",
    "LearnedBlock",
    "LearnedSite",
    "SiteBlocks",
    "record_page",
    "site_of",
]

# The decisions (decide.py) whose pages are counted: each distinct article once.
LEARNED_OUTCOMES: Final = frozenset({"stored", "unchanged"})
_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS site_pages (
    url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    source TEXT NOT NULL,
    fingerprints TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS site_pages_by_site ON site_pages (site);
CREATE TABLE IF NOT EXISTS site_blocks (
    site TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    pages INTEGER NOT NULL,
    sample TEXT,
    PRIMARY KEY (site, fingerprint)
);
"""


def site_of(url: str) -> str:
    """The site a page belongs to: its host, with the port when the URL names one.

    Example:
        >>> site_of("https://News.example.com:8443/a?b=1")
        'news.example.com:8443'
    """
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = parts.hostname or ""
    return f"{host}:{port}" if port else host


@dataclass(frozen=True)
class LearnedBlock:
    """One block of a site's template: its fingerprint, pages holding it, the start of its text."""

    fingerprint: str
    pages: int
    sample: str


@dataclass(frozen=True)
class LearnedSite:
    """A site's counted pages and the blocks of its template, most frequent first."""

    site: str
    pages: int
    blocks: tuple[LearnedBlock, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"site": self.site, "pages": self.pages, "blocks": [b.__dict__ for b in self.blocks]}


class SiteBlocks:
    """The block counts of every site, in the crawl state ``state``."""

    def __init__(self, state: State) -> None:
        self._state = state
        state.db.executescript(_SCHEMA)

    def record(self, url: str, site: str, source: str, prints: Iterable[BlockPrint]) -> None:
        """Count one page's blocks, in place of what was counted for ``url`` before."""
        with self._state.transaction() as db:
            record_page(db, url, site, source, prints)

    def forget(self, db: sqlite3.Connection, site: str | None) -> None:
        """Drop the counts of ``site`` (None: of every site), inside a transaction."""
        where, args = ("WHERE site = ?", (site,)) if site is not None else ("", ())
        db.execute(f"DELETE FROM site_pages {where}", args)
        db.execute(f"DELETE FROM site_blocks {where}", args)

    def templates(self) -> dict[str, SiteTemplate]:
        """The template of every site with counted pages (empty templates left out)."""
        return {s.site: _template(s) for s in self.learned() if s.blocks}

    def learned(self, site: str | None = None) -> list[LearnedSite]:
        """What is learned of each site (or only ``site``), sites in name order."""
        query = "SELECT site, COUNT(*) FROM site_pages GROUP BY site ORDER BY site"
        sizes = [(str(s), int(n)) for s, n in self._state.db.execute(query)]
        return [self._learned(s, n) for s, n in sizes if site is None or s == site]

    def sites_of(self, source: str) -> list[str]:
        """The sites of a source's counted pages, in name order."""
        rows = self._state.db.execute(
            "SELECT DISTINCT site FROM site_pages WHERE source = ? ORDER BY site", (source,)
        )
        return [str(row[0]) for row in rows]

    def _learned(self, site: str, pages: int) -> LearnedSite:
        """One site's template, with the counts and samples of its blocks."""
        rows = self._state.db.execute(
            "SELECT fingerprint, pages, COALESCE(sample, '') FROM site_blocks "
            "WHERE site = ? AND pages >= ? ORDER BY pages DESC, fingerprint",
            (site, MIN_PAGES),
        ).fetchall()
        template = learn_template({str(f): int(n) for f, n, _ in rows}, pages)
        blocks = tuple(LearnedBlock(f, n, s) for f, n, s in rows if f in template)
        return LearnedSite(site, pages, blocks)


def record_page(
    db: sqlite3.Connection, url: str, site: str, source: str, prints: Iterable[BlockPrint]
) -> None:
    """Count one page's blocks inside a transaction, replacing what ``url`` had counted."""
    new = {p.fingerprint: p.sample for p in prints}
    row = db.execute("SELECT site, fingerprints FROM site_pages WHERE url = ?", (url,)).fetchone()
    old_site, old = (str(row[0]), set(str(row[1]).split())) if row else (site, set())
    if old_site != site:
        _count(db, old_site, old, -1)
        old = set()
    _count(db, site, old - new.keys(), -1)
    for key in sorted(new.keys() - old):
        db.execute(
            "INSERT INTO site_blocks (site, fingerprint, pages, sample) VALUES (?, ?, 1, NULL) "
            "ON CONFLICT (site, fingerprint) DO UPDATE SET pages = pages + 1, "
            "sample = COALESCE(sample, ?)",
            (site, key, new[key]),
        )
    db.execute(
        "INSERT OR REPLACE INTO site_pages (url, site, source, fingerprints) VALUES (?, ?, ?, ?)",
        (url, site, source, " ".join(sorted(new))),
    )


def _count(db: sqlite3.Connection, site: str, keys: Iterable[str], step: int) -> None:
    """Add ``step`` to the page counts of ``keys``; blocks on no page any more are dropped."""
    for key in keys:
        db.execute(
            "UPDATE site_blocks SET pages = pages + ? WHERE site = ? AND fingerprint = ?",
            (step, site, key),
        )
        db.execute(
            "DELETE FROM site_blocks WHERE site = ? AND fingerprint = ? AND pages <= 0",
            (site, key),
        )


def _template(site: LearnedSite) -> SiteTemplate:
    """A learned site's template."""
    return SiteTemplate(frozenset(block.fingerprint for block in site.blocks))
