"""README.md documents every command and every exit code the CLI has."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.cli import EXIT_CODES, EXIT_INPUT, EXIT_SOURCES_FAILED, cli

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_is_documented(name: str) -> None:
    assert f"scraper {name}" in README


@pytest.mark.parametrize(
    "code", sorted({code for _, code in EXIT_CODES} | {EXIT_INPUT, EXIT_SOURCES_FAILED})
)
def test_exit_code_is_documented(code: int) -> None:
    assert f"\n| {code} |" in README
