"""Fixtures for the reliability tests: a connection tripwire and the figures they report.

``connections`` wraps the socket layer under the address guard (httpcore's AnyIO backend, the
one ``GuardedBackend`` hands checked addresses to): it records every TCP connect and refuses
any that is not to 127.0.0.1 or ::1. The guard is what these tests test; the tripwire makes
sure a regression in it fails a test instead of sending traffic to a real private address.

``figures`` collects what the tests measured; they are printed at the end of the run under
"reliability figures" (the README's Reliability section quotes them).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import pytest
from tripwire import OutsideConnectionError

_LOOPBACK = ("127.0.0.1", "::1")
_FIGURES = pytest.StashKey[dict[str, list[str]]]()


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, int]]]:
    """Every (address, port) the fetcher connected to; non-loopback ones are refused."""
    seen: list[tuple[str, int]] = []
    connect = httpcore.AnyIOBackend.connect_tcp

    async def tripwire(
        self: httpcore.AnyIOBackend,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        seen.append((host, port))
        if host not in _LOOPBACK:
            raise OutsideConnectionError(f"the guard let a connection to {host}:{port} through")
        return await connect(self, host, port, timeout, local_address, socket_options)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", tripwire)
    yield seen


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> dict[str, list[str]]:
    """Lines to print at the end of the run, by topic."""
    return request.config.stash.setdefault(_FIGURES, {})


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print the collected figures, topic by topic."""
    topics = config.stash.get(_FIGURES, {})
    if not topics:
        return
    terminalreporter.section("reliability figures")
    for topic, lines in topics.items():
        terminalreporter.write_line(f"{topic}: {len(lines)}")
        terminalreporter.write_line(
            textwrap.fill("; ".join(lines), 100, initial_indent="  ", subsequent_indent="  ")
        )
