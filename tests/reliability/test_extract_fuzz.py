"""Malformed input never breaks ``extract()``: it returns an Article or raises a ScraperError.

Three kinds of evidence, each a small set of tests:
- hypothesis properties, in process, over random bytes, random text (lone surrogates too),
  the fuzzer's HTML grammar (bench/fuzz_extract.py) and mutated golden pages;
- named hostile inputs (extract_child.CASES: 10,000-deep nesting, 50 MB text node, ...), each
  in a process of its own, killed when it outlives a generous budget: a hang, not a slowness;
- every file in fixtures/bad/, an input that once crashed or hung, named after its failure.
Times and peak memory are printed under "reliability figures", never asserted tightly.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from extract_child import CASES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.errors import ExtractError, ScraperError
from scraper.extract import extract
from scraper.models import Article

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("extract_child.py")
BAD = ROOT / "fixtures" / "bad"
GOLDEN = sorted((ROOT / "fixtures" / "pages").glob("*/source.html"))

# Seconds one hostile input may take in its own process before it counts as a hang: generous
# (the slowest case takes about 3 s on a 2-core machine), so a slow CI does not fail by chance.
HANG_BUDGET = 120.0
# Peak RSS above which a 50 MB input counts as unbounded memory (it takes about 270 MB).
MEMORY_BUDGET_MB = 1024

# Examples per property: the module stays well under 30 s; bench/fuzz_extract.py runs long.
FEW = settings(
    max_examples=60,
    deadline=None,  # no wall-clock assertion: CI machines vary
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
URLS = st.sampled_from([None, "https://example.com/", "https://example.com/2024/05/01/a-slug"])


def _load_grammar() -> Any:
    """bench/fuzz_extract.py, whose page_from_bytes turns bytes into hostile HTML."""
    spec = importlib.util.spec_from_file_location("fuzz_extract", ROOT / "bench/fuzz_extract.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


page_from_bytes = _load_grammar().page_from_bytes


def check_extract(page: str | bytes, url: str | None = None) -> Article | None:
    """Extract; the Article (checked to serialise as UTF-8 JSON), or None for our error."""
    try:
        article = extract(page, url=url)
    except ScraperError:
        return None
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")
    assert article.content_hash.startswith("sha256:")
    return article


@FEW
@given(st.binary(max_size=4096), URLS)
def test_random_bytes(data: bytes, url: str | None) -> None:
    check_extract(data, url)


@FEW
@given(st.text(st.characters(codec=None, exclude_categories=()), max_size=2048), URLS)
def test_random_text_with_lone_surrogates(text: str, url: str | None) -> None:
    check_extract(text, url)


@FEW
@given(st.binary(min_size=2, max_size=2048))
def test_html_grammar(data: bytes) -> None:
    check_extract(*page_from_bytes(data))


@dataclass(frozen=True)
class Mutation:
    """Replace page[start:start+length] with ``insert`` (positions as fractions of the page)."""

    start: float
    length: float
    insert: bytes


MUTATIONS = st.builds(
    Mutation,
    st.floats(0, 1),
    st.floats(0, 0.05),
    st.one_of(
        st.binary(max_size=64),
        st.sampled_from([b"<div>" * 500, b"<!--", b"<script>", b"\x00", b"\xff\xfe", b"</p>"]),
    ),
)


def _mutate(page: bytes, mutations: list[Mutation]) -> bytes:
    """The page with each mutation applied in turn."""
    for m in mutations:
        start = int(m.start * len(page))
        page = page[:start] + m.insert + page[start + int(m.length * len(page)) :]
    return page


@FEW
@given(st.sampled_from(GOLDEN), st.lists(MUTATIONS, min_size=1, max_size=8))
def test_mutated_golden_pages_extract_deterministically(
    source: Path, mutations: list[Mutation]
) -> None:
    page = _mutate(source.read_bytes(), mutations)
    first, again = check_extract(page), check_extract(page)
    assert (first and first.to_dict()) == (again and again.to_dict())


def test_malformed_url_argument_raises_our_error() -> None:
    with pytest.raises(ExtractError, match="not a valid URL"):
        extract("<p>hello</p>", url="http://[")


@dataclass(frozen=True)
class Report:
    """What extract_child.py said about one input (or that it was killed as a hang)."""

    returncode: int | None  # None: killed after HANG_BUDGET
    stdout: str
    stderr: str

    @property
    def numbers(self) -> dict[str, Any]:
        """The child's JSON line."""
        return dict(json.loads(self.stdout.splitlines()[-1]))


def _bad_files() -> list[Path]:
    """Every input in fixtures/bad/."""
    return sorted(p for p in BAD.iterdir() if p.suffix in (".html", ".gz"))


@pytest.fixture(scope="module")
def reports() -> Iterator[dict[str, Report]]:
    """Run every named case and bad file at once, each in its own process (the cores share)."""
    names = [*CASES, *(str(p) for p in _bad_files())]
    children = {
        name: subprocess.Popen(
            [sys.executable, str(CHILD), name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    }
    yield {name: _finish(child) for name, child in children.items()}


def _finish(child: subprocess.Popen[str]) -> Report:
    """Wait for a child within HANG_BUDGET; kill it (a hang) when it takes longer."""
    try:
        stdout, stderr = child.communicate(timeout=HANG_BUDGET)
        return Report(child.returncode, stdout, stderr)
    except subprocess.TimeoutExpired:
        child.kill()
        stdout, stderr = child.communicate()
        return Report(None, stdout, stderr)


def _assert_survived(report: Report, name: str) -> dict[str, Any]:
    """The child finished in time and raised nothing but our errors; its figures."""
    assert report.returncode is not None, f"{name}: still running after {HANG_BUDGET:g} s"
    assert report.returncode == 0, f"{name}: extract raised\n{report.stderr}"
    return report.numbers


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_input(
    reports: dict[str, Report], figures: dict[str, list[str]], case: str
) -> None:
    measured = _assert_survived(reports[case], case)
    assert measured["peak_rss_mb"] < MEMORY_BUDGET_MB
    figures.setdefault("hostile inputs survived (seconds in extract, peak RSS)", []).append(
        f"{case}: {measured['seconds']} s, {measured['peak_rss_mb']} MB"
    )


@pytest.mark.parametrize("path", _bad_files(), ids=lambda p: p.name)
def test_bad_fixture(reports: dict[str, Report], figures: dict[str, list[str]], path: Path) -> None:
    measured = _assert_survived(reports[str(path)], path.name)
    figures.setdefault("fixtures/bad survived (seconds in extract)", []).append(
        f"{path.name}: {measured['seconds']} s"
    )
