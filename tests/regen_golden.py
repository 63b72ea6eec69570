"""Rewrite golden expectations from the current extractor, for the named pages only.

    python tests/regen_golden.py SLUG [SLUG...]

For each slug, runs ``scraper.extract`` on fixtures/pages/<slug>/source.html and rewrites
``expected.txt`` and ``expected.json`` (same fields as before, ``url`` kept), printing a
unified diff of every change. ``absent.txt`` is never touched. This is a deliberate act:
read the diff, and commit it only when the new output is better. pytest does not collect
this file (its name does not start with ``test_``), and no test runs it.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from test_golden import PAGES_DIR, SLUGS, load_page

from scraper import extract


def _diff(path: Path, old: str, new: str) -> str:
    """Unified diff of the file's ``old`` content against ``new``."""
    lines = difflib.unified_diff(
        old.splitlines(),
        new.splitlines(),
        fromfile=f"{path} (before)",
        tofile=f"{path} (after)",
        lineterm="",
    )
    return "\n".join(lines)


def _rewrite(path: Path, new: str) -> bool:
    """Write ``new`` to ``path`` and print the diff; False when nothing changed."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old == new:
        return False
    print(_diff(path, old, new) or f"{path}: whitespace at the end changed")
    path.write_text(new, encoding="utf-8")
    return True


def regenerate(slug: str) -> bool:
    """Rewrite one page's expected.txt and expected.json; True when either changed."""
    page = load_page(slug)
    record = extract(page.source, url=page.url).to_dict()
    expected = {"url": page.url} | {key: record.get(key) for key in page.metadata}
    folder = PAGES_DIR / slug
    text_changed = _rewrite(folder / "expected.txt", record["text"])
    meta = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    return _rewrite(folder / "expected.json", meta) or text_changed


def main(argv: list[str] | None = None) -> int:
    """Parse the slugs, regenerate each, and report; exit 2 on an unknown slug."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slugs", nargs="+", metavar="SLUG", help="a fixtures/pages/ directory")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.slugs) - set(SLUGS))
    if unknown:
        parser.error(f"no golden page named {', '.join(unknown)} under {PAGES_DIR}")
    for slug in args.slugs:
        status = "rewritten" if regenerate(slug) else "unchanged"
        print(f"{slug}: {status}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
