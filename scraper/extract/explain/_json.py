"""The explanation as plain data: one JSON-ready dict per page (keys in explain/__init__.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any, Final

from scraper.extract.trace import BlockPass, Trace
from scraper.extract.trace_records import BlockRecord, NodeRecord
from scraper.models import Article

__all__ = ["EXPLAIN_VERSION", "explain_json"]

EXPLAIN_VERSION: Final = 1  # bump on any change to the keys below
# Metadata fields in the record's order.
FIELDS: Final = (
    "title", "authors", "published", "modified", "language", "site_name", "description", "tags",
    "image", "image_caption", "canonical_url",
)  # fmt: skip
# Removed tags that are code or markup, not text a reader saw: counted, not listed in order.
SILENT_TAGS: Final = frozenset({"script", "style", "template", "svg", "math", "link", "meta"})


def explain_json(trace: Trace, article: Article) -> dict[str, Any]:
    """Why each part of the page is in or out of ``article``, as a JSON-ready dict.

    Args:
        trace: the Trace that ``extract(..., trace=trace)`` filled.
        article: the Article that call returned.

    Returns:
        A dict with the keys documented in ``scraper.extract.explain``; stable for a given
        EXPLAIN_VERSION.

    Example:
        >>> from scraper.extract import extract
        >>> trace = Trace()
        >>> article = extract("<body><nav>Home</nav><p>Hello, world.</p></body>", trace=trace)
        >>> explain_json(trace, article)["summary"]["removed"]
        {'furniture': 1}
    """
    document = _document(trace)
    return {
        "explain_version": EXPLAIN_VERSION,
        "url": article.url,
        "title": article.title,
        "extractor": {"name": article.extractor_name, "version": article.extractor_version},
        "notes": list(trace.notes),
        "summary": _summary(trace, document),
        "metadata": _metadata(article),
        "page_type": _plain(asdict(trace.page_type)) if trace.page_type else None,
        "container": _plain(asdict(trace.container)) if trace.container else None,
        "document": document,
        "spared": [_node(node) for node in trace.spared],
        "passes": [_pass(block_pass) for block_pass in trace.passes],
    }


def _plain(value: Any) -> Any:
    """Tuples as lists, all the way down: the dict equals its own JSON round trip."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _document(trace: Trace) -> list[dict[str, Any]]:
    """Removed nodes, the used pass's blocks and the blocks outside it, in document order."""
    used = next((p for p in trace.passes if p.used), None)
    blocks = [*(used.records() if used else []), *trace.outside]
    nodes = [n for n in trace.removed if n.text and n.tag not in SILENT_TAGS]
    entries = [*(_block(b) for b in blocks), *(_node(n) for n in nodes)]
    entries.sort(key=lambda entry: int(entry["position"]))  # stable: ties keep their order
    for index, entry in enumerate(entries):
        entry["id"] = f"e{index}"
    return entries


def _block(record: BlockRecord) -> dict[str, Any]:
    """A block entry: kept, or dropped with its reason."""
    return {"entry": "block", "status": "kept" if record.kept else "dropped", **asdict(record)}


def _node(record: NodeRecord) -> dict[str, Any]:
    """A node entry: removed by a clean pass (or spared, outside the document list)."""
    return {"entry": "node", "status": "spared" if record.spared else "removed", **asdict(record)}


def _summary(trace: Trace, document: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts: kept blocks and characters, dropped blocks by reason, removed nodes by stage."""
    kept = [e for e in document if e["entry"] == "block" and e["kept"]]
    dropped = Counter(e["reason"] for e in document if e["entry"] == "block" and not e["kept"])
    return {
        "kept": {"blocks": len(kept), "chars": sum(len(e["text"]) for e in kept)},
        "dropped": dict(sorted(dropped.items(), key=lambda item: -item[1])),
        "removed": dict(Counter(node.stage for node in trace.removed)),
        "removed_by_rule": dict(Counter(node.rule for node in trace.removed).most_common()),
        "spared": len(trace.spared),
    }


def _metadata(article: Article) -> list[dict[str, Any]]:
    """Each metadata field, its value, and where it came from (None when nothing was found)."""
    rows = []
    for name in FIELDS:
        value = getattr(article.metadata, name)
        source = article.metadata.provenance.get(name)
        rows.append(
            {
                "field": name,
                "value": list(value) if isinstance(value, tuple) else value,
                "source": source.source if source else None,
                "raw": source.raw if source else None,
            }
        )
    return rows


def _pass(block_pass: BlockPass) -> dict[str, Any]:
    """One run of stage 7: where it ran, whether it became the article, what it dropped."""
    records = block_pass.records()
    dropped = Counter(r.reason for r in records if not r.kept)
    return {
        "name": block_pass.name,
        "roots": list(block_pass.roots),
        "used": block_pass.used,
        "kept": sum(1 for r in records if r.kept),
        "dropped": dict(dropped),
    }
