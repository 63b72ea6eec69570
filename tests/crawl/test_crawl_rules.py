"""URL normal forms, link rules, schedules and the [[sources]] config, each on its own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from scraper.config import SourceConfig, load_config, parse_schedule
from scraper.crawl import LinkRules, normalise_url
from scraper.errors import ConfigError, InvalidURLError

_REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTPS://WWW.Example.COM/News/A", "https://www.example.com/News/A"),
        ("https://example.com/a?utm_source=x&utm_medium=y&id=3", "https://example.com/a?id=3"),
        ("https://example.com/a?fbclid=1&gclid=2", "https://example.com/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com:443/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("http://example.com", "http://example.com/"),
    ],
)
def test_normal_form(url: str, normal: str) -> None:
    assert normalise_url(url) == normal


@pytest.mark.parametrize("url", ["ftp://example.com/a", "/relative/path", "mailto:a@b.c"])
def test_only_absolute_http_urls_have_a_normal_form(url: str) -> None:
    with pytest.raises(InvalidURLError):
        normalise_url(url)


def test_link_rules_follow_deny_same_site_depth_and_file_types() -> None:
    rules = LinkRules.from_source(
        SourceConfig(
            name="s",
            seeds=("https://www.news.test/",),
            follow=(r"^https://www\.news\.test/20\d\d/",),
            deny=(r"/2020/",),
            max_depth=2,
        )
    )
    assert rules.allows("https://www.news.test/2024/a", 2)
    assert not rules.allows("https://www.news.test/2024/a", 3)  # too deep
    assert not rules.allows("https://www.news.test/about", 1)  # not followed
    assert not rules.allows("https://www.news.test/2020/a", 1)  # denied
    assert not rules.allows("https://www.news.test/2024/a.pdf", 1)  # not a page
    assert not rules.allows("https://other.test/2024/a", 1)  # another site


def test_schedules() -> None:
    start = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_schedule("every 30m").next_after(start) == datetime(2026, 1, 1, 12, 30, tzinfo=UTC)
    assert parse_schedule("every 6h").interval == 6 * 3600
    assert parse_schedule("15 3 * * *").next_after(start) == datetime(2026, 1, 2, 3, 15, tzinfo=UTC)
    for bad in ("every 5s", "sometimes", "61 * * * *"):
        with pytest.raises(ValueError):
            parse_schedule(bad)


def test_the_shipped_config_parses_as_written() -> None:
    config = load_config(_REPO / "config.toml")
    (source,) = config.sources
    assert source.name == "moscow-times"
    assert source.seeds == ("https://www.themoscowtimes.com/news",)
    assert source.follow == (r"^https://www\.themoscowtimes\.com/20\d\d/",)
    assert (source.max_depth, source.max_pages, str(source.schedule)) == (3, 500, "every 30m")
    assert (config.sink.kind, str(config.sink.path)) == ("jsonl", "out")
    assert str(config.crawl.state) == "state/crawl.sqlite"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[[sources]]\nseeds = ["https://a.test/"]\n',
            "config.toml:1: sources[1].name is required",
        ),
        (
            '[[sources]]\nname = "a"\nseeds = ["https://a.test/"]\n[[sources]]\nname = "b"\n'
            'seeds = ["https://b.test/"]\nfolow = []\n',
            "config.toml:7: unknown key sources[2].folow; known keys: name",
        ),
        (
            '[[sources]]\nname = "a"\nseeds = ["https://a.test/"]\nfollow = ["("]\n',
            "config.toml:4: sources[1].follow must be a list of regular expressions, got ['(']",
        ),
        (
            '[[sources]]\nname = "a"\nseeds = ["https://a.test/"]\nschedule = "often"\n',
            "config.toml:4: sources[1].schedule must be an interval such as",
        ),
        ('[[sources]]\nname = "a"\n', "config.toml:1: source 'a' has no seeds, sitemaps or feeds"),
        ('[sink]\nkind = "csv"\n', "config.toml:2: sink.kind must be one of jsonl, sqlite"),
        ("[crawl]\nworkers = 0\n", "config.toml:2: crawl.workers must be a whole number >= 1"),
        ('[sources]\nname = "a"\n', "config.toml:1: sources must be a list of tables"),
    ],
)
def test_config_errors_name_file_line_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{tmp_path}/{message}")
