"""The address guard applies to every URL the API fetches, and to every redirect hop.

With the shipped [serve] settings nothing private is reachable; the tests that need the test
server allow 127.0.0.1/32 alone, and show that a redirect from it to elsewhere is refused.
"""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from serve_support import config, running
from server import TestServer

from scraper.config import FetchConfig, ServeConfig

TARGETS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://[::ffff:169.254.169.254]/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://localhost/",
]
TARGET_IDS = [
    "metadata",
    "private-10",
    "mapped-ipv6",
    "decimal-loopback",
    "octal-loopback",
    "localhost",
]


def _refused(answer: httpx.Response) -> None:
    """A 400 blocked_address answer."""
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["type"] == "blocked_address"


def test_the_shipped_serve_defaults_allow_nothing_private() -> None:
    assert ServeConfig().allow_private_addresses is False
    assert ServeConfig().allowed_networks == ()
    assert config(allowed_networks=()).serve == dataclasses.replace(
        ServeConfig(), extract_processes=1, rate_limit=0
    )


@pytest.mark.parametrize("url", TARGETS, ids=TARGET_IDS)
def test_a_private_target_is_refused(guarded_api: httpx.Client, url: str) -> None:
    _refused(guarded_api.post("/extract", json={"url": url}))
    _refused(guarded_api.get("/extract", params={"url": url}))


def test_loopback_is_refused_by_default(guarded_api: httpx.Client, http_server: TestServer) -> None:
    url = http_server.route("/page", body="<p>secret</p>")
    _refused(guarded_api.post("/extract", json={"url": url}))
    assert http_server.requests() == []


def test_a_batch_refuses_each_private_target(guarded_api: httpx.Client) -> None:
    answer = guarded_api.post("/extract/batch", json={"urls": TARGETS[:2]})
    lines = [line for line in answer.text.splitlines() if line]
    assert len(lines) == 2
    assert all('"blocked_address"' in line for line in lines)


@pytest.mark.parametrize(
    "location",
    ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/admin", "http://localhost/"],
    ids=["metadata", "private-10", "localhost"],
)
def test_a_redirect_to_a_private_target_is_refused(
    api: httpx.Client, http_server: TestServer, location: str
) -> None:
    url = http_server.route("/go", status=302, headers={"Location": location})
    _refused(api.post("/extract", json={"url": url}))
    assert [r.path for r in http_server.requests()] == ["/go"]


def test_fetch_allow_private_does_not_open_the_api(http_server: TestServer) -> None:
    settings = config(allowed_networks=())
    settings = dataclasses.replace(settings, fetch=FetchConfig(allow_private_addresses=True))
    url = http_server.route("/page", body="<p>secret</p>")
    with running(settings) as base, httpx.Client(base_url=base, trust_env=False) as client:
        _refused(client.post("/extract", json={"url": url}))
    assert http_server.requests() == []
