"""The JSONL sink beyond the contract: torn lines, rotation, the lock, paths, the id scan."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from sink_support import make_record

from scraper.errors import SinkError, UnsafePathError
from scraper.sink import JsonlSink
from scraper.sink.document import encode_line
from scraper.sink.paths import contained


def lines_of(folder: Path) -> list[bytes]:
    """Every line of every records file, in file order, newline kept."""
    files = sorted(folder.glob("records-*.jsonl"))
    return [line for path in files for line in path.read_bytes().splitlines(keepends=True)]


def page(number: int, text_bytes: int = 300) -> dict[str, Any]:
    """A record for page number, about text_bytes of text long."""
    return make_record(f"https://example.com/{number}", canonical_url=None, text="x" * text_bytes)


def test_torn_last_line_is_cut_on_open(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    kept = page(1)
    with JsonlSink(tmp_path) as sink:
        sink.write(kept)
    torn = encode_line(page(2))[:-40]
    with (tmp_path / "records-00001.jsonl").open("ab") as file:
        file.write(torn)
    with caplog.at_level(logging.WARNING, logger="scraper.sink"), JsonlSink(tmp_path) as sink:
        assert sink.has(kept["id"])
        assert not sink.has(page(2)["id"])
        sink.write(page(2))
    assert f"cut a torn last line ({len(torn)} bytes" in caplog.text
    assert [json.loads(line)["id"] for line in lines_of(tmp_path)] == [kept["id"], page(2)["id"]]


def test_file_of_one_torn_line_is_emptied(tmp_path: Path) -> None:
    (tmp_path / "records-00001.jsonl").write_bytes(b'{"id":"sha256:ab')
    with JsonlSink(tmp_path) as sink:
        sink.write(page(1))
    assert len(lines_of(tmp_path)) == 1


def test_files_rotate_by_size(tmp_path: Path) -> None:
    line_size = len(encode_line(page(1)))
    with JsonlSink(tmp_path, rotate_bytes=3 * line_size) as sink:
        for number in range(7):
            sink.write(page(number))
    names = sorted(path.name for path in tmp_path.glob("records-*.jsonl"))
    assert names == ["records-00001.jsonl", "records-00002.jsonl", "records-00003.jsonl"]
    assert [len((tmp_path / name).read_bytes().splitlines()) for name in names] == [3, 3, 1]


def test_reopened_sink_appends_to_the_newest_file(tmp_path: Path) -> None:
    line_size = len(encode_line(page(1)))
    with JsonlSink(tmp_path, rotate_bytes=2 * line_size) as sink:
        for number in range(3):
            sink.write(page(number))
    with JsonlSink(tmp_path, rotate_bytes=2 * line_size) as sink:
        assert all(sink.has(page(number)["id"]) for number in range(3))
        sink.write(page(3))
    assert len((tmp_path / "records-00002.jsonl").read_bytes().splitlines()) == 2
    assert not (tmp_path / "records-00003.jsonl").exists()


def test_a_line_larger_than_a_file_gets_a_file_of_its_own(tmp_path: Path) -> None:
    with JsonlSink(tmp_path, rotate_bytes=1000) as sink:
        sink.write(page(1, text_bytes=10))
        sink.write(page(2, text_bytes=5000))
        sink.write(page(3, text_bytes=10))
    assert len(list(tmp_path.glob("records-*.jsonl"))) == 3


def test_second_sink_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    with JsonlSink(tmp_path), pytest.raises(SinkError, match="another sink is writing"):
        JsonlSink(tmp_path)
    JsonlSink(tmp_path).close()  # the lock went with the first sink


def test_records_file_symlinked_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder, outside = tmp_path / "out", tmp_path / "elsewhere.jsonl"
    folder.mkdir()
    outside.write_bytes(b"")
    (folder / "records-00001.jsonl").symlink_to(outside)
    with pytest.raises(UnsafePathError, match="outside the output folder"):
        JsonlSink(folder)
    assert outside.read_bytes() == b""


@pytest.mark.parametrize("name", ["../escape.jsonl", "a/../../escape.jsonl", "/etc/passwd"])
def test_names_leading_out_of_the_folder_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnsafePathError):
        contained(tmp_path, name)


def test_symlink_staying_inside_the_folder_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert contained(tmp_path, "link/a.jsonl") == (tmp_path / "real" / "a.jsonl").resolve()


def test_output_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(SinkError, match="not a folder"):
        JsonlSink(tmp_path / "out")


def test_broken_line_in_the_middle_names_file_and_line(tmp_path: Path) -> None:
    good = encode_line(page(1))
    (tmp_path / "records-00001.jsonl").write_bytes(good + b"{not json\n" + good)
    with pytest.raises(SinkError, match=r"records-00001\.jsonl:2: not a record"):
        JsonlSink(tmp_path)


def test_lines_written_by_other_tools_are_indexed(tmp_path: Path) -> None:
    lines = b'{"url": "u", "id": "sha256:1"}\n\n{ "id" : "sha256:2"}\n'
    (tmp_path / "records-00001.jsonl").write_bytes(lines)
    with JsonlSink(tmp_path) as sink:
        assert sink.has("sha256:1")
        assert sink.has("sha256:2")


def test_lines_start_with_the_id_and_keep_a_stable_key_order(tmp_path: Path) -> None:
    record = {"zeta": 1, "crawl": {"revision": 1, "source": "seed"}, **make_record()}
    reordered = dict(reversed(list(record.items())))
    with JsonlSink(tmp_path) as sink:
        sink.write(record)
    [line] = lines_of(tmp_path)
    assert line.startswith(b'{"id":"sha256:')
    assert line == encode_line(reordered)
    assert list(json.loads(line))[-2:] == ["crawl", "zeta"]


def test_text_is_stored_unescaped_utf8(tmp_path: Path) -> None:
    with JsonlSink(tmp_path) as sink:
        sink.write(make_record(text="Übermäßig — ελληνικά 中文"))
    assert "Übermäßig — ελληνικά 中文".encode() in lines_of(tmp_path)[0]


def test_files_are_not_world_writable(tmp_path: Path) -> None:
    with JsonlSink(tmp_path) as sink:
        sink.write(page(1))
    assert not os.stat(tmp_path / "records-00001.jsonl").st_mode & 0o002


# Holds the folder's sink, forks a child that keeps the lock file open, prints the child's
# pid, then waits to be killed.
HOLDER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from scraper.sink import JsonlSink

    sink = JsonlSink(Path(sys.argv[1]))
    child = os.fork()
    if child == 0:
        time.sleep(60)
        os._exit(0)
    print(child, flush=True)
    time.sleep(60)
    """
)


def start_holder(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    """A process holding folder's sink, and the pid of its forked child."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)], stdout=subprocess.PIPE, env=env
    )
    assert holder.stdout is not None
    return holder, int(holder.stdout.readline())


def test_folder_held_by_another_process_is_refused(tmp_path: Path) -> None:
    holder, child = start_holder(tmp_path)
    with holder:
        try:
            with pytest.raises(SinkError, match="another sink is writing"):
                JsonlSink(tmp_path)
        finally:
            os.kill(child, signal.SIGKILL)
            holder.kill()


def test_lock_dies_with_its_process_not_with_forked_children(tmp_path: Path) -> None:
    holder, child = start_holder(tmp_path)
    with holder:
        try:
            holder.kill()
            holder.wait()
            JsonlSink(tmp_path).close()  # the child still has the lock file open
        finally:
            os.kill(child, signal.SIGKILL)
