"""Per-site template learning on a 50-page site whose boilerplate no rule can see.

Prints the shingle F1 (scraper/bench/metric.py) against the known bodies without and with
learning; run with ``-s`` to see it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from boilersite import (
    ARTICLES,
    BOILERPLATE,
    QUOTED_PARAGRAPH,
    body_paragraphs,
    build_boiler_site,
    write_boiler_config,
)
from click.testing import CliRunner
from records import read_records
from server import TestServer

from scraper.bench.metric import score_page, summarise
from scraper.cli import cli
from scraper.config import Config, SinkConfig, load_config
from scraper.crawl import QuietObserver, crawl, learn, learned_templates, reextract, source_status


def _setup(tmp_path: Path, server: TestServer) -> tuple[Path, Config]:
    build_boiler_site(server)
    path = tmp_path / "config.toml"
    path.write_text(write_boiler_config(str(tmp_path), server), encoding="utf-8")
    return path, load_config(path)


def _crawl(config: Config) -> dict[str, int]:
    result = crawl(config, QuietObserver())
    assert result.ok
    return dict(result.reports[0].counts)


def _f1(records: list[dict[str, Any]]) -> float:
    texts = {int(r["url"].rsplit("-", 1)[1]): r["text"] for r in records}
    assert sorted(texts) == list(range(ARTICLES))
    truth = {n: "\n\n".join(body_paragraphs(n)) for n in texts}
    return summarise([score_page(texts[n], truth[n]) for n in sorted(texts)]).f1


def _latest(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for record in records:
        latest[record["url"]] = record
    return list(latest.values())


def _assert_bodies_survive(records: list[dict[str, Any]]) -> None:
    for record in records:
        number = int(record["url"].rsplit("-", 1)[1])
        assert all(p in record["text"] for p in body_paragraphs(number)), record["url"]
        assert not any(b in record["text"].split("\n\n") for b in BOILERPLATE), record["url"]


def test_learn_then_reextract_raises_f1_and_keeps_every_body_paragraph(
    tmp_path: Path, http_server: TestServer
) -> None:
    _, config = _setup(tmp_path, http_server)
    assert _crawl(config)["stored"] == ARTICLES
    without = _f1(read_records(tmp_path / "out"))
    report = learn(config)
    (site,) = report.sites
    assert (report.counted, site.pages, len(site.blocks)) == (ARTICLES, ARTICLES, len(BOILERPLATE))
    assert {b.sample for b in site.blocks} == set(BOILERPLATE)
    templates = learned_templates(config.crawl.state)
    reextract(tmp_path / "warc", SinkConfig(path=tmp_path / "learned"), templates)
    learned = read_records(tmp_path / "learned")
    with_learning = _f1(learned)
    print(f"\nshingle F1 on {ARTICLES} pages: {without:.3f} without, {with_learning:.3f} with")
    assert without < 0.9 < 0.99 < with_learning
    _assert_bodies_survive(learned)
    assert any(QUOTED_PARAGRAPH in r["text"] for r in learned)


def test_a_second_crawl_strips_what_the_first_learned(
    tmp_path: Path, http_server: TestServer
) -> None:
    _, config = _setup(tmp_path, http_server)
    _crawl(config)
    assert _crawl(config)["stored"] == ARTICLES  # each page's text changed: revision 2
    latest = _latest(read_records(tmp_path / "out"))
    assert {r["crawl"]["revision"] for r in latest} == {2}
    _assert_bodies_survive(latest)
    assert _f1(latest) > 0.99


def test_status_and_learn_show_the_learned_blocks(tmp_path: Path, http_server: TestServer) -> None:
    path, config = _setup(tmp_path, http_server)
    _crawl(config)
    (status,) = source_status(config)
    (site,) = status.sites
    assert len(site.blocks) == len(BOILERPLATE)
    assert status.to_dict()["sites"][0]["blocks"][0]["pages"] == ARTICLES
    runner = CliRunner()
    shown = runner.invoke(cli, ["status", "--config", str(path)])
    assert f"  template of {site.site}: 5 blocks, {ARTICLES} pages" in shown.output
    learned = runner.invoke(cli, ["learn", "--config", str(path), "--site", site.site])
    assert learned.exit_code == 0, learned.output
    assert learned.output.count(f"{ARTICLES} pages  ") == len(BOILERPLATE)


def test_reextract_without_template_keeps_the_crawl_records(
    tmp_path: Path, http_server: TestServer
) -> None:
    path, _ = _setup(tmp_path, http_server)
    runner = CliRunner()
    assert runner.invoke(cli, ["crawl", "--quiet", "--config", str(path)]).exit_code == 0
    again = tmp_path / "again"
    args = ["reextract", "--config", str(path), "--sink-path", str(again), "--no-template"]
    assert runner.invoke(cli, args).exit_code == 0
    assert read_records(again) == read_records(tmp_path / "out")
