"""``scraper bench`` through click: options, output formats, and the exit status of errors."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from scraper.bench.command import BENCH_ERROR_EXIT, bench_command, make_bench_command
from scraper.bench.extractors import ExtractorSpec

from . import standins
from .benchset import write_set

# Named like the real pair, so that the ratio line shows.
STAND_INS = {
    "scraper": ExtractorSpec("scraper", standins.load_perfect),
    "trafilatura": ExtractorSpec("trafilatura", standins.load_everything),
}


@pytest.fixture
def command() -> click.Command:
    return make_bench_command(STAND_INS)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_set(tmp_path / "tiny")


def test_text_report(command: click.Command, tiny: Path) -> None:
    result = CliRunner().invoke(command, [str(tiny)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("tiny: 3 pages in ")
    assert lines[1].split() == [
        "extractor", "pages", "F1", "prec", "recall", "acc",
        "ms/page", "pages/s", "base", "MB", "peak", "MB", "errors",
    ]  # fmt: skip
    assert lines[2].split()[:3] == ["scraper", "3", "1.000"]
    assert lines[3].split()[0] == "trafilatura"
    assert lines[4].startswith("scraper vs trafilatura: speed x ")
    assert "F1 by page type" in result.stdout
    assert "tiny: 3 pages, scraper, trafilatura" in result.stderr


def test_json_report(command: click.Command, tiny: Path) -> None:
    result = CliRunner().invoke(command, [str(tiny), "--json", "--only", "scraper"])
    assert result.exit_code == 0, result.output
    (bench_set,) = json.loads(result.stdout)["sets"]
    (scraper,) = bench_set["extractors"]
    assert (scraper["name"], scraper["pages"], scraper["f1"], scraper["errors"]) == (
        "scraper",
        3,
        1.0,
        0,
    )
    assert scraper["by_page_type"]["forum"]["pages"] == 1
    assert bench_set["comparison"] is None


def test_per_page_lines(command: click.Command, tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages.jsonl"
    args = [str(tiny), "--limit", "2", "--per-page", str(out)]
    assert CliRunner().invoke(command, args).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["extractor"], r["id"]) for r in records] == [
        ("scraper", "p1"),
        ("scraper", "p2"),
        ("trafilatura", "p1"),
        ("trafilatura", "p2"),
    ]
    assert records[0]["f1"] == 1.0
    assert records[2]["p"] < 1.0


def test_missing_dir_exits_2_with_the_reason(command: click.Command, tmp_path: Path) -> None:
    result = CliRunner().invoke(command, [str(tmp_path / "nope")])
    assert result.exit_code == BENCH_ERROR_EXIT == 2
    assert "no such folder" in result.stderr


def test_unknown_extractor_is_a_usage_error(command: click.Command, tiny: Path) -> None:
    result = CliRunner().invoke(command, [str(tiny), "--only", "goose"])
    assert result.exit_code == 2
    assert "'goose' is not one of" in result.stderr


def test_the_real_command_is_named_bench() -> None:
    assert bench_command.name == "bench"
