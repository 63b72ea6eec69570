"""An extraction process of a crawl: ``python -m scraper.crawl.extract_worker``.

The crawl (pool.py) starts these as fresh Pythons that import ``analyse`` and nothing else (no
fetcher, sinks, config, CLI): 38 MB each after imports, against the crawler's 60 (measured).
They speak over their stdin and stdout, one call at a time, each message a frame: 8 bytes of
length (big-endian) and a pickle. A call is ``(html, url, template)``; the answer is the
``Analysis``, or a ``Failure`` holding the exception and its formatted traceback.

The process ends when its stdin closes: when the crawl closes the pool, and when the crawler
dies (kill -9 included), since the kernel closes the pipe then. SIGINT is ignored (a Ctrl-C in
the terminal reaches the whole process group; the crawler decides when its workers stop, after
the pages in flight). Anything analyse might print goes to stderr: stdout is the channel.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import traceback
from dataclasses import dataclass
from typing import BinaryIO, Final

__all__ = ["FRAME", "Failure", "framed", "read_frame", "serve", "write_frame"]

FRAME: Final = struct.Struct(">Q")  # the length of the pickle that follows


@dataclass(frozen=True)
class Failure:
    """An exception raised by ``analyse`` in the worker, with the worker's traceback."""

    error: BaseException
    traceback: str


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next message of ``stream``, or None at its end."""
    header = stream.read(FRAME.size)
    if len(header) < FRAME.size:
        return None
    (length,) = FRAME.unpack(header)
    body = stream.read(length)
    return body if len(body) == length else None


def framed(payload: bytes) -> bytes:
    """One message as it goes on the pipe: its length, then the payload."""
    return FRAME.pack(len(payload)) + payload


def write_frame(stream: BinaryIO, payload: bytes) -> None:
    """Send one message on ``stream``."""
    stream.write(framed(payload))
    stream.flush()


def serve(calls: BinaryIO, answers: BinaryIO) -> None:
    """Answer calls until ``calls`` ends."""
    from scraper.crawl.analyse import analyse  # after the streams are set up: imports take 0.3 s

    while (message := read_frame(calls)) is not None:
        html, url, template = pickle.loads(message)
        answer: object
        try:
            answer = analyse(html, url, template)
        except Exception as exc:  # every failure goes back to the crawl
            answer = Failure(exc, traceback.format_exc())
        try:
            payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an exception that cannot be pickled
            payload = pickle.dumps(Failure(RuntimeError(repr(exc)), traceback.format_exc()))
        write_frame(answers, payload)


def main() -> None:
    """Take stdout for the channel, send stray output to stderr, answer calls."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, answers)


if __name__ == "__main__":  # run as scraper.crawl.extract_worker, so that pickles name it so
    from scraper.crawl import extract_worker

    extract_worker.main()
