"""Soak: one long ``scraper crawl`` of a loopback site, watching memory and file descriptors.

The site is tests/reliability/loopsite.py's (index pages of 20 links, small articles, each
text unique), ``--pages`` articles of it, served by the test server (tests/server.py) in a
process of its own so that its memory is not the crawler's. The crawl runs as a user runs it
(``scraper crawl --quiet``, JSONL sink, SQLite state, politeness off, 16 requests at once).

Every ``--sample`` seconds the crawler's process tree (the crawler and its extraction
workers) is measured: RSS summed over the tree, open file descriptors summed over the tree,
and records out (newlines counted incrementally in the sink's files). A table row is printed
every ``--every`` records with the peak RSS and the largest fd count seen since the last row.
The verdict fits a line through the samples of the second half of the crawl, while every
worker is up (shutdown is no trend): RSS growth in MB per 10,000 pages, fds growth per 10,000
pages; flat when both stay under the thresholds.

    python bench/soak_crawl.py                    # 50,000 pages, about 15 minutes on 2 cores
    python bench/soak_crawl.py --pages 20000 --json soak.json
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Final

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "reliability")]

from crawlrun import SCRAPER, FastFetch, write_config  # noqa: E402
from loopsite import pages, serve  # noqa: E402
from server import TestServer  # noqa: E402

RSS_SLOPE_LIMIT: Final = 5.0  # MB per 10,000 pages over the second half: above this, a leak
FD_SLOPE_LIMIT: Final = 2.0  # fds per 10,000 pages over the second half: above this, a leak
MB: Final = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    """One measurement of the crawler's tree."""

    seconds: float
    records: int
    rss_mb: float
    fds: int
    processes: int


@dataclass
class Row:
    """One line of the table: the peak figures since the previous line."""

    records: int
    seconds: float
    pages_per_second: float
    peak_rss_mb: float
    rss_mb: float
    max_fds: int
    processes: int


@dataclass
class Report:
    """The whole soak."""

    pages: int
    exit_code: int
    seconds: float
    records: int
    distinct_ids: int
    rows: list[Row] = field(default_factory=list)
    rss_slope_mb_per_10k: float = 0.0
    fd_slope_per_10k: float = 0.0
    verdict: str = ""


def _serve(articles: int, port_out: Connection, stop: Connection) -> None:
    """The site's server process: serve until told to stop."""
    with TestServer(with_faults=False) as server:
        serve(server, pages(articles))
        port_out.send(server.url("/"))
        stop.recv()


class _LineCounter:
    """Newlines in the sink's records files, reading only what was appended since last time."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._offsets: dict[Path, int] = {}
        self.lines = 0

    def update(self) -> int:
        """The record count now."""
        for path in sorted(self._folder.glob("records-*.jsonl")):
            offset = self._offsets.get(path, 0)
            with path.open("rb") as file:
                file.seek(offset)
                data = file.read()
            self.lines += data.count(b"\n")
            self._offsets[path] = offset + len(data)
        return self.lines


def _measure(process: psutil.Process) -> tuple[float, int, int]:
    """RSS (MB) and open fds summed over the tree, and how many processes it has."""
    tree = [process, *process.children(recursive=True)]
    rss, fds = 0, 0
    for member in tree:
        try:
            rss += member.memory_info().rss
            fds += member.num_fds()
        except psutil.NoSuchProcess:
            continue
    return rss / MB, fds, len(tree)


def _slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x."""
    if len(points) < 2:
        return 0.0
    return statistics.linear_regression([x for x, _ in points], [y for _, y in points]).slope


def _crawl(config: Path, out: Path, every: int, sample: float) -> tuple[int, list[Sample]]:
    """Run the crawl, sampling its tree; returns its exit code and the samples."""
    counter = _LineCounter(out)
    started = time.monotonic()
    process = psutil.Popen(
        [*SCRAPER, "crawl", "--quiet", "--config", str(config)], cwd=config.parent
    )
    samples: list[Sample] = []
    rows_printed = 0
    while process.poll() is None:
        try:
            rss, fds, count = _measure(process)
        except psutil.NoSuchProcess:
            break
        records = counter.update()
        samples.append(Sample(time.monotonic() - started, records, rss, fds, count))
        if records // every > rows_printed:
            rows_printed = records // every
            print(f"  {records} records, {samples[-1].seconds:.0f} s, {rss:.0f} MB, {fds} fds")
        time.sleep(sample)
    counter.update()
    samples.append(Sample(time.monotonic() - started, counter.lines, 0.0, 0, 0))
    return process.wait(), samples


def _rows(samples: list[Sample], every: int) -> list[Row]:
    """The table: one row per ``every`` records, peaks over the samples since the last row."""
    rows: list[Row] = []
    bucket: list[Sample] = []
    last_seconds, last_records = 0.0, 0
    for s in samples:
        if s.processes == 0:
            continue
        bucket.append(s)
        if s.records >= (len(rows) + 1) * every:
            rate = (s.records - last_records) / max(s.seconds - last_seconds, 1e-9)
            rows.append(
                Row(
                    s.records, round(s.seconds, 1), round(rate, 1),
                    round(max(b.rss_mb for b in bucket), 1), round(s.rss_mb, 1),
                    max(b.fds for b in bucket), s.processes,
                )
            )  # fmt: skip
            bucket, last_seconds, last_records = [], s.seconds, s.records
    return rows


def _verdict(report: Report, samples: list[Sample]) -> None:
    """Fit the second half's RSS and fds against pages; call it flat or growing."""
    full = max(s.processes for s in samples)  # the crawler and all its workers, not shutdown
    half = [s for s in samples if s.processes == full and s.records >= report.pages // 2]
    report.rss_slope_mb_per_10k = round(_slope([(s.records, s.rss_mb) for s in half]) * 10_000, 2)
    report.fd_slope_per_10k = round(_slope([(s.records, float(s.fds)) for s in half]) * 10_000, 2)
    flat = (
        report.rss_slope_mb_per_10k < RSS_SLOPE_LIMIT and report.fd_slope_per_10k < FD_SLOPE_LIMIT
    )
    report.verdict = (
        f"{'flat' if flat else 'GROWING'}: second half RSS {report.rss_slope_mb_per_10k:+.2f} "
        f"MB/10k pages (limit {RSS_SLOPE_LIMIT}), fds {report.fd_slope_per_10k:+.2f}/10k pages "
        f"(limit {FD_SLOPE_LIMIT})"
    )


def _ids(out: Path) -> tuple[int, int]:
    """Records in the sink's folder and distinct ids among them."""
    ids = []
    for path in sorted(out.glob("records-*.jsonl")):
        with path.open("rb") as file:
            ids.extend(json.loads(line)["id"] for line in file)
    return len(ids), len(set(ids))


def soak(articles: int, every: int, sample: float) -> Report:
    """Serve the site, crawl it once, and report."""
    port_in, port_out = multiprocessing.Pipe(duplex=False)
    stop_in, stop_out = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=_serve, args=(articles, port_out, stop_in))
    server.start()
    try:
        base = port_in.recv()
        with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
            folder = Path(tmp)
            site = _Site(base)
            config = write_config(folder, site, fetch=FastFetch(timeout=10.0, workers=16))
            started = time.monotonic()
            code, samples = _crawl(config, folder / "out", every, sample)
            seconds = time.monotonic() - started
            records, distinct = _ids(folder / "out")
    finally:
        stop_out.send(True)
        server.join(timeout=30)
    report = Report(articles, code, round(seconds, 1), records, distinct, _rows(samples, every))
    _verdict(report, samples)
    return report


@dataclass(frozen=True)
class _Site:
    """The served site's address, shaped like the TestServer that write_config expects."""

    base: str

    def url(self, path: str = "/") -> str:
        """An absolute URL on the site."""
        return self.base.rstrip("/") + path


def _print(report: Report) -> None:
    """The table and the verdict."""
    print(
        f"\nsoak: {report.pages} pages, exit {report.exit_code}, {report.seconds:.0f} s, "
        f"{report.records} records ({report.distinct_ids} distinct ids)"
    )
    print("| records | s | pages/s | peak RSS MB | RSS MB | max fds | processes |")
    print("|---|---|---|---|---|---|---|")
    for r in report.rows:
        print(
            f"| {r.records:,} | {r.seconds:.0f} | {r.pages_per_second:.0f} | "
            f"{r.peak_rss_mb:.0f} | {r.rss_mb:.0f} | {r.max_fds} | {r.processes} |"
        )
    print(report.verdict)


def main() -> None:
    """Parse the options, run the soak, print (and optionally save) the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=50_000, help="articles to crawl")
    parser.add_argument("--every", type=int, default=5_000, help="records per table row")
    parser.add_argument("--sample", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args()
    report = soak(args.pages, args.every, args.sample)
    _print(report)
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
    sys.exit(0 if report.exit_code == 0 and report.records == report.distinct_ids else 1)


if __name__ == "__main__":
    main()
