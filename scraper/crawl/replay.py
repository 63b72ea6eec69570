"""``scraper reextract``: the current extractor over every captured response, records to a sink.

A replay of the crawl from its WARC captures (warc.py), oldest first:

1. **decode** the body as the fetcher does (Content-Type charset, BOM, ``<meta>``, detection);
2. **extract** it with the current extractor, at the final URL, and without the learned
   template of its site when given the templates (``scraper reextract`` reads them from the
   crawl state: that is how pages stored before their site's template was learned lose it);
3. **decide** exactly as the crawl does (decide.py), against what the replay itself has
   stored so far: listing and empty pages are skipped, a URL's text equal to its previous
   stored text is unchanged, a text already held by another URL is a duplicate;
4. **store** anything else as the URL's next revision, with the crawl's record id (the
   normalised URL and the content hash) and ``crawl`` fields from the capture.

So with an unchanged extractor the replay reproduces the crawl's records: the same ids and
revisions, and a sink that holds them already keeps one copy of each. When the extractor's
output changed, a page's new text gets a new id, and its revision counts the distinct texts
the current extractor finds in that URL's captures: the revision the crawl would have given
it had it run this extractor all along (revisions count from the first capture). The crawl
state is not changed (and read only for the templates): the next crawl that fetches such a
page compares it with the text the state holds, stores it as its next revision under the same
id (a no-op for a sink that already has it) and so catches up.
"""

from __future__ import annotations

import email.message
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from scraper.config import SinkConfig
from scraper.crawl.decide import decide
from scraper.crawl.records import CrawlInfo, build_record
from scraper.crawl.sinks import open_configured_sink
from scraper.crawl.site_blocks import site_of
from scraper.crawl.urls import normalise_url
from scraper.crawl.warc import Capture, read_captures
from scraper.decode import decode_html
from scraper.errors import InvalidURLError, NotHTMLError
from scraper.extract import SiteTemplate, extract
from scraper.sink import Sink

__all__ = ["ReextractReport", "charset_of", "reextract", "replay"]

_COMMIT_EVERY: Final = 500  # records between sink commits: a crash costs at most these


@dataclass
class ReextractReport:
    """What a re-extraction did: ``read`` responses, then one outcome each (decide.py's, plus
    ``not_html``), and of the ``stored`` records how many the sink ``already_had``."""

    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class _Replay:
    """The crawl state as the replay rebuilds it, in memory."""

    stored_hash: dict[str, str] = field(default_factory=dict)  # URL -> its last stored text
    revision: dict[str, int] = field(default_factory=dict)  # URL -> its last revision
    holder: dict[str, str] = field(default_factory=dict)  # content hash -> URL storing it
    duplicate_of: dict[str, str] = field(default_factory=dict)  # URL -> URL with its text


def reextract(
    folder: Path, sink_config: SinkConfig, templates: Mapping[str, SiteTemplate] | None = None
) -> ReextractReport:
    """Re-extract every response captured in ``folder`` into the sink ``sink_config`` names,
    each page without its site's template in ``templates`` (site -> template), when given.

    Raises:
        WarcError: the folder is missing or cannot be read (a torn file is only logged).
        SinkError: the sink cannot be opened or written.

    Example:
        >>> report = reextract(Path("warc"), SinkConfig(path=Path("new")))  # doctest: +SKIP
        >>> report.counts["stored"]
        120
    """
    with open_configured_sink(sink_config) as sink:
        return replay(read_captures(folder), sink, templates or {})


def replay(
    captures: Iterable[Capture], sink: Sink, templates: Mapping[str, SiteTemplate] | None = None
) -> ReextractReport:
    """Extract, decide and store each capture in order (see the module docstring)."""
    report = ReextractReport()
    state = _Replay()
    for capture in captures:
        report.counts["read"] += 1
        taken = _take(state, capture, templates or {})
        report.counts[taken.outcome] += 1
        if taken.record is None:
            continue
        if sink.has(taken.record["id"]):
            report.counts["already_had"] += 1
            continue
        sink.write(taken.record)
        if report.counts["stored"] % _COMMIT_EVERY == 0:
            sink.commit()
    sink.commit()
    return report


@dataclass(frozen=True)
class _Taken:
    """One capture's outcome, and its record when the outcome is ``stored``."""

    outcome: str
    record: dict[str, Any] | None = None


def _take(state: _Replay, capture: Capture, templates: Mapping[str, SiteTemplate]) -> _Taken:
    """Decode, extract and decide one capture, updating the replayed state as the crawl would."""
    try:
        url = normalise_url(capture.request_url)
        text = decode_html(capture.body, charset_of(capture.headers)).text
    except (InvalidURLError, NotHTMLError):
        return _Taken("not_html")
    template = templates.get(site_of(capture.final_url))
    article = extract(text, url=capture.final_url, template=template)
    holder = state.holder.get(article.content_hash)
    decision = decide(article, url, state.stored_hash.get(url), holder)
    _set_duplicate(state, url, decision.duplicate_of)
    if decision.outcome != "stored":
        return _Taken(decision.outcome)
    revision = state.revision.get(url, 0) + 1
    info = CrawlInfo(
        capture.source, capture.fetched_at, revision, capture.status, capture.final_url,
        _duplicates(state, url, capture.final_url),
    )  # fmt: skip
    state.stored_hash[url], state.revision[url] = article.content_hash, revision
    state.holder[article.content_hash] = url
    return _Taken("stored", build_record(article, url, info))


def _set_duplicate(state: _Replay, url: str, holder: str | None) -> None:
    """Remember which URL holds ``url``'s text (None: none, or ``url`` itself)."""
    if holder is None:
        state.duplicate_of.pop(url, None)
    else:
        state.duplicate_of[url] = holder


def _duplicates(state: _Replay, url: str, final_url: str) -> list[str]:
    """The record's duplicate_urls, as the crawl lists them: the asked URL when it redirected,
    then the URLs found to carry the same text, sorted."""
    try:
        final = normalise_url(final_url)
    except InvalidURLError:
        final = final_url
    same = sorted(u for u, holder in state.duplicate_of.items() if holder == url)
    return [u for u in (url,) if u != final] + same


def charset_of(headers: Mapping[str, str]) -> str | None:
    """The charset parameter of the Content-Type header, if any."""
    message = email.message.Message()
    for name, value in headers.items():
        if name.lower() == "content-type":
            message["content-type"] = value
            return message.get_content_charset()
    return None
