"""Tests of scraper.extract.metadata: one behaviour per test, on small inline pages."""

from __future__ import annotations

import htmldate
import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import dates
from scraper.extract.metadata import extract_metadata
from scraper.models import FieldSource, Metadata

URL = "https://news.example.com/world/2020/09/29/macron-belarus-a71598"


def meta_of(html: str, url: str | None = URL) -> Metadata:
    """Metadata of an inline page."""
    return extract_metadata(LexborHTMLParser(html), url, html)


# --- Title --------------------------------------------------------------------------------------

GRAPH = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "@id": "#site", "name": "Example News"},
  {"@type": ["NewsArticle"], "headline": "Leaders Meet in Vilnius &amp; Talk",
   "datePublished": "2020-09-29T18:02:00+03:00", "author": {"@id": "#jane"},
   "keywords": "Belarus, Europe, belarus"},
  {"@type": "Person", "@id": "#jane", "name": "Jane Doe"}]}
</script></head><body><p>x</p></body></html>"""


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("title", "Leaders Meet in Vilnius & Talk"),
        ("authors", ("Jane Doe",)),
        ("published", "2020-09-29T18:02:00+03:00"),
        ("site_name", "Example News"),
        ("tags", ("Belarus", "Europe")),
    ],
    ids=["headline-unescaped", "author-by-id", "date", "site-from-website", "keywords-deduped"],
)
def test_jsonld_graph_is_read(field: str, expected: object) -> None:
    assert getattr(meta_of(GRAPH), field) == expected


@pytest.mark.parametrize(
    "script",
    ["{broken", "[[[[[[[[[[", "[" * 100_000, '{"@type": 5, "headline": {"@value": 7}}', "null"],
    ids=["truncated", "unclosed-lists", "deeply-nested", "wrong-types", "null"],
)
def test_broken_jsonld_is_ignored(script: str) -> None:
    html = f"""<head><script type="application/ld+json">{script}</script>
    <meta property="og:title" content="From The Social Card"></head>"""
    assert meta_of(html).title == "From The Social Card"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Macron Meets Opposition Leader | The Moscow Times", "Macron Meets Opposition Leader"),
        ("Macron Meets Opposition Leader - Moscow Times", "Macron Meets Opposition Leader"),
        ("The Moscow Times | Macron Meets Opposition Leader", "Macron Meets Opposition Leader"),
        (
            "Macron Meets Opposition Leader \u2013 World \u2013 Daily",
            "Macron Meets Opposition Leader",
        ),
        ("Spider-Man: Far From Home", "Spider-Man: Far From Home"),
    ],
    ids=["site-suffix", "domain-suffix", "site-prefix", "short-suffixes", "no-separator"],
)
def test_title_suffix_is_stripped(title: str, expected: str) -> None:
    html = f"""<head><title>{title}</title>
    <meta property="og:site_name" content="The Moscow Times"></head>"""
    assert meta_of(html, "https://www.themoscowtimes.com/a").title == expected


def test_title_prefers_the_candidate_matching_the_h1() -> None:
    html = """<head><meta property="og:title" content="SEO Title For Sharing">
    <title>Real Headline Of The Story | Site</title></head>
    <body><h1 class="logo">Site</h1><article><h1>Real Headline Of The Story</h1></article></body>"""
    found = meta_of(html)
    assert (found.title, found.provenance["title"].source) == (
        "Real Headline Of The Story",
        "title",
    )


def test_title_falls_back_to_the_h1() -> None:
    found = meta_of("<body><h1>  Only   An H1 Here </h1></body>")
    assert (found.title, found.provenance["title"]) == (
        "Only An H1 Here",
        FieldSource("h1", "  Only   An H1 Here "),
    )


# --- Authors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By AFP", ("AFP",)),
        ("By Jane Doe and John Roe", ("Jane Doe", "John Roe")),
        ("By Jane Doe, John Roe &amp; Ann Poe", ("Jane Doe", "John Roe", "Ann Poe")),
        ("By <a href='/p/jd'>Jane Doe</a> | Sept. 29, 2020", ("Jane Doe",)),
        ("by Jane Doe, JANE DOE", ("Jane Doe",)),
    ],
    ids=["agency", "two-authors", "three-authors", "cut-at-date", "deduped"],
)
def test_byline_gives_authors(byline: str, expected: tuple[str, ...]) -> None:
    html = f'<article><h1>Headline Of The Story</h1><div class="byline">{byline}</div></article>'
    assert meta_of(html).authors == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta name="author" content="Jane Doe">', ("Jane Doe",)),
        ('<meta property="article:author" content="https://facebook.com/jd">', ()),
        (
            '<script type="application/ld+json">{"@type": "Article", "author": ["Jane Doe",'
            ' {"@type": "Person", "name": "John Roe"}, {"name": "https://x.com/ann"}]}</script>',
            ("Jane Doe", "John Roe"),
        ),
    ],
    ids=["meta-author", "profile-url-dropped", "jsonld-list"],
)
def test_structured_authors(head: str, expected: tuple[str, ...]) -> None:
    assert meta_of(f"<head>{head}</head>").authors == expected


@pytest.mark.parametrize(
    "element",
    [
        '<div class="review"><div class="review__author">Tomasz W.</div></div>',
        '<p class="comment-form-author"><label>Name *</label></p>',
    ],
    ids=["review-author", "comment-form"],
)
def test_non_byline_authors_are_ignored(element: str) -> None:
    assert meta_of(f"<article><h1>Backpack</h1>{element}</article>").authors == ()


def test_rel_author_link_gives_author() -> None:
    found = meta_of('<article><h1>Headline</h1><a rel="author" href="/u/1">Jane Doe</a></article>')
    assert (found.authors, found.provenance["authors"].source) == (("Jane Doe",), "link")


# --- Dates --------------------------------------------------------------------------------------


def test_date_from_url() -> None:
    found = meta_of("<p>no date here</p>", "https://example.com/news/2020/09/29/story")
    assert (found.published, found.provenance["published"]) == (
        "2020-09-29",
        FieldSource("url", "2020/09/29"),
    )


def test_date_from_time_in_article() -> None:
    html = """<aside><time datetime="2019-01-01">old</time></aside>
    <article><h1>Headline</h1><time datetime="2020-09-29T18:02">Sept. 29</time></article>"""
    found = meta_of(html, None)
    assert (found.published, found.provenance["published"].source) == (
        "2020-09-29T18:02:00",
        "time",
    )


def test_timezone_is_kept() -> None:
    html = '<meta property="article:published_time" content="2020-09-29T18:02:00.000+0300">'
    assert meta_of(html).published == "2020-09-29T18:02:00+03:00"


def test_jsonld_date_outranks_meta_and_url() -> None:
    html = """<meta property="article:published_time" content="2021-01-01">
    <script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020-09-28",
    "dateModified": "2020-09-30T10:00:00Z"}</script>"""
    found = meta_of(html)
    assert (found.published, found.modified) == ("2020-09-28", "2020-09-30T10:00:00+00:00")


def test_date_from_date_widget_text() -> None:
    html = '<article><h1>Headline</h1><span class="post-date">September 29, 2020</span></article>'
    found = meta_of(html, None)
    assert (found.published, found.provenance["published"].source) == ("2020-09-29", "text")


def test_htmldate_failure_means_no_date(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> str:
        raise RuntimeError("htmldate broke")

    monkeypatch.setattr(htmldate, "find_date", explode)
    assert meta_of("<p>nothing</p>", None).published is None


def test_htmldate_year_only_guess_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(htmldate, "find_date", lambda *args, **kwargs: "2023-01-01")
    assert meta_of("<footer>&copy; 2023 Shop</footer>", None).published is None


@pytest.mark.parametrize("tag", ["script", "style"])
def test_htmldate_sees_the_body_past_a_head_cut_inside_a_script(tag: str) -> None:
    # The head is cut at HTMLDATE_MAX_CHARS; a cut inside an open script would make the
    # parser read the whole body as script text.
    head = f"<head><{tag}>{'var x = 1;' * (dates.HTMLDATE_MAX_CHARS // 9)}</{tag}></head>"
    body = '<body><div><abbr class="published" title="2025-10-20">Oct</abbr></div></body>'
    found = meta_of(f"<html>{head}{body}</html>", None)
    assert (found.published, found.provenance["published"].source) == ("2025-10-20", "htmldate")


def test_teaser_times_do_not_date_a_listing() -> None:
    html = """<main><h1>Climate</h1>
    <article class="card"><h2>One</h2><time datetime="2024-04-30">Apr 30</time></article>
    <article class="card"><h2>Two</h2><time datetime="2024-04-29">Apr 29</time></article></main>"""
    assert meta_of(html, "https://example.com/climate/").published is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-09-29", "2020-09-29"),
        ("2020-09-29T18:02:00Z", "2020-09-29T18:02:00+00:00"),
        ("2020-09-29 18:02", "2020-09-29T18:02:00"),
        ("Tue, 29 Sep 2020 18:02:00 +0300", "2020-09-29T18:02:00+03:00"),
        ("Published: 29 September 2020", "2020-09-29"),
        ("29.09.2020", "2020-09-29"),
        ("2020-02-30", None),
        ("1601391720", None),
        ("yesterday", None),
    ],
    ids=[
        "date",
        "utc-z",
        "space",
        "rfc2822",
        "text-dmy",
        "dotted",
        "no-such-day",
        "epoch",
        "words",
    ],
)
def test_parse_date(raw: str, expected: str | None) -> None:
    assert dates.parse_date(raw) == expected


# --- Tags ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '<p>Read more about: <a href="/t/b">Belarus</a>, <a href="/t/e">EU</a></p>',
            ("Belarus", "EU"),
        ),
        (
            '<p><strong>Tags:</strong> <a href="/t/b">Belarus</a> <a href="/t/e">EU</a></p>',
            ("Belarus", "EU"),
        ),
        ('<h3>Topics:</h3><ul><li><a href="/t/b">Belarus</a></li></ul>', ("Belarus",)),
        (
            '<ul class="post-tags"><li><a>#Belarus</a></li><li><a>belarus</a></li></ul>',
            ("Belarus",),
        ),
        ('<div class="instagram-embed"><a href="/x">Follow us</a></div>', ()),
    ],
    ids=["read-more-about", "tags-label", "topics-heading", "tag-list-class", "not-a-tag-class"],
)
def test_tags_from_the_page(body: str, expected: tuple[str, ...]) -> None:
    assert meta_of(f"<article><h1>Headline</h1><p>Text.</p>{body}</article>").tags == expected


def test_meta_article_tags() -> None:
    html = (
        '<meta property="article:tag" content="Belarus"><meta property="article:tag" content="EU">'
    )
    assert meta_of(html).tags == ("Belarus", "EU")


def test_stuffed_meta_keywords_are_ignored() -> None:
    keywords = ", ".join(f"keyword number {n}" for n in range(40))
    assert meta_of(f'<meta name="keywords" content="{keywords}">').tags == ()


# --- Image, caption, canonical, language, site ----------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<meta property="og:image" content="/img/lead.jpg">',
            "https://news.example.com/img/lead.jpg",
        ),
        (
            '<script type="application/ld+json">'
            '{"@type": "Article", "image": {"url": "lead.jpg"}}</script>',
            "https://news.example.com/world/2020/09/29/lead.jpg",
        ),
        (
            '<article><h1>H</h1><figure><img data-src="//cdn.example.com/a.jpg" src="data:x">'
            "</figure></article>",
            "https://cdn.example.com/a.jpg",
        ),
    ],
    ids=["og-image", "jsonld-image-object", "lazy-figure-img"],
)
def test_relative_image_is_resolved(html: str, expected: str) -> None:
    assert meta_of(html).image == expected


def test_caption_from_figcaption() -> None:
    html = """<article><h1>H</h1><figure><img src="a.jpg"><figcaption>
      <span>Macron told   reporters.</span> <span class="credit">Kremlin.ru</span>
    </figcaption></figure></article>"""
    found = meta_of(html)
    assert (found.image_caption, found.provenance["image_caption"].source) == (
        "Macron told reporters. Kremlin.ru",
        "figure",
    )


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<link rel="canonical" href="/world/story">', "https://news.example.com/world/story"),
        (
            '<meta property="og:url" content="https://news.example.com/s">',
            "https://news.example.com/s",
        ),
        ("", None),
    ],
    ids=["link-resolved", "og-url", "none"],
)
def test_canonical(head: str, expected: str | None) -> None:
    assert meta_of(f"<head>{head}</head>").canonical_url == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<html lang="EN"><p>x</p></html>', "en"),
        ('<html lang="en_us"><p>x</p></html>', "en-US"),
        ('<html lang="{{ lang }}"><meta property="og:locale" content="pt_BR"></html>', "pt-BR"),
        ('<meta http-equiv="Content-Language" content="de-AT, de">', "de-AT"),
        ('<html lang="zh-hant-tw"></html>', "zh-Hant-TW"),
    ],
    ids=["lowercased", "underscore-region", "og-locale-fallback", "http-equiv", "script-subtag"],
)
def test_language(html: str, expected: str) -> None:
    assert meta_of(html).language == expected


def test_site_and_description() -> None:
    html = """<meta property="og:site_name" content="The Moscow Times">
    <meta name="description" content="  Macron   promised help. ">"""
    found = meta_of(html)
    assert (found.site_name, found.description) == ("The Moscow Times", "Macron promised help.")


def test_provenance_covers_every_found_field() -> None:
    found = meta_of(GRAPH)
    filled = {
        name
        for name in ("title", "authors", "published", "site_name", "tags")
        if getattr(found, name)
    }
    assert filled == set(found.provenance)


@pytest.mark.parametrize(
    "html",
    ["", "<<<>>>", "\x00\x01\x02", "<html><head><meta><link><title></title>", "<h1></h1>" * 50],
    ids=["empty", "brackets", "control-chars", "empty-tags", "empty-h1s"],
)
def test_broken_html_never_raises(html: str) -> None:
    assert isinstance(meta_of(html, None), Metadata)


# --- A page built like the seed article (The Moscow Times, 2020-09-29) ----------------------------

SEED = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Macron Promises Help in Talks With Belarus Opposition Leader - The Moscow Times</title>
<meta property="og:site_name" content="The Moscow Times">
<meta property="og:title" content="Macron Promises Help in Talks With Belarus Opposition Leader">
<meta property="og:image" content="https://static.themoscowtimes.com/image/og/macron.jpg">
<link rel="canonical"
  href="/2020/09/29/macron-promises-help-in-talks-with-belarus-opposition-leader-a71598">
</head><body>
<header class="header"><a class="header__logo" href="/">The Moscow Times</a>
  <div class="support-banner">Support The Moscow Times!
    <a href="/contribute">Contribute today</a></div>
</header>
<main><article class="article">
  <header class="article__header">
    <time class="article__date" datetime="2020-09-29T17:45:00+03:00">Sept. 29, 2020</time>
    <h1 class="article__title">Macron Promises Help in Talks With Belarus Opposition Leader</h1>
    <div class="article__byline byline"><span class="byline__author">By AFP</span></div>
  </header>
  <figure class="article__featured-image">
    <img src="/media/macron.jpg" alt="">
    <figcaption>
      <span class="caption">"We will do our best as Europeans to help mediate,"
        Macron told reporters after the talks.</span>
      <span class="credits">Kremlin.ru</span>
    </figcaption>
  </figure>
  <div class="article__content">
    <p>French President Emmanuel Macron on Tuesday promised to help mediate in the Belarusian
       political crisis during a meeting with opposition leader Svetlana Tikhanovskaya.</p>
    <p>Mass protests that have continued since the election have been met with a violent
       crackdown.</p>
  </div>
  <div class="article__tags">Read more about: <a href="/tag/belarus">Belarus</a></div>
</article>
<section class="related"><h3>Read more</h3>
  <article class="excerpt"><span class="excerpt__tag">show of support</span>
    <h3><a href="/2020/09/28/fry">Stephen Fry 'Stands With Belarus'</a></h3></article>
</section></main></body></html>"""

SEED_URL = "https://www.themoscowtimes.com/2020/09/29/macron-promises-help-a71598"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("title", "Macron Promises Help in Talks With Belarus Opposition Leader"),
        ("authors", ("AFP",)),
        ("tags", ("Belarus",)),
        (
            "image_caption",
            '"We will do our best as Europeans to help mediate," Macron told reporters after the'
            " talks. Kremlin.ru",
        ),
        ("published", "2020-09-29T17:45:00+03:00"),
        ("site_name", "The Moscow Times"),
        ("language", "en"),
        (
            "canonical_url",
            "https://www.themoscowtimes.com/2020/09/29/"
            "macron-promises-help-in-talks-with-belarus-opposition-leader-a71598",
        ),
    ],
    ids=["title", "authors", "tags", "caption", "published", "site", "language", "canonical"],
)
def test_seed_article(field: str, expected: object) -> None:
    assert getattr(meta_of(SEED, SEED_URL), field) == expected
