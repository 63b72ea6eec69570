"""Where ``analyse`` runs: extraction processes beside the crawler's event loop.

Each is a fresh, lean Python (extract_worker.py) that imports ``analyse`` and nothing else,
fed over a pipe one page at a time. How many: ``[crawl] extract_processes``; by default one
fewer than the machine's cores, at least one: the crawler's own process (fetching, state,
sink) keeps a core busy at full speed.

Measured on the 2,000-page crawl benchmark (bench/crawl_bench.py, 2 cores), before this
module: two workers forked from the crawler held 82 MB of RSS each (they inherit the
crawler's 60 MB of imports, and CPython's reference counts soon unshare those pages: 55 MB
of each was private), the crawl 248 MB in all. A lean process starts at 38 MB. A thread of
the crawler's own instead of a second process cost a third of the pages/s (the GIL) and
grew the crawler to 110 MB. The README's "Crawl benchmark" has the figures of this design.

A worker that dies (out of memory, a crash in the HTML parser) fails its page only: the pool
starts another, and the crawl records the page as failed and goes on. Workers dying
``DEATHS_IN_A_ROW`` times without one page analysed in between stop the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Final

from scraper.crawl.analyse import Analysis
from scraper.crawl.extract_worker import FRAME, Failure, framed
from scraper.errors import ScraperError
from scraper.extract import SiteTemplate

__all__ = ["AnalysePool", "AnalysePoolError", "ExtractionCrashed", "default_processes"]

DEPTH: Final = 2  # calls sent ahead to each process, so that it never waits for the crawler
DEATHS_IN_A_ROW: Final = 3  # workers dying this often, no page analysed between: stop the run
STOP_WAIT: Final = 5.0  # seconds a worker has to exit after its stdin closes, then it is killed
_PACKAGE_ROOT: Final = str(Path(__file__).resolve().parents[2])  # the folder holding scraper/


def default_processes() -> int:
    """One fewer extraction process than the machine has cores, at least one."""
    return max(1, (os.cpu_count() or 2) - 1)


class AnalysePoolError(ScraperError):
    """The extraction processes keep dying (out of memory?); the run stops."""


class ExtractionCrashed(AnalysePoolError):
    """The extraction process died while analysing this page; the page fails, the crawl goes on."""


class RemoteTraceback(Exception):
    """The traceback of an exception raised in an extraction process (the ``__cause__``)."""


@dataclass
class _Call:
    """One page sent to a worker, and where its answer goes."""

    url: str
    payload: bytes
    answer: asyncio.Future[Analysis]


class _Worker:
    """One extraction process, its pipe, and the calls sent to it, in order."""

    def __init__(
        self, process: asyncio.subprocess.Process, died: Callable[[_Worker, int], None]
    ) -> None:
        assert process.stdin is not None and process.stdout is not None
        self.process = process
        self.calls = process.stdin
        self.answers = process.stdout
        self.pending: deque[_Call] = deque()
        self._died = died
        self.reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(cls, died: Callable[[_Worker, int], None]) -> _Worker:
        """Start a lean Python running extract_worker.py with this very package."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "scraper.crawl.extract_worker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env,
        )  # fmt: skip
        return cls(process, died)

    def send(self, call: _Call) -> None:
        """Queue the call on the pipe (the transport writes it as the pipe drains)."""
        self.pending.append(call)
        if not self.calls.is_closing():
            self.calls.write(framed(call.payload))

    async def _read(self) -> None:
        """Answer the calls in order until the process ends; then report its exit code."""
        try:
            while True:
                (length,) = FRAME.unpack(await self.answers.readexactly(FRAME.size))
                answer = pickle.loads(await self.answers.readexactly(length))
                _settle(self.pending.popleft().answer, answer)
        except (asyncio.IncompleteReadError, ConnectionError):
            self._died(self, await self.process.wait())

    async def stop(self) -> None:
        """Close its stdin (it exits), kill it if it does not."""
        with contextlib.suppress(ConnectionError):
            self.calls.close()
        try:
            await asyncio.wait_for(self.process.wait(), STOP_WAIT)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()
        await self.reader


def _settle(future: asyncio.Future[Analysis], answer: object) -> None:
    """Give a call its answer: the Analysis, or the worker's exception with its traceback."""
    if future.done():
        return
    if isinstance(answer, Failure):
        answer.error.__cause__ = RemoteTraceback(answer.traceback)
        future.set_exception(answer.error)
    else:
        assert isinstance(answer, Analysis)
        future.set_result(answer)


class AnalysePool:
    """``await pool.analyse(html, url, template)`` in an extraction process; an async
    context manager that starts the processes on entry and stops them on exit."""

    def __init__(self, processes: int | None = None) -> None:
        self._processes = processes or default_processes()
        self._workers: list[_Worker] = []
        self._waiting: deque[_Call] = deque()  # calls of a dead worker, until one starts
        self._slots = asyncio.Semaphore(DEPTH * self._processes)
        self._deaths = 0
        self._broken: AnalysePoolError | None = None
        self._closing = False
        self._starting: set[asyncio.Task[None]] = set()  # replacements being started

    async def __aenter__(self) -> AnalysePool:
        started = await asyncio.gather(*(_Worker.start(self._died) for _ in range(self._processes)))
        self._workers.extend(started)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._closing = True
        await asyncio.gather(*self._starting)
        await asyncio.gather(*(worker.stop() for worker in self._workers))
        stopped = AnalysePoolError("the crawl stopped before this page was analysed")
        for call in [c for worker in self._workers for c in worker.pending] + [*self._waiting]:
            if not call.answer.done():
                call.answer.set_exception(stopped)
        self._workers.clear()

    def pids(self) -> list[int]:
        """The process ids of the extraction processes (for tests and diagnostics)."""
        return [worker.process.pid for worker in self._workers]

    async def analyse(self, html: str, url: str, template: SiteTemplate | None) -> Analysis:
        """The page's article (without ``template``) and links, computed in a worker process.

        A cancelled caller does not cancel the call: the worker's answer is still read, so
        that the pipe stays in step.
        """
        async with self._slots:
            if self._broken is not None:
                raise self._broken
            payload = pickle.dumps((html, url, template), protocol=pickle.HIGHEST_PROTOCOL)
            call = _Call(url, payload, asyncio.get_running_loop().create_future())
            call.answer.add_done_callback(self._answered)
            self._dispatch(call)
            try:
                return await asyncio.shield(call.answer)
            except ExtractionCrashed as exc:
                if self._broken is not None:
                    raise self._broken from exc
                raise

    def _dispatch(self, call: _Call) -> None:
        """To the live worker with the fewest calls in hand, or to wait for one."""
        if not self._workers:
            self._waiting.append(call)
            return
        min(self._workers, key=lambda worker: len(worker.pending)).send(call)

    def _answered(self, answer: asyncio.Future[Analysis]) -> None:
        """A worker answered (a Python exception is an answer too): it is not dying."""
        if answer.cancelled() or not isinstance(answer.exception(), ExtractionCrashed):
            self._deaths = 0

    def _died(self, worker: _Worker, code: int) -> None:
        """Fail the page it was on, hand on the calls queued behind it, start another."""
        if self._closing:
            return
        self._workers.remove(worker)
        if worker.pending:
            call = worker.pending.popleft()
            call.answer.set_exception(
                ExtractionCrashed(
                    f"{call.url}: the extraction process died while analysing this page (exit "
                    f"code {code}); the page is recorded as failed and the crawl goes on"
                )
            )
        self._deaths += 1
        if self._deaths >= DEATHS_IN_A_ROW:
            self._break(f"the extraction processes died {self._deaths} times in a row")
            self._fail_all([*worker.pending, *self._waiting])
            return
        for call in worker.pending:
            self._dispatch(call)
        task = asyncio.ensure_future(self._replace())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def _replace(self) -> None:
        """Start a worker in place of a dead one; it takes the calls waiting for one."""
        try:
            worker = await _Worker.start(self._died)
        except OSError as exc:
            self._break(f"no extraction process could be started ({exc})")
            self._fail_all(self._waiting)
            return
        self._workers.append(worker)
        while self._waiting:
            worker.send(self._waiting.popleft())

    def _break(self, why: str) -> None:
        """Fail every call from now on: the run stops."""
        self._broken = AnalysePoolError(
            f"{why}; check the machine's memory (dmesg shows the out-of-memory killer) and "
            "run the crawl again: it resumes where it stopped"
        )

    def _fail_all(self, calls: deque[_Call] | list[_Call]) -> None:
        """End these calls with the pool's error."""
        assert self._broken is not None
        for call in calls:
            if not call.answer.done():
                call.answer.set_exception(self._broken)
        calls.clear()
