"""The shortcuts taken for speed give the answers of the plain computation they replace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper import extract
from scraper.extract import filter_rules, rules
from scraper.extract.blocks import blocks_of
from scraper.extract.classes import Verdict, attribute_verdict, words_of
from scraper.extract.clean import _FURNITURE_SELECTOR, _past
from scraper.extract.links import link_density

PARA = "This paragraph is a real part of the story, with enough words, commas, and detail to count."
_SEPARATORS = re.compile(r"[-_:.]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _plain_words(attribute: str) -> frozenset[str]:
    """words_of as first written: every token whole, then split on separators and camelCase
    (a utility class's variants, up to its last colon, dropped)."""
    words: set[str] = set()
    for token in (t.rpartition(":")[2] for t in attribute.split()):
        if rules.UTILITY_CLASS.match(token):
            words.add("")
            continue
        words.add(_SEPARATORS.sub("", token).lower())
        words.update(p.lower() for p in _SEPARATORS.split(_CAMEL.sub("-", token)) if p)
    return frozenset(words)


@pytest.mark.parametrize(
    "attribute",
    [
        *("post", "relatedPosts", "entry-meta", "a--b__c", "ΑΣ-Β", "ſhare", "x:y.z"),
        *("md:x:y-Z", ":", "", "-", "İtem", "text-white md:text-lg text-block"),
    ],
)
def test_class_words_match_the_plain_split(attribute: str) -> None:
    assert words_of(attribute) == _plain_words(attribute)


def test_a_strong_word_in_any_token_wins_over_content() -> None:
    assert attribute_verdict("article-body relatedPosts") is Verdict.BOILERPLATE
    assert attribute_verdict("meta-content post") is Verdict.CONTENT


def test_nested_furniture_goes_with_its_container() -> None:
    html = (
        f"<article><p>{PARA}</p></article>"
        '<footer><div class="share"><nav><a href="/">Home</a></nav></div></footer>'
    )
    assert extract(f"<html><body>{html}</body></html>").text == PARA


@pytest.mark.parametrize(
    "text",
    ["Casino spam is everywhere.", "SUBSCRIBE TO KEEP READING", "Sign up for our daily newsletter"],
)
def test_appeals_are_found_anywhere_in_any_case(text: str) -> None:
    assert filter_rules.APPEAL_TEXT.search(text)


def test_a_headline_link_inside_time_still_opens_a_teaser() -> None:
    item = '<li><time><a href="/a">Four words of headline</a></time> and more</li>'
    body = LexborHTMLParser(f"<ul>{item}{item}</ul>").body
    assert body is not None
    (block,) = blocks_of([body], None)
    assert (block.teasers, block.items) == (2, 2)


def test_markdown_is_the_text_without_links_and_keeps_them_otherwise() -> None:
    html = f'<article><p>{PARA}</p><p>See <a href="/x">the source</a>, {PARA}</p></article>'
    article = extract(f"<html><body>{html}</body></html>", "https://example.com/a/b")
    assert article.markdown.split("\n\n") == [
        PARA,
        f"See [the source](https://example.com/x), {PARA}",
    ]


@pytest.mark.parametrize(
    "text",
    ["no ſpam, ever", "Unsubscribe any time", "NO SPAM", "plain prose", "İndependent journalism"],
)
def test_the_appeal_word_test_never_refuses_a_match(text: str) -> None:
    found = filter_rules.APPEAL_TEXT.search(text)
    plain = filter_rules.APPEAL_TEXT.pattern.search(text)
    assert (found and found.group(0)) == (plain and plain.group(0))


@pytest.mark.parametrize("links", [1, 3, 40])
def test_links_are_counted_alike_by_walk_and_by_selector(links: int) -> None:
    anchors = "".join(f'<a href="/{i}">link {i}</a> text' for i in range(links))
    body = LexborHTMLParser(f"<div><p>{anchors}</p><a href='/x'>outer</a></div>").body
    assert body is not None
    for node in (body, body.css_first("p")):
        assert node is not None
        plain = sum(len(a.text(strip=True)) for a in node.css("a"))
        assert link_density(node, 10_000) == min(1.0, plain / 10_000)


_GOLDEN = sorted((Path(__file__).parents[2] / "fixtures" / "pages").glob("*/source.html"))


@pytest.mark.parametrize("source", _GOLDEN, ids=lambda path: path.parent.name)
def test_the_place_past_a_subtree_is_the_count_of_its_entries(source: Path) -> None:
    body = LexborHTMLParser(source.read_bytes()).body
    assert body is not None
    nodes = body.css(_FURNITURE_SELECTOR)
    places = {node.mem_id: place for place, node in enumerate(nodes)}
    for place, node in enumerate(nodes):
        inside = len(node.css(_FURNITURE_SELECTOR)) - 1
        assert _past(node, place + 1, places) == place + 1 + inside
