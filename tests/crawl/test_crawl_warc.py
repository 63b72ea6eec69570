"""Raw capture (``[crawl] warc``) and ``scraper reextract``, over the test site."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from crawlsite import build_site, write_config
from records import read_records
from server import TestServer

from scraper.config import SinkConfig, load_config
from scraper.crawl import QuietObserver, crawl, reextract
from scraper.crawl.warc import Capture, WarcWriter, read_captures
from scraper.errors import UnsafePathError

_SCRAPER = [sys.executable, "-m", "scraper"]


def _scraper(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_SCRAPER, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def _crawl_with_capture(tmp_path: Path, server: TestServer, articles: int = 20) -> Path:
    build_site(server, articles=articles)
    config = write_config(tmp_path, server, warc=True)
    assert crawl(load_config(config), QuietObserver()).ok
    return config


def _capture(number: int) -> Capture:
    body = f"<html><body><p>page {number}</p></body></html>".encode()
    url = f"https://a.test/{number}"
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
    return Capture(url, url, 200, headers, body, "s", "2026-01-01T00:00:00+00:00")


def test_every_fetched_page_is_captured_with_its_urls_status_headers_and_body(
    tmp_path: Path, http_server: TestServer
) -> None:
    site = build_site(http_server, articles=10)
    assert crawl(load_config(write_config(tmp_path, http_server, warc=True)), QuietObserver()).ok
    captures = list(read_captures(tmp_path / "warc"))
    pages = (*site.articles, site.duplicate, "/news")  # not the broken ones (500)
    assert sorted(c.final_url for c in captures) == sorted(http_server.url(p) for p in pages)
    article = next(c for c in captures if c.final_url.endswith("/2026/article-3"))
    assert (article.status, article.source) == (200, "test-news")
    assert article.request_url == article.final_url
    headers = {name.lower(): value for name, value in article.headers.items()}
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert b"Story number 3" in article.body


def test_reextract_into_a_fresh_sink_gives_the_crawls_records(
    tmp_path: Path, http_server: TestServer
) -> None:
    _crawl_with_capture(tmp_path, http_server)
    report = reextract(tmp_path / "warc", SinkConfig(path=tmp_path / "again"))
    assert report.counts["stored"] == 20 and report.counts["already_had"] == 0
    original = sorted(read_records(tmp_path / "out"), key=lambda r: r["id"])
    again = sorted(read_records(tmp_path / "again"), key=lambda r: r["id"])
    assert [(r["id"], r["text"]) for r in again] == [(r["id"], r["text"]) for r in original]
    assert again == original


def test_reextract_into_the_crawls_own_sink_adds_nothing(
    tmp_path: Path, http_server: TestServer
) -> None:
    _crawl_with_capture(tmp_path, http_server)
    before = read_records(tmp_path / "out")
    report = reextract(tmp_path / "warc", SinkConfig(path=tmp_path / "out"))
    assert report.counts["already_had"] == 20
    assert read_records(tmp_path / "out") == before


def test_scraper_reextract_writes_to_the_sink_named_on_the_command_line(
    tmp_path: Path, http_server: TestServer
) -> None:
    config = _crawl_with_capture(tmp_path, http_server, articles=5)
    done = _scraper("reextract", "--config", str(config), "--sink-path", "fresh", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "reextract: 7 responses read, 5 records (0 already in the sink)" in done.stderr
    texts = sorted(r["text"] for r in read_records(tmp_path / "fresh"))
    assert texts == sorted(r["text"] for r in read_records(tmp_path / "out"))


def test_a_torn_last_file_is_read_up_to_the_damage_with_a_warning(
    tmp_path: Path, http_server: TestServer
) -> None:
    config = _crawl_with_capture(tmp_path, http_server, articles=5)
    (path,) = (tmp_path / "warc").glob("*.warc.gz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 300])  # a crash in the middle of the last record
    done = _scraper("reextract", "--config", str(config), "--sink-path", "fresh", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "torn or corrupt after 6 responses" in done.stderr and "Traceback" not in done.stderr
    assert len(read_records(tmp_path / "fresh")) >= 4


@pytest.mark.parametrize("cut", [10, 120, 400, 2000])
def test_a_file_cut_anywhere_never_yields_a_partial_body(
    tmp_path: Path, cut: int, caplog: pytest.LogCaptureFixture
) -> None:
    writer = WarcWriter(tmp_path)
    written = [_capture(n) for n in range(5)]
    for capture in written:
        writer.write(capture)
    writer.close()
    (path,) = tmp_path.glob("*.warc.gz")
    path.write_bytes(path.read_bytes()[:-cut])
    with caplog.at_level(logging.WARNING):
        read = list(read_captures(tmp_path))
    assert [c.body for c in read] == [c.body for c in written[: len(read)]]


def test_captures_keep_the_body_decoded_and_the_original_encoding_header(
    tmp_path: Path,
) -> None:
    with_gzip = _capture(1)
    writer = WarcWriter(tmp_path)
    writer.write(with_gzip)
    writer.close()
    (read,) = read_captures(tmp_path)
    assert read.body == with_gzip.body
    assert read.headers["X-Archive-Orig-Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in read.headers


def test_files_rotate_by_size_and_a_new_writer_never_appends(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path, max_bytes=1)
    for number in range(3):
        writer.write(_capture(number))
    writer.close()
    again = WarcWriter(tmp_path)
    again.write(_capture(3))
    again.close()
    names = sorted(p.name for p in tmp_path.glob("*.warc.gz"))
    assert names == [f"scraper-0000{n}.warc.gz" for n in range(1, 5)]
    assert [c.final_url for c in read_captures(tmp_path)] == [
        f"https://a.test/{n}" for n in range(4)
    ]


def test_a_planted_symlink_is_neither_written_through_nor_read(tmp_path: Path) -> None:
    folder, outside = tmp_path / "warc", tmp_path / "elsewhere.warc.gz"
    folder.mkdir()
    (folder / "scraper-00001.warc.gz").symlink_to(outside)
    writer = WarcWriter(folder)
    writer.write(_capture(0))
    writer.close()
    assert not outside.exists()
    assert (folder / "scraper-00002.warc.gz").is_file()
    with pytest.raises(UnsafePathError):
        list(read_captures(folder))


def test_reextract_without_a_warc_folder_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[crawl]\nworkers = 1\n")
    done = _scraper("reextract", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 6
    assert done.stderr.startswith("scraper: no WARC folder")


def test_reextract_from_a_missing_folder_exits_21(tmp_path: Path) -> None:
    done = _scraper("reextract", "--warc", "nowhere", cwd=tmp_path)
    assert done.returncode == 21
    assert "nowhere: no such WARC folder" in done.stderr
