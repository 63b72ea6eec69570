"""`scraper serve` as a user runs it: a real process, the port read from its stderr."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

_STARTED = re.compile(r"scraper: serving on (http://127\.0\.0\.1:\d+)")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """`scraper serve --port 0` with SCRAPER_TOKEN=s3cret, in a folder without config.toml."""
    env = {**os.environ, "SCRAPER_TOKEN": "s3cret"}
    command = [sys.executable, "-m", "scraper", "serve", "--port", "0"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        started = _STARTED.match(process.stderr.readline())
        assert started, "scraper serve printed no address"
        yield started.group(1)
    finally:
        process.terminate()
        process.wait(30)
        if process.stderr is not None:
            process.stderr.close()


def test_serve_takes_its_token_from_scraper_token(served: str) -> None:
    with httpx.Client(base_url=served, trust_env=False) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/openapi.json").status_code == 401
        authorised = client.get("/openapi.json", headers={"Authorization": "Bearer s3cret"})
        assert authorised.status_code == 200


def test_serve_refuses_a_bad_config(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[serve]\nconcurrency = 0\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "scraper", "serve", "--port", "0"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 6
    assert "config.toml:2: serve.concurrency must be a whole number >= 1, got 0" in done.stderr
