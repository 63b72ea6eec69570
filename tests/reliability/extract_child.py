"""Run ``extract()`` on one hostile input in a process of its own, and report how it went.

    python tests/reliability/extract_child.py CASE_OR_FILE

CASE is a name from ``CASES`` (the input is built here, so 50 MB never crosses a pipe); FILE is
a page on disk (``.gz`` is unpacked first). Prints one JSON line: ``outcome`` ("article" or
the ScraperError's class name), ``seconds`` spent in extract, ``peak_rss_mb`` of this process
and ``baseline_rss_mb`` (after imports, before the input was built). Any other exception is
the failure under test: its traceback goes to stderr and the exit code is 1. The parent
(test_extract_fuzz.py) kills the process when it outlives its budget: that is a hang.
"""

from __future__ import annotations

import gzip
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from scraper.errors import ScraperError
from scraper.extract import extract

__all__ = ["CASES"]

MB = 1024 * 1024
_PROSE = "The council met on Tuesday, and the vote, after a long debate, was close. " * 20


def _unclosed_tags() -> str:
    """Every kind of container opened and never closed, thousands of times."""
    return "<div><p><span><table><tr><td><ul><li><a href=x><b><i><select><option>" * 2000 + _PROSE


def _deep_divs() -> str:
    """10,000 nested <div>s around a paragraph (a recursive walker would overflow)."""
    return "<div>" * 10_000 + f"<p>{_PROSE}</p>" + "</div>" * 10_000


def _deep_tables() -> str:
    """Tables in cells in tables, 10,002 elements deep, never closed."""
    return "<table><tr><td>" * 3_334 + _PROSE


def _giant_attribute() -> str:
    """One 10 MB class attribute (the page is over the size budget mid-attribute)."""
    return f'<html><body><article class="{"a" * (10 * MB)}"><p>{_PROSE}</p></article></body></html>'


def _nul_bytes() -> bytes:
    """NUL bytes in tags, attributes and text, under the binary-sniffing threshold."""
    return b"<html><bo\x00dy><p class='a\x00b'>" + (_PROSE.encode() + b"\x00") * 50 + b"</p>"


def _invalid_utf8() -> bytes:
    """UTF-8 declared, broken sequences everywhere: overlong, surrogates, truncated, stray."""
    junk = b"\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82 \x80\xbf \xff\xfe "
    return (
        b'<meta charset="utf-8"><title>' + junk + b"</title><p>" + (junk + b"caf\xc3\xa9, ") * 500
    )


def _mixed_encodings() -> bytes:
    """UTF-8 declared; then windows-1252, Shift-JIS, UTF-16 and KOI8-R text in one page."""
    parts = [
        '<meta charset="utf-8"><p>Zürich, naïve, 日本語, '.encode(),
        "café crème, déjà vu, ".encode("cp1252") * 100,
        "日本語の文章です、".encode("shift_jis") * 100,
        "<p>utf-16 in the middle, </p>".encode("utf-16"),
        "Привет, мир, ".encode("koi8-r") * 100,
    ]
    return b"</p><p>".join(parts)


def _text_node_50mb() -> bytes:
    """One 50 MB text node in one paragraph, as bytes (decoded, budgeted, parsed)."""
    return b"<html><body><p>" + b"lorem ipsum, dolor " * (50 * MB // 19) + b"</p></body></html>"


def _script_only_50mb() -> str:
    """A page that is nothing but one 50 MB script."""
    return "<html><head><script>" + "var x = 1; " * (50 * MB // 11) + "</script></head></html>"


# name -> builder of the input; the test names are these.
CASES: dict[str, Callable[[], str | bytes]] = {
    "unclosed-tags": _unclosed_tags,
    "deep-nesting-div-10000": _deep_divs,
    "deep-nesting-table-10000": _deep_tables,
    "giant-attribute-10MB": _giant_attribute,
    "nul-bytes": _nul_bytes,
    "invalid-utf8": _invalid_utf8,
    "mixed-encodings": _mixed_encodings,
    "text-node-50MB": _text_node_50mb,
    "script-only-50MB": _script_only_50mb,
}


def _rss_mb() -> float:
    """This process's peak resident set so far, in MiB.

    VmHWM where Linux has it: ru_maxrss survives execve, so it would report the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(name: str) -> str | bytes:
    """The input: a named case, or a file (gunzipped when it ends in .gz)."""
    if name in CASES:
        return CASES[name]()
    data = Path(name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def main(name: str) -> int:
    """Extract the input once and print the report; an error not ours propagates (exit 1)."""
    baseline = _rss_mb()
    page = _load(name)
    started = time.perf_counter()
    try:
        extract(page, url="https://example.com/2024/01/02/story")
        outcome = "article"
    except ScraperError as exc:
        outcome = type(exc).__name__
    seconds = time.perf_counter() - started
    report = {"outcome": outcome, "seconds": round(seconds, 3), "input_bytes": len(page)}
    report |= {"peak_rss_mb": round(_rss_mb()), "baseline_rss_mb": round(baseline)}
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
