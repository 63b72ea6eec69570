"""The extractor: HTML in, Article out. Pure: no I/O, no clock, no globals.

Stages of ``extract`` (each a module of this package):
1. decode: bytes -> text (BOM, <meta charset>, detection); binary input -> NotHTMLError.
2. budget: inputs over MAX_HTML_CHARS lose their scripts and styles, then their tail.
3. parse: Lexbor; broken HTML never raises. A page that an ``<iframe>`` swallowed (its raw
   text holds the rest of the page: frames.py) is parsed again with every iframe closed.
4. metadata (metadata.py) and declared page types (pagetype.py), on the untouched tree;
   htmldate, the slow last resort for the date, waits for stage 9's votes.
5. clean (clean.py): remove never-content tags, hidden nodes and page furniture.
6. score (score.py): choose the container(s) of the main content.
7. blocks + filter (blocks.py, filter.py): paragraphs, headings, lists...; drop leftovers.
8. fallback, bounded and in order: when 7 keeps fewer than MIN_TEXT_CHARS, run 7 over the
   whole cleaned body; when that is empty too, the body's plain text.
9. page type (pagetype.py), after htmldate's date for an undated page that a date would make
   an article (other undated pages go without it); on a listing page, 7 runs again over the
   whole cleaned body, keeping teaser headlines (a listing's content is its teasers), and so
   on an undeclared forum thread (its question often stands outside the answers); on other
   non-articles (products, services) over the wide container that holds most of the prose.
10. site template (template.py), only when given one: blocks that stand on many pages of the
    page's site are dropped, within a safety bound. Without a template, nothing changes.
11. repair (mojibake.py): text that was UTF-8 read as Latin-1 before the page was served
    ("youâ€™re") is decoded once more, by ftfy, in the blocks kept and the metadata.
12. hashes, Article.
When the stages leave no text and cleaning removed hidden nodes, the page is read once more
with its hidden nodes kept (stage 5's PageKind.keep_hidden).

Every stage takes an optional ``Trace`` (trace.py) and records its decisions there when given
one; with none, no stage computes anything for it. ``explain/`` renders a Trace.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Final
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.decode import Decoded, decode_html, said_utf8
from scraper.errors import ExtractError
from scraper.extract.blocks import Block, blocks_of
from scraper.extract.clean import PageKind, clean
from scraper.extract.filter import filter_blocks
from scraper.extract.frames import closed_frames, swallows_page
from scraper.extract.links import anchors, link_density
from scraper.extract.metadata import MetadataDraft, read_metadata, with_htmldate
from scraper.extract.mojibake import repaired_blocks, repaired_metadata
from scraper.extract.pagetype import (
    Layout,
    PageSignals,
    Shape,
    classify,
    read_declared_types,
    read_layout,
    read_shape,
    reads_whole_body,
)
from scraper.extract.score import find_content
from scraper.extract.sources import PageSources
from scraper.extract.template import SiteExtraction, SiteTemplate, block_prints, strip_template
from scraper.extract.trace import Trace
from scraper.models import Article, Metadata, PageType
from scraper.version import __version__

__all__ = [
    "EXTRACTOR_NAME",
    "SiteExtraction",
    "SiteTemplate",
    "Trace",
    "extract",
    "extract_for_site",
]

EXTRACTOR_NAME: Final = "scraper"
# Pages larger than this (characters) are cut down before parsing: the per-document budget.
MAX_HTML_CHARS: Final = 6_000_000
# Below this, the chosen container is taken to have missed the content (stage 8).
MIN_TEXT_CHARS: Final = 200
# The trace's note when a reading that left no text is followed by one keeping hidden nodes.
_HIDDEN_RETRY: Final = "no text left after hidden nodes were cleaned: read again keeping them"
# A script or style element; an unclosed one runs to the end, as in the HTML tokenizer (and so
# the search never fails and rescans: one pass, where each unclosed one cost a full scan).
_SCRIPTS = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|\Z)", re.I | re.S)


def extract(
    html: str | bytes,
    url: str | None = None,
    *,
    charset: str | None = None,
    trace: Trace | None = None,
    template: SiteTemplate | None = None,
) -> Article:
    """Extract the main content and metadata of one HTML page.

    Args:
        html: the page, as text or as raw bytes (decoded here: BOM, <meta charset>, detection).
        url: the page's address, used to resolve relative links and as a page-type signal.
        charset: the charset the server declared (Content-Type), tried after a BOM.
        trace: a fresh Trace to fill with every stage's decisions (for ``scraper extract
            --explain``); the Article is the same with or without one.
        template: the page's site's learned template (template.py), stripped after stage 9;
            None (the default) strips nothing.

    Returns:
        The Article; ``text`` is empty when the page has no main content.

    Raises:
        NotHTMLError: the bytes are a PDF, an image or other binary data.
        ExtractError: ``url`` is not a parseable URL.

    Example:
        >>> extract("<html><body><article><p>Hello, world.</p></article></body></html>").text
        'Hello, world.'
    """
    return _extract(html, url, charset, trace, template, prints=False).article


def extract_for_site(
    html: str | bytes,
    url: str | None = None,
    *,
    charset: str | None = None,
    template: SiteTemplate | None = None,
) -> SiteExtraction:
    """``extract``, plus the prints of the blocks kept before the template: what a crawl counts
    to learn the site's template (template.py).

    Raises:
        NotHTMLError, ExtractError: as ``extract``.

    Example:
        >>> page = "<html><body><article><p>Hello, world.</p></article></body></html>"
        >>> [p.sample for p in extract_for_site(page).prints]
        ['Hello, world.']
    """
    return _extract(html, url, charset, None, template, prints=True)


def _extract(
    html: str | bytes,
    url: str | None,
    charset: str | None,
    trace: Trace | None,
    template: SiteTemplate | None,
    *,
    prints: bool,
) -> SiteExtraction:
    """Stages 1 to 12 (see the module docstring); block prints only when asked. When they
    leave no text and cleaning removed hidden nodes, the page is read again with its hidden
    nodes kept: they were its content (a portfolio whose grid a script reveals)."""
    _check_url(url)
    source = _Source(html, url, charset, template)
    found, hidden = _read(source, trace, prints=prints)
    if found.article.text or not hidden:
        return found
    if trace is not None:
        trace.restart(_HIDDEN_RETRY)
    return _read(source, trace, prints=prints, keep_hidden=True)[0]


@dataclass(frozen=True)
class _Source:
    """What ``extract`` was given, read once or twice by ``_read``."""

    html: str | bytes
    url: str | None
    charset: str | None
    template: SiteTemplate | None


def _read(
    source: _Source, trace: Trace | None, *, prints: bool, keep_hidden: bool = False
) -> tuple[SiteExtraction, int]:
    """One reading of the page: stages 1 to 12, and the number of hidden nodes cleaned."""
    html, url, charset, template = source.html, source.url, source.charset, source.template
    parsed = _parsed(html, charset, trace)
    page = PageSources(parsed.tree, url)  # one pass: metadata's sources and the declared types
    if swallows_page(page.frames):
        parsed = _reparsed(parsed, trace)
        page = PageSources(parsed.tree, url)
    tree = parsed.tree
    hrefs, base_href = anchors(tree) if prints else ((), None)  # before cleaning changes it
    draft = read_metadata(page)
    declared = read_declared_types(page)
    signals = PageSignals(declared, bool(draft.metadata.published), url, page.cart)
    kind = PageKind(signals.product, signals.discussion, keep_hidden)
    found = _body_blocks(tree, draft.metadata, signals, trace, kind, page.controlled)
    blocks, wide = found.blocks, found.wide
    metadata = _dated(draft, signals, found, parsed)
    signals = replace(signals, has_date=bool(metadata.published))
    page_type, confidence = classify(signals, found.shape, found.links_share, found.layout, trace)
    if reads_whole_body(page_type, signals, found.layout) and tree.body is not None:
        name = "listing" if page_type is PageType.LISTING else "thread"
        blocks = _stage7(name, [tree.body], url, metadata.title, trace, listing=True)
    elif page_type is PageType.OTHER and (trace is not None or found.roots != [wide.mem_id]):
        blocks = _stage7("wide", [wide], url, metadata.title, trace)  # else: the same blocks
    learned = block_prints(blocks) if prints else ()
    blocks = strip_template(blocks, template, trace)
    if trace is not None and tree.body is not None:
        trace.use(blocks, tree.body, url, metadata.title)
    body = "\n\n".join(block.text for block in blocks)
    fixed = _repaired(blocks, body, trace)
    if fixed is not blocks:
        blocks, body = fixed, "\n\n".join(block.text for block in fixed)
    metadata = repaired_metadata(metadata)
    article = Article(
        url=url,
        text=body,
        markdown="\n\n".join(_markdown(block) for block in blocks),
        metadata=metadata,
        page_type=page_type,
        page_type_confidence=confidence,
        content_hash=_sha256(body.encode("utf-8")),
        html_hash=_sha256(parsed.raw),
        extractor_name=EXTRACTOR_NAME,
        extractor_version=__version__,
    )
    return SiteExtraction(article, learned, hrefs, base_href), found.hidden


@dataclass(frozen=True)
class _Parsed:
    """Stages 1 to 3's result: the input's bytes, the text parsed (within budget; None when
    the parser took the bytes, said to be UTF-8, as they are), the tree."""

    raw: bytes
    text: str | None
    tree: LexborHTMLParser

    @property
    def markup(self) -> str:
        """The text parsed; decoded on demand when the parser took the bytes."""
        return self.text if self.text is not None else self.raw.decode("utf-8", "replace")


def _parsed(html: str | bytes, charset: str | None, trace: Trace | None) -> _Parsed:
    """Stages 1 to 3: decode, budget, parse. Bytes said to be UTF-8 (most pages) go to the
    parser as they are, undecoded: only htmldate, on some pages, reads the text (0.11 ms a
    page saved, of 5 on aeb-dev); other UTF-8 bytes go as they are once decoding has found
    them valid; text the parser would encode to UTF-8 first."""
    if isinstance(html, bytes):
        # bytes <= MAX_HTML_CHARS are within budget, as they hold no more characters
        source = said_utf8(html, charset) if len(html) <= MAX_HTML_CHARS else None
        if source is not None:
            if trace is not None:
                trace.notes.append(f"decoded as utf-8 (found by: {source})")
            return _Parsed(html, None, LexborHTMLParser(html))
        decoded = _decoded(html, charset, trace)
        raw, text, exact = html, decoded.text, decoded.utf8
    else:
        raw, text, exact = html.encode("utf-8", "surrogatepass"), html, False
    markup = _within_budget(text, trace)
    return _Parsed(raw, markup, LexborHTMLParser(raw if exact and markup is text else markup))


def _reparsed(parsed: _Parsed, trace: Trace | None) -> _Parsed:
    """Stage 3 again, for a page that an ``<iframe>`` swallowed (frames.py)."""
    if trace is not None:
        trace.notes.append("an <iframe> held the rest of the page as its text: parsed again")
    markup = closed_frames(parsed.markup)
    return _Parsed(parsed.raw, markup, LexborHTMLParser(markup))


def _decoded(html: bytes, charset: str | None, trace: Trace | None) -> Decoded:
    """Stage 1: the page's text; the trace learns which encoding was used and why."""
    decoded = decode_html(html, charset)
    if trace is not None:
        trace.notes.append(f"decoded as {decoded.encoding} (found by: {decoded.source})")
    return decoded


def _check_url(url: str | None) -> None:
    """Refuse a page address that cannot be parsed, before any work is done."""
    if url is None:
        return
    try:
        urlsplit(url)
    except ValueError as error:
        raise ExtractError(
            f"the page URL {url!r} is not a valid URL ({error}); fix --url"
        ) from error


def _within_budget(text: str, trace: Trace | None) -> str:
    """Cut an oversized page down: scripts and styles first, then the tail."""
    if len(text) <= MAX_HTML_CHARS:
        return text
    if trace is not None:
        trace.notes.append(f"{len(text)} characters, over MAX_HTML_CHARS: scripts and tail cut")
    return _SCRIPTS.sub("", text)[:MAX_HTML_CHARS]


@dataclass(frozen=True)
class _BodyBlocks:
    """Stages 5 to 8's result: the kept blocks, the mem_ids of the nodes they were read from,
    the chosen content's link share, its wide container, and the page's cards (stage 9)."""

    blocks: list[Block]
    roots: list[int]
    links_share: float
    wide: LexborNode
    layout: Layout
    hidden: int  # hidden nodes cleaning removed

    @cached_property
    def shape(self) -> Shape:
        """The blocks' words and fragments, read once for every vote on the page."""
        return read_shape(self.blocks)


def _body_blocks(
    tree: LexborHTMLParser,
    metadata: Metadata,
    signals: PageSignals,
    trace: Trace | None,
    kind: PageKind,
    controlled: set[str],
) -> _BodyBlocks:
    """Stages 5 to 8: the kept blocks, the chosen content's link share, its wide container."""
    body = tree.body
    if body is None:  # Lexbor builds a <body> for any input, even an empty one
        raise ExtractError("the HTML parser built no <body>; please report this page")
    if trace is not None:
        trace.begin(body)
    hidden = clean(body, trace, kind, controlled)
    content = find_content(body, trace, declared_article=signals.declared_article)
    links_share = _links_share(content.roots)
    blocks = _stage7("container", content.roots, signals.url, metadata.title, trace)
    roots = [root.mem_id for root in content.roots]
    if sum(len(b.text) for b in blocks) >= MIN_TEXT_CHARS or content.roots == [body]:
        layout = read_layout(body, content.roots)
        return _BodyBlocks(blocks, roots, links_share, content.wide, layout, hidden)
    wider = _stage7("fallback", [body], signals.url, metadata.title, trace)
    if sum(len(b.text) for b in wider) > sum(len(b.text) for b in blocks):
        layout = read_layout(body, [body])
        return _BodyBlocks(wider, [body.mem_id], _links_share([body]), body, layout, hidden)
    layout = read_layout(body, content.roots)
    return _BodyBlocks(blocks, roots, links_share, content.wide, layout, hidden)


def _dated(
    draft: MetadataDraft, signals: PageSignals, found: _BodyBlocks, parsed: _Parsed
) -> Metadata:
    """The metadata, with htmldate's date for an undated page that a date would make an
    article. Other undated pages (listings, shops, hubs) go without: no date changes what they
    are, and htmldate's date on them was most often a copyright year or a time in a script."""
    if not draft.undated:
        return draft.metadata
    dated = replace(signals, has_date=True)
    if classify(dated, found.shape, found.links_share, found.layout)[0] is not PageType.ARTICLE:
        return draft.metadata
    return with_htmldate(draft, parsed.markup, signals.url)  # the only reader of the text


def _stage7(
    name: str,
    roots: list[LexborNode],
    url: str | None,
    title: str | None,
    trace: Trace | None,
    *,
    listing: bool = False,
) -> list[Block]:
    """Blocks under ``roots``, filtered; recorded as a pass called ``name`` when tracing."""
    log = trace.block_pass(name, roots) if trace is not None else None
    return filter_blocks(blocks_of(roots, url, log), title, listing=listing, log=log)


def _repaired(blocks: list[Block], body: str, trace: Trace | None) -> list[Block]:
    """Stage 11 on the blocks (mojibake.py), whose joined text is ``body``; the trace notes a
    repair."""
    fixed = repaired_blocks(blocks, body)
    if trace is not None and fixed is not blocks:
        trace.notes.append("doubly encoded text (UTF-8 read as Latin-1 upstream) repaired")
    return fixed


def _links_share(roots: list[LexborNode]) -> float:
    """Share of the roots' text inside links (each root's text is read once)."""
    sizes = [len(root.text(strip=True)) for root in roots]
    total = sum(sizes)
    if total == 0:
        return 0.0
    pairs = zip(roots, sizes, strict=True)
    return sum(link_density(root, chars) * chars for root, chars in pairs) / total


def _markdown(block: Block) -> str:
    """A block's Markdown, quoted when it stood in a <blockquote>."""
    if not block.quote:
        return block.markdown
    return "\n".join(f"> {line}" if line else ">" for line in block.markdown.split("\n"))


def _sha256(data: bytes) -> str:
    """A content hash in the record's form: 'sha256:<hex>'."""
    return "sha256:" + hashlib.sha256(data).hexdigest()
