"""Records validate against the shipped JSON Schema, and are byte-stable."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scraper import SCHEMA_VERSION, extract

PAGES = sorted((Path(__file__).parent.parent / "fixtures" / "pages").glob("*/source.html"))


def schema() -> dict[str, Any]:
    text = resources.files("scraper").joinpath("sink/record.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@pytest.mark.parametrize("page", PAGES, ids=[p.parent.name for p in PAGES])
def test_record_validates(page: Path) -> None:
    record = extract(page.read_bytes(), url="https://example.com/2024/01/02/a-story").to_dict()
    jsonschema.validate(record, schema())


def test_schema_version_matches_the_code() -> None:
    assert schema()["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_schema_lists_every_record_field() -> None:
    record = extract("<p>One paragraph of text that is long enough to count.</p>").to_dict()
    assert set(schema()["required"]) == set(record)


def test_same_input_same_record_byte_for_byte() -> None:
    page = PAGES[0].read_bytes()
    first = json.dumps(extract(page, url="https://example.com/a").to_dict(), ensure_ascii=False)
    second = json.dumps(extract(page, url="https://example.com/a").to_dict(), ensure_ascii=False)
    assert first == second


def test_hashes_cover_text_and_raw_input() -> None:
    a = extract(b"<article><p>Same words in both pages, long enough.</p></article>")
    b = extract(b"<article><p>Same words in both pages, long enough.</p></article><!-- x -->")
    assert a.content_hash == b.content_hash
    assert a.html_hash != b.html_hash
