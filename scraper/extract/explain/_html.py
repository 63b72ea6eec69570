"""The explanation as one self-contained HTML page: inline CSS, no scripts, no external assets.

It renders the dict of ``explain_json``, so the report and the JSON never disagree. Every
string from the page is HTML-escaped; no page address becomes a link.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any, Final

from scraper.extract.explain._json import explain_json
from scraper.extract.trace import Trace
from scraper.extract.trace_records import DROP_REASONS
from scraper.models import Article

__all__ = ["explain_html"]

EXAMPLES: Final = 4  # entries linked from each summary row
EXAMPLE_CHARS: Final = 70
CSS: Final = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;
color:#1d1d1f;background:#fff}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .5rem;
border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.3rem 0}
td,th{border:1px solid #e2e2e2;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f5f5f7;font-weight:600}
code,.rule{font-family:ui-monospace,monospace;font-size:.85em;background:#f3f3f3;
padding:0 .25em;border-radius:3px}
.muted,.none{color:#777}.num{text-align:right;white-space:nowrap}
.legend span{display:inline-block;padding:0 .5em;margin-right:.4em;border-radius:3px}
ol.doc{list-style:none;padding:0}
ol.doc li{margin:.35rem 0;padding:.35rem .6rem;border-left:5px solid;border-radius:3px}
.kept{background:#eefbea;border-color:#2e9e44}
.dropped,.removed{background:#fdeeee;border-color:#c62828}
.outside{background:#fff5e6;border-color:#e08a00}
.why{font-size:.85em;margin-bottom:.2rem}
.why b{letter-spacing:.03em}
.kept .why b{color:#1b7a30}.dropped .why b,.removed .why b{color:#b71c1c}
.outside .why b{color:#a05f00}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
.dropped .text,.removed .text,.outside .text{text-decoration:line-through;
text-decoration-color:#c6282880;color:#555}
.removed .text{max-height:9em;overflow:auto}
.chosen{background:#eefbea}
"""


def explain_html(trace: Trace, article: Article) -> str:
    """One self-contained HTML page explaining what ``extract`` kept and removed, and why.

    Args:
        trace: the Trace that ``extract(..., trace=trace)`` filled.
        article: the Article that call returned.

    Returns:
        The HTML document as text (UTF-8 when written): summary, metadata with sources, page
        type vote, container choice, the page's blocks in document order, spared nodes.

    Example:
        >>> from scraper.extract import extract
        >>> trace = Trace()
        >>> article = extract("<body><p>Hello, world.</p></body>", trace=trace)
        >>> explain_html(trace, article).startswith("<!DOCTYPE html>")
        True
    """
    data = explain_json(trace, article)
    sections = (
        _header(data),
        _summary(data),
        _metadata(data["metadata"]),
        _page_type(data["page_type"]),
        _container(data["container"], data["passes"]),
        _document(data["document"]),
        _spared(data["spared"]),
    )
    title = _e(f"scraper explain: {data['title'] or data['url'] or 'page'}")
    head = f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
    return f"{head}<style>{CSS}</style></head><body>\n{''.join(sections)}</body></html>\n"


def _e(value: object) -> str:
    """Escape any value for HTML text and attributes."""
    return escape("" if value is None else str(value), quote=True)


def _table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A table; cells are HTML already escaped by the caller."""
    header = "".join(f"<th>{cell}</th>" for cell in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{header}</tr>{body}</table>\n"


def _header(data: dict[str, Any]) -> str:
    """The title line: what page, which extractor, how it was decoded."""
    extractor = data["extractor"]
    notes = "".join(f"<br>{_e(note)}" for note in data["notes"])
    return (
        f"<h1>Why scraper kept what it kept: {_e(data['title'] or 'untitled page')}</h1>\n"
        f'<p class="muted">{_e(data["url"] or "no URL given")} · {_e(extractor["name"])} '
        f"{_e(extractor['version'])}{notes}</p>\n"
    )


def _summary(data: dict[str, Any]) -> str:
    """Counts, then one row per reason linking to the entries it decided."""
    summary, document = data["summary"], data["document"]
    kept = summary["kept"]
    lines = [
        '<h2 id="summary">Summary</h2>',
        f"<p><b>{kept['blocks']}</b> blocks kept ({kept['chars']} characters) · "
        f"<b>{sum(summary['dropped'].values())}</b> blocks dropped · "
        f"<b>{sum(summary['removed'].values())}</b> nodes removed by cleaning · "
        f"<b>{summary['spared']}</b> flagged but spared</p>",
        '<p class="legend"><span class="kept">kept: in the record</span>'
        '<span class="dropped">dropped or removed: not in the record</span>'
        '<span class="outside">outside the chosen container</span></p>',
    ]
    blocks = [e for e in document if e["entry"] == "block" and not e["kept"]]
    rows = []
    for reason, count in summary["dropped"].items():
        rule, label = DROP_REASONS.get(reason, ("", reason))
        which = _examples(e for e in blocks if e["reason"] == reason)
        rows.append((_e(label), _rule(rule), f"{count}", which))
    lines.append(_table(("Blocks dropped because", "rule", "count", "which"), rows))
    nodes = [e for e in document if e["entry"] == "node"]
    by_rule = [
        (_rule(rule), f"{count}", _examples(e for e in nodes if e["rule"] == rule))
        for rule, count in summary["removed_by_rule"].items()
    ]
    lines.append(_table(("Nodes removed by", "count", "which"), by_rule))
    return "\n".join(lines)


def _rule(name: str) -> str:
    """A rules.py table name, marked up."""
    return f'<span class="rule">{_e(name)}</span>' if name else ""


def _examples(entries: Iterable[dict[str, Any]]) -> str:
    """Links to the first few entries, each by the start of its text."""
    links = []
    for count, entry in enumerate(entries):
        if count == EXAMPLES:
            links.append("…")
            break
        text = entry["text"] or entry.get("node", "")
        short = text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…"
        links.append(f'<a href="#{_e(entry["id"])}">{_e(short)}</a>')
    return "<br>".join(links) or '<span class="none">code and media only</span>'


def _metadata(rows: list[dict[str, Any]]) -> str:
    """Each field, its value and the source it came from."""
    cells = []
    for row in rows:
        value = row["value"]
        shown = ", ".join(value) if isinstance(value, list) else value
        none = '<span class="none">none found</span>'
        source = f"<code>{_e(row['source'])}</code>" if row["source"] else none
        cells.append((_e(row["field"]), _e(shown) if shown else none, source, _e(row["raw"])))
    head = ("field", "value", "source", "as found on the page")
    return '<h2 id="metadata">Metadata</h2>\n' + _table(head, cells)


def _page_type(vote: dict[str, Any] | None) -> str:
    """Each signal's weight; a positive sum means article."""
    if vote is None:
        return ""
    rows = [
        (_e(v["signal"]), _e(v["seen"]), f'<span class="num">{v["weight"]:+.1f}</span>')
        for v in vote["votes"]
    ]
    rows.append(("prior", "most pages are not articles", f"{-vote['prior']:+.1f}"))
    rows.append(("<b>sum</b>", "positive means article", f"<b>{vote['score']:+.2f}</b>"))
    verdict = f"<p><b>{_e(vote['page_type'])}</b> (confidence {vote['confidence']})</p>"
    return (
        '<h2 id="page-type">Page type</h2>\n' + verdict + _table(("signal", "seen", "weight"), rows)
    )


def _container(container: dict[str, Any] | None, passes: list[dict[str, Any]]) -> str:
    """Stage 6's steps, its candidates, and each run of the block filter."""
    if container is None:
        return ""
    steps = "".join(f"<li>{_e(step)}</li>" for step in container["decisions"])
    roots = set(container["roots"])
    rows = [
        (_e(c["node"]), f"{c['score']}", f"{c['raw']}", f"{c['link_density']:.0%}",
         _e(c["excerpt"]))
        for c in container["candidates"]
    ]  # fmt: skip
    runs = [
        (_e(p["name"]), _e(", ".join(p["roots"])), "yes" if p["used"] else "no", f"{p['kept']}",
         _e(", ".join(f"{reason} {n}" for reason, n in p["dropped"].items())))
        for p in passes
    ]  # fmt: skip
    return (
        '<h2 id="container">Main container</h2>\n'
        f"<p>{container['voters']} paragraphs voted; chosen: "
        f"<code>{_e(', '.join(sorted(roots)))}</code></p><ol>{steps}</ol>\n"
        + _table(("candidate", "score", "raw", "link density", "text"), rows)
        + "<p>Runs of the block filter (the used one became the record):</p>\n"
        + _table(("run", "over", "used", "kept", "dropped"), runs)
    )


def _document(entries: list[dict[str, Any]]) -> str:
    """The page's blocks and removed nodes in document order, each with its verdict."""
    items = "\n".join(_entry(entry) for entry in entries)
    return f'<h2 id="document">The page, in document order</h2>\n<ol class="doc">\n{items}\n</ol>\n'


def _entry(entry: dict[str, Any]) -> str:
    """One block or removed node, with why it is in or out."""
    if entry["entry"] == "node":
        css = "removed"
        why = (
            f"<b>REMOVED</b> by cleaning ({_e(entry['stage'])}): {_e(entry['match'])} "
            f"{_rule(entry['rule'])} · <code>{_e(entry['node'])}</code> · {entry['chars']} chars"
        )
    elif entry["kept"]:
        css, why = "kept", f"<b>KEPT</b> {_e(entry['kind'])}"
    else:
        css = "outside" if entry["reason"] == "outside-container" else "dropped"
        label = DROP_REASONS.get(entry["reason"], ("", entry["reason"]))[1]
        why = (
            f"<b>{'OUTSIDE' if css == 'outside' else 'DROPPED'}</b> {_e(entry['kind'])}: "
            f"{_e(label)} {_rule(entry['rule'])} · {_e(entry['detail'])}"
        )
    return (
        f'<li id="{_e(entry["id"])}" class="{css}"><div class="why">{why}</div>'
        f'<div class="text">{_e(entry["text"])}</div></li>'
    )


def _spared(nodes: list[dict[str, Any]]) -> str:
    """Nodes a clean rule matched but that stayed, and why."""
    if not nodes:
        return ""
    rows = [
        (_e(n["stage"]), f"<code>{_e(n['node'])}</code>", f"{_e(n['match'])} {_rule(n['rule'])}",
         _e(n["spared"]), _e(n["text"][:EXAMPLE_CHARS * 3]))
        for n in nodes
    ]  # fmt: skip
    head = ("stage", "node", "matched", "kept because", "text")
    return '<h2 id="spared">Flagged but spared</h2>\n' + _table(head, rows)
