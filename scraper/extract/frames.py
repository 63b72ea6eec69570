"""An ``<iframe>`` that swallowed the rest of the page, and the markup that closes it.

An iframe's content is raw text up to ``</iframe>``. A tag written self-closing or left open
(``<noscript><iframe src="...googletagmanager..." /></noscript>``, a tag manager's snippet as
some templates print it) makes everything after it one text node: with scripting off, as the
extractor parses, a ``<noscript>``'s content is markup, and the page's body after the snippet
is lost. Browsers run scripts, read that ``<noscript>`` as raw text and show the page; and no
browser shows an iframe's content. So a page with a swallowing iframe is parsed again with
every ``<iframe ...>`` closed at once. Found from the iframes that the metadata pass files
(sources.py), so a page without one costs nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from selectolax.lexbor import LexborNode

__all__ = ["closed_frames", "swallows_page"]

# An iframe's raw text this long, holding an end tag, is the page's markup, not a fallback
# line ("Your browser does not support iframes").
SWALLOWED_MIN_CHARS: Final = 500
_END_TAG: Final = "</"
_FRAME_START: Final = re.compile(r"<iframe\b[^>]*>", re.I)


def swallows_page(frames: Iterable[LexborNode]) -> bool:
    """Whether one of ``frames`` holds the page's markup as its raw text."""
    for frame in frames:
        text = frame.text(deep=True)
        if len(text) >= SWALLOWED_MIN_CHARS and _END_TAG in text:
            return True
    return False


def closed_frames(markup: str) -> str:
    """``markup`` with every ``<iframe ...>`` start tag closed at once (a later ``</iframe>``
    is then a stray end tag, which the parser ignores).

    Example:
        >>> closed_frames('<noscript><iframe src="/ns" /></noscript><p>Hi</p>')
        '<noscript><iframe src="/ns" /></iframe></noscript><p>Hi</p>'
    """
    return _FRAME_START.sub(lambda start: start.group(0) + "</iframe>", markup)
