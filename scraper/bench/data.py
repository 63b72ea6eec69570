"""Load a benchmark set folder: ``html/<id>.html.gz``, ``ground-truth.json``, ``meta.json``.

The folder layout is the one in ``../shared/bench/README.md``. Everything is checked up front,
before any worker starts, so that a broken set fails in a second with a message naming the
file, not an hour into a run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scraper.errors import BenchError

__all__ = [
    "DEFAULT_SET_NAMES",
    "UNKNOWN_PAGE_TYPE",
    "BenchPage",
    "BenchSet",
    "default_sets",
    "load_set",
]

# The tuning sets every engineer has, looked up under ../shared/bench of the repository.
DEFAULT_SET_NAMES = ("aeb-dev", "wcxb-dev")
_SHARED_BENCH = Path("..") / "shared" / "bench"
# scraper/bench/data.py -> the repository root, two folders above the package.
_REPO_ROOT = Path(__file__).resolve().parents[2]

_TRUTH_FILE = "ground-truth.json"
_META_FILE = "meta.json"
_HTML_DIR = "html"
_HTML_SUFFIX = ".html.gz"
# page_type of pages that meta.json does not mention (or of sets without meta.json).
UNKNOWN_PAGE_TYPE = "unknown"


@dataclass(frozen=True)
class BenchPage:
    """One page of a set: where its HTML lies and what a perfect extractor returns."""

    page_id: str
    html_path: Path
    url: str
    truth: str
    page_type: str


@dataclass(frozen=True)
class BenchSet:
    """A loaded set: its name (the folder name), folder, pages sorted by id, and whether it
    has page types (a ``meta.json``)."""

    name: str
    path: Path
    pages: tuple[BenchPage, ...]
    has_page_types: bool


def load_set(path: Path, limit: int | None = None) -> BenchSet:
    """Read and check a set folder.

    Args:
        path: the folder holding ``ground-truth.json`` and ``html/``.
        limit: keep only the first ``limit`` pages by sorted id (deterministic subsets).

    Returns:
        The set, pages sorted by id.

    Raises:
        BenchError: the folder, a file or a field is missing or malformed.

    Example:
        >>> load_set(Path("../shared/bench/aeb-dev"), limit=5).pages[0].page_id  # doctest: +SKIP
        '042bb7b5...'
    """
    if not path.is_dir():
        raise BenchError(f"{path}: no such folder; pass a bench set folder holding {_TRUTH_FILE}")
    truth = _read_json_object(path / _TRUTH_FILE, required=True)
    meta = _read_json_object(path / _META_FILE, required=False)
    ids = sorted(truth)[:limit] if limit is not None else sorted(truth)
    pages = tuple(_page(path, page_id, truth[page_id], meta.get(page_id)) for page_id in ids)
    if not pages:
        raise BenchError(f"{path / _TRUTH_FILE}: holds no pages; add id -> articleBody entries")
    return BenchSet(path.name, path, pages, has_page_types=bool(meta))


def default_sets(note: Callable[[str], None], roots: Sequence[Path] | None = None) -> list[Path]:
    """Find the default sets under ``../shared/bench`` of the current folder or of the repo.

    Args:
        note: called with a one-line note for each default set that cannot be found.
        roots: folders to look from, first match wins; default: the current folder, then the
            repository root (so that ``scraper bench`` works from the repo or from anywhere).

    Returns:
        The folders found, in ``DEFAULT_SET_NAMES`` order.
    """
    roots = (Path.cwd(), _REPO_ROOT) if roots is None else roots
    found = []
    for name in DEFAULT_SET_NAMES:
        candidates = _unique(root / _SHARED_BENCH / name for root in roots)
        existing = [c for c in candidates if c.is_dir()]
        if existing:
            found.append(existing[0])
        else:
            note(f"skipping default set {name}: not found at {' or '.join(map(str, candidates))}")
    return found


def _unique(paths: Iterable[Path]) -> list[Path]:
    """Resolved paths without repeats, first occurrence kept."""
    return list(dict.fromkeys(p.resolve() for p in paths))


def _read_json_object(path: Path, required: bool) -> dict[str, Any]:
    """Parse a JSON file whose top level must be an object; {} for an absent optional file."""
    if not path.is_file():
        if required:
            raise BenchError(f"{path}: missing; a bench set needs it (see the bench README)")
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BenchError(
            f"{path}: cannot be read as JSON ({exc}); fix or re-copy the file"
        ) from exc
    if not isinstance(data, dict):
        raise BenchError(f"{path}: must hold a JSON object mapping page id -> entry")
    return data


def _page(folder: Path, page_id: str, entry: object, meta: object) -> BenchPage:
    """Check one ground-truth entry (and its meta entry) and build the page."""
    where = f"{folder / _TRUTH_FILE}: page {page_id!r}"
    if not isinstance(entry, dict) or not isinstance(entry.get("articleBody"), str):
        raise BenchError(f"{where}: needs an object with a string articleBody")
    url = entry.get("url") or ""
    if not isinstance(url, str):
        raise BenchError(f"{where}: url must be a string, got {type(url).__name__}")
    html_path = folder / _HTML_DIR / f"{page_id}{_HTML_SUFFIX}"
    if not html_path.is_file():
        raise BenchError(f"{where}: its HTML {html_path} is missing; re-copy the set")
    return BenchPage(
        page_id, html_path, url, entry["articleBody"], _page_type(folder, page_id, meta)
    )


def _page_type(folder: Path, page_id: str, meta: object) -> str:
    """The page_type from a meta.json entry, UNKNOWN_PAGE_TYPE when the entry has none."""
    if meta is None:
        return UNKNOWN_PAGE_TYPE
    if not isinstance(meta, dict):
        raise BenchError(f"{folder / _META_FILE}: page {page_id!r}: entry must be an object")
    page_type = meta.get("page_type")
    if page_type is None:
        return UNKNOWN_PAGE_TYPE
    if not isinstance(page_type, str):
        raise BenchError(f"{folder / _META_FILE}: page {page_id!r}: page_type must be a string")
    return page_type
