"""SSRF attempts, one row each, through the real Fetcher: every one refused before connecting.

The guard settings are the defaults (no private address allowed), except for redirects, which
start from the loopback test server (allowed_networks = 127.0.0.1/32) and must be refused at
the next hop. DNS names come from a test resolver (the Fetcher's ``resolver`` hook), so no
real DNS is asked. The ``connections`` tripwire (conftest.py) records every TCP connect and
refuses any that is not loopback: a guard regression fails here, it never reaches a network.
Loopback rows aim at the test server's port, so a leak would also show in its request log.

The unit tests of the address rules (blocked_reason, parse_ip_literal) are in
tests/fetch/test_fetch_guard.py; this table is the end-to-end view.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pytest
from server import Reply, TestServer
from tripwire import OutsideConnectionError

from scraper.config import FetchConfig
from scraper.errors import BlockedAddressError
from scraper.fetch import Fetcher, Resolver
from scraper.models import Page

# Guard settings as shipped; quick to fail, no robots.txt request before the page.
DEFAULTS = FetchConfig(timeout=0.5, retries=0, respect_robots=False, per_host_delay=0.0)
# The same, with the loopback test server reachable: the start of the redirect rows.
SERVER_ONLY = FetchConfig(
    timeout=0.5,
    retries=0,
    respect_robots=False,
    per_host_delay=0.0,
    allowed_networks=("127.0.0.1/32",),
)
PUBLIC = "93.184.215.14"  # a public address the test resolver may answer (never connected to)
METADATA = "http://169.254.169.254/latest/meta-data/"  # the cloud metadata service
INTRANET = {"intranet.test": ["10.0.0.1"]}  # resolver answers: a name inside the network
MIXED = {"mixed.test": [PUBLIC, "10.0.0.1"]}  # one good address does not excuse a bad one

LOOPBACK = r"loopback"
PRIVATE = r"is a private address"
LINK_LOCAL = r"link-local"
RESERVED = r"is a reserved address"


@dataclass(frozen=True)
class Attempt:
    """One SSRF attempt: the URL ({port} is the test server's), what refuses it, and how."""

    id: str
    url: str
    refused: str  # a regex the BlockedAddressError message must match
    names: Mapping[str, Sequence[str]] = field(default_factory=dict)  # the resolver's answers
    redirect: bool = False  # the loopback test server redirects to ``url``


ATTEMPTS = [
    # private ranges
    Attempt("10/8", "http://10.0.0.1/", PRIVATE),
    Attempt("10/8-top", "http://10.255.255.254/", PRIVATE),
    Attempt("172.16/12", "http://172.16.0.1/", PRIVATE),
    Attempt("172.16/12-top", "http://172.31.255.254/", PRIVATE),
    Attempt("192.168/16", "http://192.168.0.1/", PRIVATE),
    Attempt("100.64/10-cgnat", "http://100.100.100.200/", r"not globally routable"),
    # loopback and unspecified
    Attempt("127.0.0.1", "http://127.0.0.1:{port}/", LOOPBACK),
    Attempt("127.1", "http://127.1:{port}/", LOOPBACK),
    Attempt("127.0.1", "http://127.0.1:{port}/", LOOPBACK),
    Attempt("[::1]", "http://[::1]:{port}/", LOOPBACK),
    Attempt("[::ffff:127.0.0.1]", "http://[::ffff:127.0.0.1]:{port}/", LOOPBACK),
    Attempt("[::ffff:7f00:1]", "http://[::ffff:7f00:1]:{port}/", LOOPBACK),
    Attempt("0.0.0.0", "http://0.0.0.0:{port}/", r"unspecified"),
    Attempt("0", "http://0:{port}/", r"unspecified"),
    # link-local and cloud metadata
    Attempt("169.254.169.254", METADATA, LINK_LOCAL),
    Attempt("169.254.0.1", "http://169.254.0.1/", LINK_LOCAL),
    Attempt("[fd00:ec2::254]-aws-v6", "http://[fd00:ec2::254]/latest/meta-data/", PRIVATE),
    # IPv6 forms
    Attempt("[fe80::1]", "http://[fe80::1]/", LINK_LOCAL),
    Attempt("[fc00::1]", "http://[fc00::1]/", PRIVATE),
    Attempt("[::ffff:10.0.0.1]", "http://[::ffff:10.0.0.1]/", PRIVATE),
    Attempt("[::ffff:a9fe:a9fe]", "http://[::ffff:a9fe:a9fe]/", LINK_LOCAL),
    Attempt("[2002:a9fe:a9fe::]-6to4", "http://[2002:a9fe:a9fe::]/", LINK_LOCAL),
    Attempt("[::a9fe:a9fe]-v4-compatible", "http://[::a9fe:a9fe]/", RESERVED),
    # NAT64 is refused as ::/8 "reserved", not by reading the IPv4 address inside
    Attempt("[64:ff9b::a9fe:a9fe]-nat64", "http://[64:ff9b::a9fe:a9fe]/", RESERVED),
    # decimal, octal and hex IPv4
    Attempt("2130706433", "http://2130706433:{port}/", LOOPBACK),
    Attempt("0177.0.0.1", "http://0177.0.0.1:{port}/", LOOPBACK),
    Attempt("0x7f.0.0.1", "http://0x7f.0.0.1:{port}/", LOOPBACK),
    Attempt("0x7f000001", "http://0x7f000001:{port}/", LOOPBACK),
    Attempt("017700000001", "http://017700000001:{port}/", LOOPBACK),
    Attempt("0x7f.1", "http://0x7f.1:{port}/", LOOPBACK),
    Attempt("2852039166-metadata", "http://2852039166/", LINK_LOCAL),
    Attempt("0xa9fea9fe-metadata", "http://0xa9fea9fe/", LINK_LOCAL),
    Attempt("0251.0376.0251.0376-metadata", "http://0251.0376.0251.0376/", LINK_LOCAL),
    Attempt("3232235521-192.168.0.1", "http://3232235521/", PRIVATE),
    # loopback names (RFC 6761), refused without asking DNS
    Attempt("localhost", "http://localhost:{port}/", r"loopback name"),
    Attempt("LOCALHOST", "http://LOCALHOST:{port}/", r"loopback name"),
    Attempt("localhost.", "http://localhost.:{port}/", r"loopback name"),
    Attempt("app.localhost", "http://app.localhost:{port}/", r"loopback name"),
    Attempt("a.b.localhost", "http://a.b.localhost:{port}/", r"loopback name"),
    # DNS names that resolve to private addresses
    Attempt("name->10.0.0.1", "http://intranet.test/", r"resolves to 10.0.0.1", INTRANET),
    Attempt("name->127.0.0.1", "http://self.test:{port}/", LOOPBACK, {"self.test": ["127.0.0.1"]}),
    Attempt("name->metadata", "http://meta.test/", LINK_LOCAL, {"meta.test": ["169.254.169.254"]}),
    Attempt("name->fe80::1", "http://v6.test/", LINK_LOCAL, {"v6.test": ["fe80::1"]}),
    Attempt("name->::ffff:10.0.0.1", "http://m.test/", PRIVATE, {"m.test": ["::ffff:10.0.0.1"]}),
    Attempt("name->public+private", "http://mixed.test/", r"resolves to 10.0.0.1", MIXED),
    # redirects from the (allowed) loopback test server
    Attempt("redirect->169.254.169.254", METADATA, LINK_LOCAL, redirect=True),
    Attempt("redirect->10.0.0.1", "http://10.0.0.1/", PRIVATE, redirect=True),
    Attempt("redirect->[::ffff:10.0.0.1]", "http://[::ffff:10.0.0.1]/", PRIVATE, redirect=True),
    Attempt("redirect->2852039166", "http://2852039166/", LINK_LOCAL, redirect=True),
    Attempt("redirect->127.0.0.2", "http://127.0.0.2:{port}/", LOOPBACK, redirect=True),
    Attempt("redirect->localhost", "http://localhost:{port}/", r"loopback name", redirect=True),
    Attempt("redirect->name->10.0.0.1", "http://intranet.test/", PRIVATE, INTRANET, redirect=True),
]  # fmt: skip


def resolver(answers: Mapping[str, Sequence[str]]) -> Resolver:
    """A resolver that knows only ``answers``; any other name does not resolve."""

    async def resolve(host: str, port: int) -> list[str]:
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} is not in the test resolver")
        return list(answers[host])

    return resolve


def fetch(config: FetchConfig, url: str, resolve: Resolver) -> Page:
    """Fetch one URL with a fresh Fetcher, synchronously."""

    async def run() -> Page:
        async with Fetcher(config, resolver=resolve) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=[a.id for a in ATTEMPTS])
def test_ssrf_attempt_is_refused(
    http_server: TestServer,
    connections: list[tuple[str, int]],
    figures: dict[str, list[str]],
    attempt: Attempt,
) -> None:
    url, config = attempt.url.format(port=http_server.port), DEFAULTS
    if attempt.redirect:
        url, config = http_server.route_replies("/go", Reply(302, {"Location": url})), SERVER_ONLY
    with pytest.raises(BlockedAddressError, match=attempt.refused):
        fetch(config, url, resolver(attempt.names))
    first_hop = [("127.0.0.1", http_server.port)] if attempt.redirect else []
    assert connections == first_hop
    assert [r.path for r in http_server.requests()] == (["/go"] if attempt.redirect else [])
    figures.setdefault("SSRF attempts refused before any connection", []).append(attempt.id)


class Rebinding:
    """A resolver whose answers change between calls: the first answer, then the rest."""

    def __init__(self, first: str, then: str) -> None:
        self.answers = [first, then]
        self.calls = 0

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls += 1
        return [self.answers[min(self.calls, 2) - 1]]


def test_rebinding_after_the_check_cannot_move_the_connection(
    http_server: TestServer, connections: list[tuple[str, int]], figures: dict[str, list[str]]
) -> None:
    """Checked answer 127.0.0.1 (allowed here), then 10.0.0.1: the connect goes to the first."""
    http_server.route("/page", body="<p>checked</p>")
    dns = Rebinding(first="127.0.0.1", then="10.0.0.1")
    page = fetch(SERVER_ONLY, f"http://rebind.test:{http_server.port}/page", dns)
    assert page.text == "<p>checked</p>"
    assert dns.calls == 1  # one lookup, checked and connected to: no second lookup to rebind
    assert connections == [("127.0.0.1", http_server.port)]
    with pytest.raises(BlockedAddressError, match=r"rebind.test resolves to 10.0.0.1"):
        fetch(SERVER_ONLY, f"http://rebind.test:{http_server.port}/page", dns)
    assert connections == [("127.0.0.1", http_server.port)]  # the new answer: no connection
    figures.setdefault("DNS rebinding", []).append("connected only to the checked address")


def test_rebinding_private_first_is_refused(
    http_server: TestServer, connections: list[tuple[str, int]], figures: dict[str, list[str]]
) -> None:
    """Answer 10.0.0.1 first, then a public address: refused at the check, nothing opened."""
    dns = Rebinding(first="10.0.0.1", then=PUBLIC)
    with pytest.raises(BlockedAddressError, match=r"resolves to 10.0.0.1"):
        fetch(DEFAULTS, "http://rebind.test/", dns)
    assert (dns.calls, connections, http_server.requests()) == (1, [], [])
    figures.setdefault("SSRF attempts refused before any connection", []).append("rebinding")


def test_the_tripwire_would_catch_a_guard_that_let_go(connections: list[tuple[str, int]]) -> None:
    """With the guard lifted, 10.0.0.1 reaches the socket layer, where the tripwire stops it."""
    lifted = FetchConfig(timeout=0.5, retries=0, respect_robots=False, allow_private_addresses=True)
    with pytest.raises(OutsideConnectionError):
        fetch(lifted, "http://10.0.0.1/", resolver({}))
    assert connections == [("10.0.0.1", 80)]
