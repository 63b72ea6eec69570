"""The address guard's rules: which addresses are refused, how host literals are read.

The end-to-end table of SSRF attempts through the Fetcher (private ranges, loopback, metadata,
numeric forms, names, redirects, rebinding) is tests/reliability/test_ssrf_table.py.
"""

from __future__ import annotations

import ipaddress

import pytest
from fetch_support import fast_config, fetch, resolver
from server import Reply, TestServer

from scraper.errors import BlockedAddressError
from scraper.fetch import blocked_reason, parse_ip_literal


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "not globally routable"),  # carrier-grade NAT
        ("240.0.0.1", "reserved"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
    ],
)
def test_non_public_addresses_are_blocked(address: str, reason: str) -> None:
    found = blocked_reason(ipaddress.ip_address(address))
    assert found is not None and found.startswith(reason)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700:4700::1111", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("169.254.169.254", "169.254.169.254"),
        ("[::1]", "::1"),
        ("example.org", None),
        ("1e100.net", None),
    ],
)
def test_ip_literals_in_every_form(host: str, address: str | None) -> None:
    parsed = parse_ip_literal(host)
    assert (str(parsed) if parsed else None) == address


@pytest.mark.parametrize("host", ["1.2.3.256", "0x1g.1", "1.2.3.4.5"])
def test_malformed_numeric_hosts_are_errors(host: str) -> None:
    with pytest.raises(ValueError, match=r"IPv4"):
        parse_ip_literal(host)


def test_allow_private_addresses_lets_loopback_through(http_server: TestServer) -> None:
    url = http_server.route("/p", body="<p>ok</p>")
    config = fast_config(allowed_networks=(), allow_private_addresses=True)
    assert fetch(config, url).status == 200


def test_connection_goes_to_the_checked_address_with_the_host_name(
    http_server: TestServer,
) -> None:
    http_server.route("/named", body="<p>named</p>")
    names = resolver({"site.test": ["127.0.0.1"]})
    page = fetch(fast_config(), http_server.url("/named", host="site.test"), resolve=names)
    assert page.text == "<p>named</p>"
    assert http_server.requests("/named")[0].headers["host"] == f"site.test:{http_server.port}"


def test_legacy_ipv4_redirect_target_is_blocked(http_server: TestServer) -> None:
    target = f"http://0177.0.0.2:{http_server.port}/"
    url = http_server.route_replies("/r", Reply(302, {"Location": target}))
    with pytest.raises(BlockedAddressError, match=r"127.0.0.2 is a loopback") as caught:
        fetch(fast_config(), url)
    assert caught.value.url == f"http://127.0.0.2:{http_server.port}/"
