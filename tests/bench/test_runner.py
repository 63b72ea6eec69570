"""The runner end to end on the synthetic set: real worker processes, stand-in extractors."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.bench.data import BenchSet, load_set
from scraper.bench.extractors import DEFAULT_EXTRACTORS, ExtractorSpec
from scraper.bench.runner import run_set
from scraper.bench.scoring import score_set
from scraper.errors import BenchError

from . import standins
from .benchset import write_set

PERFECT = ExtractorSpec("perfect", standins.load_perfect)
EVERYTHING = ExtractorSpec("everything", standins.load_everything)
# Long enough for a loaded machine, short enough for a fast test of the hang path.
SHORT_TIMEOUT_S = 1.0


@pytest.fixture
def tiny(tmp_path: Path) -> BenchSet:
    return load_set(write_set(tmp_path / "tiny"))


def test_workers_are_fed_the_same_pages_interleaved(
    tiny: BenchSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "order.log"
    monkeypatch.setenv(standins.LOG_ENV, str(log))
    run_set(tiny, [PERFECT, EVERYTHING])
    assert log.read_text(encoding="utf-8").split("\n")[:-1] == [
        "perfect p1",
        "everything p1",
        "perfect p2",
        "everything p2",
        "perfect p3",
        "everything p3",
    ]


def test_results_keep_page_order_with_time_and_memory(tiny: BenchSet) -> None:
    (run,) = run_set(tiny, [PERFECT]).runs
    assert [r.page_id for r in run.results] == ["p1", "p2", "p3"]
    assert all(r.elapsed_s > 0 and r.error is None for r in run.results)
    assert 0 < run.baseline_kb <= run.peak_kb
    assert run.restarts == 0


def test_scores_tell_a_perfect_extractor_from_a_greedy_one(tiny: BenchSet) -> None:
    perfect, everything = score_set(run_set(tiny, [PERFECT, EVERYTHING])).extractors
    assert (perfect.summary.f1, perfect.summary.accuracy) == (1.0, 1.0)
    assert everything.summary.recall == 1.0
    assert everything.summary.precision < 1.0
    assert list(perfect.by_page_type) == ["article", "forum"]
    assert perfect.by_page_type["forum"].pages == 1


def test_a_worker_holds_none_of_the_parents_modules(tiny: BenchSet) -> None:
    # The parent here is pytest's runner, as it is the CLI under `scraper bench`: a worker that
    # re-ran the parent's main script (multiprocessing's spawn does) would hold it, and its
    # memory figures would count it.
    (run,) = run_set(tiny, [ExtractorSpec("modules", standins.load_module_report)]).runs
    assert [r.text for r in run.results] == ["", "", ""]


def test_an_exception_counts_as_empty_text_and_an_error(tiny: BenchSet) -> None:
    (run,) = run_set(tiny, [ExtractorSpec("flaky", standins.load_flaky)]).runs
    bad = run.results[1]
    assert (bad.text, bad.error) == ("", "ValueError: stand-in failure")
    assert run.results[2].text  # the worker carried on
    assert run.restarts == 0


def test_a_crashed_worker_is_an_error_and_is_restarted(tiny: BenchSet) -> None:
    (run,) = run_set(tiny, [ExtractorSpec("crashing", standins.load_crashing)]).runs
    assert run.results[1].error == "worker died with exit code 3; worker restarted"
    assert run.results[2].text
    assert run.restarts == 1


def test_a_hung_worker_is_killed_after_the_timeout(tiny: BenchSet) -> None:
    spec = ExtractorSpec("hanging", standins.load_hanging)
    (run,) = run_set(tiny, [spec], page_timeout_s=SHORT_TIMEOUT_S).runs
    assert run.results[1].error == f"no answer within {SHORT_TIMEOUT_S:g} s; worker restarted"
    assert run.results[2].text
    assert run.restarts == 1


def test_an_extractor_that_cannot_load_stops_the_run(tiny: BenchSet) -> None:
    with pytest.raises(BenchError, match="stand-in cannot load"):
        run_set(tiny, [PERFECT, ExtractorSpec("unloadable", standins.load_unloadable)])


def test_unreadable_page_file(tiny: BenchSet) -> None:
    tiny.pages[0].html_path.write_bytes(b"not gzip")
    with pytest.raises(BenchError, match=r"p1\.html\.gz: not a readable gzip file"):
        run_set(tiny, [PERFECT])


def test_trafilatura_end_to_end(tiny: BenchSet) -> None:
    (figures,) = score_set(run_set(tiny, [DEFAULT_EXTRACTORS["trafilatura"]])).extractors
    assert figures.errors == 0
    assert figures.summary.f1 > 0.9
    assert figures.peak_mb >= figures.baseline_mb > 0
