"""The JSONL sink's output folder: its file names, its lock, torn-line repair, the id scan.

Files are ``records-00001.jsonl``, ``records-00002.jsonl``, ...; the highest number is the
one being appended to. Every line is one complete record ending in a newline, so anything
after the last newline of a file is a write cut short by a crash.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from scraper.errors import SinkError
from scraper.sink.document import record_id
from scraper.sink.paths import contained

__all__ = [
    "LOCK_NAME",
    "FolderLock",
    "RecordFile",
    "file_name",
    "line_id",
    "list_record_files",
    "read_ids",
    "repair_torn_tail",
]

logger = logging.getLogger(__name__)

LOCK_NAME = ".records.lock"  # held (flock) by the one sink writing to the folder
_FILE_NAME = re.compile(r"records-(\d{5,})\.jsonl")
_ID_PREFIX = b'{"id":'  # how every line we write starts (document.KEY_ORDER puts id first)
_ID_WINDOW = 1024  # bytes after the prefix searched for the id before parsing the whole line
_TAIL_CHUNK = 64 * 1024  # bytes read at a time when looking back for the last newline
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class RecordFile:
    """One ``records-NNNNN.jsonl`` file of the folder."""

    number: int
    path: Path


def file_name(number: int) -> str:
    """The name of the records file with this number: ``records-00001.jsonl`` for 1."""
    return f"records-{number:05d}.jsonl"


class FolderLock:
    """The exclusive lock on a folder's ``.records.lock``, held by this process.

    A POSIX record lock (``lockf``): the kernel drops it when this process dies, and a
    forked child (an extraction worker outliving a killed crawler) does not inherit it, as
    it would a ``flock``. Such locks cannot tell two holders in one process apart, so a
    registry of the folders this process holds does that.

    Raises:
        SinkError: another process, or another sink of this one, holds the folder.
    """

    _held: ClassVar[set[Path]] = set()
    _guard: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._fd: int | None = None
        with self._guard:
            if folder in self._held:
                raise _busy(folder)
            fd = os.open(contained(folder, LOCK_NAME), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EACCES, errno.EAGAIN):
                    raise _busy(folder) from None
                raise SinkError(f"{folder}: cannot lock {LOCK_NAME} ({exc})") from exc
            self._held.add(folder)
            self._fd = fd

    @property
    def held(self) -> bool:
        """True until release()."""
        return self._fd is not None

    def release(self) -> None:
        """Unlock (closing the file drops the lock); releasing twice is harmless."""
        with self._guard:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
                self._held.discard(self._folder)


def _busy(folder: Path) -> SinkError:
    """The error for a folder another sink holds."""
    return SinkError(
        f"{folder}: another sink is writing to this folder (it holds {LOCK_NAME}): "
        "stop it first, or write to another folder"
    )


def list_record_files(folder: Path) -> list[RecordFile]:
    """The folder's records files, oldest first; other names are ignored.

    Raises:
        UnsafePathError: a records file is a symlink leading out of the folder.
        SinkError: a records name is not a regular file.
    """
    with os.scandir(folder) as entries:
        names = [entry.name for entry in entries]
    found: list[RecordFile] = []
    for name in names:
        match = _FILE_NAME.fullmatch(name)
        if match is None:
            continue
        path = contained(folder, name)
        if not path.is_file():
            raise SinkError(f"{path}: expected a records file, found something else: move it")
        found.append(RecordFile(int(match.group(1)), path))
    return sorted(found, key=lambda record_file: record_file.number)


def repair_torn_tail(path: Path) -> int:
    """Cut whatever follows the last newline of the file (a torn line); return bytes cut."""
    with path.open("r+b") as file:
        size = file.seek(0, os.SEEK_END)
        keep = _end_of_last_line(file.fileno(), size)
        if keep == size:
            return 0
        file.truncate(keep)
        os.fsync(file.fileno())
    logger.warning(
        "%s: cut a torn last line (%d bytes after the last newline, left by a crash); "
        "the record it held was never committed and will be written again",
        path,
        size - keep,
    )
    return size - keep


def read_ids(path: Path) -> Iterator[str]:
    """The id of every record in the file, in order; blank lines are skipped.

    Raises:
        SinkError: a line is not a JSON object with a string ``id`` (says file and line).
    """
    with path.open("rb") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                yield line_id(line)
            except (ValueError, SinkError) as exc:
                raise SinkError(
                    f"{path}:{number}: not a record with a string 'id' ({exc}); fix or "
                    "delete that line, or move the file out of the output folder"
                ) from exc


def line_id(line: bytes) -> str:
    """The ``id`` of one JSON Lines record, read from its first bytes when it starts with it.

    Raises:
        ValueError: the line is not JSON, or not an object.
        InvalidRecordError: the object has no string ``id``.
    """
    if line.startswith(_ID_PREFIX):
        head = line[len(_ID_PREFIX) : len(_ID_PREFIX) + _ID_WINDOW].decode("utf-8", "replace")
        try:
            value, _ = _DECODER.raw_decode(head)
        except ValueError:
            value = None
        if isinstance(value, str) and value:
            return value
    document = json.loads(line)
    if not isinstance(document, dict):
        raise ValueError(f"a JSON {type(document).__name__}, not an object")
    return record_id(document)


def _end_of_last_line(fd: int, size: int) -> int:
    """The offset just after the file's last newline (0 when it has none)."""
    end = size
    while end > 0:
        start = max(0, end - _TAIL_CHUNK)
        chunk = os.pread(fd, end - start, start)
        newline = chunk.rfind(b"\n")
        if newline != -1:
            return start + newline + 1
        end = start
    return 0
