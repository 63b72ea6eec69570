"""API fixtures: the app under test configurations, each served once per module.

``api`` serves the test defaults (the test server's 127.0.0.1/32 allowed); ``guarded_api``
the shipped address guard, nothing private allowed. Both yield an httpx.Client on the base URL.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from serve_support import config, running


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    """A client of the API with the test defaults."""
    with (
        running(config()) as base,
        httpx.Client(base_url=base, timeout=30, trust_env=False) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def guarded_api() -> Iterator[httpx.Client]:
    """A client of the API with the shipped address guard (no private network allowed)."""
    with (
        running(config(allowed_networks=())) as base,
        httpx.Client(base_url=base, trust_env=False) as client,
    ):
        yield client
