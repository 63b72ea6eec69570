"""A 503 storm during a crawl: pages wait for their host, and none gives up for waiting.

The host answers 503 with Retry-After: 1 to its first ``STORM`` requests, whatever they ask for
(until the seed is fetched nothing else is known, so they are all the seed's), then 200 to
everything. Each 503 cools the host down for a second and doubles its request spacing, so the
seed's attempts come a second or more apart, and the articles then queue behind the spacing as
it decays: seconds past the 2.4 s retry budget. That time is the host's (politeness), not the
page's own, so it is not charged to the budget (fetch/retry.py): the seed keeps its retries,
every article is stored once, nothing is listed as failed, and the crawl exits 0.
"""

from __future__ import annotations

import time
from pathlib import Path

from crawlrun import FastFetch, duplicates, read_lines, scraper, status, write_config
from loopsite import article_path, index_path, pages, serve
from server import Reply, TestServer

ARTICLES = 12
STORM = 3  # the host's first answers that are 503 + Retry-After: 1 (at most fetch.retries)
# Budget 0.3 x 2 x 4 = 2.4 s of own time per page, wall cap 9.6 s (fetch/retry.py): the
# cool-downs put the seed's third 503 past the budget, the slowdown puts the articles' turns
# past it too. The wall cap also covers the wait for a page's first turn, so the pages queued
# on the host at once (4 workers, 1.5 s apart at first) must fit in it.
FETCH = FastFetch(timeout=0.3, retries=3, retry_backoff=0.01, workers=4)
BUSY = Reply(503, {"Retry-After": "1"}, body="<p>busy, come back in a second</p>")


def test_a_503_storm_at_the_start_loses_no_page(
    tmp_path: Path, http_server: TestServer, figures: dict[str, list[str]]
) -> None:
    site = pages(ARTICLES)
    serve(http_server, site)
    seed = index_path(0)
    http_server.route_replies(seed, *[BUSY] * STORM, Reply(body=site[seed]))
    config = write_config(tmp_path, http_server, fetch=FETCH)

    started = time.monotonic()
    done = scraper("crawl", "--quiet", "--config", str(config), cwd=tmp_path)
    seconds = time.monotonic() - started

    assert done.returncode == 0, done.stderr
    stored = [r["url"].removeprefix(http_server.url("")) for r in read_lines(tmp_path / "out")]
    assert duplicates(stored) == []
    assert sorted(stored) == sorted(article_path(i) for i in range(ARTICLES))
    assert status(config)["failures"] == []
    assert len(http_server.requests(seed)) == STORM + 1
    figures["crawl under a 503 storm"] = [
        f"{ARTICLES} articles behind a seed answering 503 + Retry-After: 1 {STORM} times: "
        f"all stored once in {seconds:.1f} s, none failed (own-time budget 2.4 s per page)"
    ]
