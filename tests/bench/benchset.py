"""A tiny synthetic bench set, written to a temporary folder: 3 pages, 2 page types."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

# Paragraphs long enough that trafilatura keeps them (it drops very short documents).
_PARAGRAPHS = {
    "p1": [
        "The river rose steadily through the night, and by morning the lower town was under "
        "water up to the windows of the bakery on the corner of the market square.",
        "Volunteers carried sandbags from the church hall to the embankment, working in shifts "
        "so that nobody stood in the cold rain for more than two hours at a time.",
        "By noon the council announced that the bridge would stay closed until engineers had "
        "checked its pillars, and that buses would take the long road around the valley.",
    ],
    "p2": [
        "Sourdough needs patience more than skill: the starter wants feeding twice a day, and "
        "the dough wants a long, cool rise before it ever sees the inside of an oven.",
        "Bake it hot in a covered pot for the first twenty minutes, then take the lid off so "
        "that the crust can darken and crackle while the crumb finishes setting inside.",
    ],
    "p3": [
        "Has anyone else noticed the fan on the new laptop spinning up whenever the screen "
        "dims? It happens even with every application closed and the battery fully charged.",
        "Updating the firmware fixed it for me. The vendor released a patch last week that "
        "changes the thermal profile, and the noise stopped the moment it was installed.",
    ],
}
PAGE_TYPES = {"p1": "article", "p2": "article", "p3": "forum"}
BOILERPLATE = "Subscribe to our newsletter Home News Sport Contact us Privacy policy"


def page_html(page_id: str) -> str:
    """A page with navigation, the main text in <article>, and a footer."""
    body = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS[page_id])
    return (
        f"<html><head><title>Page {page_id}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>Page {page_id}</h1>{body}</article>"
        f"<footer>{BOILERPLATE}</footer></body></html>"
    )


def truth(page_id: str) -> str:
    """The ground truth: the article's paragraphs separated by blank lines."""
    return "\n\n".join(_PARAGRAPHS[page_id])


def write_set(folder: Path, with_meta: bool = True) -> Path:
    """Write the set to ``folder`` (created) and return it."""
    (folder / "html").mkdir(parents=True)
    entries = {}
    for page_id in _PARAGRAPHS:
        html = page_html(page_id).encode("utf-8")
        (folder / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html))
        entries[page_id] = {"articleBody": truth(page_id), "url": f"https://example.com/{page_id}"}
    (folder / "ground-truth.json").write_text(json.dumps(entries), encoding="utf-8")
    if with_meta:
        meta = {page_id: {"page_type": t} for page_id, t in PAGE_TYPES.items()}
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder
