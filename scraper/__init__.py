"""scraper: fetch pages politely, extract the article, store clean JSON."""

from __future__ import annotations

__version__ = "0.1.0"
