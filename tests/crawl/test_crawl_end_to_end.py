"""A whole crawl of the test site, in process: the records exactly, then a second run."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from crashing import ExitOnArrival
from crawlsite import Site, article_html, build_site, write_config
from records import read_records
from server import Reply, TestServer

from scraper.config import Config, load_config
from scraper.crawl import QuietObserver, crawl, normalise_url, record_id
from scraper.crawl.analyse import Analysis
from scraper.crawl.pool import AnalysePool
from scraper.crawl.state import State
from scraper.extract import SiteTemplate, extract


def _crawl(config: Config) -> dict[str, int]:
    result = crawl(config, QuietObserver())
    assert result.ok
    (report,) = result.reports
    return dict(report.counts)


def _setup(tmp_path: Path, server: TestServer, **kwargs: int) -> tuple[Site, Config]:
    site = build_site(server, **kwargs)
    return site, load_config(write_config(tmp_path, server))


def test_first_run_stores_every_article_once_with_its_crawl_fields(
    tmp_path: Path, http_server: TestServer
) -> None:
    site, config = _setup(tmp_path, http_server)
    counts = _crawl(config)
    assert counts == {"fetched": 127, "stored": 120, "listing": 6, "failed": 3, "duplicate": 1}
    records = read_records(tmp_path / "out")
    assert sorted(r["url"] for r in records) == sorted(http_server.url(p) for p in site.articles)
    for record in records:
        number = int(record["url"].rsplit("-", 1)[1])
        expected = extract(article_html(number), url=record["url"]).to_dict()
        assert {k: v for k, v in record.items() if k not in ("id", "crawl", "html_hash")} == {
            k: v for k, v in expected.items() if k != "html_hash"
        }
        assert record["id"] == record_id(normalise_url(record["url"]), record["content_hash"])
        crawl_info = record["crawl"]
        assert datetime.fromisoformat(crawl_info.pop("fetched_at")).utcoffset() is not None
        assert crawl_info == {
            "source": "test-news",
            "revision": 1,
            "status": 200,
            "final_url": record["url"],
            "duplicate_urls": [],
        }


def test_index_pages_broken_pages_and_other_sites_are_not_stored(
    tmp_path: Path, http_server: TestServer
) -> None:
    site, config = _setup(tmp_path, http_server, articles=40)
    _crawl(config)
    urls = {r["url"] for r in read_records(tmp_path / "out")}
    assert not any("/news" in u or "broken" in u or "copy" in u for u in urls)
    assert http_server.requests("/elsewhere/about") == []  # outside the follow rule
    assert all(len(http_server.requests(p)) == 1 for p in site.broken)  # retries = 0


def test_the_same_text_under_a_second_url_is_stored_once_and_recorded(
    tmp_path: Path, http_server: TestServer
) -> None:
    site, config = _setup(tmp_path, http_server, articles=20)
    _crawl(config)
    records = read_records(tmp_path / "out")
    original = http_server.url(site.articles[0])
    assert [r["url"] for r in records].count(original) == 1
    state = State(config.crawl.state)
    try:
        assert state.duplicates_of(normalise_url(original)) == [
            normalise_url(http_server.url(site.duplicate))
        ]
    finally:
        state.close()


def test_failed_pages_are_reported_with_their_reason(
    tmp_path: Path, http_server: TestServer
) -> None:
    site, config = _setup(tmp_path, http_server, articles=20)
    (report,) = crawl(config, QuietObserver()).reports
    assert sorted(url for url, _ in report.failures) == sorted(
        http_server.url(p) for p in site.broken
    )
    assert all("500" in reason for _, reason in report.failures)
    assert not report.failed  # pages failed, the source did not


def test_second_run_emits_only_the_changed_article_as_revision_2(
    tmp_path: Path, http_server: TestServer
) -> None:
    site, config = _setup(tmp_path, http_server, articles=60)
    _crawl(config)
    first = read_records(tmp_path / "out")
    http_server.route(site.articles[7], body=article_html(7, version=2))
    counts = _crawl(config)
    assert counts["stored"] == 1 and counts["unchanged"] == 59
    records = read_records(tmp_path / "out")
    assert records[: len(first)] == first
    (changed,) = records[len(first) :]
    assert changed["url"] == http_server.url(site.articles[7])
    assert changed["crawl"]["revision"] == 2
    assert changed["content_hash"] != next(
        r["content_hash"] for r in first if r["url"] == changed["url"]
    )


def test_second_run_sends_the_stored_validators_and_takes_304_as_unchanged(
    tmp_path: Path, http_server: TestServer
) -> None:
    site, config = _setup(tmp_path, http_server, articles=20)
    path = site.articles[3]
    http_server.route_replies(
        path, Reply(200, {"ETag": '"v1"'}, article_html(3)), Reply(304, {"ETag": '"v1"'})
    )
    _crawl(config)
    counts = _crawl(config)
    first, second = http_server.requests(path)
    assert "if-none-match" not in first.headers
    assert second.headers["if-none-match"] == '"v1"'
    assert counts.get("stored", 0) == 0 and counts["unchanged"] == 20
    assert len(read_records(tmp_path / "out")) == 20


def test_max_pages_bounds_the_fetches_of_a_run(tmp_path: Path, http_server: TestServer) -> None:
    build_site(http_server, articles=60)
    # without discovery, whose robots.txt and seed page requests are not the run's page fetches
    config = load_config(write_config(tmp_path, http_server, max_pages=10, discover=False))
    assert _crawl(config)["fetched"] == 10
    assert len([r for r in http_server.requests() if not r.path.startswith("/fault")]) == 10


def test_a_page_that_kills_the_extraction_process_fails_alone(
    tmp_path: Path, http_server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, config = _setup(tmp_path, http_server, articles=20)
    doomed = http_server.url(site.articles[3])
    analyse = AnalysePool.analyse

    async def crashing(
        pool: AnalysePool, html: str, url: str, template: SiteTemplate | None
    ) -> Analysis:
        return await analyse(pool, html, url, ExitOnArrival(9) if url == doomed else template)  # type: ignore[arg-type]

    monkeypatch.setattr(AnalysePool, "analyse", crashing)
    result = crawl(config, QuietObserver())
    (report,) = result.reports
    died = [url for url, reason in report.failures if reason.startswith("extraction process")]
    assert died == [doomed]
    assert report.counts["stored"] == 19  # every other article
    assert doomed not in {r["url"] for r in read_records(tmp_path / "out")}
