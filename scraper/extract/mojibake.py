"""Repair text that was UTF-8 read as Latin-1 or Windows-1252 before the page was served.

A CMS that imports UTF-8 text as Latin-1 and stores it as UTF-8 again serves "youâ€™re" for
"you're" and "cafÃ©" for "café" in a page that is valid UTF-8 and says so: no charset of the
page's own undoes it, so the decoder cannot. The extracted blocks are repaired instead, by
ftfy's ``fix_encoding``, which re-decodes a stretch only when the result is more plausible
text. A cheap search (_SUSPECT) comes first: ftfy's own test costs about 2 ms a page, and
most pages hold no such stretch, and ftfy is imported only for a page that has one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Final

from scraper.models import Metadata

if TYPE_CHECKING:
    from scraper.extract.blocks import Block

__all__ = ["repaired", "repaired_blocks", "repaired_metadata"]

# What a UTF-8 lead byte (U+00C2..U+00F4 read as Latin-1) followed by a continuation byte
# (0x80..0xBF) looks like once read as Latin-1 (U+0080..U+00BF) or as Windows-1252 (whose
# 0x80..0x9F are these letters and signs). Real text rarely has one of these pairs, and where
# it does, ftfy leaves it as it is.
_CP1252_HIGH: Final = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_SUSPECT: Final = re.compile(f"[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_HIGH}]")


def repaired(text: str) -> str:
    """``text`` with its doubly encoded stretches decoded once more; unchanged without any.

    Example:
        >>> repaired("Le caf\\u00c3\\u00a9 du coin")
        'Le café du coin'
    """
    if _SUSPECT.search(text) is None:
        return text
    import ftfy  # imported on first need: 3 MB that most pages never use

    return ftfy.fix_encoding(text)


def repaired_blocks(blocks: list[Block], body: str) -> list[Block]:
    """The blocks, each with its text and Markdown repaired; the same list when their joined
    text ``body`` has no suspect pair (one search over the page's text, not one a block)."""
    if _SUSPECT.search(body) is None:
        return blocks
    return [
        replace(block, text=repaired(block.text), markdown=repaired(block.markdown))
        for block in blocks
    ]


def repaired_metadata(metadata: Metadata) -> Metadata:
    """The metadata with its free-text fields repaired (title, site name, description, image
    caption, authors, tags); provenance keeps the raw values as found."""
    texts = (metadata.title, metadata.site_name, metadata.description, metadata.image_caption)
    names = (*metadata.authors, *metadata.tags)
    if not any(_SUSPECT.search(text) for text in (*texts, *names) if text):
        return metadata
    return replace(
        metadata,
        title=_maybe(metadata.title),
        site_name=_maybe(metadata.site_name),
        description=_maybe(metadata.description),
        image_caption=_maybe(metadata.image_caption),
        authors=tuple(repaired(name) for name in metadata.authors),
        tags=tuple(repaired(tag) for tag in metadata.tags),
    )


def _maybe(text: str | None) -> str | None:
    """``repaired`` for an optional field."""
    return repaired(text) if text is not None else None
