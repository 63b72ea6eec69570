"""A payload that ends the extraction process that unpickles it (a parser crash, an OOM kill)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ExitOnArrival:
    """Sent as a call's template, it makes the extraction process exit with ``code``."""

    code: int

    def __reduce__(self) -> tuple[object, tuple[int]]:
        return os._exit, (self.code,)
