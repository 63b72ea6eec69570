"""The Sink contract, one suite run against every sink (STYLE.md rule 11).

``backend`` runs a test on every sink; ``store`` on those that keep records (stdout keeps
nothing: it has no ``has()`` to answer truly and nothing to reopen).
"""

from __future__ import annotations

import math

import pytest
from sink_support import Backend, make_record

from scraper.errors import InvalidRecordError, SinkError


def test_committed_record_is_stored_as_written(backend: Backend) -> None:
    record = make_record()
    with backend.open() as sink:
        sink.write(record)
        sink.commit()
        assert backend.stored() == [record]


def test_context_manager_commits_on_exit(backend: Backend) -> None:
    record = make_record()
    with backend.open() as sink:
        sink.write(record)
    assert backend.stored() == [record]


def test_unknown_keys_are_kept_as_opaque_json(backend: Backend) -> None:
    record = {**make_record(), "x_extra": {"nested": [1, 2.5, None, True], "é": "ü"}}
    with backend.open() as sink:
        sink.write(record)
    assert backend.stored() == [record]


def test_lone_surrogates_are_stored_as_valid_utf8(backend: Backend) -> None:
    record = make_record(text="caf\udce9 and a pair \ud83d\ude00 and a lone \ud800 end")
    with backend.open() as sink:
        sink.write(record)
    [stored] = backend.stored()
    assert stored["text"] == "caf\ufffd and a pair \U0001f600 and a lone \ufffd end"


def test_nul_characters_are_stored(backend: Backend) -> None:
    record = make_record(title="a\x00b", text="x\x00y \\u0000 stays")
    with backend.open() as sink:
        sink.write(record)
    [stored] = backend.stored()
    nul = "\x00" if backend.keeps_nul else "\ufffd"
    assert (stored["title"], stored["text"]) == (f"a{nul}b", f"x{nul}y \\u0000 stays")


def test_record_without_id_is_refused(backend: Backend) -> None:
    record = make_record()
    del record["id"]
    with backend.open() as sink, pytest.raises(InvalidRecordError, match="'id'"):
        sink.write(record)


def test_record_with_nan_is_refused(backend: Backend) -> None:
    record = {**make_record(), "page_type_confidence": math.nan}
    with backend.open() as sink, pytest.raises(InvalidRecordError, match="JSON"):
        sink.write(record)


def test_closed_sink_refuses_writes(backend: Backend) -> None:
    sink = backend.open()
    sink.close()
    sink.close()  # twice is harmless
    with pytest.raises(SinkError, match="closed"):
        sink.write(make_record())


def test_has_sees_a_record_once_written(store: Backend) -> None:
    record = make_record()
    with store.open() as sink:
        assert not sink.has(record["id"])
        sink.write(record)
        assert sink.has(record["id"])
        sink.commit()
        assert sink.has(record["id"])


def test_rewriting_a_stored_id_stores_nothing_new(store: Backend) -> None:
    record = make_record()
    with store.open() as sink:
        sink.write(record)
        sink.commit()
        sink.write(record)
        sink.commit()
    assert store.stored() == [record]


def test_records_survive_close_and_reopen(store: Backend) -> None:
    first, second = make_record(), make_record("https://example.com/b", canonical_url=None)
    with store.open() as sink:
        sink.write(first)
        sink.write(second)
    with store.open() as sink:
        assert sink.has(first["id"])
        assert sink.has(second["id"])
        sink.write(first)
    assert len(store.stored()) == 2


def test_new_revision_of_a_page(store: Backend) -> None:
    old = make_record(revision=1, text="Old text.")
    new = make_record(revision=2, text="New text.")
    with store.open() as sink:
        sink.write(old)
        sink.write(new)
        sink.commit()
        assert sink.has(new["id"])
        assert sink.has(old["id"]) is not store.one_row_per_page
    expected = [new] if store.one_row_per_page else [old, new]
    assert store.stored() == expected


def test_older_revision_never_replaces_a_newer_one(store: Backend) -> None:
    old = make_record(revision=1, text="Old text.")
    new = make_record(revision=2, text="New text.")
    with store.open() as sink:
        sink.write(new)
        sink.write(old)
    revisions = [record["crawl"]["revision"] for record in store.stored()]
    assert revisions == ([2] if store.one_row_per_page else [2, 1])


def test_page_without_canonical_url_is_matched_by_url(store: Backend) -> None:
    old = make_record(canonical_url=None, revision=1, text="Old text.")
    new = make_record(canonical_url=None, revision=2, text="New text.")
    with store.open() as sink:
        sink.write(old)
        sink.write(new)
    assert len(store.stored()) == (1 if store.one_row_per_page else 2)


def test_stdout_has_nothing_and_prints_every_write() -> None:
    from sink_support import stdout_backend

    backend, record = stdout_backend(), make_record()
    with backend.open() as sink:
        sink.write(record)
        sink.write(record)
        assert not sink.has(record["id"])
    assert backend.stored() == [record, record]
