"""The `scraper` command, run as a real subprocess: exit codes, stdin, formats, URLs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from server import TestServer

SEED = Path(__file__).parent.parent / "fixtures" / "pages" / "seed-like" / "source.html"
SEED_URL = "https://www.themoscowtimes.com/2020/09/29/macron-a71602"
FIRST = "French President Emmanuel Macron on Tuesday"
LAST = 'release all the political prisoners."'


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI in a fresh interpreter, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "scraper", *args], input=stdin, capture_output=True, timeout=60
    )


def test_extract_file_prints_one_json_record() -> None:
    done = run("extract", str(SEED), "--url", SEED_URL)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["url"] == SEED_URL
    assert record["text"].startswith(FIRST)
    assert record["text"].endswith(LAST)


def test_extract_stdin_matches_file() -> None:
    from_file = run("extract", str(SEED), "--url", SEED_URL)
    from_stdin = run("extract", "-", "--url", SEED_URL, stdin=SEED.read_bytes())
    assert from_stdin.returncode == 0
    assert from_stdin.stdout == from_file.stdout


def test_text_format_prints_the_body_alone() -> None:
    done = run("extract", str(SEED), "--format", "text")
    body = done.stdout.decode("utf-8").rstrip("\n")
    assert body.startswith(FIRST) and body.endswith(LAST)
    assert "Contribute today" not in body


def test_markdown_format_has_the_title_as_heading() -> None:
    done = run("extract", str(SEED), "--format", "markdown")
    assert done.stdout.decode("utf-8").startswith("# Macron Promises Help")


def test_missing_file_exits_5_with_one_line() -> None:
    done = run("extract", "/nonexistent/page.html")
    assert done.returncode == 5
    assert done.stderr.decode().count("\n") == 1
    assert "cannot read /nonexistent/page.html" in done.stderr.decode()


def test_binary_input_exits_4() -> None:
    done = run("extract", "-", stdin=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    assert done.returncode == 4
    assert "PDF" in done.stderr.decode()


def test_empty_page_exits_3_and_still_prints_the_record() -> None:
    done = run(
        "extract", "-", stdin=b"<html><head><title>Nothing</title></head><body></body></html>"
    )
    assert done.returncode == 3
    assert json.loads(done.stdout)["text"] == ""
    assert "no main content" in done.stderr.decode()


def test_unknown_format_is_a_usage_error() -> None:
    assert run("extract", str(SEED), "--format", "pdf").returncode == 2


def test_extract_url_fetches_through_the_fetcher(http_server: TestServer) -> None:
    url = http_server.route(
        "/2020/09/29/story",
        status=200,
        headers={"Content-Type": "text/html"},
        body=SEED.read_bytes(),
    )
    done = run("extract", url, "--allow-private")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["url"] == url
    assert record["text"].endswith(LAST)


def test_extract_url_refuses_loopback_without_the_flag(http_server: TestServer) -> None:
    url = http_server.route(
        "/a", status=200, headers={"Content-Type": "text/html"}, body="<p>x</p>"
    )
    done = run("extract", url)
    assert done.returncode == 11
    assert "--allow-private" in done.stderr.decode() or "allow_private" in done.stderr.decode()


@pytest.mark.parametrize("status", [404, 410])
def test_extract_url_http_error_exits_15(http_server: TestServer, status: int) -> None:
    url = http_server.route("/gone", status=status, headers={"Content-Type": "text/html"}, body="x")
    done = run("extract", url, "--allow-private")
    assert done.returncode == 15
    assert str(status) in done.stderr.decode()


def test_user_agent_flag_reaches_the_server(http_server: TestServer) -> None:
    url = http_server.route("/ua", headers={"Content-Type": "text/html"}, body=SEED.read_bytes())
    done = run("extract", url, "--allow-private", "--user-agent", "TestBot/1 (+https://t.example)")
    assert done.returncode == 0, done.stderr
    agents = [r.headers.get("user-agent") for r in http_server.requests("/ua")]
    assert agents == ["TestBot/1 (+https://t.example)"]


def test_malformed_config_exits_6_naming_file_line_and_key(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[fetch]\nuser_agent = "x (+https://x.example)"\ntimeout = "fast"\n')
    done = run("extract", str(SEED), "--config", str(config))
    assert done.returncode == 6
    assert f"{config}:3" in done.stderr.decode()
    assert "fetch.timeout" in done.stderr.decode()


def test_bad_flag_value_exits_6() -> None:
    done = run("extract", "https://example.invalid/", "--timeout", "-1")
    assert done.returncode == 6
    assert "timeout" in done.stderr.decode()


def test_explain_writes_both_reports_and_still_prints_the_record(tmp_path: Path) -> None:
    html, data = tmp_path / "report.html", tmp_path / "report.json"
    plain = run("extract", str(SEED), "--url", SEED_URL)
    done = run(
        "extract", str(SEED), "--url", SEED_URL, "--explain", str(html), "--explain-json", str(data)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == plain.stdout
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    report = json.loads(data.read_text(encoding="utf-8"))
    assert report["url"] == SEED_URL
    assert report["summary"]["kept"]["blocks"] == 7


@pytest.mark.parametrize("where", ["a-directory", "missing-folder/report.html"])
def test_explain_refuses_a_directory_or_a_missing_folder(tmp_path: Path, where: str) -> None:
    (tmp_path / "a-directory").mkdir()
    done = run("extract", str(SEED), "--explain", str(tmp_path / where))
    assert done.returncode == 2
    assert "--explain" in done.stderr.decode()
    assert not (tmp_path / "missing-folder").exists()
