"""Doubly encoded text (UTF-8 read as Latin-1 or Windows-1252 upstream) repaired in the
extracted text and metadata (mojibake.py); real text left as it is."""

from __future__ import annotations

from scraper import extract
from scraper.extract import Trace
from scraper.extract.mojibake import repaired

STORY = (
    "When you’re opening a business, the first step—choosing a name—matters more than you’d think."
)


def doubly(text: str, codec: str) -> str:
    """``text`` as a CMS that read its UTF-8 as ``codec`` would serve it."""
    return text.encode("utf-8").decode(codec)


def page(title: str, paragraph: str) -> bytes:
    html = (
        f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><article>'
        f"<p>{paragraph} {paragraph}</p><p>{paragraph}</p></article></body></html>"
    )
    return html.encode("utf-8")


def test_text_read_as_latin_1_upstream_is_repaired() -> None:
    garbled = doubly(STORY, "latin-1")
    assert "youâ\x80\x99re" in garbled
    article = extract(page(doubly("A Founder’s Guide", "latin-1"), garbled))
    assert article.text.startswith(STORY)
    assert "â" not in article.markdown
    assert article.metadata.title == "A Founder’s Guide"


def test_text_read_as_windows_1252_upstream_is_repaired() -> None:
    garbled = doubly("Hôtel du Louvre – the café’s terrace", "cp1252")
    assert garbled == "HÃ´tel du Louvre â€“ the cafÃ©â€™s terrace"
    assert repaired(garbled) == "Hôtel du Louvre – the café’s terrace"


def test_real_text_with_the_same_letters_is_left_as_it_is() -> None:
    for text in ("Il a dit « c’est l’été… » et Â. Popescu a ri.", "São Paulo, Ångström, ÆØÅ"):
        assert repaired(text) == text
        assert extract(page("Notes", text)).text.startswith(text)


def test_a_trace_notes_the_repair() -> None:
    trace = Trace()
    extract(page("Notes", doubly(STORY, "latin-1")), trace=trace)
    assert "doubly encoded text (UTF-8 read as Latin-1 upstream) repaired" in trace.notes
