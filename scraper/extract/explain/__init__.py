"""Explain one extraction: why each part of the page is in the record or not.

``scraper extract PAGE --explain report.html`` and ``--explain-json report.json`` call these::

    trace = Trace()
    article = extract(html, url, trace=trace)
    explain_html(trace, article)  # one self-contained HTML page
    explain_json(trace, article)  # the same, as a JSON-ready dict

The dict's keys (stable for a given ``EXPLAIN_VERSION``):

- ``explain_version``, ``url``, ``title``, ``extractor`` ({name, version}), ``notes`` (decoding,
  size budget).
- ``summary``: ``kept`` ({blocks, chars}); ``dropped`` (reason -> blocks, the document's
  dropped and outside blocks); ``removed`` (clean stage -> nodes); ``removed_by_rule``
  (rules.py table -> nodes); ``spared`` (nodes flagged but kept).
- ``metadata``: one row per field in record order: {field, value, source, raw}; source and raw
  are null when no source had a value.
- ``page_type``: {votes: [{signal, weight, seen}], prior, score, page_type, confidence}.
- ``container``: {candidates: [{node, position, excerpt, raw, link_density, score}] best
  first, roots, wide, decisions (each step in words), voters}.
- ``document``: the page in document order. Blocks: {entry: "block", status: kept|dropped,
  position, kind, text, kept, reason, rule, detail, id}; ``reason`` is a key of
  ``trace_records.DROP_REASONS`` ("outside-container" for blocks outside the chosen container).
  Nodes removed by cleaning: {entry: "node", status: "removed", stage (tag, inline-card,
  hidden, call-to-action, furniture), tag, node (tag#id.class), match, rule, text, chars, position,
  spared, id}. Scripts, styles and nodes without text are counted in ``summary`` only.
- ``spared``: node entries with status "spared" and ``spared`` saying why they stayed.
- ``passes``: each run of the block filter: {name, roots, used, kept, dropped}.
"""

from __future__ import annotations

from scraper.extract.explain._html import explain_html
from scraper.extract.explain._json import EXPLAIN_VERSION, explain_json

__all__ = ["EXPLAIN_VERSION", "explain_html", "explain_json"]
