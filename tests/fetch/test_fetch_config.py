"""config.toml: defaults, the [fetch] section, and errors that name file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.config import (
    DEFAULT_TIMEOUT,
    SECTION_NAMES,
    Config,
    FetchConfig,
    load_config,
    with_overrides,
)
from scraper.errors import ConfigError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults() -> None:
    config = FetchConfig()
    assert config.timeout == DEFAULT_TIMEOUT == 30
    assert config.max_bytes == 10 * 1024 * 1024
    assert (config.retries, config.concurrency, config.per_host_concurrency) == (3, 16, 2)
    assert (config.per_host_delay, config.respect_robots) == (1.0, True)
    assert config.allow_private_addresses is False
    assert "+https://" in config.user_agent


def test_no_file_means_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config(None) == Config()


def test_config_toml_in_the_working_folder_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "[fetch]\ntimeout = 5\n")
    monkeypatch.chdir(tmp_path)
    assert load_config(None).fetch.timeout == 5.0


def test_fetch_section_is_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[fetch]\nuser_agent = "bot/1 (+https://x.test)"\ntimeout = 2.5\nmax_bytes = 1000\n'
        "retries = 0\nconcurrency = 4\nper_host_concurrency = 1\nper_host_delay = 0\n"
        "respect_robots = false\nallow_private_addresses = true\n"
        'allowed_networks = ["10.1.0.0/16"]\n',
    )
    fetch = load_config(path).fetch
    assert fetch == FetchConfig(
        user_agent="bot/1 (+https://x.test)",
        timeout=2.5,
        max_bytes=1000,
        retries=0,
        concurrency=4,
        per_host_concurrency=1,
        per_host_delay=0.0,
        respect_robots=False,
        allow_private_addresses=True,
        allowed_networks=("10.1.0.0/16",),
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "[fetch]\n\ntimeout = 'fast'\n",
            "config.toml:3: fetch.timeout must be a number of seconds > 0, got 'fast'",
        ),
        (
            "[fetch]\nretries = -1\n",
            "config.toml:2: fetch.retries must be a whole number >= 0, got -1",
        ),
        (
            "[fetch]\nconcurrency = 2.5\n",
            "config.toml:2: fetch.concurrency must be a whole number >= 1, got 2.5",
        ),
        (
            "[fetch]\nrespect_robots = 1\n",
            "config.toml:2: fetch.respect_robots must be true or false, got 1",
        ),
        (
            "[fetch]\nuser_agent = ''\n",
            "config.toml:2: fetch.user_agent must be a non-empty string, got ''",
        ),
        (
            "[fetch]\nallowed_networks = ['nope']\n",
            "config.toml:2: fetch.allowed_networks must be a list of networks",
        ),
        (
            "[fetch]\ntimeout = 1\ntimout = 2\n",
            "config.toml:3: unknown key fetch.timout; known keys: user_agent",
        ),
        (
            "fetch.timeout = true\n",
            "config.toml:1: fetch.timeout must be a number of seconds > 0, got True",
        ),
        (
            "[fetch]\n[crawler]\nx = 1\n",
            "config.toml:2: unknown section [crawler]; known sections: [fetch]",
        ),
        ("fetch = 3\n", "config.toml:1: fetch must be a table"),
    ],
)
def test_errors_name_file_line_key_and_expectation(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(str(path.parent / message))


def test_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not valid TOML .*line 2"):
        load_config(_write(tmp_path, "[fetch]\ntimeout = \n"))


def test_named_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no such config file"):
        load_config(tmp_path / "missing.toml")


def test_sections_come_from_config_fields() -> None:
    assert SECTION_NAMES == ("fetch", "crawl", "frontier", "sink", "sources", "serve")


def test_overrides_are_validated_and_none_means_not_given() -> None:
    config = with_overrides(FetchConfig(), timeout=5, allow_private_addresses=True, retries=None)
    assert (config.timeout, config.allow_private_addresses, config.retries) == (5.0, True, 3)
    with pytest.raises(ConfigError, match=r"command line: fetch.timeout must be a number"):
        with_overrides(FetchConfig(), timeout="fast")
    with pytest.raises(ConfigError, match=r"fetch.speed is not a setting"):
        with_overrides(FetchConfig(), speed=1)


def test_values_given_in_code_are_validated() -> None:
    with pytest.raises(
        ConfigError, match=r"fetch.max_bytes must be a whole number of bytes >= 1, got 0"
    ):
        FetchConfig(max_bytes=0)
