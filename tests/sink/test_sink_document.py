"""The stored form of a record: key order, UTF-8, and the JSON Schema with id and crawl."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema
import pytest
from sink_support import make_record

from scraper.errors import InvalidRecordError
from scraper.sink.document import CRAWL_KEY_ORDER, KEY_ORDER, dumps_record, utf8_safe


def schema() -> dict[str, Any]:
    text = resources.files("scraper").joinpath("sink/record.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def test_key_order_is_the_schemas_with_id_first_and_crawl_last() -> None:
    assert ("id", *schema()["required"], "crawl") == KEY_ORDER


def test_crawl_key_order_is_the_schemas() -> None:
    assert tuple(schema()["properties"]["crawl"]["required"]) == CRAWL_KEY_ORDER


def test_a_crawl_record_validates() -> None:
    jsonschema.validate(make_record(), schema())


def test_the_extraction_record_alone_still_validates() -> None:
    record = make_record()
    del record["id"], record["crawl"]
    jsonschema.validate(record, schema())


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("id", "not-a-hash"),
        ("crawl", {"source": "seed"}),
        ("crawl", {**make_record()["crawl"], "extra": 1}),
        ("crawl", {**make_record()["crawl"], "revision": 0}),
    ],
    ids=["id-not-sha256", "crawl-missing-keys", "crawl-unknown-key", "revision-zero"],
)
def test_malformed_id_or_crawl_is_rejected_by_the_schema(key: str, value: object) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**make_record(), key: value}, schema())


def test_same_record_same_text_whatever_the_key_order() -> None:
    record = make_record()
    assert dumps_record(dict(reversed(list(record.items())))) == dumps_record(record)


def test_stored_text_round_trips_to_the_record() -> None:
    record = make_record(text="Ünïcödé “quotes” 中文 \U0001f600")
    assert json.loads(dumps_record(record)) == record


def test_surrogates_are_paired_or_replaced() -> None:
    assert utf8_safe("\ud83d\ude00|\udcff|\ud800") == "\U0001f600|\ufffd|\ufffd"


def test_surrogates_in_keys_are_replaced_too() -> None:
    text = dumps_record({**make_record(), "k\udcff": "v"})
    assert '"k\ufffd":"v"' in text


def test_bytes_are_refused_with_a_hint() -> None:
    with pytest.raises(InvalidRecordError, match="only strings, numbers"):
        dumps_record({**make_record(), "raw": b"\xff"})
