"""Stage 7's filter: what counts as an empty block."""

from __future__ import annotations

import sys
import unicodedata

from scraper.extract.filter import _INVISIBLE


def test_invisible_holds_every_whitespace_character() -> None:
    # text.strip(_INVISIBLE) must drop all that text.strip() drops, and more
    spaces = [ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace()]
    assert [ch for ch in spaces if ch not in _INVISIBLE] == []


def test_invisible_holds_only_characters_that_render_as_nothing() -> None:
    assert all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in _INVISIBLE)
    assert "\u200d\u00a0\u200b\ufeff\u00ad".strip(_INVISIBLE) == ""
    assert "👩\u200d💻".strip(_INVISIBLE) == "👩\u200d💻"  # a joiner inside an emoji stays
