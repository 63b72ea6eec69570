"""The shared-frontier commands' errors: one line, the documented exit code, no Redis needed."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

SCRAPER = [sys.executable, "-m", "scraper"]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SCRAPER, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


def _config(folder: Path, frontier: str) -> Path:
    path = folder / "config.toml"
    path.write_text(
        f'{frontier}\n[[sources]]\nname = "s"\nseeds = ["http://127.0.0.1:9/"]\n', encoding="utf-8"
    )
    return path


def test_an_unreachable_redis_fails_fast_with_exit_21(tmp_path: Path) -> None:
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    config = _config(tmp_path, f'[frontier]\nkind = "redis"\nurl = "{url}"')
    for command in (["status"], ["crawl", "--quiet"], ["worker", "--until-idle"]):
        done = _run(*command, "--config", str(config), cwd=tmp_path)
        assert done.returncode == 21, (command, done.stderr)
        assert f"{url}: no Redis answers there" in done.stderr
        assert "[frontier] url" in done.stderr


def test_worker_needs_the_redis_frontier(tmp_path: Path) -> None:
    done = _run("worker", "--config", str(_config(tmp_path, "")), cwd=tmp_path)
    assert done.returncode == 6
    assert 'needs [frontier] kind = "redis"' in done.stderr


def test_run_refuses_the_redis_frontier(tmp_path: Path) -> None:
    config = _config(tmp_path, '[frontier]\nkind = "redis"')
    done = _run("run", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 6
    assert "scraper crawl` (from cron)" in done.stderr


def test_a_bad_frontier_value_names_the_line(tmp_path: Path) -> None:
    config = _config(tmp_path, '[frontier]\nkind = "redis"\nurl = "http://x"')
    done = _run("crawl", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 6
    assert "config.toml:3: frontier.url must be a Redis URL" in done.stderr
