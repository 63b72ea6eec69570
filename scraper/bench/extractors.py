"""The extractors the bench compares, each a loader that imports its library on demand.

A loader runs inside the extractor's own worker process, before the memory baseline is taken,
so that each worker holds only its own library: the scraper worker never imports trafilatura
and the other way round. Loaders must be module-level functions, because the spawn start
method sends them to the worker by reference (module and name).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scraper.errors import BenchError

__all__ = ["DEFAULT_EXTRACTORS", "ExtractFn", "ExtractorSpec", "load_scraper", "load_trafilatura"]

# Raw page bytes (gzip-decompressed, not decoded) and the page URL ("" if unknown) -> text.
ExtractFn = Callable[[bytes, str], str]


@dataclass(frozen=True)
class ExtractorSpec:
    """A named extractor: ``load`` imports its library and returns the function to time."""

    name: str
    load: Callable[[], ExtractFn]


def load_scraper() -> ExtractFn:
    """Our extractor: ``scraper.extract(html_bytes, url=url).text``.

    Raises:
        BenchError: ``scraper.extract`` is not there (yet).
    """
    # Looked up at run time: the bench must import and type-check while the API is written.
    package = importlib.import_module("scraper")
    extract = getattr(package, "extract", None)
    if not callable(extract):
        raise BenchError(
            "scraper.extract is not available in this checkout; run with --only trafilatura"
        )

    def run(html: bytes, url: str) -> str:
        return str(extract(html, url=url).text or "")

    return run


def load_trafilatura() -> ExtractFn:
    """trafilatura as the published benchmarks run it: plain text, tables in, comments out.

    The bytes go in undecoded, so trafilatura sniffs the charset as it would in the wild.

    Raises:
        BenchError: trafilatura is not installed.
    """
    try:
        trafilatura = importlib.import_module("trafilatura")
    except ImportError as exc:
        raise BenchError(
            "trafilatura is not installed; pip install 'scraper[bench]' or use --only scraper"
        ) from exc

    def run(html: bytes, url: str) -> str:
        text = trafilatura.extract(
            html,
            url=url or None,
            output_format="txt",
            include_comments=False,
            include_tables=True,
        )
        return str(text or "")

    return run


DEFAULT_EXTRACTORS: Mapping[str, ExtractorSpec] = {
    "scraper": ExtractorSpec("scraper", load_scraper),
    "trafilatura": ExtractorSpec("trafilatura", load_trafilatura),
}
