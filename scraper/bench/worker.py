"""The child side of the bench: one process per extractor, timing only the extraction call.

Running each extractor in its own process is what makes the memory figure mean something:
peak RSS is per process, so the peak a worker reports is its extractor's alone. The
protocol over the pipe, in order:

1. the worker loads its extractor (imports the library), then sends ``Ready`` with the
   baseline peak RSS, or ``LoadFailed`` with the reason, and stops;
2. for each ``Job`` (page bytes and URL) it sends one ``Outcome``: the text ("" on an
   exception, with the error), the seconds spent in the call, and the peak RSS so far;
3. ``None`` tells it to exit.
"""

from __future__ import annotations

import resource
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from scraper.bench.extractors import ExtractFn, ExtractorSpec

# Linux's per-process-image peak RSS, "VmHWM:   38192 kB".
_PROC_STATUS = "/proc/self/status"
_PEAK_RSS_FIELD = "VmHWM:"

__all__ = ["Job", "LoadFailed", "Outcome", "Ready", "main", "peak_rss_kb", "serve"]


@dataclass(frozen=True)
class Job:
    """One page to extract: the gzip-decompressed bytes, as fetched, and its URL."""

    html: bytes
    url: str


@dataclass(frozen=True)
class Ready:
    """The extractor is loaded; ``baseline_kb`` is the peak RSS after its imports."""

    baseline_kb: int


@dataclass(frozen=True)
class LoadFailed:
    """The extractor could not be loaded; ``message`` says why and what to do."""

    message: str


@dataclass(frozen=True)
class Outcome:
    """The result of one Job; ``error`` is set (and ``text`` is "") when the call raised."""

    text: str
    elapsed_s: float
    error: str | None
    peak_kb: int


def main(fd: int) -> None:
    """The worker process's entry: speak the protocol on the connection at file ``fd``."""
    with Connection(fd) as conn:
        spec = conn.recv()
        if not isinstance(spec, ExtractorSpec):
            raise TypeError(f"the bench runner sent {type(spec).__name__}, not an ExtractorSpec")
        serve(conn, spec)


def serve(conn: Connection, spec: ExtractorSpec) -> None:
    """Run the worker protocol on ``conn`` until told to stop (the process target)."""
    try:
        extract = spec.load()
    except Exception as exc:  # any failure to load is reported, not a traceback in a child
        conn.send(LoadFailed(f"{spec.name}: {exc}"))
        return
    conn.send(Ready(peak_rss_kb()))
    while (job := _next_job(conn)) is not None:
        conn.send(_run(extract, job))


def _next_job(conn: Connection) -> Job | None:
    """The next Job; None when told to stop, or when the runner is gone (its end closed)."""
    try:
        job: Job | None = conn.recv()
    except EOFError:
        return None
    return job


def peak_rss_kb() -> int:
    """This process's peak resident set size in KiB.

    On Linux this is ``VmHWM`` from /proc, not ``ru_maxrss``: ``ru_maxrss`` survives
    fork + exec, so a spawned worker would start from its parent's peak (the parent holds
    every set and text), while ``VmHWM`` counts this process image alone. Elsewhere
    ``ru_maxrss`` is all there is (KiB on Linux, bytes on macOS).
    """
    try:
        with open(_PROC_STATUS, encoding="ascii") as status:
            for line in status:
                if line.startswith(_PEAK_RSS_FIELD):
                    return int(line.split()[1])
    except OSError:
        pass  # no /proc: not Linux
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def _run(extract: ExtractFn, job: Job) -> Outcome:
    """Time one extraction call; an exception becomes empty text plus its description."""
    error = None
    start = time.perf_counter()
    try:
        text = extract(job.html, job.url)
    except Exception as exc:  # the bench counts every extractor failure, whatever its type
        text, error = "", f"{type(exc).__name__}: {exc}"
    elapsed = time.perf_counter() - start
    return Outcome(text, elapsed, error, peak_rss_kb())
