"""The default sink: append-only JSON Lines files in an output folder, rotated by size.

One record per line (``document.encode_line``: keys in a stable order, UTF-8, no ASCII
escaping). Crash safety comes from three rules:

1. each line goes to an ``O_APPEND`` file in a single ``write`` of the whole line, so a
   crash leaves complete lines and at most one torn line at the very end;
2. opening the folder cuts a torn last line (and says so on the ``scraper.sink`` logger);
3. ``commit()`` fsyncs the file being appended to (and the folder, when a file was
   created); a full file is fsynced when the sink moves on to the next one.

The id index that makes ``has()`` and idempotent writes work lives in memory and is rebuilt
on open by reading every file once. Cost: one sequential read of the folder (the id is read
from the first bytes of each line; the rest is not parsed): about 1.6 s per GB from the page
cache, disk speed otherwise; memory about 170 bytes per record (a set of id strings), so
170 MB for a million records. An exclusive lock on ``.records.lock`` keeps a second writer
out, since it would not see this one's index (and could cut its in-flight line); see
``jsonl_folder.FolderLock``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scraper.errors import SinkError
from scraper.sink.base import Sink
from scraper.sink.document import encode_line, record_id, utf8_safe
from scraper.sink.jsonl_folder import (
    FolderLock,
    RecordFile,
    file_name,
    list_record_files,
    read_ids,
    repair_torn_tail,
)
from scraper.sink.paths import contained

__all__ = ["DEFAULT_ROTATE_BYTES", "JsonlSink"]

DEFAULT_ROTATE_BYTES = 64 * 1024 * 1024  # start a new file past 64 MiB: easy to ship and split
_OPEN_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW


class JsonlSink(Sink):
    """Append records as JSON Lines to ``records-NNNNN.jsonl`` files in ``folder``.

    Args:
        folder: the output folder; created (with parents) when missing.
        rotate_bytes: a new file is started when a line would push the current one past
            this size (a single line larger than that gets a file of its own).

    Raises:
        SinkError: the folder is not usable, another sink holds it, or a line in it is not
            a record.
        UnsafePathError: a records file is a symlink leading out of the folder.

    Example:
        >>> with JsonlSink(Path("out")) as sink:  # doctest: +SKIP
        ...     sink.write({"id": "sha256:...", "url": "https://example.com/a"})
    """

    def __init__(self, folder: Path, *, rotate_bytes: int = DEFAULT_ROTATE_BYTES) -> None:
        if rotate_bytes <= 0:
            raise SinkError(f"rotate_bytes must be a positive number of bytes, got {rotate_bytes}")
        self._folder = _prepare(folder)
        self._lock = FolderLock(self._folder)
        try:
            files = list_record_files(self._folder)
            self._ids = _read_index(files)
            newest = files[-1].number if files else 0
            self._appender = _Appender(self._folder, newest, rotate_bytes)
        except BaseException:
            self._lock.release()
            raise

    @property
    def folder(self) -> Path:
        """The output folder, resolved."""
        return self._folder

    def write(self, record: Mapping[str, Any]) -> None:
        """Append the record as one line, unless its id is already in the folder."""
        self._check_open()
        key = record_id(record)
        if key in self._ids:
            return
        self._appender.append(encode_line(record))
        self._ids.add(key)

    def commit(self) -> None:
        """fsync the current file (and the folder when a file was created)."""
        self._check_open()
        self._appender.sync()

    def has(self, record_id: str) -> bool:
        """True when a line with this id is in the folder (read on open, or written since)."""
        return utf8_safe(record_id) in self._ids

    def close(self) -> None:
        """Commit, close the file and release the folder's lock."""
        if not self._lock.held:
            return
        try:
            self._appender.sync()
        finally:
            self._appender.close()
            self._lock.release()

    def _check_open(self) -> None:
        """Refuse to work after close()."""
        if not self._lock.held:
            raise SinkError(f"{self._folder}: the JSONL sink is closed; open a new one")


class _Appender:
    """Appends whole lines to the newest records file and starts a new one when it is full."""

    def __init__(self, folder: Path, number: int, rotate_bytes: int) -> None:
        self._folder = folder
        self._number = number  # of the current file; 0 before the first file exists
        self._rotate_bytes = rotate_bytes
        self._fd: int | None = None
        self._size = 0
        self._folder_dirty = False  # a file was created since the last folder fsync
        if number:
            self._open(number)

    def append(self, line: bytes) -> None:
        """Write the whole line with one write() call; undo a short write and raise."""
        if self._fd is None or (self._size and self._size + len(line) > self._rotate_bytes):
            self._rotate()
        assert self._fd is not None
        try:
            written = os.write(self._fd, line)
        except OSError as exc:
            raise SinkError(f"{self._path()}: cannot append a record ({exc})") from exc
        if written != len(line):
            os.ftruncate(self._fd, self._size)
            raise SinkError(
                f"{self._path()}: only {written} of {len(line)} bytes written (disk full?); "
                "the partial line was removed: free space and write the record again"
            )
        self._size += written

    def sync(self) -> None:
        """fsync the current file, and the folder if it gained a file."""
        try:
            if self._fd is not None:
                os.fsync(self._fd)
            if self._folder_dirty:
                _fsync_folder(self._folder)
                self._folder_dirty = False
        except OSError as exc:
            raise SinkError(f"{self._path()}: cannot make records durable ({exc})") from exc

    def close(self) -> None:
        """Close the current file."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _rotate(self) -> None:
        """Finish the current file (fsync, close) and open the next number."""
        if self._fd is not None:
            self.sync()
            self.close()
        self._open(self._number + 1)
        self._folder_dirty = True

    def _open(self, number: int) -> None:
        """Open records file ``number`` for appending, creating it when needed."""
        self._number = number
        try:
            self._fd = os.open(contained(self._folder, file_name(number)), _OPEN_FLAGS, 0o644)
        except OSError as exc:
            raise SinkError(f"{self._path()}: cannot open for appending ({exc})") from exc
        self._size = os.fstat(self._fd).st_size

    def _path(self) -> Path:
        """The current file's path, for messages."""
        return self._folder / file_name(self._number)


def _prepare(folder: Path) -> Path:
    """Create the output folder if needed and return it resolved."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise SinkError(f"{folder}: exists and is not a folder; choose an output folder") from None
    except OSError as exc:
        raise SinkError(f"{folder}: cannot create the output folder ({exc})") from exc
    return folder.resolve()


def _read_index(files: list[RecordFile]) -> set[str]:
    """Cut the files' torn tails and return every id they hold."""
    ids: set[str] = set()
    for record_file in files:
        repair_torn_tail(record_file.path)
        ids.update(read_ids(record_file.path))
    return ids


def _fsync_folder(folder: Path) -> None:
    """fsync a directory, so the names of files created in it survive a power cut."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
