"""Keep a sink's files inside its output folder.

A sink names its own files, but a folder can hold a symlink planted by someone else, and a
name can come from configuration; ``contained`` refuses both ways out.
"""

from __future__ import annotations

from pathlib import Path, PurePath

from scraper.errors import UnsafePathError

__all__ = ["contained"]


def contained(root: Path, name: str | PurePath) -> Path:
    """The path of ``name`` inside ``root``, with symlinks resolved.

    Args:
        root: the output folder (it may itself be reached through a symlink).
        name: a relative path inside it, e.g. ``"records-00001.jsonl"``.

    Returns:
        The resolved path, guaranteed to lie inside the resolved ``root``.

    Raises:
        UnsafePathError: ``name`` is absolute, has a ``..`` part, or resolves (through a
            symlink) to somewhere outside ``root``.

    >>> contained(Path("/tmp"), "a.jsonl") == Path("/tmp").resolve() / "a.jsonl"
    True
    """
    relative = PurePath(name)
    if relative.is_absolute() or relative.anchor:
        raise UnsafePathError(
            f"{name}: sink file names must be relative to the output folder {root}; "
            "give a plain file name"
        )
    if ".." in relative.parts:
        raise UnsafePathError(
            f"{name}: '..' would leave the output folder {root}; give a plain file name"
        )
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        raise UnsafePathError(
            f"{base / relative} leads to {target}, outside the output folder {base}: "
            "remove the symlink or choose another output folder"
        )
    return target
