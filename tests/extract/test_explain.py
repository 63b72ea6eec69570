"""Explain: the Trace records why each part of a page is in or out, and the reports show it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper import Article, extract
from scraper.extract import Trace
from scraper.extract.explain import EXPLAIN_VERSION, explain_html, explain_json
from scraper.extract.trace_records import DROP_REASONS

PAGES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "pages"
SLUGS = sorted(path.name for path in PAGES.iterdir() if path.is_dir())
SEED = PAGES / "seed-like"
PARA = "This paragraph is a real part of the story, with enough words, commas, and detail to count."
LONG = f"{PARA} {PARA}"  # a paragraph long enough to count as the article's prose


def explained(html: str | bytes, url: str | None = None) -> tuple[Trace, Article, dict[str, Any]]:
    """Extract with a Trace; the trace, the article and the JSON explanation."""
    trace = Trace()
    article = extract(html, url, trace=trace)
    return trace, article, explain_json(trace, article)


def entry_with(data: dict[str, Any], text: str) -> dict[str, Any]:
    """The one document entry whose text holds ``text``."""
    found = [entry for entry in data["document"] if text in entry["text"]]
    assert len(found) == 1, [entry["text"][:60] for entry in found]
    return found[0]


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    url = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))["url"]
    return explained((SEED / "source.html").read_bytes(), url)[2]


# --- The seed-like golden page: why each known part is in or out ------------------------------


def test_seed_keeps_the_seven_body_paragraphs(seed: dict[str, Any]) -> None:
    kept = [e["text"] for e in seed["document"] if e["entry"] == "block" and e["kept"]]
    expected = (SEED / "expected.txt").read_text(encoding="utf-8").strip().split("\n\n")
    assert kept == expected
    assert len(kept) == 7
    assert seed["summary"]["kept"] == {"blocks": 7, "chars": sum(len(t) for t in expected)}


def test_seed_donation_banner_is_removed_as_furniture(seed: dict[str, Any]) -> None:
    banner = entry_with(seed, "Support The Moscow Times!")
    assert (banner["status"], banner["stage"]) == ("removed", "furniture")
    assert banner["rule"] == "BOILERPLATE_WORDS"
    assert '"banner"' in banner["match"]


def test_seed_donation_appeal_is_out_of_the_container_and_an_appeal(seed: dict[str, Any]) -> None:
    for phrase in ("Independent journalism isn’t dead", "Please consider making a donation"):
        appeal = entry_with(seed, phrase)
        assert (appeal["status"], appeal["reason"]) == ("dropped", "outside-container")
        assert "appeal" in appeal["detail"]


def test_seed_donate_button_is_removed_as_a_call_to_action(seed: dict[str, Any]) -> None:
    button = next(e for e in seed["document"] if e["text"] == "Contribute")
    assert (button["stage"], button["rule"], button["match"]) == (
        "call-to-action", "CTA_TEXT", 'link "Contribute"'
    )  # fmt: skip


def test_seed_read_more_teasers_are_removed_as_a_related_rail(seed: dict[str, Any]) -> None:
    rail = entry_with(seed, "Stephen Fry ‘Stands With Belarus’")
    assert (rail["status"], rail["node"]) == ("removed", "section.related")
    assert (rail["rule"], rail["match"]) == ("STRONG_BOILERPLATE_WORDS", 'class/id word "related"')


def test_seed_tag_list_is_removed_by_its_class(seed: dict[str, Any]) -> None:
    tags = entry_with(seed, "Read more about:")
    assert (tags["status"], tags["rule"], tags["match"]) == (
        "removed", "STRONG_BOILERPLATE_WORDS", 'class/id word "tags"'
    )  # fmt: skip


def test_seed_document_is_in_page_order(seed: dict[str, Any]) -> None:
    positions = [entry["position"] for entry in seed["document"]]
    assert positions == sorted(positions)
    texts = [entry["text"] for entry in seed["document"]]
    assert texts[0].startswith("Support The Moscow Times!")
    assert texts[-1].startswith("About us")


def test_seed_metadata_rows_carry_their_sources(seed: dict[str, Any]) -> None:
    rows = {row["field"]: row for row in seed["metadata"]}
    assert rows["title"]["source"] == "json-ld"
    assert rows["canonical_url"]["source"] == "link"
    assert rows["modified"]["value"] == "2020-09-29T18:02:00+03:00"


def test_seed_page_type_votes_add_up_to_the_score(seed: dict[str, Any]) -> None:
    vote = seed["page_type"]
    total = sum(v["weight"] for v in vote["votes"]) - vote["prior"]
    assert vote["page_type"] == "article"
    assert round(total, 3) == vote["score"] > 0


def test_each_sign_of_teasers_is_a_vote_of_its_own_name() -> None:
    cards = "".join(
        f'<div><h3><a href="/p{i}">Kettle model {i}</a></h3><span class="price">${i}</span></div>'
        for i in range(10)
    )
    html = f"<html><body><main><p>{LONG}</p>{cards}</main></body></html>"
    votes = {
        v["signal"]: v
        for v in explained(html, "https://example.com/kettles")[2]["page_type"]["votes"]
    }
    assert {"body class", "links", "price grid", "dated items", "fragments"} <= set(votes)
    assert votes["price grid"]["weight"] < 0
    assert votes["price grid"]["seen"] == "10 price tags in the cleaned page"


def test_seed_container_names_its_candidates_and_steps(seed: dict[str, Any]) -> None:
    container = seed["container"]
    assert container["roots"] == ["div.article__content-container"]
    assert container["candidates"][0]["node"] == "div.article__content"
    assert any("widened to div.article__content-container" in s for s in container["decisions"])


# --- Each filter reason, on a small page ------------------------------------------------------


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


TEASER = '<li><a href="/a">A three word headline</a> and a summary that runs on a while.</li>'
FILTER_CASES = {
    "link-density": '<p><a href="/w">World news</a></p>',
    "boilerplate-text": "<p>Read more</p>",
    "byline": "<p>Posted by Jane Roe</p>",
    "dateline": "<p>Posted <time>May 1</time></p>",
    "appeal": "<p>Our reporting is free. Become a supporter today and keep it that way.</p>",
    "title-repeat": "<h2>The Same Headline</h2>",
    "pull-quote": f"<blockquote><p>{PARA}</p></blockquote>",
    "teaser-rail": f"<div><ul>{TEASER * 3}</ul></div>",  # a box of its own, after the prose
    "trailing-heading": "<h2>Further thoughts</h2>",
}


@pytest.mark.parametrize("reason", sorted(FILTER_CASES))
def test_a_dropped_block_names_its_reason_and_rule(reason: str) -> None:
    html = page(
        f"<article><p>{LONG}</p><p>{PARA}</p><p>{LONG}</p>{FILTER_CASES[reason]}</article>",
        "<title>The Same Headline</title>",
    )
    data = explained(html)[2]
    dropped = [e for e in data["document"] if e["entry"] == "block" and not e["kept"]]
    assert [e["reason"] for e in dropped] == [reason]
    assert dropped[0]["rule"] == DROP_REASONS[reason][0]
    assert dropped[0]["detail"]
    assert data["summary"]["dropped"] == {reason: 1}


def test_link_density_detail_gives_the_measured_share() -> None:
    html = page(f"<article><p>{LONG}</p><p>{LONG}</p>{FILTER_CASES['link-density']}</article>")
    dropped = next(e for e in explained(html)[2]["document"] if not e.get("kept", True))
    assert dropped["detail"] == "100% of its text is links (limit 50%)"


def test_link_density_detail_gives_a_sentences_own_limit() -> None:
    linked = '<p><a href="/a">All of this sentence is one long link to another page</a>.</p>'
    html = page(f"<article><p>{LONG}</p><p>{LONG}</p>{linked}</article>")
    dropped = next(e for e in explained(html)[2]["document"] if not e.get("kept", True))
    assert dropped["detail"].endswith("of its text is links (limit 80%)")


def test_a_spared_node_says_why_it_stayed() -> None:
    prose = f"<p>{LONG} {LONG}</p>"
    html = page(f'<article>{prose * 3}<div class="widget">{prose}</div></article>')
    spared = explained(html)[2]["spared"]
    assert [(s["node"], s["rule"]) for s in spared] == [("div.widget", "BOILERPLATE_WORDS")]
    assert "prose" in spared[0]["spared"]


def test_a_hidden_node_names_the_attribute() -> None:
    html = page(f'<article><p>{LONG}</p><div style="display: none">Secret offer</div></article>')
    hidden = entry_with(explained(html)[2], "Secret offer")
    assert (hidden["stage"], hidden["rule"]) == ("hidden", "HIDDEN_STYLE")


# --- No behaviour change ----------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_trace_changes_nothing_in_the_record(slug: str) -> None:
    source = (PAGES / slug / "source.html").read_bytes()
    url = json.loads((PAGES / slug / "expected.json").read_text(encoding="utf-8"))["url"]
    plain = extract(source, url)
    traced = extract(source, url, trace=Trace())
    assert json.dumps(traced.to_dict()).encode() == json.dumps(plain.to_dict()).encode()
    assert traced.markdown == plain.markdown


# --- The reports ------------------------------------------------------------------------------


HOSTILE = page(
    f"<article><p>&lt;script&gt;alert(1)&lt;/script&gt; {LONG}</p><p>{LONG}</p>"
    '<div class="related" data-x="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;">'
    "<p>&lt;img src=https://evil.example/x.png onerror=alert(3)&gt;</p></div></article>",
    "<title>&lt;script&gt;alert(4)&lt;/script&gt; Title</title>"
    '<meta property="og:image" content="https://evil.example/i.png">',
)


def test_html_report_escapes_page_text() -> None:
    trace, article, _ = explained(HOSTILE)
    report = explain_html(trace, article)
    assert "<script>alert(1)" in article.text  # the page really says it
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert "<script" not in report
    assert "<img" not in report
    assert LexborHTMLParser(report).css("script, img") == []


def test_html_report_is_self_contained() -> None:
    trace, article, _ = explained(HOSTILE)
    tree = LexborHTMLParser(explain_html(trace, article))
    assert tree.css("link, iframe, object, embed") == []
    for node in tree.css("[src], [href]"):
        assert (node.attributes.get("href") or "").startswith("#"), node.html
        assert node.attributes.get("src") is None, node.html
    assert "url(" not in (tree.css_first("style").text() if tree.css_first("style") else "")


def test_html_report_links_each_summary_row_to_its_entries() -> None:
    trace, article, _ = explained((SEED / "source.html").read_bytes())
    tree = LexborHTMLParser(explain_html(trace, article))
    ids = {node.attributes.get("id") for node in tree.css("[id]")}
    targets = [(node.attributes.get("href") or "")[1:] for node in tree.css("a[href]")]
    assert targets and set(targets) <= ids


def test_json_report_has_the_documented_keys_and_round_trips() -> None:
    data = explained((SEED / "source.html").read_bytes())[2]
    assert set(data) == {
        "explain_version", "url", "title", "extractor", "notes", "summary", "metadata",
        "page_type", "container", "document", "spared", "passes",
    }  # fmt: skip
    assert data["explain_version"] == EXPLAIN_VERSION
    assert json.loads(json.dumps(data)) == data
    assert set(data["summary"]["dropped"]) <= set(DROP_REASONS)


def test_a_card_inside_a_paragraph_is_removed_as_an_inline_card() -> None:
    card = (
        '<span class="card"><img src="/p.jpg" alt=""><a href="/p">Jane Roe</a> '
        '<a href="/s/1">Roe calls for a vote on the harbor bill</a> <a href="/p">MORE</a></span>'
    )
    html = page(f"<article><p>{LONG}</p><p>Said member Jane Roe {card} on Tuesday.</p></article>")
    removed = [e for e in explained(html)[2]["document"] if e.get("stage") == "inline-card"]
    assert [(e["node"], e["rule"]) for e in removed] == [("span.card", "INLINE_CARD_MIN_LINKS")]
