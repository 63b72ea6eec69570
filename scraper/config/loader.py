"""Reading config.toml into a ``Config``: every section and key checked, errors with file:line.

    config.toml:12: fetch.timeout must be a number of seconds > 0, got 'fast'
    config.toml:20: sources[1].max_depth must be a whole number >= 0, got -1

Tables map to the section dataclasses of sections.py; ``[[sources]]`` is an array of tables.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, TypeVar

from scraper.config.rules import Rule, apply, rules_of
from scraper.config.sections import (
    Config,
    CrawlConfig,
    FetchConfig,
    FrontierConfig,
    ServeConfig,
    SinkConfig,
    SourceConfig,
)
from scraper.errors import ConfigError

__all__ = ["DEFAULT_CONFIG_PATH", "SECTION_NAMES", "load_config", "with_overrides"]

DEFAULT_CONFIG_PATH = Path("config.toml")  # read when no path is given and the file exists

# The [sections] config.toml may have, from Config's fields; "sources" is a [[list]].
SECTION_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Config))
_TABLES: Final[dict[str, type]] = {
    "fetch": FetchConfig,
    "crawl": CrawlConfig,
    "frontier": FrontierConfig,
    "sink": SinkConfig,
    "serve": ServeConfig,
}
_LISTS: Final[dict[str, type]] = {"sources": SourceConfig}
_REQUIRED: Final[dict[str, tuple[str, ...]]] = {"sources": ("name",)}  # keys without defaults
_TABLE_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?")

_SectionT = TypeVar("_SectionT")


def load_config(path: Path | None = None) -> Config:
    """Read config.toml into a validated Config.

    Args:
        path: the file; None means ./config.toml if it exists, else the defaults.

    Returns:
        The configuration, every value checked.

    Raises:
        ConfigError: the file is missing (when named), not TOML, has an unknown section or
            key, or a value of the wrong kind; the message gives file:line and the key.

    Example:
        >>> load_config(None).fetch.timeout  # no ./config.toml: the default
        30.0
    """
    if path is None:
        if not DEFAULT_CONFIG_PATH.is_file():
            return Config()
        path = DEFAULT_CONFIG_PATH
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the syntax") from exc
    _check_sections(data, path, text)
    built: dict[str, Any] = {
        name: _build(cls, name, data.get(name, {}), path, text, None)
        for name, cls in _TABLES.items()
    }
    built["sources"] = _build_sources(data.get("sources", []), path, text)
    return Config(**built)


def with_overrides(section: _SectionT, **values: Any) -> _SectionT:
    """A copy of a config section with command-line values applied; None means "not given".

    Raises:
        ConfigError: a value is of the wrong kind, or names no key of the section.

    Example:
        >>> with_overrides(FetchConfig(), timeout=5, retries=None).timeout
        5.0
    """
    cls = type(section)
    rules = rules_of(cls)
    name = next(n for n, c in {**_TABLES, **_LISTS}.items() if c is cls)
    changes = {}
    for key, value in values.items():
        if value is None:
            continue
        if key not in rules:
            raise ConfigError(f"command line: {name}.{key} is not a setting; {_known(rules)}")
        changes[key] = apply(name, key, rules[key], value, where="command line:")
    return dataclasses.replace(section, **changes)  # type: ignore[type-var]


def _read(path: Path) -> str:
    """The file's text, or a ConfigError saying what to do."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such config file; create it or omit --config") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc})") from exc


def _check_sections(data: Mapping[str, Any], path: Path, text: str) -> None:
    """Unknown sections, and tables given as values (or lists given as tables), are errors."""
    for name, value in data.items():
        where = _where(path, text, name, None, None)
        if name in _LISTS:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise ConfigError(f"{where} {name} must be a list of tables ([[{name}]])")
        elif name not in _TABLES:
            known = ", ".join(f"[[{s}]]" if s in _LISTS else f"[{s}]" for s in SECTION_NAMES)
            raise ConfigError(f"{where} unknown section [{name}]; known sections: {known}")
        elif not isinstance(value, dict):
            raise ConfigError(f"{where} {name} must be a table ([{name}]), got {value!r}")


def _build_sources(tables: list[dict[str, Any]], path: Path, text: str) -> tuple[Any, ...]:
    """Every [[sources]] entry, names required and unique."""
    sources = []
    seen: set[str] = set()
    for index, table in enumerate(tables):
        source = _build(SourceConfig, "sources", table, path, text, index)
        if source.name in seen:
            where = _where(path, text, "sources", "name", index)
            raise ConfigError(f"{where} two sources are named {source.name!r}; rename one")
        if not (source.seeds or source.sitemaps or source.feeds):
            where = _where(path, text, "sources", None, index)
            raise ConfigError(
                f"{where} source {source.name!r} has no seeds, sitemaps or feeds; give at least one"
            )
        seen.add(source.name)
        sources.append(source)
    return tuple(sources)


def _build(
    cls: type, name: str, table: dict[str, Any], path: Path, text: str, index: int | None
) -> Any:
    """One section dataclass from its TOML table, each value converted by its rule."""
    rules = rules_of(cls)
    label = name if index is None else f"{name}[{index + 1}]"
    for key in _REQUIRED.get(name, ()):
        if key not in table:
            where = _where(path, text, name, None, index)
            raise ConfigError(f"{where} {label}.{key} is required; add {key} = ...")
    values = {}
    for key, value in table.items():
        where = _where(path, text, name, key, index)
        if key not in rules:
            raise ConfigError(f"{where} unknown key {label}.{key}; {_known(rules)}")
        values[key] = apply(label, key, rules[key], value, where=where)
    return cls(**values)


def _known(rules: Mapping[str, Rule]) -> str:
    """'known keys: a, b, c' for error messages."""
    return "known keys: " + ", ".join(rules)


def _where(path: Path, text: str, section: str, key: str | None, index: int | None) -> str:
    """'file:line:' for a section header or a key inside it; 'file:' when not found."""
    line = _find_line(text, section, key, index)
    return f"{path}:{line}:" if line else f"{path}:"


def _find_line(text: str, section: str, key: str | None, index: int | None) -> int | None:
    """The 1-based line of ``[section]`` (or the index-th ``[[section]]``), or of a key in it."""
    current: str | None = None
    count = -1  # how many [[section]] headers seen so far, minus one
    dotted = re.compile(rf"^\s*{re.escape(section)}\s*\.\s*{re.escape(key or '')}\s*=")
    assignment = re.compile(rf"^\s*[\"']?{re.escape(key or '')}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_HEADER.match(line)
        if header:
            current = header.group(2).strip().strip("\"'")
            if header.group(1) == "[[" and current == section:
                count += 1
            here = index is None or count == index
            if key is None and current == section and here:
                return number
            continue
        in_table = current == section and (index is None or count == index)
        if key is None:
            if current is None and re.match(rf"^\s*{re.escape(section)}\s*[.=]", line):
                return number
        elif (in_table and assignment.match(line)) or (current is None and dotted.match(line)):
            return number
    return None
