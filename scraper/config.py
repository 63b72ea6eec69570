"""Typed configuration: one frozen dataclass per config.toml section; defaults < file < flags.

Each section's keys, their defaults and what values they accept are data: a dataclass field
carries a ``_Rule`` (what it expects, in words, and a converter that raises on bad input). The
loader, the dataclass itself and the CLI overrides all validate through those same rules, so an
error reads the same wherever the value came from:

    config.toml:12: fetch.timeout must be a number of seconds > 0, got 'fast'

Adding a section (``crawl``, ``sink``, ``sources``): write a frozen dataclass whose fields use
``_setting(default, rule)``, and add a field of that type to ``Config``. ``SECTION_NAMES``,
the loader and the unknown-key checks pick it up from there.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
import tomllib
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from scraper.errors import ConfigError

__all__ = [
    "DEFAULT_ALLOWED_NETWORKS",
    "DEFAULT_ALLOW_PRIVATE_ADDRESSES",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_CONFIG_PATH",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_PER_HOST_CONCURRENCY",
    "DEFAULT_PER_HOST_DELAY",
    "DEFAULT_RESPECT_ROBOTS",
    "DEFAULT_RETRIES",
    "DEFAULT_RETRY_BACKOFF",
    "DEFAULT_TIMEOUT",
    "DEFAULT_USER_AGENT",
    "SECTION_NAMES",
    "Config",
    "FetchConfig",
    "load_config",
    "with_overrides",
]

DEFAULT_CONFIG_PATH = Path("config.toml")  # read when no path is given and the file exists

# A clear User-Agent with a contact URL: site owners can see who we are and reach us.
DEFAULT_USER_AGENT = "scraper/0.1 (+https://github.com/scraper/scraper)"
DEFAULT_TIMEOUT = 30.0  # seconds for connect, for each read, and for one attempt (x2)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # a page body, compressed or decompressed
DEFAULT_RETRIES = 3  # retries after the first attempt, on transient failures only
DEFAULT_RETRY_BACKOFF = 0.5  # seconds before the first retry; doubles, with jitter
DEFAULT_CONCURRENCY = 16  # requests in flight, all hosts together
DEFAULT_PER_HOST_CONCURRENCY = 2  # requests in flight to one host
DEFAULT_PER_HOST_DELAY = 1.0  # seconds between request starts to one host
DEFAULT_RESPECT_ROBOTS = True
DEFAULT_ALLOW_PRIVATE_ADDRESSES = False  # refuse loopback/private/link-local targets (SSRF)
DEFAULT_ALLOWED_NETWORKS: tuple[str, ...] = ()  # CIDRs allowed even when private

_T = TypeVar("_T")
_SectionT = TypeVar("_SectionT")


@dataclass(frozen=True)
class _Rule:
    """What a setting accepts: ``expect`` in words, ``convert`` raises ValueError/TypeError."""

    expect: str
    convert: Callable[[Any], Any]


def _setting(default: _T, expect: str, convert: Callable[[Any], Any]) -> _T:
    """A dataclass field with its validation rule attached as metadata."""
    return field(default=default, metadata={"rule": _Rule(expect, convert)})


def _require(ok: bool) -> None:
    """Raise ValueError unless ``ok``; converters use it to reject a value."""
    if not ok:
        raise ValueError


def _text(value: Any) -> str:
    """A non-empty string."""
    _require(isinstance(value, str) and bool(value.strip()))
    return str(value)


def _seconds(value: Any, *, positive: bool) -> float:
    """A number (not a bool) of seconds, > 0 or >= 0."""
    _require(isinstance(value, int | float) and not isinstance(value, bool))
    _require(value > 0 if positive else value >= 0)
    return float(value)


def _positive_seconds(value: Any) -> float:
    """A number of seconds > 0."""
    return _seconds(value, positive=True)


def _non_negative_seconds(value: Any) -> float:
    """A number of seconds >= 0."""
    return _seconds(value, positive=False)


def _count(value: Any, minimum: int) -> int:
    """An integer (not a bool) >= minimum."""
    _require(isinstance(value, int) and not isinstance(value, bool) and value >= minimum)
    return int(value)


def _positive_int(value: Any) -> int:
    """An integer >= 1."""
    return _count(value, 1)


def _non_negative_int(value: Any) -> int:
    """An integer >= 0."""
    return _count(value, 0)


def _bool(value: Any) -> bool:
    """true or false, not 0/1 or a string."""
    _require(isinstance(value, bool))
    return bool(value)


def _networks(value: Any) -> tuple[str, ...]:
    """A list of CIDR strings such as "10.1.0.0/16", normalised."""
    _require(isinstance(value, list | tuple) and all(isinstance(v, str) for v in value))
    return tuple(str(ipaddress.ip_network(v, strict=False)) for v in value)


@dataclass(frozen=True)
class FetchConfig:
    """The ``[fetch]`` section: how the fetcher talks to the web."""

    user_agent: str = _setting(DEFAULT_USER_AGENT, "a non-empty string", _text)
    timeout: float = _setting(DEFAULT_TIMEOUT, "a number of seconds > 0", _positive_seconds)
    max_bytes: int = _setting(DEFAULT_MAX_BYTES, "a whole number of bytes >= 1", _positive_int)
    retries: int = _setting(DEFAULT_RETRIES, "a whole number >= 0", _non_negative_int)
    retry_backoff: float = _setting(
        DEFAULT_RETRY_BACKOFF, "a number of seconds >= 0", _non_negative_seconds
    )
    concurrency: int = _setting(DEFAULT_CONCURRENCY, "a whole number >= 1", _positive_int)
    per_host_concurrency: int = _setting(
        DEFAULT_PER_HOST_CONCURRENCY, "a whole number >= 1", _positive_int
    )
    per_host_delay: float = _setting(
        DEFAULT_PER_HOST_DELAY, "a number of seconds >= 0", _non_negative_seconds
    )
    respect_robots: bool = _setting(DEFAULT_RESPECT_ROBOTS, "true or false", _bool)
    allow_private_addresses: bool = _setting(
        DEFAULT_ALLOW_PRIVATE_ADDRESSES, "true or false", _bool
    )
    allowed_networks: tuple[str, ...] = _setting(
        DEFAULT_ALLOWED_NETWORKS, 'a list of networks such as ["10.1.0.0/16"]', _networks
    )

    def __post_init__(self) -> None:
        """Validate values given in code too, with the same rules as the file."""
        for name, value in dataclasses.asdict(self).items():
            _convert("fetch", name, _rules(type(self))[name], value, where=None)


@dataclass(frozen=True)
class Config:
    """The whole configuration: one field per config.toml section."""

    fetch: FetchConfig = field(default_factory=FetchConfig)


# The [sections] config.toml may have; add one by adding a field to Config.
SECTION_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Config))

_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]")


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
    sections = _section_types()
    for name, value in data.items():
        where = _where(path, text, name, None)
        if name not in sections:
            known = ", ".join(f"[{s}]" for s in SECTION_NAMES)
            raise ConfigError(f"{where} unknown section [{name}]; known sections: {known}")
        if not isinstance(value, dict):
            raise ConfigError(f"{where} {name} must be a table ([{name}]), got {value!r}")
    built = {
        name: _build(sections[name], name, data.get(name, {}), path, text) for name in sections
    }
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
    rules = _rules(cls)
    name = _section_name(cls)
    changes = {}
    for key, value in values.items():
        if value is None:
            continue
        if key not in rules:
            raise ConfigError(f"command line: {name}.{key} is not a setting; {_known(rules)}")
        changes[key] = _convert(name, key, rules[key], value, where="command line:")
    return dataclasses.replace(section, **changes)  # type: ignore[type-var]


def _read(path: Path) -> str:
    """The file's text, or a ConfigError saying what to do."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such config file; create it or omit --config") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc})") from exc


def _section_types() -> dict[str, type]:
    """Section name -> its dataclass, from Config's field types."""
    hints = typing.get_type_hints(Config)
    return {name: hints[name] for name in SECTION_NAMES}


def _section_name(cls: type) -> str:
    """The config.toml table name of a section dataclass."""
    return next(name for name, typ in _section_types().items() if typ is cls)


def _rules(cls: type) -> dict[str, _Rule]:
    """Key -> rule, for every field of a section dataclass."""
    return {f.name: f.metadata["rule"] for f in dataclasses.fields(cls)}


def _known(rules: Mapping[str, _Rule]) -> str:
    """'known keys: a, b, c' for error messages."""
    return "known keys: " + ", ".join(rules)


def _build(cls: type, name: str, table: dict[str, Any], path: Path, text: str) -> Any:
    """One section dataclass from its TOML table, each value converted by its rule."""
    rules = _rules(cls)
    values = {}
    for key, value in table.items():
        where = _where(path, text, name, key)
        if key not in rules:
            raise ConfigError(f"{where} unknown key {name}.{key}; {_known(rules)}")
        values[key] = _convert(name, key, rules[key], value, where=where)
    return cls(**values)


def _convert(section: str, key: str, rule: _Rule, value: Any, *, where: str | None) -> Any:
    """Apply a rule, raising a ConfigError that names where, the key and what is expected."""
    try:
        return rule.convert(value)
    except (ValueError, TypeError) as exc:
        prefix = f"{where} " if where else ""
        raise ConfigError(f"{prefix}{section}.{key} must be {rule.expect}, got {value!r}") from exc


def _where(path: Path, text: str, section: str, key: str | None) -> str:
    """'file:line:' for a section header or a key inside it; 'file:' when not found."""
    line = _find_line(text, section, key)
    return f"{path}:{line}:" if line else f"{path}:"


def _find_line(text: str, section: str, key: str | None) -> int | None:
    """The 1-based line of ``[section]`` (key None) or of ``key =`` inside that table."""
    current: str | None = None
    dotted = re.compile(rf"^\s*{re.escape(section)}\s*\.\s*{re.escape(key or '')}\s*=")
    assignment = re.compile(rf"^\s*[\"']?{re.escape(key or '')}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_HEADER.match(line)
        if header:
            current = header.group(1).strip().strip("\"'")
            if key is None and current == section:
                return number
            continue
        if key is None:
            if current is None and re.match(rf"^\s*{re.escape(section)}\s*[.=]", line):
                return number
        elif (current == section and assignment.match(line)) or (
            current is None and dotted.match(line)
        ):
            return number
    return None
