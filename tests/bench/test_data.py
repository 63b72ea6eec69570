"""Loading bench set folders, and refusing broken ones with a message that says what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.bench.data import UNKNOWN_PAGE_TYPE, default_sets, load_set
from scraper.errors import BenchError

from .benchset import truth, write_set


def test_loads_pages_sorted_with_truth_url_and_type(tmp_path: Path) -> None:
    bench_set = load_set(write_set(tmp_path / "tiny"))
    assert bench_set.name == "tiny"
    assert [p.page_id for p in bench_set.pages] == ["p1", "p2", "p3"]
    first = bench_set.pages[0]
    assert (first.truth, first.url, first.page_type) == (
        truth("p1"),
        "https://example.com/p1",
        "article",
    )
    assert first.html_path.is_file()
    assert bench_set.has_page_types


def test_limit_keeps_the_first_ids(tmp_path: Path) -> None:
    bench_set = load_set(write_set(tmp_path / "tiny"), limit=2)
    assert [p.page_id for p in bench_set.pages] == ["p1", "p2"]


def test_without_meta_pages_have_unknown_type(tmp_path: Path) -> None:
    bench_set = load_set(write_set(tmp_path / "tiny", with_meta=False))
    assert not bench_set.has_page_types
    assert {p.page_type for p in bench_set.pages} == {UNKNOWN_PAGE_TYPE}


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(BenchError, match="no such folder"):
        load_set(tmp_path / "nope")


def test_missing_ground_truth(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "tiny")
    (folder / "ground-truth.json").unlink()
    with pytest.raises(BenchError, match=r"ground-truth\.json: missing"):
        load_set(folder)


def test_ground_truth_not_json(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "tiny")
    (folder / "ground-truth.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(BenchError, match="cannot be read as JSON"):
        load_set(folder)


def test_ground_truth_not_an_object(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "tiny")
    (folder / "ground-truth.json").write_text("[]", encoding="utf-8")
    with pytest.raises(BenchError, match="must hold a JSON object"):
        load_set(folder)


def test_entry_without_article_body(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "tiny")
    (folder / "ground-truth.json").write_text(json.dumps({"p1": {"url": ""}}), encoding="utf-8")
    with pytest.raises(BenchError, match="page 'p1': needs an object with a string articleBody"):
        load_set(folder)


def test_empty_ground_truth(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "tiny")
    (folder / "ground-truth.json").write_text("{}", encoding="utf-8")
    with pytest.raises(BenchError, match="holds no pages"):
        load_set(folder)


def test_missing_html(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "tiny")
    (folder / "html" / "p2.html.gz").unlink()
    with pytest.raises(BenchError, match=r"page 'p2': its HTML .*p2\.html\.gz is missing"):
        load_set(folder)


def test_meta_entry_not_an_object(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "tiny")
    (folder / "meta.json").write_text(json.dumps({"p1": "article"}), encoding="utf-8")
    with pytest.raises(BenchError, match=r"meta\.json: page 'p1': entry must be an object"):
        load_set(folder)


def test_default_sets_found_from_a_root_and_missing_ones_noted(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    write_set(tmp_path / "shared" / "bench" / "aeb-dev")
    notes: list[str] = []
    found = default_sets(notes.append, roots=[tmp_path / "a" / "b", repo])
    assert found == [(tmp_path / "shared" / "bench" / "aeb-dev").resolve()]
    assert len(notes) == 1
    assert notes[0].startswith("skipping default set wcxb-dev: not found at ")
