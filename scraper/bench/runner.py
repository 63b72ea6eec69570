"""The parent side of the bench: feed every extractor the same pages, interleaved.

Why interleaved: whatever the machine does during a run (thermal throttling, a neighbour's
build, a cold disk cache), it hits every extractor alike, so the speed ratio holds even when
the absolute figures wobble. The recipe for one set:

1. start one worker per extractor (see ``worker``), a fresh Python that imports the bench's
   worker module and nothing of the parent's: not multiprocessing's spawn, which re-runs the
   parent's main script in the child (for the ``scraper`` command, the whole CLI: 23 MB more
   in each worker's memory figures, measured); each loads its library and reports its memory
   baseline; a worker that cannot load stops the run with a BenchError;
2. for each page, in id order: read and gunzip it once, then hand the same bytes to each
   worker in turn, waiting for each answer before the next send, so that only one extractor
   runs at a time and none competes with another for the CPU;
3. a worker that raises gives an empty text and an error; one that crashes or overruns the
   page timeout is killed, its page counted as an error, and a fresh worker takes the next
   page (its peak still counts: every answer carries the worker's peak RSS so far);
4. stop the workers and return each extractor's texts, timings and memory.
"""

from __future__ import annotations

import contextlib
import enum
import gzip
import os
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection

from scraper.bench.data import BenchPage, BenchSet
from scraper.bench.extractors import ExtractorSpec
from scraper.bench.worker import Job, LoadFailed, Outcome, Ready
from scraper.errors import BenchError

__all__ = ["DEFAULT_PAGE_TIMEOUT_S", "ExtractorRun", "PageResult", "SetRun", "run_set"]

# A page taking longer than this is a hang, not a slow page (trafilatura's worst is ~1 s).
DEFAULT_PAGE_TIMEOUT_S = 60.0
# Importing an extractor's library; generous, since a cold disk cache can make it slow.
_LOAD_TIMEOUT_S = 120.0
# How long a worker may take to exit after being told to, before it is killed.
_EXIT_GRACE_S = 5.0
# The worker's program: its end of the socket pair is the file descriptor in argv[1].
_WORKER_CODE = "import sys; from scraper.bench.worker import main; main(int(sys.argv[1]))"


@dataclass(frozen=True)
class PageResult:
    """One extractor's answer for one page; ``error`` set means the text is ""."""

    page_id: str
    text: str
    elapsed_s: float
    error: str | None


@dataclass(frozen=True)
class ExtractorRun:
    """One extractor over a set: results in page order, memory in KiB, worker restarts."""

    name: str
    results: tuple[PageResult, ...]
    baseline_kb: int
    peak_kb: int
    restarts: int


@dataclass(frozen=True)
class SetRun:
    """Every extractor over one set, and the wall-clock seconds the whole set took."""

    bench_set: BenchSet
    runs: tuple[ExtractorRun, ...]
    wall_s: float


def run_set(
    bench_set: BenchSet,
    extractors: Sequence[ExtractorSpec],
    page_timeout_s: float = DEFAULT_PAGE_TIMEOUT_S,
    on_page: Callable[[int], None] | None = None,
) -> SetRun:
    """Run ``extractors`` interleaved over every page of ``bench_set``.

    Args:
        bench_set: the loaded set.
        extractors: the extractors to compare, each run in its own worker process.
        page_timeout_s: seconds one extraction may take before its worker is killed.
        on_page: called with the number of pages done after each page (for progress).

    Returns:
        Each extractor's results, in the order given.

    Raises:
        BenchError: an extractor cannot be loaded, or a page file cannot be read.

    Example:
        >>> run_set(load_set(path), [DEFAULT_EXTRACTORS["trafilatura"]])  # doctest: +SKIP
    """
    start = time.perf_counter()
    workers: list[_Worker] = []
    try:
        for spec in extractors:
            workers.append(_Worker(spec, page_timeout_s))
        for done, page in enumerate(bench_set.pages, start=1):
            job = Job(_read_html(page), page.url)
            for worker in workers:
                worker.extract(page.page_id, job)
            if on_page is not None:
                on_page(done)
    finally:
        for worker in workers:
            worker.stop()
    runs = tuple(worker.run() for worker in workers)
    return SetRun(bench_set, runs, time.perf_counter() - start)


def _read_html(page: BenchPage) -> bytes:
    """The page's original bytes, gunzipped."""
    try:
        return gzip.decompress(page.html_path.read_bytes())
    except (OSError, EOFError, zlib.error) as exc:
        raise BenchError(f"{page.html_path}: not a readable gzip file ({exc}); re-copy it") from exc


class _NoAnswer(enum.Enum):
    """Why the worker sent nothing: it is still busy past the timeout, or it is gone."""

    SILENT = enum.auto()
    GONE = enum.auto()


class _Worker:
    """The parent's handle on one extractor's worker process, restarted after a crash."""

    def __init__(self, spec: ExtractorSpec, page_timeout_s: float) -> None:
        self._spec = spec
        self._page_timeout_s = page_timeout_s
        self._results: list[PageResult] = []
        self._peak_kb = 0
        self._restarts = 0
        self._process, self._conn = self._spawn()
        self._baseline_kb = self._await_ready()

    def extract(self, page_id: str, job: Job) -> None:
        """Have the worker extract one page and record its answer, or the failure."""
        start = time.perf_counter()
        outcome = self._ask(job)
        if isinstance(outcome, Outcome):
            self._peak_kb = max(self._peak_kb, outcome.peak_kb)
            self._results.append(
                PageResult(page_id, outcome.text, outcome.elapsed_s, outcome.error)
            )
            return
        error = f"{self._failure(outcome, self._page_timeout_s)}; worker restarted"
        self._results.append(PageResult(page_id, "", time.perf_counter() - start, error))
        self._restart()

    def run(self) -> ExtractorRun:
        """Everything recorded so far."""
        peak_kb = max(self._peak_kb, self._baseline_kb)
        return ExtractorRun(
            self._spec.name, tuple(self._results), self._baseline_kb, peak_kb, self._restarts
        )

    def stop(self) -> None:
        """Ask the worker to exit; kill it if it does not."""
        with contextlib.suppress(OSError):  # already gone
            self._conn.send(None)
        self._join(_EXIT_GRACE_S)
        self._kill()

    def _spawn(self) -> tuple[subprocess.Popen[bytes], Connection]:
        """Start a worker: a fresh Python with the parent's import path, one end of a socket
        pair for the protocol, the extractor's spec its first message (pickled by reference,
        as spawn would)."""
        parent_end, child_end = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        with parent_end, child_end:
            process = subprocess.Popen(
                [sys.executable, "-c", _WORKER_CODE, str(child_end.fileno())],
                pass_fds=(child_end.fileno(),),
                env=env,
            )
            conn = Connection(parent_end.detach())
        conn.send(self._spec)
        return process, conn

    def _await_ready(self) -> int:
        """Wait for the worker to load its extractor; its baseline peak RSS in KiB."""
        reply = self._receive(_LOAD_TIMEOUT_S)
        if isinstance(reply, Ready):
            return reply.baseline_kb
        state = self._failure(reply, _LOAD_TIMEOUT_S)
        self._kill()
        if isinstance(reply, LoadFailed):
            raise BenchError(reply.message)
        raise BenchError(
            f"{self._spec.name}: the worker did not start ({state}); "
            "check that the extractor imports in a plain python shell"
        )

    def _ask(self, job: Job) -> object:
        """Send a job and wait for the answer (or for a ``_NoAnswer``)."""
        try:
            self._conn.send(job)
        except OSError:
            return _NoAnswer.GONE
        return self._receive(self._page_timeout_s)

    def _receive(self, timeout_s: float) -> object:
        """The worker's next message, or why there is none."""
        try:
            return self._conn.recv() if self._conn.poll(timeout_s) else _NoAnswer.SILENT
        except (EOFError, OSError):
            return _NoAnswer.GONE

    def _failure(self, answer: object, timeout_s: float) -> str:
        """Why ``answer`` is not the expected message: the worker hung, or it exited."""
        if answer is _NoAnswer.SILENT:
            return f"no answer within {timeout_s:g} s"
        # The pipe closes before the process is reaped: wait for the exit code.
        self._join(_EXIT_GRACE_S)
        return f"worker died with exit code {self._process.returncode}"

    def _restart(self) -> None:
        """Replace a hung or dead worker; the first baseline stays the reported one."""
        self._kill()
        self._restarts += 1
        self._process, self._conn = self._spawn()
        self._await_ready()

    def _join(self, timeout_s: float) -> None:
        """Wait up to ``timeout_s`` for the worker to exit."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout_s)

    def _kill(self) -> None:
        """End the worker process if it still runs, and release the pipe."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._conn.close()
