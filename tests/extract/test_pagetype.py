"""The page-type vote (pagetype.py), one behaviour per test, on small hand-written pages."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from scraper import extract
from scraper.extract.pagetype import read_declared_types
from scraper.extract.sources import PageSources
from scraper.models import PageType

PARA = "This paragraph is a real part of the story, with enough words, commas, and detail to count."
# 8 paragraphs: 136 words, neither long prose nor almost none (the prose signal stays 0).
STORY = "<article>" + f"<p>{PARA}</p>" * 8 + "</article>"
OG_ARTICLE = '<meta property="og:type" content="article">'


def page(body: str, head: str = "", body_class: str = "") -> str:
    return f'<html><head>{head}</head><body class="{body_class}">{body}</body></html>'


def ld_json(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


def test_og_type_is_kept_apart_from_json_ld_types() -> None:
    head = ld_json('{"@type": "NewsArticle"}') + OG_ARTICLE
    head += '<meta property="article:published_time" content="2024-01-02">'
    declared = read_declared_types(PageSources(LexborHTMLParser(page("", head)), None))
    assert declared == {"newsarticle", "og:article", "og:published_time"}


def test_a_json_ld_article_outranks_the_products_it_reviews() -> None:
    head = ld_json('[{"@type": "Article", "datePublished": "2024-01-02"}, {"@type": "Product"}]')
    html = page(STORY, head)
    assert extract(html, url="https://example.com/best-kettles").page_type is PageType.ARTICLE


def test_og_type_article_alone_does_not_make_an_undated_page_an_article() -> None:
    html = page(STORY, OG_ARTICLE)
    assert extract(html, url="https://example.com/what-we-do").page_type is PageType.OTHER


# A dated story page: og:type article and a published time (declared +2.0, date +0.8).
DATED = OG_ARTICLE + '<meta property="article:published_time" content="2024-01-02">'
LONG = f"<p>{PARA} {PARA}</p>"  # over LONG_PARAGRAPH_CHARS: prose


def test_a_grid_of_prices_is_a_listing() -> None:
    cards = "".join(
        f'<div class="card"><h3><a href="/p{i}">Kettle model {i}</a></h3>'
        f'<span class="price">${i + 20}.00</span></div>'
        for i in range(10)
    )
    html = page(STORY + f"<section>{cards}</section>", DATED)
    assert extract(html, url="https://example.com/kettles").page_type is PageType.LISTING


def test_a_product_page_with_a_carousel_of_prices_is_not_a_listing() -> None:
    cards = "".join(f'<div><span class="price">${i + 20}.00</span></div>' for i in range(10))
    head = DATED + ld_json('{"@type": "Product"}')
    html = page(STORY + f"<section>{cards}</section>", head)
    assert extract(html, url="https://example.com/kettle").page_type is PageType.OTHER


def test_dated_items_in_the_content_make_a_listing() -> None:
    items = "".join(
        f'<div><h2><a href="/s{i}">Story {i}</a></h2><time datetime="2024-01-0{i}">Jan {i}</time>'
        f"{LONG}</div>"
        for i in range(1, 6)
    )
    html = page(f"<main>{items}</main>", DATED)
    assert extract(html, url="https://example.com/stories").page_type is PageType.LISTING


def test_dated_cards_linked_whole_are_a_listing() -> None:
    cards = "".join(
        f'<a href="/s{i}"><h3>Story {i}</h3><time datetime="2024-01-0{i}">Jan {i}</time></a>{LONG}'
        for i in range(1, 6)
    )
    html = page(f"<main>{cards}</main>", DATED)
    assert extract(html, url="https://example.com/stories").page_type is PageType.LISTING


def test_dated_posts_without_headlines_are_a_thread_not_a_listing() -> None:
    posts = "".join(
        f'<div><a href="/u/{i}">user{i}</a><time datetime="2024-01-0{i}">Jan {i}</time>{LONG}</div>'
        for i in range(1, 6)
    )
    html = page(f"<main>{posts}</main>", DATED)
    assert extract(html, url="https://example.com/threads/kettles").page_type is PageType.OTHER


def test_a_thread_is_read_from_the_whole_body_like_a_listing() -> None:
    question = "<h1>Which kettle should I buy?</h1><p>My kettle broke, and I need a new one.</p>"
    posts = "".join(
        f'<div class="answer"><time datetime="2024-01-0{i}">Jan {i}</time>{LONG}</div>'
        for i in range(1, 6)
    )
    html = page(f'<div class="question">{question}</div><div id="answers">{posts}</div>', DATED)
    article = extract(html, url="https://example.com/questions/1/kettle")
    assert article.page_type is PageType.OTHER
    assert "My kettle broke" in article.text


def test_short_card_lines_are_no_article() -> None:
    cards = "".join(
        f"<div><p>Game number {i} of the store</p><p>Release date: Mar {i}, 2026</p></div>"
        for i in range(1, 9)
    )
    html = page(f"<main>{LONG * 3}{cards}</main>", DATED)
    assert extract(html, url="https://example.com/games").page_type is not PageType.ARTICLE


def test_a_listicle_whose_cards_sit_between_long_paragraphs_stays_an_article() -> None:
    cards = "".join(
        f"<h2>Pick {i}</h2><p>Price: ${i}9</p><p>Weight: {i} kg</p>{LONG * 2}" for i in range(6)
    )
    html = page(f"<article>{cards}</article>", DATED)
    assert extract(html, url="https://example.com/best-kettles").page_type is PageType.ARTICLE


PUBLISHED = '<meta property="article:published_time" content="2024-01-02">'


def test_a_cms_post_template_makes_a_dated_page_an_article() -> None:
    html = page(STORY, PUBLISHED, body_class="single single-post postid-2609")
    assert extract(html, url="https://example.com/2609-2/").page_type is PageType.ARTICLE


def test_a_cms_archive_template_is_no_article() -> None:
    html = page(STORY, OG_ARTICLE, body_class="archive category category-beginners")
    url = "https://example.com/blog-posts-for-beginners/"
    assert extract(html, url=url).page_type is not PageType.ARTICLE


def test_the_body_classes_a_cms_names_its_pages_by_are_kept_as_declared() -> None:
    tree = LexborHTMLParser(page("", body_class="Archive tag tag-kettles wp-theme-x"))
    assert read_declared_types(PageSources(tree, None)) == {"body:archive"}


def test_a_hub_url_makes_a_section_front_of_dated_prose_no_article() -> None:
    # A news hub's teasers read as dated prose (date +0.8, prose +1.5 against the prior):
    # its URL is what tells it from a story filed under a hub.
    places = ("river", "bridge", "harbour", "market", "school", "garden", "museum", "station")
    teasers = "".join(
        f"<p>The {w} story, part {n}: {PARA} {PARA}</p>" for w in places for n in "abc"
    )
    html = page(f"<main>{teasers}</main>", PUBLISHED)
    assert extract(html, url="https://example.com/hub/science").page_type is not PageType.ARTICLE
    story = "https://example.com/hub/technology/what-is-mesh-wifi/"
    assert extract(html, url=story).page_type is PageType.ARTICLE


def teaser_page(addresses: list[str]) -> str:
    """Dated prose in sections, each with a "Read more" button (one per address)."""
    places = ("river", "bridge", "harbour", "market", "school", "garden", "museum", "station")
    sections = "".join(
        f"<section><h3>The {place} story</h3><p>The {place}: {PARA} {PARA}</p>"
        f'<p><a class="button" href="{href}">Read more</a></p></section>'
        for place, href in zip(places * 2, addresses, strict=False)
    )
    return page(f"<main>{sections}</main>", PUBLISHED)


def test_many_read_more_buttons_to_other_pages_make_teasers_no_article() -> None:
    addresses = [f"https://press.example.org/story-{n}" for n in range(12)]
    html = teaser_page(addresses)
    assert extract(html, url="https://example.com/in-the-press/").page_type is PageType.OTHER


def test_read_more_buttons_count_by_address() -> None:
    # One "Read more" to the same page in every section is one way on, not twelve teasers.
    html = teaser_page(["https://example.com/subscribe"] * 12)
    assert extract(html, url="https://example.com/in-the-press/").page_type is PageType.ARTICLE


def test_og_type_article_beside_og_type_website_counts_for_nothing() -> None:
    # Undated long prose (a hub's introduction): og:type article alone makes it an article;
    # beside the theme's og:type website, the declarations contradict and the vote is 0.
    paragraphs = (f"<p>Part {n} of the plan. {PARA} {PARA}</p>" for n in range(14))
    prose = "<article>" + "".join(paragraphs) + "</article>"  # 14 long paragraphs, 546 words
    url = "https://example.com/training/marathon-training/"
    alone = extract(page(prose, OG_ARTICLE), url=url)
    both = extract(page(prose, OG_ARTICLE + '<meta property="og:type" content="website">'), url=url)
    assert alone.page_type is PageType.ARTICLE
    assert both.page_type is not PageType.ARTICLE
