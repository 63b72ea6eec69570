"""The extraction engine, one behaviour per test, on small hand-written pages."""

from __future__ import annotations

import htmldate
import pytest

from scraper import extract
from scraper.extract import Trace
from scraper.extract.trace_records import NodeRecord
from scraper.models import PageType

PARA = "This paragraph is a real part of the story, with enough words, commas, and detail to count."


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def article(*inner: str) -> str:
    return page("<article>" + "".join(inner) + "</article>")


# A story page's head and address, so that a small test page is typed an article (read from
# its container): og:type article with a published time, a dated URL with a long slug.
STORY_HEAD = (
    '<meta property="og:type" content="article">'
    '<meta property="article:published_time" content="2024-01-02">'
)
STORY_URL = "https://example.com/2024/01/02/council-votes-on-the-harbor-plan"


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    text = extract(article(f"<p>{PARA}</p>", f"<p>{PARA} Two.</p>")).text
    assert text == f"{PARA}\n\n{PARA} Two."


def test_source_whitespace_collapses_and_br_is_a_newline() -> None:
    text = extract(article(f"<p>  A   line\n  wrapped<br>next line, {PARA}</p>")).text
    assert text == f"A line wrapped\nnext line, {PARA}"


def test_lists_are_one_block_with_prefixes() -> None:
    html = article(
        f"<p>{PARA}</p><ul><li>alpha</li><li>beta</li></ul><ol><li>one</li><li>two</li></ol>"
    )
    assert extract(html).text == f"{PARA}\n\n- alpha\n- beta\n\n1. one\n2. two"


def test_a_list_nested_straight_in_a_list_keeps_its_items() -> None:
    """<ul><li>A</li><ul><li>B</li></ul></ul>: the sub-list stands outside any <li>."""
    html = article(
        f"<p>{PARA}</p>", "<ul><li>A</li><ul><li>B</li><ol><li>C</li></ol></ul><li>D</li></ul>"
    )
    assert extract(html).text == f"{PARA}\n\n- A\n- B\n- C\n- D"


def test_a_custom_element_holding_blocks_is_a_block() -> None:
    """<x-links> is not inline: read as a run of text, its link list lost its link count."""
    items = '<li><a href="/a">Another guide</a></li><li><a href="/b">And one more</a></li>'
    links = f"<x-links><ul>{items}</ul></x-links>"
    html = article(f"<x-part><p>{PARA}</p>{links}</x-part>", f"<p>{PARA} End.</p>")
    assert extract(html).text == f"{PARA}\n\n{PARA} End."


def test_table_rows_join_cells_with_bars() -> None:
    html = article(
        f"<p>{PARA}</p><table><tr><th>Name</th><th>Points</th></tr><tr><td>Ann</td><td>5</td></tr></table>"
    )
    assert extract(html).text.endswith("Name | Points\nAnn | 5")


def test_pre_is_kept_verbatim() -> None:
    html = article(f"<p>{PARA}</p><pre>def f():\n    return 1</pre>")
    assert extract(html).text.endswith("def f():\n    return 1")


def test_first_paragraph_outside_p_is_kept() -> None:
    html = article(
        f"Opening words of the story, outside any paragraph tag, {PARA}", f"<p>{PARA}</p>"
    )
    assert extract(html).text.startswith("Opening words of the story")


@pytest.mark.parametrize(
    "boilerplate",
    [
        '<div class="related-posts"><p>Another story you will like, with a summary.</p></div>',
        '<div class="newsletter-signup"><p>Get the best stories in your inbox, free.</p></div>',
        '<div class="share-bar"><a href="#">Facebook</a><a href="#">Twitter</a></div>',
        '<div id="comments"><p>Great article, thanks for writing it, I loved every word.</p></div>',
        '<div class="cookie-consent"><p>We use cookies to improve your experience.</p></div>',
        "<aside><p>A sidebar note about something else entirely, quite long, really.</p></aside>",
        "<p>Advertisement</p>",
        '<p><a href="/x">Read more: a teaser headline that links elsewhere</a></p>',
        "<p>Sign up for our daily newsletter</p>",
        '<div style="display:none"><p>Hidden text that a reader never sees, ever.</p></div>',
        "<p>Advert</p>",
        "<p>This slideshow requires JavaScript.</p>",
        "<p>Last updated: April 21, 2025</p>",
        "<p>6 min read</p>",
        '<div><div>By</div><div><a href="/people/ann">Ann Roe</a></div></div>',
        "<p>— Ann Roe (@annroe)</p>",
        "<p>Except as otherwise noted, the content of this page is licensed under the Creative"
        " Commons Attribution 4.0 License, and code samples under the Apache 2.0 License.</p>",
    ],
    ids=[
        "related",
        "newsletter",
        "share",
        "comments",
        "cookie",
        "aside",
        "advert",
        "read-more",
        "signup-line",
        "hidden",
        "advert-short",
        "needs-javascript",
        "last-updated",
        "reading-time",
        "lone-by",
        "handle-byline",
        "licence-notice",
    ],
)
def test_boilerplate_is_removed(boilerplate: str) -> None:
    text = extract(article(f"<p>{PARA}</p>", boilerplate, f"<p>{PARA} End.</p>")).text
    assert text == f"{PARA}\n\n{PARA} End."


def test_a_signup_box_goes_however_long_its_pitch() -> None:
    """A weak class word spares a box that reads as prose; a sign-up box never is content."""
    pitch = (
        '<div id="weekly-signup"><h3>Sign up for The Weekly</h3><p>The Weekly is a letter for'
        " engineering leaders, with the five stories that mattered most this week.</p><p>Once a"
        " week, it is your curated guide to the most important conversations around frontend"
        " development, new tools, and the state of modern software.</p></div>"
    )
    story = "".join(f"<p>{PARA} Part {n}.</p>" for n in range(8))
    text = extract(article(story, pitch, f"<p>{PARA} End.</p>")).text
    assert "The Weekly" not in text
    assert text.endswith("End.")


def test_a_short_landing_page_is_no_call_to_action_box() -> None:
    """A product's home page: a few lines in <main> around a "Sign up for free" button. The
    box around the button stops below <main>, however little text <main> holds."""
    hero = (
        "<h1>The platform for your APIs</h1><p>Design, test and ship APIs with your team, from"
        " the first request to production.</p><div><a href='/signup'>Sign up for free</a></div>"
    )
    text = extract(page(f"<nav><a href='/'>Home</a></nav><main>{hero}</main>")).text
    assert text.startswith("Design, test and ship APIs") and "Sign up" not in text


def test_body_container_with_an_unlucky_class_survives() -> None:
    html = page(f'<div class="post-content share-enabled"><p>{PARA}</p><p>{PARA} Two.</p></div>')
    assert extract(html).text == f"{PARA}\n\n{PARA} Two."


def test_menus_and_footers_are_removed_however_large() -> None:
    """A <nav>, a <footer> are furniture even when they hold most of the page's text."""
    item = '<li><a href="/c{n}">Category number {n} of the shop</a></li>'
    links = "".join(item.format(n=n) for n in range(60))
    html = page(f"<nav><ul>{links}</ul></nav><main><p>{PARA}</p><p>{PARA} Two.</p></main>")
    trace = Trace()
    assert extract(html, trace=trace).text == f"{PARA}\n\n{PARA} Two."
    assert [(node.stage, node.tag) for node in trace.removed] == [("furniture", "nav")]
    labels = "".join(f"<li><span>{PARA} Department {n}.</span></li>" for n in range(6))
    html = page(f'<nav class="site-nav"><ul>{labels}</ul></nav><main><p>{PARA}</p></main>')
    assert extract(html).text == PARA  # a menu of plain labels reads as prose: still a <nav>
    policies = "".join(f"<p>{PARA} Policy {n}.</p>" for n in range(6))
    html = page(f"<main><p>{PARA}</p></main><footer>{policies}</footer>")
    assert extract(html).text == PARA  # a shop's policies in its footer


def test_content_shown_by_a_script_is_kept() -> None:
    """A hidden block that outweighs the visible page is its content; hidden menus still go."""
    paragraphs = [f"{PARA} Part {n}." for n in range(6)]
    hidden = '<div style="display: none">' + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>"
    links = "".join(f'<a href="/d{n}">Department number {n} of the shop</a>' for n in range(12))
    menus = f'<div class="menu" hidden>{links}</div>' * 3
    assert extract(page(f"<p>Loading</p>{menus}{hidden}")).text == "\n\n".join(paragraphs)
    shown = "".join(f"<p>{PARA} Shown {n}.</p>" for n in range(12))
    assert "Part" not in extract(page(f"<article>{shown}</article>{hidden}")).text


def test_a_cookie_notice_in_a_modal_goes_however_long() -> None:
    """A modal reading as a cookie notice goes even when it outweighs the page; a modal of
    other text (a product's description in a slide-over sheet) is judged as before."""
    notice = "".join(
        f"<p>We use cookies to measure the site. {PARA} Purpose {n}.</p>" for n in range(4)
    )
    html = page(f'<main><p>{PARA}</p></main><div role="dialog">{notice}</div>')
    trace = Trace()
    assert extract(html, trace=trace).text == PARA
    assert [(node.rule, node.tag) for node in trace.removed] == [("CONSENT_TEXT", "div")]
    sheet = "".join(f"<p>{PARA} Detail {n}.</p>" for n in range(4))
    assert (
        "Detail 3."
        in extract(page(f'<main><p>{PARA}</p></main><div role="dialog">{sheet}</div>')).text
    )


def test_a_product_pages_reviews_go_however_long() -> None:
    """Customer reviews are a product page's comments; elsewhere "reviews" is a weak word."""
    product = '<script type="application/ld+json">{"@type": "Product", "name": "Pack"}</script>'
    reviews = "".join(f"<p>{PARA} Review {n}.</p>" for n in range(8))
    body = f'<main><p>{PARA}</p><div class="product-reviews">{reviews}</div></main>'
    trace = Trace()
    assert extract(page(body, head=product), trace=trace).text == PARA
    assert [(node.rule, node.tag) for node in trace.removed] == [("PRODUCT_FURNITURE_WORDS", "div")]
    assert "Review 7." in extract(page(body)).text
    cart = '<button id="add-to-cart-button">Add to Cart</button>'  # a shop's, undeclared
    assert extract(page(body.replace("</p>", f"</p>{cart}", 1))).text == PARA


def test_a_heading_with_a_permalink_is_kept() -> None:
    """Docs link each heading to itself ("#constructor"); a link elsewhere is a teaser."""
    heading = '<h2 id="ctor"><a href="#ctor">Constructor</a></h2>'
    body = f"<p>{PARA}</p>{heading}<p>{PARA} Two.</p>"
    assert extract(article(body)).text == f"{PARA}\n\nConstructor\n\n{PARA} Two."
    away = body.replace('href="#ctor"', 'href="/ctor"')
    assert "Constructor" not in extract(article(away)).text


def test_a_linked_term_of_a_description_list_is_kept() -> None:
    """Its id is an anchor made of its name ("subscribe"), not a subscription box."""
    term = '<dt id="subscribe"><a href="/api/close"><code>close()</code></a></dt>'
    entry = f"<dl>{term}<dd><p>Closes the connection, described in words.</p></dd></dl>"
    text = extract(article(f"<p>{PARA}</p>{entry}<p>{PARA} Two.</p>")).text
    assert "close()\n\nCloses the connection" in text
    assert "close()" not in extract(article(f"<p>{PARA}</p><dl>{term}</dl><p>{PARA}</p>")).text


def test_a_list_of_divs_is_read_as_a_container() -> None:
    """Carousels put their slides in a <ul> without <li>: the slides' text is not lost."""
    slides = "".join(f'<div class="slide"><p>{PARA} Slide {n}.</p></div>' for n in range(3))
    text = extract(page(f"<main><ul>{slides}</ul></main>")).text
    assert text == "\n\n".join(f"{PARA} Slide {n}." for n in range(3))


def test_the_pages_own_wordpress_post_is_not_furniture() -> None:
    """Its term classes ("tag-gifts") name its tags; another post's still count."""
    post = '<div class="post-7 product tag-gifts"><p>A short product description.</p></div>'
    html = f'<html><body class="single postid-7"><main>{post}<p>{PARA * 3}</p></main></body></html>'
    for body_class, removed in (("postid-7", []), ("postid-8", ["div"])):
        trace = Trace()
        extract(html.replace("postid-7", body_class), trace=trace)
        assert [node.tag for node in trace.removed] == removed


def test_a_forum_threads_posts_are_its_content() -> None:
    """Posts marked as comments are the content of a page that declares a discussion."""
    posts = "".join(f'<article class="comment" id="elComment_{n}"><p>{PARA} Post {n}.</p></article>'
                    for n in range(3))  # fmt: skip
    body = f'<main><h1>A thread</h1><div id="comments">{posts}</div></main>'
    thread = '<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script>'
    text = extract(page(body, head=thread)).text
    assert text == "\n\n".join(f"{PARA} Post {n}." for n in range(3))
    story = f"<article><p>{PARA}</p><p>{PARA} Two.</p></article>"
    assert "Post" not in extract(page(story + body)).text  # an article's comments still go
    pane = '<div class="author-pane" id="comment-7">Members 2.8k posts</div>'
    trace = Trace()
    extract(page(body.replace("<h1>", pane + "<h1>"), head=thread), trace=trace)
    assert [(node.match, node.rule) for node in trace.removed] == [
        ('class/id word "author" (in "author-pane")', "BOILERPLATE_WORDS")
    ]  # the trace reads the class as cleaning did: without its comment words


def test_highlighted_code_keeps_its_comments() -> None:
    code = '<pre><code><span class="hljs-comment"># say hello</span>\nprint("hi")</code></pre>'
    assert '# say hello\nprint("hi")' in extract(article(f"<p>{PARA}</p>", code)).text


def test_a_streamed_segment_is_content() -> None:
    """React streams late parts in <div hidden id="S:0"> and moves them in by script."""
    story = "".join(f"<p>{PARA} {n}.</p>" for n in range(3))
    lead = "".join(f"<p>{PARA} Lead {n}.</p>" for n in range(6))
    html = page(f'<main>{lead}</main><div hidden id="S:0">{story}</div>')
    assert extract(html).text.endswith(f"{PARA} 2.")
    assert f"{PARA} 2." not in extract(html.replace("S:0", "menu")).text


def test_a_long_paragraph_standing_twice_is_kept_once() -> None:
    long = f"{PARA} {PARA} {PARA}"
    html = article(f"<p>{long}</p>", f"<p>{PARA}</p>", f"<p>{long}</p>", f"<p>{PARA}</p>")
    assert extract(html).text == f"{long}\n\n{PARA}\n\n{PARA}"  # short lines may repeat


def test_a_run_of_short_lines_served_twice_is_kept_once() -> None:
    """A description in short lines, copied for mobile and desktop, comes out once; a run
    repeated further on (a meal plan's days) stays."""
    lines = "".join(f"<p>{PARA[:60]} Line {n}.</p>" for n in range(5))
    once = "\n\n".join(f"{PARA[:60]} Line {n}." for n in range(5))
    html = page(f'<main><div class="wide">{lines}</div><div class="narrow">{lines}</div></main>')
    assert extract(html).text == once
    html = page(f"<main><div>{lines}</div><p>{PARA}</p><div>{lines}</div></main>")
    assert extract(html).text == f"{once}\n\n{PARA}\n\n{once}"


def test_a_story_split_into_sections_is_read_whole() -> None:
    """A page builder's story: an intro section, then columns; the page's one <article>."""
    intro = "".join(f"<p>{PARA} Intro {n}.</p>" for n in range(2))
    column = "".join(f"<p>{PARA}, {PARA.lower()} Column {n}.</p>" for n in range(4))
    html = page(f'<article><section>{intro}</section><section><div class="cols"><div>'
                f"{column}</div><div><p>Aside.</p></div></div></section></article>")  # fmt: skip
    assert extract(html).text.startswith(f"{PARA} Intro 0.")


def test_a_page_builders_widget_is_no_furniture() -> None:
    """Elementor calls every block a widget; what follows the word says what it is."""
    short = "A short paragraph of the story."
    story = "".join(f"<p>{PARA} {n}.</p>" for n in range(4))
    widget = '<div class="elementor-widget elementor-widget-{kind}"><p>{text}</p></div>'
    text = widget.format(kind="text-editor", text=short)
    share = widget.format(kind="share-buttons", text="Share on Facebook and elsewhere")
    html = article(text, story, share)
    assert extract_removed(html)[0].node.startswith("div.elementor-widget.elementor-widget-share")
    assert len(extract_removed(html)) == 1
    assert extract(html).text.startswith(short)


def test_a_state_class_names_no_furniture() -> None:
    """ "hasSidebar" says the layout has a sidebar; the node is not one."""
    story = "".join(f"<p>{PARA} {n}.</p>" for n in range(4))
    html = page(f'<div class="hasSidebar"><p>A short lead.</p></div><article>{story}</article>')
    assert extract_removed(html) == []
    assert [node.tag for node in extract_removed(html.replace("hasSidebar", "sidebar"))] == ["div"]


def extract_removed(html: str) -> list[NodeRecord]:
    trace = Trace()
    extract(html, trace=trace)
    return trace.removed


def test_utility_class_variants_name_no_furniture() -> None:
    """Tailwind's "print:" variant is not the "print" button's class word."""
    short = "A short paragraph, kept."
    html = article(f"<p>{PARA}</p>", f'<p class="print:break-inside-avoid">{short}</p>')
    assert extract(html).text == f"{PARA}\n\n{short}"
    assert short not in extract(article(f"<p>{PARA}</p>", f'<p class="print">{short}</p>')).text
    footer = f'<footer class="text-white">{short}</footer>'  # "text-": a colour, not content
    assert extract(article(f"<p>{PARA}</p>", footer)).text == PARA
    clipped = f'<div class="overflow-hidden">{short}</div>'  # clips its overflow: shown
    assert extract(article(f"<p>{PARA}</p>", clipped)).text == f"{PARA}\n\n{short}"


def test_a_breadcrumb_trail_ending_in_the_headline_is_dropped() -> None:
    items = '<li><a href="/">Home</a></li><li><a href="/tea">Tea</a></li><li>Hollis Dripper</li>'
    trail = f"<ol>{items}</ol>"
    html = page(
        f"<article>{trail}<p>{PARA}</p></article>", head="<title>Hollis Pour-Over Dripper</title>"
    )
    assert extract(html).text == PARA
    steps = "<ol><li>Weigh the coffee</li><li>Pour the water</li></ol>"  # not the headline
    assert extract(html.replace(trail, steps)).text.startswith("1. Weigh")


def test_headline_repeated_in_body_is_dropped() -> None:
    html = page(
        f"<article><h1>The Headline</h1><p>{PARA}</p><p>{PARA} Two.</p></article>",
        head="<title>The Headline</title>",
    )
    assert extract(html).text.startswith(PARA)


def test_pull_quote_repeating_the_body_is_dropped() -> None:
    quote = "enough words, commas, and detail to count"
    html = article(f"<p>{PARA}</p><blockquote><p>{quote}</p></blockquote><p>{PARA} Two.</p>")
    assert quote not in extract(html).text.split("\n\n")


def test_a_real_quotation_is_kept() -> None:
    quote = "We will do our best as Europeans to help mediate, he said to the reporters there."
    html = article(f"<p>{PARA}</p><blockquote><p>{quote}</p></blockquote><p>{PARA} Two.</p>")
    assert quote in extract(html).text


def test_body_split_around_an_ad_is_kept_whole() -> None:
    html = page(
        f'<div class="story"><p>{PARA} A.</p><p>{PARA} B.</p></div>'
        '<div class="ad-slot">Advertisement</div>'
        f'<div class="story"><p>{PARA} C.</p><p>{PARA} D.</p></div>'
    )
    text = extract(html).text
    assert text.startswith(f"{PARA} A.") and text.endswith(f"{PARA} D.")


def test_a_body_split_in_blocks_of_one_class_is_kept_whole() -> None:
    """A CMS's text blocks around a video are cousins, not siblings: the twin joins; cards of
    one class, a fifth of their text links, do not."""
    first = "".join(f"<p>{PARA} One {n}.</p>" for n in range(5))
    second = f"<p>{PARA} Two.</p><p>{PARA} Three.</p>"
    block = '<div class="blk"><div class="inner"><div class="words">{}</div></div></div>'
    video = '<div class="blk"><div class="inner"><iframe src="/v"></iframe></div></div>'
    html = page(f"<div>{block.format(first)}{video}{block.format(second)}</div>")
    trace = Trace()
    assert extract(html, trace=trace).text.endswith(f"{PARA} Three.")
    assert trace.container is not None
    assert any("a body split in blocks" in step for step in trace.container.decisions)
    linked = "".join(f'<p>{PARA} Card {n}. <a href="/a{n}">{PARA}</a></p>' for n in range(3))
    html = page(f"<div>{block.format(first)}{video}{block.format(linked)}</div>")
    trace = Trace()
    extract(html, trace=trace)
    assert trace.container is not None
    assert not any("a body split in blocks" in step for step in trace.container.decisions)


def test_markdown_keeps_headings_lists_quotes_and_links() -> None:
    html = article(
        f'<p>{PARA} <a href="/more">a link</a>.</p><h2>Section</h2><ul><li>item</li></ul>',
        f"<blockquote><p>{PARA} Quoted.</p></blockquote>",
    )
    markdown = extract(html, url="https://example.com/a/b").markdown
    assert "[a link](https://example.com/more)" in markdown
    assert "## Section" in markdown and "- item" in markdown
    assert f"> {PARA} Quoted." in markdown


def test_empty_page_gives_empty_text() -> None:
    assert extract("<html><body></body></html>").text == ""


def test_news_article_is_typed_article() -> None:
    head = (
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "datePublished": "2024-01-02"}</script>'
    )
    html = page("<article>" + f"<p>{PARA}</p>" * 8 + "</article>", head=head)
    assert extract(html, url="https://example.com/2024/01/02/a-story").page_type is PageType.ARTICLE


def test_a_page_of_links_is_a_listing() -> None:
    cards = "".join(
        f'<li><a href="/s{i}">Story number {i} headline here</a></li>' for i in range(30)
    )
    html = page(f"<main><ul>{cards}</ul></main>")
    assert extract(html, url="https://example.com/news/").page_type is PageType.LISTING


def _htmldate_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def find_date(markup: str, **kwargs: object) -> str:
        calls.append(markup)
        return "2024-05-06"

    monkeypatch.setattr(htmldate, "find_date", find_date)
    return calls


def test_htmldate_dates_an_undated_story(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _htmldate_calls(monkeypatch)
    html = page("<article>" + f"<p>{PARA}</p>" * 8 + "</article>")
    article = extract(html, url="https://example.com/a-long-story-slug-here")
    assert (len(calls), article.metadata.published) == (1, "2024-05-06")


def test_htmldate_is_not_asked_for_a_page_no_date_makes_an_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _htmldate_calls(monkeypatch)
    cards = "".join(f'<li><a href="/s{i}">Story number {i} headline</a></li>' for i in range(30))
    article = extract(page(f"<main><ul>{cards}</ul></main>"), url="https://example.com/news/")
    assert (calls, article.metadata.published, article.page_type) == ([], None, PageType.LISTING)


@pytest.mark.parametrize(
    "html",
    [
        "<div><p>unclosed <b>bold <i>italic</div></p>",
        "<<<>>><p>>>>",
        "<html><body>" + "<div>" * 10_000 + "deep text" + "</div>" * 10_000 + "</body></html>",
        "<p>" + "x" * 2_000_000 + "</p>",
        "\x00\x00<p>nul bytes</p>",
        "<script>" + "var a = 1;" * 700_000 + "</script><p>after a huge script</p>",
    ],
    ids=["unclosed", "garbage", "deep-nesting", "huge-text-node", "nul-bytes", "over-budget"],
)
def test_broken_html_never_raises(html: str) -> None:
    extract(html)


def test_bytes_with_legacy_charset_are_decoded() -> None:
    html = '<meta charset="windows-1252"><article><p>Café déjà vu, a long paragraph.</p></article>'
    assert "Café déjà vu" in extract(html.encode("cp1252")).text


def test_a_rail_of_cards_opening_with_an_image_link_is_dropped() -> None:
    """A card's thumbnail link has no text: its headline is the first link with some."""
    card = (
        '<li><a class="thumb" href="/s{n}"><img src="/t{n}.jpg" alt=""></a>'
        '<a href="/s{n}">Another story headline number {n}</a> A summary of that other story, '
        "long enough to read as a sentence of its own.</li>"
    )
    rail = "<div><ul>" + "".join(card.format(n=n) for n in range(4)) + "</ul></div>"
    long = f"{PARA} {PARA}"
    text = extract(article(f"<p>{long}</p><p>{long} Two.</p>", rail)).text
    assert text == f"{long}\n\n{long} Two."


def test_a_list_of_linked_names_among_the_paragraphs_is_the_articles_own() -> None:
    """Beside a long paragraph of the same parent, a list whose items open with a linked name
    is the article's (a directory of clinics and their addresses), wherever it stands; the
    same list in a box of its own after the prose, or after a "More from" heading, is a rail."""
    entry = (
        '<li><a href="https://clinic{n}.example.org/">Harbor Community Clinic number {n}</a>'
        "<br>110 Gough Street, Suite {n}<br>(415) 555-010{n}<br>Fees based on income</li>"
    )
    entries = "<ul>" + "".join(entry.format(n=n) for n in range(4)) + "</ul>"
    long = f"{PARA} {PARA}"
    among = extract(article(f"<div><p>{long}</p><p>{long} Two.</p>{entries}</div>")).text
    boxed = extract(article(f"<div><p>{long}</p><p>{long} Two.</p></div><div>{entries}</div>"))
    headed = extract(
        article(f"<div><p>{long}</p><p>{long} Two.</p><h2>More from Local</h2>{entries}</div>")
    )
    assert "- Harbor Community Clinic number 3 110 Gough Street, Suite 3" in among
    assert boxed.text == headed.text == f"{long}\n\n{long} Two."


def test_an_embedded_tweet_in_a_social_wrapper_is_kept() -> None:
    """A "social-media-embed" box is a quote's wrapper, not a share bar: the tweet stays."""
    tweet = (
        '<div class="social-media-embed"><blockquote class="twitter-tweet"><p lang="en">Yes this'
        ' is real and the state spent half a million dollars on it: <a href="https://t.co/x">'
        "https://t.co/x</a></p>&mdash; Jane Roe (@janeroe) "
        '<a href="https://twitter.com/janeroe/status/1">November 18, 2019</a></blockquote>'
        '<script async src="https://platform.twitter.com/widgets.js"></script></div>'
    )
    share = '<div class="social-share"><a href="/s/fb">Facebook</a> <a href="/s/x">X</a></div>'
    text = extract(article(f"<p>{PARA}</p>", tweet, share, f"<p>{PARA} End.</p>")).text
    assert "Yes this is real and the state spent half a million dollars on it" in text
    assert "— Jane Roe (@janeroe) November 18, 2019" in text  # the quoted post's credit
    assert "Facebook" not in text


HOVER_CARD = (
    '<span class="people"><a href="/people/jane-roe">Jane Roe</a><span class="people-card">'
    '<span><img src="/jane.jpg" alt=""><a href="/people/jane-roe">Jane Roe</a>'
    '<a href="/s/1">Roe calls for a vote on the harbor bill before the summer recess</a> '
    '<a href="/s/2">Council weighs the cost of the new ferry terminal</a> '
    '<a href="/people/jane-roe">MORE</a></span></span></span>'
)


def test_a_hover_card_inside_a_paragraph_goes_and_the_paragraph_stays() -> None:
    """The card's links outweighed the sentence, whose paragraph was dropped as a link list."""
    lead = (
        f"<p>The council voted on Tuesday, said member {HOVER_CARD} (D-Harbor), after a debate.</p>"
    )
    text = extract(article(lead, f"<p>{PARA}</p>", f"<p>{PARA} Two.</p>")).text
    assert text.startswith("The council voted on Tuesday, said member Jane Roe (D-Harbor), after")
    assert "ferry terminal" not in text


def test_an_image_with_a_link_or_two_in_prose_is_no_card() -> None:
    prose = (
        '<p>The new terminal <span><img src="/t.jpg" alt=""> opens in May, the <a href="/port">'
        'port authority</a> said, with <a href="/ferry">ferries</a> every twenty minutes and a '
        "bus link to the station, which the city has promised for years.</span></p>"
    )
    text = extract(article(prose, f"<p>{PARA}</p>")).text
    assert text.startswith("The new terminal opens in May, the port authority said, with ferries")


def test_a_standfirst_written_outside_p_before_the_body_is_kept() -> None:
    """A link-free <div> of text before the body container, long as a sentence, is the
    story's standfirst; a short kicker there, or the same text after the body, is not."""
    standfirst = (
        "Three people died during protests against the interim government on Tuesday, after "
        "clashes between the former leader's supporters and the police near a fuel plant."
    )
    body = "<div class='story-text'>" + f"<p>{PARA} One.</p><p>{PARA} Two.</p>" * 2 + "</div>"
    kicker = "<div class='kicker'>What a time to be alive ...</div>"
    lede = f"<div class='lede'>{standfirst}</div>"
    before = extract(page(f"<main>{lede}{kicker}{body}</main>", STORY_HEAD), STORY_URL)
    after = extract(page(f"<main>{body}{lede}</main>", STORY_HEAD), STORY_URL)
    assert after.page_type is PageType.ARTICLE  # read from its container, not the wide one
    assert before.text.startswith(standfirst + "\n\n" + PARA)
    assert standfirst not in after.text


@pytest.mark.parametrize(
    "prompt",
    [
        "Like this story? Share it with a friend!",
        "Tell us what YOU think...",
        "Leave a comment below and join the conversation.",
        "There's plenty more where that came from. Sign up for The Daily Harbor today to get the "
        "free daily newsletter delivered to your inbox daily.",
        "Join Our Harbor Insider Newsletter",
        "Article continues below",
        "BUY NOW",
        "Page 1 of 8",
        "Skip to main content",
        "Jump to Recipe",
        "You might like",
        "You may be interested in the following topics as well:",
        "PIN FOR LATER",
        "Back to top",
        "Join Date: Aug 2008",  # a forum post's chrome
        "Posts: 1,077",
        "Reply With Quote",
        "Well-known member",
        "answered Jul 7, 2012 at 3:07",  # a Q&A site's
        "edited 3 years, 2 months ago",
        "Viewed 11k times",
        "23.8k14 gold badges88 silver badges124 bronze badges",
        "1 Like",
        "Offline",
        "Registered: 2024-01-27",
        "Original Poster",
        "Explore related questions",
        "Showing 24 of 291 results",  # a shop's chrome
        "Filter & Sort",
        "Quick Shop",
        "Sort: Best Match",
        "\u00d7",  # a close button
        "Check price at Amazon (on sale!)",  # a review's shop buttons
        "See it at Best Buy",
        "Buy now from one of our trusted retail partners:",
        "WHERE TO BUY",
        "Table of Contents",
        "This story is funded by readers like you. Give today and keep it free for everyone.",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.",
    ],
)
def test_prompts_to_share_comment_or_sign_up_are_dropped(prompt: str) -> None:
    text = extract(article(f"<p>{PARA}</p>", f"<p>{prompt}</p>", f"<p>{PARA} Two.</p>")).text
    assert text == f"{PARA}\n\n{PARA} Two."


@pytest.mark.parametrize(
    "said",
    [
        "The mayor said she would leave a comment period of thirty days before the council vote.",
        "Page 3 of the report shows that the harbor fund ran out of money in March.",
        "Buy now, pay later plans have grown fast among shoppers under thirty this year.",
        "Where to buy a good winter coat is the question every reader in the north asks us.",
        "Buy at the market on Saturday. Prices drop after noon, the growers told us.",
        "Location matters more than price, the agents said of the harbor flats.",
    ],
)
def test_a_sentence_that_only_mentions_the_same_words_stays(said: str) -> None:
    text = extract(article(f"<p>{PARA}</p>", f"<p>{said}</p>")).text
    assert said in text


def test_a_list_announced_as_more_stories_goes_with_its_line() -> None:
    """Half-linked headlines pass the link-density test; the line announcing them tells."""
    items = "".join(
        f'<li>Harbor story number {n} says <a href="/s/{n}">what the council did next</a></li>'
        for n in range(5)
    )
    rail = f'<div class="heading-h3">More Great Harbor Stories</div><ul>{items}</ul>'
    long = f"{PARA} {PARA}"
    story = f"<article><p>{long}</p><p>{long} Two.</p><p>{long} Three.</p>{rail}</article>"
    text = extract(page(story, STORY_HEAD), STORY_URL).text
    assert text == f"{long}\n\n{long} Two.\n\n{long} Three."
    resources = story.replace("More Great Harbor Stories", "Related resources:")
    assert "Harbor story number 4" in extract(page(resources, STORY_HEAD), STORY_URL).text


def test_a_sentence_that_links_the_names_it_mentions_stays() -> None:
    """A sentence may be up to 80% links (SENTENCE_MAX_LINK_DENSITY); a line of links not."""
    lead = (
        '<p><a href="/people/jane-roe">Jane Roe of the Harbor Party</a> has been elected to '
        '<a href="/topics/council">the Harbor City Council</a>.</p>'
    )
    menu = '<p><a href="/a">World news today</a> <a href="/b">Business and markets</a></p>'
    long = f"{PARA} {PARA}"
    body = f"<article>{lead}{menu}<p>{long}</p><p>{long} Two.</p></article>"
    text = extract(page(body, STORY_HEAD), STORY_URL).text
    assert text.startswith("Jane Roe of the Harbor Party has been elected to the Harbor City")
    assert "World news today" not in text


def test_code_written_with_br_between_lines_keeps_its_lines() -> None:
    code = "<pre>#!/usr/bin/env python3<br><br>import os<br>print(<b>os.sep</b>)</pre>"
    text = extract(article(f"<p>{PARA}</p>", code, f"<p>{PARA} Two.</p>")).text
    assert "#!/usr/bin/env python3\n\nimport os\nprint(os.sep)" in text


def test_teaser_cards_after_a_declared_story_do_not_widen_it() -> None:
    """Cards under "Read this next" (a heading linking away, a date, an excerpt) can hold more
    prose than the story they follow; on a page declared an article they are not more of it.
    Without the declaration the same page widens to take them in: a hub's cards are content."""
    story = "".join(f"<p>{PARA} {PARA} Story {n}.</p>" for n in range(5))
    card = '<div class="item"><h3><a href="/story-{0}">Another story {0}</a></h3>'
    card += "<span>Dec 19, 2025</span><p>Teaser {0}. " + f"{PARA} {PARA} {PARA}</p></div>"
    cards = "".join(card.format(n) for n in range(4))
    body = f'<div><div class="col"><div>{story}</div></div><div class="more">{cards}</div></div>'
    trace = Trace()
    text = extract(page(body, STORY_HEAD), STORY_URL, trace=trace).text
    assert text.endswith("Story 4.") and "Teaser" not in text
    assert trace.container is not None
    assert any("teaser cards" in step for step in trace.container.decisions)
    assert "Teaser 3." in extract(page(body), STORY_URL).text
    anchors = body.replace('href="/story-', 'href="#story-')  # an accordion's toggles: content
    assert "Teaser 3." in extract(page(anchors, STORY_HEAD), STORY_URL).text


def test_a_self_closed_iframe_in_noscript_does_not_swallow_the_page() -> None:
    """A tag manager's ``<noscript><iframe ... /></noscript>``: the iframe's raw text would run
    to the end of the page; the page is parsed again with the iframe closed."""
    snippet = '<noscript><iframe src="https://tags.example/ns.html" height="0" /></noscript>'
    story = "".join(f"<p>{PARA} Part {n}.</p>" for n in range(6))
    trace = Trace()
    text = extract(page(f"{snippet}<article>{story}</article>"), trace=trace).text
    assert text.endswith("Part 5.") and "<p>" not in text
    assert any("iframe" in note for note in trace.notes)
    fallback = '<iframe src="/map">Your browser does not support iframes.</iframe>'
    trace = Trace()
    assert extract(page(f"{fallback}<article>{story}</article>"), trace=trace).text.endswith(
        "Part 5."
    )
    assert not any("iframe" in note for note in trace.notes)  # closed: parsed once


def test_a_page_whose_text_is_all_hidden_is_read_again_keeping_it() -> None:
    """A studio's portfolio whose cards a script fades in: each card under aria-hidden, none
    large enough to be spared. Cleaning them leaves no text, so the page is read again with
    its hidden nodes kept; a page with text left is read once."""
    work = "".join(
        f'<div class="card" aria-hidden="true"><h3>Project {n}</h3><p>A new identity and'
        f" website for client {n}.</p></div>"
        for n in range(4)
    )
    html = page(f"<main>{work}</main>")
    trace = Trace()
    text = extract(html, trace=trace).text
    assert "A new identity and website for client 3." in text
    assert any("read again" in note for note in trace.notes)
    assert trace.removed == [] or all(node.stage != "hidden" for node in trace.removed)
    visible = page(f"<main>{work}<p>{PARA}</p></main>")
    trace = Trace()
    assert extract(visible, trace=trace).text == PARA
    assert not any("read again" in note for note in trace.notes)


def test_a_collapsed_accordion_panel_is_content_and_a_closed_popup_is_not() -> None:
    """A panel that a toggle opens (aria-controls with aria-expanded) is text the reader can
    open; a popup's panel (aria-haspopup) and a hidden node no control names are not."""
    answer = "The crossing runs nightly from May, weather permitting, and tickets cost the same."
    faq = (
        '<h2>When does the night crossing run?</h2><button aria-expanded="false" '
        f'aria-controls="faq-1">Show answer</button><div id="faq-1" hidden><p>{answer}</p></div>'
    )
    popup = (
        '<button aria-expanded="false" aria-haspopup="dialog" aria-controls="tips">Tips</button>'
        '<div id="tips" hidden><p>Turn on notifications in your browser settings to hear '
        "from us first.</p></div>"
    )
    stray = '<div id="old" hidden><p>An old notice that nothing on the page opens any more.</p>'
    story = "".join(f"<p>{PARA} Part {n}.</p>" for n in range(3))
    text = extract(article(story, faq, popup, stray + "</div>")).text
    assert answer in text
    assert "notifications" not in text and "old notice" not in text


def test_an_accordion_toggle_inside_a_heading_keeps_the_headings_text() -> None:
    story = "".join(f"<p>{PARA} Part {n}.</p>" for n in range(3))
    toggle = '<h3><button aria-expanded="true">How long does the crossing take?</button></h3>'
    text = extract(article(story, toggle, f"<p>{PARA} Answer.</p>")).text
    assert "How long does the crossing take?" in text
    assert "Close" not in extract(article(story, "<div><button>Close</button></div>")).text
