"""The page-type vote (pagetype.py), one behaviour per test, on small hand-written pages."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from scraper import extract
from scraper.extract.pagetype import read_declared_types
from scraper.models import PageType

PARA = "This paragraph is a real part of the story, with enough words, commas, and detail to count."
# 8 paragraphs: 136 words, neither long prose nor almost none (the prose signal stays 0).
STORY = "<article>" + f"<p>{PARA}</p>" * 8 + "</article>"
OG_ARTICLE = '<meta property="og:type" content="article">'


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def ld_json(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


def test_og_type_is_kept_apart_from_json_ld_types() -> None:
    head = ld_json('{"@type": "NewsArticle"}') + OG_ARTICLE
    head += '<meta property="article:published_time" content="2024-01-02">'
    declared = read_declared_types(LexborHTMLParser(page("", head)))
    assert declared == {"newsarticle", "og:article", "og:published_time"}


def test_a_json_ld_article_outranks_the_products_it_reviews() -> None:
    head = ld_json('[{"@type": "Article", "datePublished": "2024-01-02"}, {"@type": "Product"}]')
    html = page(STORY, head)
    assert extract(html, url="https://example.com/best-kettles").page_type is PageType.ARTICLE


def test_og_type_article_alone_does_not_make_an_undated_page_an_article() -> None:
    html = page(STORY, OG_ARTICLE)
    assert extract(html, url="https://example.com/what-we-do").page_type is PageType.OTHER
