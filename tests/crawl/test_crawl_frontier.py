"""Recovery after a crash: a record the sink has is done, one it lacks is fetched again."""

from __future__ import annotations

from pathlib import Path

from scraper.crawl.frontier import Frontier, QueuedURL
from scraper.crawl.state import PageUpdate, State
from scraper.sink import open_sink


def _update(url: str, record_id: str) -> PageUpdate:
    return PageUpdate(
        url=url, source="s", final_url=url, etag='"e"', last_modified=None, outcome="stored",
        links=(), fetched_at="2026-01-01T00:00:00+00:00", content_hash=f"sha256:{record_id}",
        record_id=record_id, revision=1,
    )  # fmt: skip


def test_recover_settles_writing_rows_by_asking_the_sink(tmp_path: Path) -> None:
    state = State(tmp_path / "state.sqlite")
    frontier = Frontier(state, "s")
    frontier.restart([QueuedURL("https://a.test/1", 0), QueuedURL("https://a.test/2", 0)])
    written, lost = frontier.claim(10), frontier.claim(10)
    assert written is not None and lost is not None
    frontier.begin_write(written, _update(written.url, "id-1"), ())
    frontier.begin_write(lost, _update(lost.url, "id-2"), ())
    with open_sink("jsonl", path=tmp_path / "out") as sink:
        sink.write({"id": "id-1"})
        sink.commit()
        assert frontier.recover(sink.has) == 1
    known = state.known(written.url)
    assert known is not None and (known.record_id, known.etag) == ("id-1", '"e"')
    assert state.known(lost.url) is None
    assert frontier.claim(10) == lost  # fetched again
    assert frontier.claim(10) is None
    state.close()


def test_claimed_rows_of_a_killed_run_go_back_to_the_queue(tmp_path: Path) -> None:
    state = State(tmp_path / "state.sqlite")
    frontier = Frontier(state, "s")
    frontier.restart([QueuedURL("https://a.test/1", 0)])
    assert frontier.claim(10) is not None
    frontier.recover(lambda record_id: False)
    assert frontier.claim(10) == QueuedURL("https://a.test/1", 0)
    state.close()
