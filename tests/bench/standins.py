"""Stand-in extractors for the runner tests, so that they need neither scraper.extract nor luck.

Loaders are module-level because the spawn start method sends them to workers by reference.
Each stand-in appends "<name> <page id>" to the file named by LOG_ENV, when it is set, so that
a test can see the order in which the workers were fed.
"""

from __future__ import annotations

import os
import re
import sys
import time

from scraper.bench.extractors import ExtractFn
from scraper.errors import BenchError

LOG_ENV = "SCRAPER_BENCH_TEST_LOG"
# The page that makes the misbehaving stand-ins misbehave.
BAD_PAGE = "p2"
_TITLE = re.compile(r"<title>Page (\w+)</title>")
_ARTICLE = re.compile(r"<article>(.*)</article>", re.S)
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")
_HANG_S = 30.0


def _page_id(html: bytes) -> str:
    match = _TITLE.search(html.decode("utf-8"))
    return match.group(1) if match else "?"


def _log(name: str, html: bytes) -> None:
    path = os.environ.get(LOG_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{name} {_page_id(html)}\n")


def _article(html: bytes) -> str:
    match = _ARTICLE.search(html.decode("utf-8"))
    return "\n\n".join(_PARAGRAPH.findall(match.group(1))) if match else ""


def load_perfect() -> ExtractFn:
    """Returns exactly the article's paragraphs: F1 1 on the synthetic set."""

    def run(html: bytes, url: str) -> str:
        _log("perfect", html)
        return _article(html)

    return run


def load_everything() -> ExtractFn:
    """Returns every text of the page, boilerplate included: recall 1, precision below 1."""

    def run(html: bytes, url: str) -> str:
        _log("everything", html)
        return _TAG.sub(" ", html.decode("utf-8"))

    return run


def load_flaky() -> ExtractFn:
    """Raises on BAD_PAGE, perfect elsewhere."""

    def run(html: bytes, url: str) -> str:
        if _page_id(html) == BAD_PAGE:
            raise ValueError("stand-in failure")
        return _article(html)

    return run


def load_crashing() -> ExtractFn:
    """Kills its own process on BAD_PAGE, as a segfaulting parser would."""

    def run(html: bytes, url: str) -> str:
        if _page_id(html) == BAD_PAGE:
            os._exit(3)
        return _article(html)

    return run


def load_hanging() -> ExtractFn:
    """Sleeps far beyond any test timeout on BAD_PAGE."""

    def run(html: bytes, url: str) -> str:
        if _page_id(html) == BAD_PAGE:
            time.sleep(_HANG_S)
        return _article(html)

    return run


def load_unloadable() -> ExtractFn:
    """Fails to load, as scraper.extract does before it exists."""
    raise BenchError("stand-in cannot load; nothing to install, this is a test")


# Modules the parent process has (pytest's runner, the CLI) that a worker must not be given.
PARENT_ONLY_MODULES = ("pytest", "_pytest", "scraper.cli", "click")


def load_module_report() -> ExtractFn:
    """Returns the names of PARENT_ONLY_MODULES imported in the worker, space-separated."""

    def run(html: bytes, url: str) -> str:
        return " ".join(name for name in PARENT_ONLY_MODULES if name in sys.modules)

    return run
