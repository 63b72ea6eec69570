"""Fuzz ``extract()``: coverage-guided with atheris, or a long hypothesis run where it is missing.

Each fuzz input (bytes) becomes one page (``page_from_bytes``): its first byte picks how, raw
bytes as they came, or a token grammar of HTML pieces (tags, attributes, JSON-LD, charsets, NUL
bytes, invalid UTF-8, entities, a repeat operator for deep nesting, giant attributes) handed to
``extract`` as UTF-8 bytes, as a str with lone surrogates, or as bytes in mixed encodings.
The golden pages seed the corpus, so mutations start from real articles.

The property: ``extract`` returns an Article, or raises a ``ScraperError``. Anything else is a
finding: the first input of each distinct crash site is saved to OUT/crash-<Error>-<where>.html
and fuzzing goes on. The slowest input is saved as OUT/slowest.html. At the end one JSON line
reports inputs tried, seconds fuzzed, findings, the slowest input's time and peak RSS.

    python bench/fuzz_extract.py --seconds 600              # atheris when installed
    python bench/fuzz_extract.py --seconds 600 --engine hypothesis
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # scraper is imported late: atheris must instrument it first

# Page URLs the fuzzer passes along (valid ones: a malformed ``url`` argument is the caller's
# error, see the reliability tests).
URLS = (None, "https://example.com/2024/05/01/a-long-story-slug", "https://example.com/", "x")

# The grammar's pieces: one fuzz byte picks one.
TOKENS: tuple[bytes, ...] = tuple(
    t.encode("utf-8", "surrogatepass") if isinstance(t, str) else t
    for t in (
        "<html>",
        "<head>",
        "<body>",
        "</body>",
        "</html>",
        "<!doctype html>",
        "<title>",
        "</title>",
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<span>",
        "</span>",
        "<ul>",
        "<li>",
        "</li>",
        "</ul>",
        "<ol>",
        "<table>",
        "<tr>",
        "<td>",
        "</td>",
        "</table>",
        "<th>",
        "<article>",
        "</article>",
        "<main>",
        "<section>",
        "<blockquote>",
        "</blockquote>",
        "<pre>",
        "</pre>",
        "<h1>",
        "</h1>",
        "<h2>",
        "<br>",
        "<img src=a.png alt=x>",
        "<a href=/x>",
        "<a href='http://['>",
        "</a>",
        "<script>",
        "</script>",
        "<style>",
        "</style>",
        "<noscript>",
        "<template>",
        "<svg><desc>",
        "<math><mi>",
        "<textarea>",
        "<iframe srcdoc='<p>x'>",
        "<select><option>",
        "<nav>",
        "<footer>",
        "<aside>",
        "<header>",
        "<form><input type=email>",
        "<figure><img src=b.jpg><figcaption>",
        "<time datetime='2024-02-30T25:61'>",
        "<dl><dt>",
        "<dd>",
        "<font>",
        "<center>",
        '<div class="post-content">',
        '<div class="share newsletter">',
        '<div id="comments">',
        '<div style="display:none">',
        "<div hidden>",
        '<div aria-hidden="true">',
        '<div role="navigation">',
        '<meta charset="utf-16">',
        '<meta charset="x-bogus">',
        '<meta charset="shift_jis">',
        '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">',
        '<meta property="og:title" content="T">',
        '<meta name="author" content="By A and B">',
        '<meta property="article:published_time" content="9999-99-99">',
        '<link rel="canonical" href="//[x]">',
        '<script type="application/ld+json">',
        '{"@type":"NewsArticle","headline":"H","author":{"name":[1,{"@id":"#a"}]},'
        '"datePublished":"2024-01-01"}',
        '{"@graph":[{"@id":"#a","author":{"@id":"#a"}}]',
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<?xml version='1.0'?>",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "&#xD800;",
        "&nbsp;",
        "&",
        "<",
        ">",
        '"',
        "'",
        "=",
        "Lorem ipsum, dolor sit amet, consectetur. ",
        "Read more",
        "Subscribe",
        "Donate",
        "By Jane Doe",
        "Advertisement",
        "café crème, ",
        "日本語の文章、",
        "مرحبا ",
        "😀",
        "\u202e",
        "\ufeff",
        "\r\n",
        "\t",
        "\x00",
        "\x0b",
        b"\xff",
        b"\xc3\x28",
        b"\xed\xa0\x80",
        b"\xe9\xe8",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\x93quoted\x94",
        "\ud800",
    )
)
_REPEAT, _RAW, _GIANT = 253, 254, 255  # grammar operators: repeat last, raw bytes, big attribute
_MAX_PAGE = 4 * 1024 * 1024  # bytes: keeps one input well under a second
_MIXED = ("cp1252", "utf-16", "shift_jis", "koi8-r", "gb18030")


def page_from_bytes(data: bytes) -> tuple[str | bytes, str | None]:
    """The page and URL that one fuzz input stands for (see the module docstring)."""
    if len(data) < 2:
        return data, None
    mode, url, rest = data[0] % 4, URLS[data[1] % len(URLS)], data[2:]
    if mode == 0:
        return rest, url
    page = _grammar(rest)
    if mode == 1:
        return page, url
    if mode == 2:
        return page.decode("utf-8", "surrogateescape"), url
    half = len(page) // 2
    second = (
        page[half:].decode("utf-8", "replace").encode(_MIXED[len(page) % len(_MIXED)], "replace")
    )
    return page[:half] + second, url


def _grammar(data: bytes) -> bytes:
    """Bytes -> HTML: each byte a token, or an operator reading the next byte."""
    out: list[bytes] = []
    size, last, i = 0, b"", 0
    while i < len(data) and size < _MAX_PAGE:
        op, arg = data[i], data[i + 1] if i + 1 < len(data) else 0
        if op == _REPEAT:
            piece, i = last * (arg * 16), i + 2
        elif op == _RAW:
            piece, i = data[i + 2 : i + 2 + arg], i + 2 + arg
        elif op == _GIANT:
            piece, i = b'<div data-x="' + b"a" * (arg * 8192) + b'">', i + 2
        else:
            piece, i = TOKENS[op % len(TOKENS)], i + 1
            last = piece
        out.append(piece)
        size += len(piece)
    return b"".join(out)[:_MAX_PAGE]


@dataclass
class Stats:
    """What one fuzz run saw."""

    out: Path
    ours: type[Exception]  # ScraperError, imported once the engine is set up
    started: float = field(default_factory=time.monotonic)
    inputs: int = 0
    scraper_errors: int = 0
    findings: dict[str, str] = field(default_factory=dict)  # crash site -> saved file
    slowest: float = 0.0

    def summary(self, engine: str) -> dict[str, object]:
        """The figures to report, as one JSON object."""
        return {
            "engine": engine,
            "inputs": self.inputs,
            "seconds": round(time.monotonic() - self.started, 1),
            "inputs_per_second": round(self.inputs / max(time.monotonic() - self.started, 1e-9)),
            "scraper_errors": self.scraper_errors,
            "findings": self.findings,
            "slowest_input_seconds": round(self.slowest, 3),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }


def one_input(stats: Stats, extract: Callable[..., object], data: bytes) -> None:
    """Run extract on one fuzz input; record errors that are not ours, and the slowest input."""
    page, url = page_from_bytes(data)
    stats.inputs += 1
    started = time.perf_counter()
    try:
        extract(page, url=url)
    except stats.ours:
        stats.scraper_errors += 1
    except Exception as exc:  # the finding: anything that is not one of our errors
        _record(stats, exc, page)
    elapsed = time.perf_counter() - started
    if elapsed > stats.slowest:
        stats.slowest = elapsed
        _save(stats.out / "slowest.html", page)


def _record(stats: Stats, exc: Exception, page: str | bytes) -> None:
    """Save the first input of each crash site (exception type, innermost scraper frame)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/scraper/" in f.filename]
    where = f"{Path(frames[-1].filename).stem}-{frames[-1].lineno}" if frames else "outside"
    site = f"{type(exc).__name__}-{where}"
    if site not in stats.findings:
        path = stats.out / f"crash-{site}.html"
        _save(path, page)
        stats.findings[site] = str(path)
        print(f"finding: {site}: {exc!r} -> {path}", file=sys.stderr, flush=True)


def _save(path: Path, page: str | bytes) -> None:
    """Write a page as the bytes extract saw (a str with lone surrogates kept as such)."""
    path.write_bytes(page if isinstance(page, bytes) else page.encode("utf-8", "surrogatepass"))


def _seed_corpus(directory: Path) -> None:
    """The golden pages as seeds, in raw mode (first byte 0, second the URL)."""
    directory.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / "fixtures" / "pages").glob("*/source.html")):
        data = source.read_bytes()
        (directory / f"{source.parent.name}-raw").write_bytes(b"\x00\x01" + data)


def run_atheris(stats: Stats, seconds: float) -> None:
    """Coverage-guided fuzzing of the Python code of scraper (Lexbor itself is C, unseen)."""
    import atheris

    with atheris.instrument_imports(include=["scraper"]):
        from scraper.errors import ScraperError
        from scraper.extract import extract

    stats.ours = ScraperError

    def test_one_input(data: bytes) -> None:
        one_input(stats, extract, data)
        if time.monotonic() - stats.started > seconds:
            print(json.dumps(stats.summary("atheris")), flush=True)
            os._exit(1 if stats.findings else 0)  # libFuzzer has no clean stop from Python

    corpus = stats.out / "corpus"
    _seed_corpus(corpus)
    args = [sys.argv[0], str(corpus), "-max_len=65536", "-timeout=60", "-rss_limit_mb=4096"]
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


def run_hypothesis(stats: Stats, seconds: float) -> None:
    """Random (not coverage-guided) inputs through the same grammar, until time is up."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from scraper.errors import ScraperError
    from scraper.extract import extract

    stats.ours = ScraperError
    pages = sorted((ROOT / "fixtures" / "pages").glob("*/source.html"))
    seeds = [b"\x00\x01" + page.read_bytes() for page in pages]

    @settings(
        max_examples=5000, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(st.one_of(st.binary(max_size=65536), st.sampled_from(seeds)))
    def batch(data: bytes) -> None:
        one_input(stats, extract, data)

    while time.monotonic() - stats.started < seconds:
        batch()
    print(json.dumps(stats.summary("hypothesis")), flush=True)


def main() -> None:
    """Parse the options and fuzz."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=600.0, help="how long to fuzz")
    parser.add_argument("--engine", choices=("atheris", "hypothesis"), default=None)
    parser.add_argument("--out", type=Path, default=None, help="findings folder (default: temp)")
    options = parser.parse_args()
    out = options.out or Path(tempfile.mkdtemp(prefix="fuzz-extract-"))
    out.mkdir(parents=True, exist_ok=True)
    engine = options.engine or ("atheris" if _has_atheris() else "hypothesis")
    print(f"fuzzing extract() with {engine} for {options.seconds:g} s; findings in {out}")
    stats = Stats(out, Exception)
    (run_atheris if engine == "atheris" else run_hypothesis)(stats, options.seconds)


def _has_atheris() -> bool:
    """Whether atheris is importable (it has wheels for some Pythons only)."""
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
