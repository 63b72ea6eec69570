"""The error the ``connections`` tripwire (conftest.py) raises, importable by the tests."""

from __future__ import annotations

__all__ = ["OutsideConnectionError"]


class OutsideConnectionError(Exception):
    """A connection to something other than loopback was about to be opened."""
