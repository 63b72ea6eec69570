"""Raw capture: every page the crawl fetched, as WARC response records (written with warcio).

Files are ``scraper-00001.warc.gz``, ``scraper-00002.warc.gz``, ... in the ``[crawl] warc``
folder, each record its own gzip member, each file starting with a ``warcinfo`` record. A
writer never appends to an existing file: it creates the next number (exclusively, so two
crawls sharing the folder never share a file), and moves on to a new one past ``max_bytes``.
So a file torn by a crash stays torn only at its end, and the reader skips that end with a
warning.

One response record per page:

- ``WARC-Target-URI``: the final URL (after redirects); ``WARC-Date``: when it was fetched;
- ``Scraper-Request-URI``: the normalised URL the crawl asked for (the record's ``url`` key);
  ``Scraper-Source``: the [[sources]] name; ``Scraper-Fetched-At``: the exact fetch time;
- the HTTP status line and headers, then the body as the fetcher returned it (decompressed):
  so ``Content-Encoding``, ``Transfer-Encoding`` and ``Content-Length`` are kept as
  ``X-Archive-Orig-*`` headers and ``Content-Length`` is the stored body's length.

``write`` returns once the record is on disk (fsync): the crawl captures a page before it
writes the page's record to the sink, so a stored record always has its capture (the reverse
may happen: a crash between the two leaves a capture whose page is fetched again).
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import IO, Any, Final

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.errors import ScraperError
from scraper.sink.paths import contained
from scraper.version import __version__

__all__ = ["DEFAULT_WARC_FILE_BYTES", "Capture", "WarcError", "WarcWriter", "read_captures"]

DEFAULT_WARC_FILE_BYTES: Final = 1024**3  # a new file past 1 GiB, the size the WARC spec suggests
_FILE_NAME: Final = "scraper-{:05d}.warc.gz"
_FILE_PATTERN: Final = re.compile(r"^scraper-(\d{5,})\.warc\.gz$")
_REWRITTEN: Final = ("content-encoding", "transfer-encoding", "content-length")  # see docstring
_ORIGINAL: Final = "X-Archive-Orig-"  # prefix of a rewritten header's original (pywb's)
_REQUEST_URI, _SOURCE, _FETCHED_AT = "Scraper-Request-URI", "Scraper-Source", "Scraper-Fetched-At"

_log = logging.getLogger(__name__)


class WarcError(ScraperError):
    """The WARC folder cannot be created, written or read (permissions, disk full)."""


@dataclass(frozen=True)
class Capture:
    """One captured response: what ``scraper reextract`` needs to extract the page again."""

    request_url: str  # normalised, as the crawl queued it
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    source: str
    fetched_at: str  # ISO 8601 UTC


class WarcWriter:
    """Writes captures into numbered WARC files in ``folder``; close it when done.

    Args:
        folder: the ``[crawl] warc`` folder (created when missing).
        max_bytes: start a new file once the current one holds this many bytes.

    Raises:
        WarcError: the folder cannot be created.
    """

    def __init__(self, folder: Path, max_bytes: int = DEFAULT_WARC_FILE_BYTES) -> None:
        self._folder = folder
        self._max_bytes = max_bytes
        self._file: IO[bytes] | None = None
        self._writer: Any = None  # warcio.WARCWriter for the open file
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _error(folder, "cannot create the WARC folder", exc) from exc

    def write(self, capture: Capture) -> None:
        """Append one response record and fsync it.

        Raises:
            WarcError: the file cannot be created or written; UnsafePathError: the file
                would lie outside the folder (a planted symlink).
        """
        file = self._file or self._open()
        try:
            self._writer.write_record(_response(self._writer, capture))
            file.flush()
            os.fsync(file.fileno())
            full = file.tell() >= self._max_bytes
        except OSError as exc:
            raise _error(Path(file.name), "cannot write the WARC capture", exc) from exc
        if full:
            self.close()

    def close(self) -> None:
        """Close the current file; the next write opens a new one. Closing twice is harmless."""
        if self._file is not None:
            self._file.close()
            self._file, self._writer = None, None

    def _open(self) -> IO[bytes]:
        """Create the next numbered file, exclusively, and write its warcinfo record."""
        number = max(_numbers(self._folder), default=0) + 1
        while True:
            name = _FILE_NAME.format(number)
            path = contained(self._folder, name)
            try:
                file = path.open("xb")
                break
            except FileExistsError:
                number += 1
            except OSError as exc:
                raise _error(path, "cannot create the WARC file", exc) from exc
        self._file, self._writer = file, WARCWriter(file, gzip=True)
        info = {"software": f"scraper/{__version__}", "format": "WARC File Format 1.0"}
        self._writer.write_record(self._writer.create_warcinfo_record(name, info))
        return file


def read_captures(folder: Path) -> Iterator[Capture]:
    """Every response captured in ``folder``'s WARC files, oldest file first, in file order.

    A file that is torn or corrupt (a crash while writing) yields the records before the
    damage; the rest of it is skipped with a warning (logged) and the next file is read.

    Raises:
        WarcError: the folder cannot be listed; UnsafePathError: a file leads outside it.
    """
    if not folder.is_dir():
        raise WarcError(
            f"{folder}: no such WARC folder; run a crawl with [crawl] warc set, or pass --warc"
        )
    try:
        names = sorted(_FILE_NAME.format(n) for n in _numbers(folder))
    except OSError as exc:
        raise _error(folder, "cannot list the WARC folder", exc) from exc
    for name in names:
        yield from _read_file(contained(folder, name))


def _read_file(path: Path) -> Iterator[Capture]:
    """The captures of one file, up to any damage (logged)."""
    count = 0
    try:
        with path.open("rb") as file:
            for record in ArchiveIterator(file):
                if record.rec_type == "response":
                    yield _capture(record)
                    count += 1
    # warcio raises what the damage leads to (zlib.error, EOFError, ArchiveLoadFailed, even
    # AttributeError on a header cut short), so any error while reading means a damaged file.
    except Exception as exc:
        _log.warning(
            "%s: torn or corrupt after %d responses (%s: %s), probably a crash while writing; "
            "the rest of the file is skipped",
            path,
            count,
            type(exc).__name__,
            exc,
        )


def _capture(record: Any) -> Capture:
    """A Capture from a warcio response record; ValueError when its body is incomplete."""
    warc, http = record.rec_headers, record.http_headers
    body = bytes(record.raw_stream.read())
    expected = warc.get_header("WARC-Payload-Digest")
    if expected is not None and expected != _digest(body):
        raise ValueError(f"the body of {warc.get_header('WARC-Target-URI')} is incomplete")
    final_url = str(warc.get_header("WARC-Target-URI"))
    return Capture(
        request_url=str(warc.get_header(_REQUEST_URI) or final_url),
        final_url=final_url,
        status=int(http.get_statuscode()),
        headers={str(k): str(v) for k, v in http.headers},
        body=body,
        source=str(warc.get_header(_SOURCE) or ""),
        fetched_at=str(warc.get_header(_FETCHED_AT) or warc.get_header("WARC-Date") or ""),
    )


def _response(writer: Any, capture: Capture) -> Any:
    """The warcio response record of a capture."""
    headers = [(k, v) for k, v in capture.headers.items() if k.lower() not in _REWRITTEN]
    headers += [(_ORIGINAL + k, v) for k, v in capture.headers.items() if k.lower() in _REWRITTEN]
    headers.append(("Content-Length", str(len(capture.body))))
    http = StatusAndHeaders(_status_line(capture.status), headers, protocol="HTTP/1.1")
    warc_headers = {
        "WARC-Date": _warc_date(capture.fetched_at),
        _REQUEST_URI: capture.request_url,
        _SOURCE: capture.source,
        _FETCHED_AT: capture.fetched_at,
    }
    return writer.create_warc_record(
        capture.final_url,
        "response",
        payload=io.BytesIO(capture.body),
        length=len(capture.body),
        http_headers=http,
        warc_headers_dict=warc_headers,
    )


def _status_line(status: int) -> str:
    """'200 OK' for 200."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _warc_date(fetched_at: str) -> str:
    """An ISO 8601 time as a WARC-Date (UTC, seconds, 'Z'); now when it is unreadable."""
    try:
        moment = datetime.fromisoformat(fetched_at)
    except ValueError:
        moment = datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(body: bytes) -> str:
    """The WARC-Payload-Digest warcio writes: 'sha1:' and the base32 SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _numbers(folder: Path) -> list[int]:
    """The numbers of the WARC files in ``folder``."""
    return [int(m.group(1)) for p in folder.iterdir() if (m := _FILE_PATTERN.match(p.name))]


def _error(path: Path, what: str, exc: OSError) -> WarcError:
    """A WarcError naming the path, the cause and what to do."""
    return WarcError(
        f"{path}: {what} ({exc.strerror or exc}); check the folder's permissions and free "
        "space, or set crawl.warc to another folder"
    )
