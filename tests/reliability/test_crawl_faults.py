"""Faults during a crawl: a real ``scraper crawl`` of 1,000 articles while the server misbehaves.

About a fifth of the pages (seeded) fail before they succeed: 500 or 503 then success, 429 with
Retry-After, a connection reset, a body cut short, a body stalling past the read timeout. Most
recover within the retry budget (``retries`` + 1 attempts): each of those is stored exactly
once. A few fail more often than the budget allows: they are listed as failed, with a reason,
by ``scraper status``; once the faults stop, the next run fetches and stores them, still once.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from crawlrun import FastFetch, duplicates, read_lines, scraper, status, write_config
from loopsite import article_path, pages, serve
from server import Reply, TestServer

ARTICLES = 1000
SEED = 20261128
FAULTY_SHARE = 0.2  # pages whose first attempt fails
BEYOND_BUDGET_SHARE = 0.1  # of the faulty articles: fail more often than the budget allows
# The retry budget (fetch.retries, and timeout x 2 x attempts of a page's own time, see
# fetch/retry.py) leaves out the time a page waits for its host's turn; that wait counts only
# towards the wall cap (4 budgets: 32 s here), far more than the slowdowns 429 and 503 cause.
FETCH = FastFetch(timeout=1.0, retries=3, retry_backoff=0.01, workers=8)
STALL = 2.0  # seconds a stalling body waits: past FETCH.timeout, so the read times out

# kind -> the failing reply for a page with this body.
FAULTS: dict[str, Callable[[str], Reply]] = {
    "500": lambda body: Reply(500, body="<p>oops</p>"),
    "reset": lambda body: Reply(reset=True),
    "truncated": lambda body: Reply(body=body, truncate_to=len(body) // 2),
    "stall": lambda body: Reply(body=body, stall_after=200, stall=STALL),
    "503": lambda body: Reply(503, body="<p>busy</p>"),
    "429 Retry-After: 1": lambda body: Reply(429, {"Retry-After": "1"}, body="<p>slow</p>"),
}
COMMON = ("500", "reset", "truncated", "stall")  # drawn at random for every faulty page
# Host-wide slowdowns: each 429 or 503 doubles the host's request spacing (and Retry-After
# pauses the host for a second), so a fixed few recoverable pages open with one.
SLOWDOWNS = {"503": 2, "429 Retry-After: 1": 2}


@dataclass(frozen=True)
class FaultPlan:
    """Which pages fail how many times, and with what."""

    failures: dict[str, list[str]]  # path -> fault kinds, in the order they are served

    def beyond_budget(self) -> set[str]:
        """Paths failing on every attempt the retry budget allows."""
        return {p for p, kinds in self.failures.items() if len(kinds) > FETCH.retries}


def plan_faults(site: dict[str, str], chance: random.Random) -> FaultPlan:
    """Pick the faulty pages and their faults; only articles fail beyond the budget."""
    failures: dict[str, list[str]] = {}
    for path in site:
        if chance.random() >= FAULTY_SHARE:
            continue
        beyond = path.startswith("/2026/") and chance.random() < BEYOND_BUDGET_SHARE
        count = FETCH.retries + 1 if beyond else chance.choice((1, 1, 2))
        failures[path] = chance.choices(COMMON, k=count)
    recoverable = sorted(p for p, kinds in failures.items() if len(kinds) <= FETCH.retries)
    slowed = iter(chance.sample(recoverable, sum(SLOWDOWNS.values())))
    for kind, count in SLOWDOWNS.items():
        for _ in range(count):
            failures[next(slowed)][0] = kind
    return FaultPlan(failures)


def serve_faults(server: TestServer, site: dict[str, str], plan: FaultPlan) -> None:
    """Serve the site with the planned faults before each faulty page's good answer."""
    serve(server, site)
    for path, kinds in plan.failures.items():
        body = site[path]
        server.route_replies(path, *(FAULTS[k](body) for k in kinds), Reply(body=body))


def stored_paths(server: TestServer, folder: Path) -> list[str]:
    """The article path of every record line, in file order."""
    prefix = server.url("")
    return [r["url"].removeprefix(prefix) for r in read_lines(folder)]


@pytest.fixture
def site() -> dict[str, str]:
    """The site: 50 index pages and 1,000 articles."""
    return pages(ARTICLES)


def test_faults_during_a_crawl_lose_and_duplicate_nothing(
    tmp_path: Path,
    http_server: TestServer,
    site: dict[str, str],
    figures: dict[str, list[str]],
) -> None:
    plan = plan_faults(site, random.Random(SEED))
    serve_faults(http_server, site, plan)
    config = write_config(tmp_path, http_server, fetch=FETCH)
    articles = {article_path(i) for i in range(ARTICLES)}
    beyond = plan.beyond_budget()

    started = time.monotonic()
    first = scraper("crawl", "--quiet", "--config", str(config), cwd=tmp_path)
    first_seconds = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    stored = stored_paths(http_server, tmp_path / "out")
    assert duplicates(stored) == []
    assert sorted(articles - set(stored)) == sorted(beyond)
    assert set(stored) <= articles
    report = status(config)
    failed = {url.removeprefix(http_server.url("")): why for url, why in report["failures"]}
    assert sorted(failed) == sorted(beyond)
    assert all(why.strip() for why in failed.values())
    requests = len(http_server.requests())

    serve(http_server, site)  # the faults stop
    second = scraper("crawl", "--quiet", "--config", str(config), cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    stored = stored_paths(http_server, tmp_path / "out")
    assert duplicates(stored) == []
    assert set(stored) == articles
    assert status(config)["failures"] == []

    served = Counter(k for kinds in plan.failures.values() for k in kinds)
    figures["crawl under faults"] = [
        f"{len(site)} pages ({ARTICLES} articles), {len(plan.failures)} faulty "
        f"({len(plan.failures) / len(site):.0%}), {sum(served.values())} failed answers: "
        + ", ".join(f"{k} {n}" for k, n in served.most_common()),
        f"first run {first_seconds:.1f} s, {requests} requests: "
        f"{ARTICLES - len(beyond)} stored once, {len(beyond)} failed beyond the budget "
        f"({FETCH.retries} retries) and listed by status with a reason",
        f"second run (faults stopped): the {len(beyond)} stored, {ARTICLES} records in all, "
        "no duplicate",
    ]
