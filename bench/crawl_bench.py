"""Crawl benchmark: our crawl against Scrapy + trafilatura, end to end, on a loopback site.

The site (served from another process, so that its CPU is not the crawlers'): ``--pages``
pages in all, one seed ``/`` linking to index pages ``/list/K`` of 50 articles each, and
articles ``/a/N``: real 100-200 kB article pages of ../shared/bench (aeb-dev, and wcxb-dev's
article pages), reused under distinct URLs (copy C of a page has `` [C]`` at the end of each
paragraph, so that its text differs) and each given a <nav> of 10 links to other site pages.

Each crawler runs in its own process tree, politeness off, 16 requests in flight:

1. **scraper**: ``scraper crawl --config <tmp> --quiet``, JSONL sink, SQLite state; by
   default one extraction process on 2 cores, and again with ``extract_processes = 2``.
2. **scrapy + trafilatura**: a minimal CrawlSpider, trafilatura on each article, JSON lines.
3. **httpx + trafilatura**: a minimal asyncio crawler, trafilatura in a 2-process pool.

Measured the same way for all: wall seconds from start to exit, CPU seconds of the whole tree
(user + system, from ``getrusage(RUSAGE_CHILDREN)``), peak memory as the largest sum of RSS
over the tree (and of PSS, which counts pages shared by forked processes once), sampled every
50 ms. Then, for where our time goes: fetching alone (our Fetcher and bare httpx, the site's
URLs in a list) and our crawl once more with timers around its stages (bench/crawl_runs.py).

    python bench/crawl_bench.py                 # about 5 minutes on 2 cores
    python bench/crawl_bench.py --pages 500 --only scraper --only stages --json
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import math
import multiprocessing
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final

import psutil

ROOT = Path(__file__).resolve().parent.parent
RUNS = Path(__file__).resolve().parent / "crawl_runs.py"
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from scraper.decode import decode_html  # noqa: E402

# The figures, measured elsewhere, and its goal.
REFERENCE: Final = {
    "scrapy + trafilatura": "14 pages/s, 70 CPU ms/page, 236 MB peak",
    "httpx + trafilatura (2-process pool)": "33 pages/s",
    "bare httpx, fetching alone": "162 pages/s",
}
GOAL_SPEED: Final = 5.0  # at least this many times Scrapy + trafilatura's pages/s
GOAL_MEMORY: Final = 0.5  # at most this share of its peak memory

_SIZES: Final = (100_000, 200_000)  # bytes of the real pages the site is made of
_FANOUT: Final = 50  # articles per index page
_NAV_LINKS: Final = 10  # site links injected into each article
_SAMPLE: Final = 0.05  # seconds between memory samples
_SETTLE: Final = 1.0  # seconds between runs, so the server has closed the last connections
_BODY_END: Final = re.compile(r"</body\s*>", re.I)
_XML_DECLARATION: Final = re.compile(r"^\s*<\?xml[^>]*>")  # lxml refuses it in a str
CRAWLERS: Final = ("scraper", "scraper2", "scrapy", "httpx")  # scraper2: 2 extraction processes
RUN_NAMES: Final = (*CRAWLERS, "fetch", "stages")
_TWO: Final = "scraper, 2 extraction processes"  # one per core, where the default leaves one
_COMPARED: Final = ("scraper", _TWO, "scrapy + trafilatura", "httpx + trafilatura")  # with ratios


@dataclass(frozen=True)
class Site:
    """What the server process serves: where, and how many pages of which kind."""

    port: int
    articles: int
    indexes: int
    mean_kb: float

    @property
    def pages(self) -> int:
        """All pages: the seed, the index pages, the articles."""
        return 1 + self.indexes + self.articles

    def url(self, path: str = "/") -> str:
        """The URL of ``path`` on the site."""
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def follow(self) -> str:
        """A regex for the site's pages but the seed (the original pages' own links excluded)."""
        return "^" + re.escape(self.url()) + r"(list|a)/\d+$"

    @property
    def articles_re(self) -> str:
        """A regex for the site's articles."""
        return "^" + re.escape(self.url("/a/")) + r"\d+$"

    def urls(self) -> list[str]:
        """Every page's URL."""
        paths = ["/"] + [f"/list/{k}" for k in range(self.indexes)]
        return [self.url(p) for p in paths + [f"/a/{i}" for i in range(self.articles)]]


@dataclass
class Run:
    """One measured process tree."""

    name: str
    wall: float
    cpu: float
    peak_rss_mb: float
    peak_pss_mb: float
    server_cpu: float
    fetched: int = 0
    stored: int = 0
    exit_code: int = 0
    peak_rss_by_process_mb: list[int] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def pages_per_second(self) -> float:
        """Fetched pages per wall second."""
        return self.fetched / self.wall if self.wall else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        """CPU milliseconds (whole tree) per fetched page."""
        return 1000 * self.cpu / self.fetched if self.fetched else 0.0


# -- the site ------------------------------------------------------------------------------------


def load_sources(bench_dir: Path) -> list[str]:
    """The decoded article pages of 100-200 kB in ``bench_dir``'s aeb-dev and wcxb-dev."""
    sources = []
    for name in ("aeb-dev", "wcxb-dev"):
        meta_file = bench_dir / name / "meta.json"
        meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
        for file in sorted((bench_dir / name / "html").glob("*.html.gz")):
            page_id = file.name.removesuffix(".html.gz")
            if meta.get(page_id, {}).get("page_type", "article") != "article":
                continue
            data = gzip.decompress(file.read_bytes())
            if _SIZES[0] <= len(data) <= _SIZES[1]:
                sources.append(_XML_DECLARATION.sub("", decode_html(data).text, count=1))
    if not sources:
        sys.exit(f"no article pages of 100-200 kB in {bench_dir}/{{aeb-dev,wcxb-dev}}/html")
    return sources


def build_site(sources: Sequence[str], pages: int, base: str) -> dict[str, bytes]:
    """Path -> body for a site of ``pages`` pages (see the module docstring)."""
    indexes = math.ceil((pages - 1) / (_FANOUT + 1))
    articles = pages - 1 - indexes
    rng = random.Random(42)
    site = {"/": _links_page("site", [f"{base}/list/{k}" for k in range(indexes)])}
    for k in range(indexes):
        targets = range(k * _FANOUT, min((k + 1) * _FANOUT, articles))
        site[f"/list/{k}"] = _links_page(f"index {k}", [f"{base}/a/{i}" for i in targets])
    for i in range(articles):
        others = [f"{base}/a/{rng.randrange(articles)}" for _ in range(_NAV_LINKS - 1)]
        nav = [f"{base}/list/{i // _FANOUT}", *others]
        copy, source = divmod(i, len(sources))
        site[f"/a/{i}"] = _article(sources[source], copy, nav).encode("utf-8")
    return site


def _links_page(title: str, links: Sequence[str]) -> bytes:
    """A small index page: a title and a list of links."""
    items = "".join(f'<li><a href="{u}">{u.rsplit("/", 2)[-2:]}</a></li>' for u in links)
    html = f"<!doctype html><html><head><title>{title}</title></head><body><ul>{items}</ul>"
    return (html + "</body></html>").encode()


def _article(html: str, copy: int, links: Sequence[str]) -> str:
    """A real page made distinct (copy number in every paragraph) with a <nav> of site links."""
    if copy:
        html = re.sub(r"</p\s*>", f" [{copy}]</p>", html, flags=re.I)
    nav = "<nav>" + " ".join(f'<a href="{u}">more {n}</a>' for n, u in enumerate(links)) + "</nav>"
    ends = list(_BODY_END.finditer(html))
    at = ends[-1].start() if ends else len(html)
    return html[:at] + nav + html[at:]


def _serve(bench_dir: Path, pages: int, conn: Connection) -> None:
    """Server process: build the site, serve it on 127.0.0.1, send its Site, stop when told."""
    from server import Reply, TestServer  # type: ignore[import-not-found]

    sources = load_sources(bench_dir)
    with TestServer(with_faults=False) as server:
        site = build_site(sources, pages, server.url("").rstrip("/"))
        for path, body in site.items():
            server.route_replies(path, Reply(body=body))
        indexes = sum(p.startswith("/list/") for p in site)
        articles = [len(b) for p, b in site.items() if p.startswith("/a/")]
        conn.send(Site(server.port, len(articles), indexes, sum(articles) / len(articles) / 1e3))
        while conn.recv() == "requests":
            conn.send(len(server.requests()))


class Server:
    """The site's server process, seen from the bench: its Site, CPU and request count."""

    def __init__(self, bench_dir: Path, pages: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(bench_dir, pages, child))
        self._process.start()
        self.site: Site = self._conn.recv()
        assert self._process.pid is not None
        self._psutil = psutil.Process(self._process.pid)

    def cpu(self) -> float:
        """CPU seconds (user + system) the server has used so far."""
        times = self._psutil.cpu_times()
        return float(times.user + times.system)

    def requests(self) -> int:
        """Requests the server has answered so far."""
        self._conn.send("requests")
        return int(self._conn.recv())

    def stop(self) -> None:
        """Stop the server process."""
        self._conn.send("stop")
        self._process.join()


# -- measuring a process tree ----------------------------------------------------------------


def measure(name: str, command: Sequence[str], server: Server, timeout: float) -> Run:
    """Run ``command``: wall, tree CPU, peak RSS and PSS sums; the server's CPU and requests."""
    server_cpu, requests = server.cpu(), server.requests()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = psutil.Popen(list(command), stdout=subprocess.DEVNULL, stderr=errors, cwd=ROOT)
        peak_rss, peak_pss, by_process = _sample_until_exit(process, started + timeout)
        wall = time.perf_counter() - started
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace").strip()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode:
        print(f"{name}: exit code {process.returncode}\n{stderr[-2000:]}", file=sys.stderr)
    return Run(
        name, wall, cpu, peak_rss / 2**20, peak_pss / 2**20, server.cpu() - server_cpu,
        fetched=server.requests() - requests, exit_code=process.returncode,
        peak_rss_by_process_mb=[round(b / 2**20) for b in by_process],
    )  # fmt: skip


def _sample_until_exit(process: psutil.Popen, deadline: float) -> tuple[int, int, list[int]]:
    """Poll the tree every _SAMPLE seconds until it exits.

    Returns:
        The peak sums of RSS and of PSS in bytes, and each process's peak RSS (oldest first).
    """
    peak_rss = peak_pss = 0
    by_process: dict[int, int] = {}
    while process.poll() is None:
        if time.perf_counter() > deadline:
            _kill_tree(process)
            break
        rss = pss = 0
        for member in _tree(process):
            try:
                memory = member.memory_full_info()
            except psutil.Error:
                continue
            rss, pss = rss + memory.rss, pss + memory.pss
            by_process[member.pid] = max(by_process.get(member.pid, 0), memory.rss)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(_SAMPLE)
    process.wait()
    return peak_rss, peak_pss, list(by_process.values())


def _tree(process: psutil.Process) -> list[psutil.Process]:
    """The process and its descendants (empty when it has just exited)."""
    try:
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def _kill_tree(process: psutil.Process) -> None:
    """Kill a run that went past its time limit, children first."""
    print(f"pid {process.pid}: past the time limit, killed", file=sys.stderr)
    for member in reversed(_tree(process)):
        try:
            member.kill()
        except psutil.Error:
            continue


# -- the runs ------------------------------------------------------------------------------------


def _config(site: Site, work: Path, processes: int = 0) -> Path:
    """Our crawl's config: politeness off, loopback allowed, JSONL sink, one source;
    ``processes`` extraction processes (0: the default, one fewer than the cores)."""
    text = f"""
[fetch]
concurrency = 16
per_host_concurrency = 16
per_host_delay = 0.0
respect_robots = false
allowed_networks = ["127.0.0.1/32"]
[crawl]
state = {json.dumps(str(work / "state.sqlite"))}
workers = 16
extract_processes = {processes}
[sink]
kind = "jsonl"
path = {json.dumps(str(work / "out"))}
[[sources]]
name = "site"
seeds = [{json.dumps(site.url())}]
follow = [{json.dumps(site.follow)}]
max_depth = 10
max_pages = {site.pages}
"""
    path = work / "config.toml"
    path.write_text(text)
    return path


def _lines(paths: Sequence[Path]) -> int:
    """Lines in these files (records stored)."""
    return sum(p.read_bytes().count(b"\n") for p in paths)


def run_scraper(site: Site, work: Path, server: Server, timeout: float, processes: int = 0) -> Run:
    """``scraper crawl`` of the site; outcomes from its state file, records from its folder."""
    config = _config(site, work, processes)
    command = [sys.executable, "-m", "scraper", "crawl", "--config", str(config), "--quiet"]
    run = measure(_TWO if processes == 2 else "scraper", command, server, timeout)
    with sqlite3.connect(work / "state.sqlite") as db:
        row = db.execute("SELECT counts FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    run.detail = {"outcomes": json.loads(row[0]) if row else {}}
    run.stored = _lines(sorted((work / "out").glob("*.jsonl")))
    return run


def run_baseline(kind: str, site: Site, work: Path, server: Server, timeout: float) -> Run:
    """A baseline crawler of crawl_runs.py (``scrapy`` or ``httpx``)."""
    out = work / f"{kind}.jsonl"
    command = [sys.executable, str(RUNS), kind, site.url(), site.articles_re, site.follow, str(out)]
    run = measure(f"{kind} + trafilatura", command, server, timeout)
    run.stored = _lines([out]) if out.exists() else 0
    return run


def run_fetch(kind: str, site: Site, work: Path, server: Server, timeout: float) -> Run:
    """Fetching every site URL from a list (``ours`` or ``httpx``), nothing else."""
    urls = work / "urls.txt"
    urls.write_text("\n".join(site.urls()))
    label = {"ours": "fetch only: our Fetcher", "httpx": "fetch only: bare httpx"}[kind]
    return measure(label, [sys.executable, str(RUNS), f"fetch-{kind}", str(urls)], server, timeout)


def run_stages(site: Site, work: Path, server: Server, timeout: float) -> Run:
    """Our crawl once more, in-process with stage timers (bench/crawl_runs.py ``stages``)."""
    config, out = _config(site, work), work / "stages.json"
    command = [sys.executable, str(RUNS), "stages", str(config), str(out)]
    run = measure("scraper, stage timers", command, server, timeout)
    run.detail = json.loads(out.read_text()) if out.exists() else {}
    run.stored = int(run.detail.get("counts", {}).get("stored", 0))
    return run


def run_all(
    bench_dir: Path, pages: int, only: Sequence[str], timeout: float, work_dir: Path | None
) -> tuple[Site, list[Run]]:
    """Start the site's server, run what ``only`` names (everything when empty), in order."""
    plan: list[tuple[str, Callable[[Site, Path, Server, float], Run]]] = [
        ("scraper", run_scraper),
        ("scraper2", functools.partial(run_scraper, processes=2)),
        ("scrapy", functools.partial(run_baseline, "scrapy")),
        ("httpx", functools.partial(run_baseline, "httpx")),
        ("fetch", functools.partial(run_fetch, "ours")),
        ("fetch", functools.partial(run_fetch, "httpx")),
        ("stages", run_stages),
    ]
    server = Server(bench_dir, pages)
    runs = []
    try:
        with tempfile.TemporaryDirectory(prefix="crawl-bench-", dir=work_dir) as tmp:
            for number, (name, runner) in enumerate(plan):
                if only and name not in only:
                    continue
                work = Path(tmp) / str(number)
                work.mkdir()
                time.sleep(_SETTLE)
                runs.append(runner(server.site, work, server, timeout))
                print(f"{runs[-1].name}: {runs[-1].wall:.1f} s", file=sys.stderr)
    finally:
        server.stop()
    return server.site, runs


# -- the report ------------------------------------------------------------------------------


def _row(run: Run, scrapy: Run | None) -> str:
    """One line of the table, with ratios against Scrapy + trafilatura when it ran."""
    ratios = ""
    if scrapy is not None and scrapy.pages_per_second and run.name in _COMPARED:
        speed = run.pages_per_second / scrapy.pages_per_second
        ratios = f"{speed:>7.2f}x{run.peak_rss_mb / scrapy.peak_rss_mb:>7.2f}x"
    server_ms = 1000 * run.server_cpu / run.fetched if run.fetched else 0.0
    cores = run.cpu / run.wall if run.wall else 0.0
    return (
        f"{run.name:<28}{run.fetched:>6}{run.stored:>7}{run.wall:>8.1f}{run.pages_per_second:>8.1f}"
        f"{run.cpu_ms_per_page:>8.1f}{cores:>6.2f}{run.peak_rss_mb:>7.0f}{run.peak_pss_mb:>7.0f}"
        f"{server_ms:>7.1f}{ratios}"
    )


def render(site: Site, runs: Sequence[Run]) -> str:
    """The table, the goal's verdict and where our time goes."""
    head = (
        f"{'':<28}{'pages':>6}{'stored':>7}{'wall s':>8}{'pages/s':>8}{'CPU ms':>8}{'cores':>6}"
        f"{'RSS MB':>7}{'PSS MB':>7}{'srv ms':>7}{'speed':>8}{'memory':>8}"
    )
    by_name = {r.name: r for r in runs}
    scrapy = by_name.get("scrapy + trafilatura")
    lines = [
        f"site: {site.pages} pages ({site.articles} articles of {site.mean_kb:.0f} kB on average, "
        f"{site.indexes} index pages, 1 seed) on 127.0.0.1:{site.port}",
        "",
        head,
        *(_row(r, scrapy) for r in runs),
        "",
        "pages: requests the server answered; stored: records written; CPU ms: per page, the",
        "whole process tree; cores: CPU s / wall s; RSS/PSS MB: peak sum over the tree; srv ms:",
        "the server's CPU per page (not counted); speed, memory: against Scrapy + trafilatura.",
        "Measured elsewhere (the issue): " + "; ".join(f"{k}: {v}" for k, v in REFERENCE.items()),
    ]
    ours = by_name.get("scraper")
    if ours is not None and "outcomes" in ours.detail:
        lines.append(f"scraper outcomes: {json.dumps(ours.detail['outcomes'])}")
    lines += [
        f"peak RSS per process, MB: {r.name}: {r.peak_rss_by_process_mb}"
        for r in runs
        if r.name in _COMPARED
    ]
    if ours is not None and scrapy is not None and scrapy.pages_per_second:
        lines += _verdict(ours, scrapy)
    stages = by_name.get("scraper, stage timers")
    if stages is not None and stages.detail:
        lines += _stages(stages, by_name.get("fetch only: our Fetcher"), ours)
    return "\n".join(lines)


def _verdict(ours: Run, scrapy: Run) -> list[str]:
    """The issue's goal: 5x Scrapy's pages/s at half its peak memory, both cores busy."""
    speed = ours.pages_per_second / scrapy.pages_per_second
    memory = ours.peak_rss_mb / scrapy.peak_rss_mb
    return [
        "",
        f"goal: pages/s {speed:.2f}x Scrapy + trafilatura (goal >= {GOAL_SPEED:.0f}x: "
        f"{'met' if speed >= GOAL_SPEED else 'NOT met'}); peak RSS {memory:.2f}x (goal <= "
        f"{GOAL_MEMORY}: {'met' if memory <= GOAL_MEMORY else 'NOT met'}; PSS "
        f"{ours.peak_pss_mb / scrapy.peak_pss_mb:.2f}x); "
        f"cores used {ours.cpu / ours.wall:.2f} of 2",
    ]


def _stages(run: Run, fetch_only: Run | None, ours: Run | None) -> list[str]:
    """Where our crawl's time goes, per page, from the stage-timer run."""
    d, pages = run.detail, max(int(run.detail["fetched"]), 1)

    def ms(seconds: float) -> float:
        return 1000 * seconds / pages

    loop_cpu, total = d["main_thread_cpu"], d["main_cpu"] + d["workers_cpu"]
    timed = {k: v for k, v in d["stages"].items() if "latency" not in k}
    lines = [
        "",
        f"where our time goes (crawl with stage timers: {pages} pages, {run.wall:.1f} s, "
        f"{pages / run.wall:.1f} pages/s; ms per page):",
        f"  CPU {ms(total):.1f} = crawler process {ms(d['main_cpu']):.1f} (event-loop thread "
        f"{ms(loop_cpu):.1f}, pool I/O threads {ms(d['main_cpu'] - loop_cpu):.1f}) + "
        f"extraction processes {ms(d['workers_cpu']):.1f} (analyse: extract + links)",
        f"  CPU-bound ceiling on 2 cores: {2000 / ms(total):.0f} pages/s",
        f"  {'event-loop thread stage':<36}{'CPU':>7}{'blocking':>10}",
    ]
    for stage, v in timed.items():
        lines.append(f"  {stage:<36}{ms(v['cpu']):>7.2f}{ms(v['wall']):>10.2f}")
    rest = loop_cpu - sum(v["cpu"] for v in timed.values())
    lines.append(f"  {'rest (fetch, asyncio, scheduling)':<36}{ms(rest):>7.2f}")
    for key in ("fetch latency", "analyse latency"):
        v = d["stages"][key]
        lines.append(f"  {key}: {1000 * v['wall'] / max(v['calls'], 1):.1f} ms from call to result")
    if fetch_only is not None:
        lines.append(
            f"  fetching alone (our Fetcher): {fetch_only.wall:.1f} s wall, "
            f"{fetch_only.pages_per_second:.0f} pages/s, "
            f"{fetch_only.cpu_ms_per_page:.2f} CPU ms/page"
            + (f"; the full crawl: {ours.wall:.1f} s wall" if ours is not None else "")
        )
    return lines


def _as_json(site: Site, runs: Sequence[Run]) -> str:
    """Everything, as JSON."""
    rows = [
        {**asdict(r), "pages_per_second": r.pages_per_second, "cpu_ms_per_page": r.cpu_ms_per_page}
        for r in runs
    ]
    return json.dumps({"site": asdict(site), "reference": REFERENCE, "runs": rows}, indent=2)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments, run, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages on the site, all kinds")
    parser.add_argument("--bench-dir", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--only", action="append", choices=RUN_NAMES, default=[],
                        help="run only this (repeatable): " + ", ".join(RUN_NAMES))  # fmt: skip
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run at most")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--work-dir", type=Path, default=None,
                        help="where the crawls' state and records go (default: the temp folder; "
                        "/dev/shm takes the disk's fsync out)")  # fmt: skip
    args = parser.parse_args(argv)
    site, runs = run_all(
        args.bench_dir.resolve(), args.pages, args.only, args.timeout, args.work_dir
    )
    print(_as_json(site, runs) if args.json else render(site, runs))


if __name__ == "__main__":
    main()
