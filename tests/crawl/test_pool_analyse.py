"""What the pool's workers compute: a page's links (scraper/crawl/analyse.py)."""

from __future__ import annotations

import pytest

from scraper.crawl.analyse import analyse

URL = "https://example.com/news/a"


def _links(*hrefs: str, head: str = "") -> tuple[str, ...]:
    """The links of a page at URL made of one anchor per href, ``head`` in its <head>."""
    anchors = "".join(f'<a href="{h}">x</a>' for h in hrefs)
    return analyse(f"<html><head>{head}</head><body>{anchors}</body></html>", URL).links


def test_relative_links_are_resolved_against_the_page() -> None:
    assert _links("b", "/c", "../d") == (
        "https://example.com/news/b",
        "https://example.com/c",
        "https://example.com/d",
    )


def test_relative_links_are_resolved_against_base_href() -> None:
    assert _links("b", head='<base href="https://cdn.example.org/x/">') == (
        "https://cdn.example.org/x/b",
    )


def test_absolute_links_are_kept_in_normal_form_whatever_the_base() -> None:
    links = _links("HTTPS://Other.ORG/p?utm_source=x", head='<base href="/y/">')
    assert links == ("https://other.org/p",)


def test_each_link_comes_once_in_the_order_of_its_first_anchor() -> None:
    assert _links("/b", "/a", "/b", "https://example.com/a") == (
        "https://example.com/b",
        "https://example.com/a",
    )


@pytest.mark.parametrize(
    "href", ["", "#top", "javascript:void(0)", "mailto:a@example.com", "tel:+1", "ftp://x/y"]
)
def test_hrefs_that_lead_to_no_web_page_are_skipped(href: str) -> None:
    assert _links(href) == ()
