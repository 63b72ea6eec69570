"""Shared-frontier benchmark: 1, 2 and 4 ``scraper worker`` processes against one crawl on Redis,
and the same crawl on the embedded SQLite frontier, on crawl_bench.py's loopback site.

Each run is one process tree (``scraper crawl`` plus its workers, or ``scraper crawl`` alone
for SQLite), measured as crawl_bench.py measures: wall time, CPU of the tree, peak RSS sum.
For Redis runs the bench also reads Redis's own ``INFO``: commands processed and CPU used
during the run, per page fetched; from them, the pages/s one Redis instance (one core) could
serve if it did nothing else. Commands count those run inside the Lua scripts (each link
of a page is a SADD to the dedup set there); a script call is one round trip. Redis is the
one at ``--redis`` (default the local one, db 15),
under a key prefix of the run's own, deleted afterwards.

    python bench/shared_bench.py                  # 2,000 pages, about 5 minutes on 2 cores
    python bench/shared_bench.py --pages 600 --workers 1 --workers 2 --json
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crawl_bench import ROOT, Run, Server, Site, _config, _lines, measure

SCRAPER = [sys.executable, "-m", "scraper"]


@dataclass
class RedisUse:
    """What Redis did during one run, per page fetched: commands executed (those inside the
    Lua scripts included), script calls, and Redis's own CPU."""

    commands_per_page: float
    scripts_per_page: float
    cpu_ms_per_page: float

    @property
    def pages_per_second_one_core(self) -> float:
        """Pages/s one Redis could serve at that CPU cost, if it did nothing else."""
        return 1000 / self.cpu_ms_per_page if self.cpu_ms_per_page else 0.0


def _redis_counters(client: redis.Redis) -> tuple[int, int, float]:
    """Commands processed so far, script calls so far, CPU seconds used so far."""
    stats, cpu = client.info("stats"), client.info("cpu")
    scripts = client.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)
    seconds = float(cpu["used_cpu_user"] + cpu["used_cpu_sys"])
    return int(stats["total_commands_processed"]), int(scripts), seconds


def _shared_config(site: Site, work: Path, redis_url: str, prefix: str) -> Path:
    """crawl_bench's config with the Redis frontier."""
    path = _config(site, work)
    frontier = f'\n[frontier]\nkind = "redis"\nurl = "{redis_url}"\nprefix = "{prefix}"\n'
    path.write_text(path.read_text() + frontier)
    return path


def run_shared(
    site: Site, work: Path, server: Server, workers: int, redis_url: str, timeout: float
) -> tuple[Run, RedisUse]:
    """``scraper crawl`` (coordinator) and ``workers`` workers, as one process tree."""
    work.mkdir(parents=True)
    client = redis.Redis.from_url(redis_url)
    prefix = f"bench-{secrets.token_hex(4)}"
    config = _shared_config(site, work, redis_url, prefix)
    quoted = " ".join(SCRAPER)
    lines = [f"{quoted} crawl --quiet --config {config} &"] + [
        f"{quoted} worker --until-idle --quiet --name w{i} --config {config} &"
        for i in range(workers)
    ]
    command = ["bash", "-c", "\n".join([*lines, "wait"])]
    commands, scripts, cpu = _redis_counters(client)
    run = measure(f"redis, {workers} worker{'s' * (workers > 1)}", command, server, timeout)
    commands_after, scripts_after, cpu_after = _redis_counters(client)
    run.stored = _lines(sorted((work / "out").glob("*/*.jsonl")))
    for key in client.scan_iter(f"{prefix}:*", count=1000):
        client.delete(key)
    client.close()
    pages = max(run.fetched, 1)
    use = RedisUse(
        (commands_after - commands) / pages,
        (scripts_after - scripts) / pages,
        1000 * (cpu_after - cpu) / pages,
    )
    return run, use


def run_sqlite(site: Site, work: Path, server: Server, timeout: float) -> Run:
    """``scraper crawl`` on the SQLite frontier, for the comparison."""
    work.mkdir(parents=True)
    config = _config(site, work)
    command = [*SCRAPER, "crawl", "--quiet", "--config", str(config)]
    run = measure("sqlite, 1 process", command, server, timeout)
    run.stored = _lines(sorted((work / "out").glob("*.jsonl")))
    return run


def render(site: Site, rows: Sequence[tuple[Run, RedisUse | None]]) -> str:
    """The table and the Redis estimate."""
    out = [
        f"site: {site.pages} pages ({site.articles} articles of {site.mean_kb:.0f} kB on average)",
        f"{'run':<20} {'pages/s':>8} {'CPU ms/page':>12} {'peak RSS MB':>12} {'stored':>7}"
        f" {'Redis cmds/page':>16} {'scripts/page':>13} {'Redis CPU ms/page':>18}",
    ]
    for run, use in rows:
        extra = (
            f" {use.commands_per_page:>16.1f} {use.scripts_per_page:>13.1f}"
            f" {use.cpu_ms_per_page:>18.3f}"
            if use
            else ""
        )
        out.append(
            f"{run.name:<20} {run.pages_per_second:>8.1f} {run.cpu_ms_per_page:>12.1f} "
            f"{run.peak_rss_mb:>12.0f} {run.stored:>7}{extra}"
        )
    uses = [use for _run, use in rows if use]
    if uses:
        cpu = sum(u.cpu_ms_per_page for u in uses) / len(uses)
        commands = sum(u.commands_per_page for u in uses) / len(uses)
        out.append(
            f"Redis: {commands:.1f} commands and {cpu:.3f} ms of its CPU per page: one Redis "
            f"core serves about {1000 / cpu:,.0f} pages/s at that cost"
            if cpu
            else ""
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the options, run the crawls, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--bench-dir", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--workers", type=int, action="append", help="default: 1, 2, 4")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args(argv)
    server = Server(args.bench_dir, args.pages)
    rows: list[tuple[Run, RedisUse | None]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            rows.append((run_sqlite(server.site, Path(tmp) / "sqlite", server, args.timeout), None))
            for count in args.workers or [1, 2, 4]:
                work = Path(tmp) / f"redis-{count}"
                rows.append(run_shared(server.site, work, server, count, args.redis, args.timeout))
    finally:
        server.stop()
    print(render(server.site, rows))
    if args.json:
        payload: list[dict[str, Any]] = [
            {**asdict(run), "redis": asdict(use) if use else None} for run, use in rows
        ]
        print(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
