"""Reading what a crawl wrote: every JSON line of the jsonl sink's folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_records(folder: Path) -> list[dict[str, Any]]:
    """All records in the folder's records-*.jsonl files, in file order."""
    records = []
    for path in sorted(folder.glob("records-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                records.append(json.loads(line))
    return records
