"""Politeness across workers: with per_host_delay = 0.2 s, the server's own request log shows no
two requests to the host closer than 0.2 s, whichever of the four workers sent them."""

from __future__ import annotations

import itertools
from pathlib import Path

from loopsite import pages, serve
from server import TestServer
from sharedrun import Shared, finish, start, start_workers, write_shared_config

DELAY = 0.2


def test_per_host_delay_holds_across_four_workers(tmp_path: Path, shared: Shared) -> None:
    with TestServer(with_faults=False) as server:
        serve(server, pages(40))
        config = write_shared_config(tmp_path, server.url, shared, delay=DELAY, tasks=4)
        crawl = start("crawl", "--quiet", "--config", str(config), cwd=tmp_path)
        workers = start_workers(config, 4)
        for worker in [*workers, crawl]:
            code, err = finish(worker)
            assert code == 0, err
        starts = sorted(r.started for r in server.requests())
    assert len(starts) == 40 + 2  # the articles and the two index pages (the seed is one)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert min(gaps) >= DELAY, f"two requests {min(gaps):.3f} s apart"
    files = (tmp_path / "out").glob("w*/records-*.jsonl")
    records = sum(len(p.read_text("utf-8").splitlines()) for p in files)
    assert records == 40
