"""Politeness: per-host spacing and concurrency, global concurrency, cool-downs, slowdown.

Timings are measured from the server's request log, with generous bounds.
"""

from __future__ import annotations

import asyncio

from fetch_support import (
    fast_config,
    fetch,
    fetch_all,
    gaps,
    max_overlap,
    resolver,
    run_with_fetcher,
)
from server import Reply, TestServer

from scraper.fetch import Fetcher
from scraper.fetch.politeness import Politeness
from scraper.models import Page

_TWO_HOSTS = resolver({"a.test": ["127.0.0.1"], "b.test": ["127.0.0.1"]})


def _slow_pages(server: TestServer, count: int, delay: float = 0.3) -> list[str]:
    """``count`` pages that each take ``delay`` seconds to answer."""
    return [
        server.route_replies(f"/slow/{i}", Reply(body="<p>slow</p>", first_byte_delay=delay))
        for i in range(count)
    ]


def test_per_host_delay_spaces_request_starts(http_server: TestServer) -> None:
    urls = [http_server.route(f"/p{i}", body="<p>x</p>") for i in range(3)]
    fetch_all(fast_config(per_host_delay=0.3), urls)
    assert min(gaps(http_server.requests())) >= 0.25


def test_per_host_concurrency_is_a_ceiling(http_server: TestServer) -> None:
    urls = _slow_pages(http_server, 6)
    fetch_all(fast_config(timeout=2, per_host_concurrency=2), urls)
    assert max_overlap(http_server.requests()) == 2


def test_global_concurrency_spans_hosts(http_server: TestServer) -> None:
    urls = _slow_pages(http_server, 4, delay=0.2)
    urls = [u.replace("127.0.0.1", "a.test" if i % 2 else "b.test") for i, u in enumerate(urls)]
    fetch_all(
        fast_config(timeout=2, concurrency=1, per_host_concurrency=4), urls, resolve=_TWO_HOSTS
    )
    assert {r.host for r in http_server.requests()} == {"a.test", "b.test"}
    assert max_overlap(http_server.requests()) == 1


def test_retry_after_cools_down_the_host_but_not_others(http_server: TestServer) -> None:
    http_server.route_replies("/limited", Reply(429, {"Retry-After": "1"}), Reply(body="<p/>"))
    http_server.route("/other", body="<p/>")
    port = http_server.port

    async def body(fetcher: Fetcher) -> list[Page | BaseException]:
        first = asyncio.create_task(fetcher.fetch(f"http://a.test:{port}/limited"))
        await asyncio.sleep(0.2)  # the 429 has arrived: a.test is cooling down
        later = [
            fetcher.fetch(f"http://a.test:{port}/other"),
            fetcher.fetch(f"http://b.test:{port}/other"),
        ]
        return list(await asyncio.gather(first, *later, return_exceptions=True))

    results = run_with_fetcher(fast_config(), body, resolve=_TWO_HOSTS)
    assert all(isinstance(r, Page) for r in results)
    limited = http_server.requests("/limited")[0].started
    by_host = {r.host: r.started for r in http_server.requests("/other")}
    assert by_host["b.test"] - limited < 0.8  # another host went on
    assert by_host["a.test"] - limited >= 0.9  # the same host waited out Retry-After


def test_503_slows_the_host_beyond_the_retry_backoff(http_server: TestServer) -> None:
    url = http_server.route_replies("/busy", Reply(503), Reply(body="<p/>"))
    fetch(fast_config(retry_backoff=0.01), url)
    [gap] = gaps(http_server.requests("/busy"))
    assert gap >= 0.4  # adaptive slowdown, not the 0.01 s backoff


def test_delay_grows_on_429_and_recovers_on_success() -> None:
    politeness = Politeness(fast_config(per_host_delay=0.5))
    assert politeness.delay("h") == 0.5
    politeness.record("h", 429, latency=0.01, retry_after=None)
    politeness.record("h", 429, latency=0.01, retry_after=None)
    slowed = politeness.delay("h")
    assert slowed == 2.0
    for _ in range(10):
        politeness.record("h", 200, latency=0.01, retry_after=None)
    assert politeness.delay("h") < slowed


def test_slow_host_is_spaced_by_its_latency() -> None:
    politeness = Politeness(fast_config(per_host_delay=0.0))
    for _ in range(10):
        politeness.record("h", 200, latency=3.0, retry_after=None)
    assert politeness.delay("h") > 2.0
    assert politeness.delay("other") == 0.0


def test_crawl_delay_is_capped() -> None:
    politeness = Politeness(fast_config())
    politeness.set_crawl_delay("h", 86400)
    assert politeness.delay("h") == 60.0


def test_timeouts_count_as_a_slow_host() -> None:
    politeness = Politeness(fast_config(per_host_delay=0.0))
    for _ in range(10):
        politeness.record_timeout("h", 5.0)
    assert politeness.delay("h") > 4.0


def test_waiting_requests_go_at_the_new_pace_when_a_slow_spell_ends() -> None:
    """Start times are not booked ahead: once the host is fast again, the requests that were
    already waiting go without the slow spell's spacing (one spell stalled a soak crawl)."""
    politeness = Politeness(fast_config(per_host_delay=0.0, per_host_concurrency=4))
    for _ in range(10):
        politeness.record("h", 200, latency=1.5, retry_after=None)
    assert politeness.delay("h") > 1.0  # slow: 1.5 s between starts

    async def run() -> list[float]:
        starts: list[float] = []

        async def one() -> None:
            async with politeness.slot("h"):
                starts.append(asyncio.get_running_loop().time())
                if len(starts) == 1:  # the others queue up meanwhile, then the host is fast again
                    await asyncio.sleep(0.2)
                    for _ in range(10):
                        politeness.record("h", 200, latency=0.001, retry_after=None)

        await asyncio.gather(*(one() for _ in range(4)))
        return starts

    starts = asyncio.run(run())
    # The first request's spacing still holds for the second; the third and fourth do not wait
    # the 1.5 s each that booked-ahead start times would have made them wait.
    assert starts[3] - starts[1] < 1.0
