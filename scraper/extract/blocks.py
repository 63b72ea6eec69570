"""Stage 3a: turn the chosen content nodes into a flat list of text blocks.

A block is what a reader sees as one unit: a paragraph, a heading, a whole list, a <pre>, a
table, a quoted paragraph. Runs of inline content directly inside a container (text outside
any <p>, as old CMSs and some first paragraphs have it) become paragraphs too; an element HTML
does not know (a web component, a misspelt tag) is a container when it holds a block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborNode

from scraper.extract import filter_rules, rules
from scraper.extract.links import joined, origin_of
from scraper.extract.tree import has_block_child, pre_text

if TYPE_CHECKING:
    from scraper.extract.trace import BlockPass

__all__ = ["Block", "blocks_of"]

_PARAGRAPH_BREAK = re.compile(r"\n{2,}")
_MAX_DEPTH = 120  # deeper than this, a subtree is read as one paragraph (bounded recursion)
_MAX_CELL_CHARS = 400  # a cell longer than this is page layout, not data
_COMMENT = "-comment"  # Lexbor's tag name for a comment node


@dataclass(frozen=True)
class Block:
    """One unit of body text, in plain and in Markdown form.

    ``kind`` is p, h, list, pre, table; ``link_chars`` counts the characters inside links.
    """

    kind: str
    text: str
    markdown: str
    link_chars: int = 0
    level: int = 0  # heading level
    quote: bool = False
    has_time: bool = False  # holds a <time> element: a dateline when short
    teasers: int = 0  # list items that open with a linked headline
    items: int = 0  # list items
    among_prose: bool = False  # a list with teasers, beside a long <p> of the same parent


@dataclass
class _Inline:
    """Accumulates inline content: plain text, Markdown, and link characters."""

    text: list[str]
    markdown: list[str]
    link_chars: int = 0
    anchor_chars: int = 0  # of link_chars, those in links to a place on this page ("#id")
    has_time: bool = False
    plain: bool = True  # the Markdown is the text (no link with an address yet)
    first_link: str | None = None  # the first link's collapsed text (links with none skipped)
    unsure: bool = False  # a subtree read whole before any link: it may hide the first one

    def add(self, text: str, markdown: str | None = None) -> None:
        self.text.append(text)
        if markdown is None or markdown == text:
            self.markdown.append(text)
        else:
            self.markdown.append(markdown)
            self.plain = False

    def skip(self) -> None:
        """Note a subtree read as text, not walked: a link inside it goes unseen."""
        if self.first_link is None:
            self.unsure = True


def blocks_of(
    roots: list[LexborNode], base_url: str | None, log: BlockPass | None = None
) -> list[Block]:
    """The blocks under the given nodes, in document order; ``log`` learns each block's node."""
    walker = _Walker(base_url, log)
    for root in roots:
        walker.visit(root, 0, quote=False)
    return walker.blocks


class _Walker:
    """Depth-first walk that emits blocks; one method per kind of element."""

    def __init__(self, base_url: str | None, log: BlockPass | None) -> None:
        self.base_url = base_url
        self.origin = origin_of(base_url) if base_url else None
        self.blocks: list[Block] = []
        self.log = log

    def _emit(self, block: Block, node: LexborNode) -> None:
        self.blocks.append(block)
        if self.log is not None:
            self.log.emitted(block, node)

    def visit(self, node: LexborNode, depth: int, quote: bool) -> None:
        tag = node.tag or ""
        if tag == "-text":
            self._paragraph([node], quote)
        elif depth > _MAX_DEPTH or tag == "p":
            self._paragraph([node] if tag != "p" else _children(node), quote)
        elif tag in rules.HEADING_LEVELS:
            self._heading(node, rules.HEADING_LEVELS[tag], quote)
        elif tag in ("ul", "ol") and _has_items(node):
            self._list(node, quote)
        elif tag == "pre":
            self._pre(node, quote)
        elif tag == "table" and _is_data_table(node):
            self._table(node, quote)
        elif tag == "blockquote":
            self._container(node, depth, quote=True)
        else:
            self._container(node, depth, quote)

    def _container(self, node: LexborNode, depth: int, quote: bool) -> None:
        """Children in order: runs of inline content become paragraphs, blocks recurse. A run
        never opens with blank text (the layout's whitespace between blocks: half of all
        runs), which would come out as no text anyway."""
        run: list[LexborNode] = []
        child = node.child
        while child is not None:
            tag = child.tag
            if tag == "-text":
                if run or (child.text_content or "").strip():
                    run.append(child)
            elif tag in rules.BLOCK_TAGS or (  # an unknown element holding blocks is one
                tag not in rules.INLINE_TAGS and tag != _COMMENT and has_block_child(child)
            ):
                if run:
                    self._paragraph(run, quote)
                    run = []
                self.visit(child, depth + 1, quote)
            elif tag != _COMMENT:
                run.append(child)
            child = child.next
        self._paragraph(run, quote)

    def _paragraph(self, nodes: list[LexborNode], quote: bool) -> None:
        if not nodes:
            return
        inline = _Inline([], [])
        for node in nodes:
            self._inline(node, inline, 0)
        text = _finish(inline.text)
        markdown = text if inline.plain else _finish(inline.markdown)
        parts = text.split("\n\n")  # _finish leaves no longer newline runs
        if len(parts) == 1:
            if text:
                links = 0 if _is_term(nodes[0]) else inline.link_chars
                block = Block("p", text, markdown, links, 0, quote, inline.has_time)
                self._emit(block, nodes[0])
            return
        for part in parts:  # <br><br> separates paragraphs; links are counted per part
            links = inline.link_chars if len(part) >= len(text) else 0
            self._emit(Block("p", part, part, links, quote=quote), nodes[0])

    def _inline(self, node: LexborNode, out: _Inline, depth: int) -> None:
        tag = node.tag
        if tag == "-text":
            out.add(node.text_content or "")
        elif tag == "br":
            out.add("\n")
        elif tag == "time":
            out.has_time = True
            out.skip()
            out.add(node.text(deep=True) or "")
        elif tag == "a":
            raw = node.text(deep=True) or ""
            core = _collapse(raw)
            href = node.attributes.get("href")
            out.link_chars += len(core)
            if href and href.startswith("#"):
                out.anchor_chars += len(core)
            if out.first_link is None and not out.unsure and core:
                out.first_link = core  # a card's image link, with no text, is not its headline
            markdown = f"[{core}]({self._absolute(href)})" if href and core else core
            lead = " " if raw[:1].isspace() else ""
            trail = " " if raw[-1:].isspace() else ""
            out.add(f"{lead}{core}{trail}", f"{lead}{markdown}{trail}")
        elif depth > _MAX_DEPTH:
            out.skip()
            out.add(node.text(deep=True))
        else:
            block = tag in rules.BLOCK_TAGS
            if block:
                out.add("\n\n")
            child = node.child
            while child is not None:
                if child.tag != _COMMENT:
                    self._inline(child, out, depth + 1)
                child = child.next
            if block:
                out.add("\n\n")

    def _heading(self, node: LexborNode, level: int, quote: bool) -> None:
        inline = _Inline([], [])
        self._inline(node, inline, 0)
        text = _collapse(" ".join(inline.text)).strip()
        if text:
            markdown = f"{'#' * level} {text}"
            links = inline.link_chars - inline.anchor_chars  # a permalink is no way out
            self._emit(Block("h", text, markdown, links, level, quote), node)

    def _list(self, node: LexborNode, quote: bool) -> None:
        ordered = node.tag == "ol"
        lines: list[str] = []
        md_lines: list[str] = []
        links = teasers = 0
        for item in _items(node):
            inline = _Inline([], [])
            self._inline(item, inline, 0)
            text = _flat(inline.text)
            if not text:
                continue
            links += inline.link_chars
            teasers += _opens_with_headline(item, text, inline)
            prefix = f"{len(lines) + 1}. " if ordered else "- "
            lines.append(prefix + text)
            md_lines.append(prefix + (text if inline.plain else _flat(inline.markdown)))
        if lines:
            text, markdown = "\n".join(lines), "\n".join(md_lines)
            among = teasers > 0 and _among_prose(node)
            block = Block(
                "list",
                text,
                markdown,
                links,
                0,
                quote,
                teasers=teasers,
                items=len(lines),
                among_prose=among,
            )
            self._emit(block, node)

    def _pre(self, node: LexborNode, quote: bool) -> None:
        text = pre_text(node).strip("\n").rstrip()
        if text.strip():
            self._emit(Block("pre", text, f"```\n{text}\n```", 0, 0, quote), node)

    def _table(self, node: LexborNode, quote: bool) -> None:
        rows, links = [], 0
        for row in node.css("tr"):
            cells = []
            for cell in row.css("td, th"):
                inline = _Inline([], [])
                self._inline(cell, inline, 0)
                links += inline.link_chars
                cells.append(_flat(inline.text))
            if any(cells):
                rows.append(" | ".join(cells))
        if rows:
            markdown = "\n".join(f"| {row} |" for row in rows)
            self._emit(Block("table", "\n".join(rows), markdown, links, 0, quote), node)

    def _absolute(self, href: str) -> str:
        return _resolve(self.base_url, self.origin, href) if self.base_url else href


def _has_items(node: LexborNode) -> bool:
    """Whether a list holds <li> items: carousels put their slides in a <ul> as <div>s."""
    child = node.child
    while child is not None:
        if child.tag == "li":
            return True
        child = child.next
    return False


def _items(node: LexborNode) -> list[LexborNode]:
    """A list's <li> items, with those of lists nested straight in it (``<ul><li>A</li><ul>
    <li>B</li></ul></ul>``, as some editors write a sub-list: its items were lost), in
    document order; walked with a stack, at most _MAX_DEPTH lists deep."""
    items = []
    resume: list[LexborNode | None] = []  # where each enclosing list goes on
    child = node.child
    while child is not None or resume:
        if child is None:
            child = resume.pop()
            continue
        if child.tag == "li":
            items.append(child)
        elif child.tag in ("ul", "ol") and len(resume) < _MAX_DEPTH:
            resume.append(child.next)
            child = child.child
            continue
        child = child.next
    return items


def _is_term(node: LexborNode) -> bool:
    """Whether the node stands in a <dt> that a <dd> describes: a docs entry's name, often a
    link to its own page ("WebSocket.close()"), is a label of the text, not a way out."""
    term = node.parent
    if term is None or term.tag != "dt":
        return False
    sibling = term.next
    while sibling is not None and not sibling.is_element_node:
        sibling = sibling.next
    return sibling is not None and sibling.tag == "dd"


# Sized like the caches of classes.py (see there); keyed by strings only, never by a node.
@lru_cache(maxsize=1024)
def _resolve(base_url: str, origin: str | None, href: str) -> str:
    """``href`` against the page's address (cached: menus repeat, and passes re-read links)."""
    try:
        return joined(base_url, origin, href)
    except ValueError:  # not a URL (``http://[``): the link keeps the page's own value
        return href


def _among_prose(node: LexborNode) -> bool:
    """Whether the node stands in the article's own text, not in a box of its own: a long
    paragraph (PROSE_CHARS) is its sibling, and no recirculation heading ("More from Local",
    BOILERPLATE_TEXT) introduces it."""
    parent = node.parent
    if parent is None or _after_recirculation_heading(node):
        return False
    return any(
        child.tag == "p" and len(child.text(strip=True)) >= filter_rules.PROSE_CHARS
        for child in parent.iter()
    )


def _after_recirculation_heading(node: LexborNode) -> bool:
    """Whether the element just before the node is a heading reading as boilerplate."""
    before = node.prev
    while before is not None and not before.is_element_node:
        before = before.prev
    if before is None or before.tag not in rules.HEADING_LEVELS:
        return False
    return bool(filter_rules.BOILERPLATE_TEXT.match(before.text(strip=True)))


def _opens_with_headline(item: LexborNode, text: str, inline: _Inline) -> bool:
    """Whether a list item starts with a link of a few words (a teaser's headline)."""
    headline = inline.first_link
    if inline.unsure:
        texts = (_collapse(link.text(deep=True)) for link in item.css("a"))
        headline = next((text for text in texts if text), None)
    if headline is None:
        return False
    return len(headline.split()) >= filter_rules.TEASER_HEADLINE_WORDS and text.startswith(headline)


def _is_data_table(table: LexborNode) -> bool:
    """A table of rows and cells, not a page laid out with a table."""
    if len(table.css("table")) > 1:  # css() matches the node itself too
        return False
    cells = table.css("td, th")
    return len(cells) >= 2 and all(len(c.text(strip=True)) <= _MAX_CELL_CHARS for c in cells)


def _children(node: LexborNode) -> list[LexborNode]:
    """Element and text children, comments left out."""
    out = []
    child = node.child
    while child is not None:
        if child.tag != _COMMENT:
            out.append(child)
        child = child.next
    return out


def _collapse(text: str | None) -> str:
    """Runs of whitespace (newlines included) to one space, trimmed."""
    return " ".join((text or "").split())


def _flat(parts: list[str]) -> str:
    """Join inline pieces on one line: every whitespace run, newlines too, to one space."""
    return " ".join("".join(parts).split())


def _finish(parts: list[str]) -> str:
    """Join inline pieces: collapse source whitespace, keep <br> newlines, trim each line.

    Only the newline pieces (<br>, block edges) break lines; within a line every whitespace
    run becomes one space (str.split's whitespace is exactly the regex class of whitespace).
    """
    joined = "".join(parts)
    if "\n" not in joined:  # three pieces in four: no break and no source newline
        return " ".join(joined.split())
    joined = "".join(p if p in ("\n", "\n\n") else p.replace("\n", " ") for p in parts)
    if "\n" not in joined:
        return " ".join(joined.split())
    joined = "\n".join(" ".join(line.split()) for line in joined.split("\n"))
    return _PARAGRAPH_BREAK.sub("\n\n", joined).strip()
