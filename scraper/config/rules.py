"""How a setting is validated: a ``Rule`` (what it expects, in words, and a converter).

Every section dataclass declares its fields with ``setting(default, expect, convert)``; the
loader, the dataclass itself and the CLI overrides all validate through the same rule, so an
error reads the same wherever the value came from. Converters raise ValueError or TypeError.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from scraper.errors import ConfigError

__all__ = [
    "Rule",
    "apply",
    "as_bool",
    "networks",
    "non_negative_int",
    "non_negative_seconds",
    "optional_path",
    "optional_text",
    "path",
    "positive_int",
    "positive_seconds",
    "regexes",
    "rules_of",
    "setting",
    "text",
    "text_list",
    "validate",
]

_T = TypeVar("_T")


@dataclass(frozen=True)
class Rule:
    """What a setting accepts: ``expect`` in words, ``convert`` raises ValueError/TypeError."""

    expect: str
    convert: Callable[[Any], Any]


def setting(default: _T, expect: str, convert: Callable[[Any], Any]) -> _T:
    """A dataclass field with its validation rule attached as metadata."""
    return field(default=default, metadata={"rule": Rule(expect, convert)})


def rules_of(cls: type) -> dict[str, Rule]:
    """Key -> rule, for every field of a section dataclass."""
    return {f.name: f.metadata["rule"] for f in dataclasses.fields(cls)}


def apply(section: str, key: str, rule: Rule, value: Any, *, where: str | None) -> Any:
    """Apply a rule, raising a ConfigError that names where, the key and what is expected."""
    try:
        return rule.convert(value)
    except (ValueError, TypeError) as exc:
        prefix = f"{where} " if where else ""
        raise ConfigError(f"{prefix}{section}.{key} must be {rule.expect}, got {value!r}") from exc


def validate(section: str, instance: Any) -> None:
    """Check every field of a section built in code, with the same rules as the file."""
    for name, rule in rules_of(type(instance)).items():
        apply(section, name, rule, getattr(instance, name), where=None)


def _require(ok: bool) -> None:
    """Raise ValueError unless ``ok``; converters use it to reject a value."""
    if not ok:
        raise ValueError


def text(value: Any) -> str:
    """A non-empty string."""
    _require(isinstance(value, str) and bool(value.strip()))
    return str(value)


def optional_text(value: Any) -> str | None:
    """A non-empty string, or None (not given)."""
    return None if value is None else text(value)


def path(value: Any) -> Path:
    """A file or folder path, from a non-empty string."""
    return value if isinstance(value, Path) else Path(text(value))


def optional_path(value: Any) -> Path | None:
    """A file or folder path, or None when absent or given as "" (the feature is off)."""
    if value is None or value == "":
        return None
    return path(value)


def _seconds(value: Any, *, positive: bool) -> float:
    """A number (not a bool) of seconds, > 0 or >= 0."""
    _require(isinstance(value, int | float) and not isinstance(value, bool))
    _require(value > 0 if positive else value >= 0)
    return float(value)


def positive_seconds(value: Any) -> float:
    """A number of seconds > 0."""
    return _seconds(value, positive=True)


def non_negative_seconds(value: Any) -> float:
    """A number of seconds >= 0."""
    return _seconds(value, positive=False)


def _count(value: Any, minimum: int) -> int:
    """An integer (not a bool) >= minimum."""
    _require(isinstance(value, int) and not isinstance(value, bool) and value >= minimum)
    return int(value)


def positive_int(value: Any) -> int:
    """An integer >= 1."""
    return _count(value, 1)


def non_negative_int(value: Any) -> int:
    """An integer >= 0."""
    return _count(value, 0)


def as_bool(value: Any) -> bool:
    """true or false, not 0/1 or a string."""
    _require(isinstance(value, bool))
    return bool(value)


def text_list(value: Any) -> tuple[str, ...]:
    """A list of non-empty strings."""
    _require(isinstance(value, list | tuple))
    return tuple(text(v) for v in value)


def regexes(value: Any) -> tuple[str, ...]:
    """A list of regular expressions, each compiled once here to reject bad ones."""
    patterns = text_list(value)
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(str(exc)) from exc
    return patterns


def networks(value: Any) -> tuple[str, ...]:
    """A list of CIDR strings such as "10.1.0.0/16", normalised."""
    _require(isinstance(value, list | tuple) and all(isinstance(v, str) for v in value))
    return tuple(str(ipaddress.ip_network(v, strict=False)) for v in value)
