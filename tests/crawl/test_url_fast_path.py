"""The link step's fast paths give what the long ways give: normalise_url for a URL already in
normal form, and joined() for a rooted or absolute href."""

from __future__ import annotations

import urllib.parse

from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.crawl import urls
from scraper.crawl.urls import normalise_url
from scraper.errors import InvalidURLError
from scraper.extract.links import joined, origin_of

# Hosts and paths built from the characters the fast path takes, and from the ones it must
# leave to the full path (uppercase, @, +, %, spaces, dot segments, punycode, ports, queries).
_HOST = st.from_regex(
    r"(xn--)?[a-zA-Z0-9-]{1,12}(\.[a-z0-9-]{1,8}){0,3}(:80|:443|:8080)?", fullmatch=True
)
_PATH = st.text(alphabet="abcXYZ019._~/-@+%: é", max_size=30)
_TAIL = st.sampled_from(["", "?a=1", "?utm_source=x&b=2", "#top", "?"])


@settings(max_examples=3000)
@given(st.sampled_from(["http", "https"]), _HOST, _PATH, _TAIL)
def test_the_fast_path_agrees_with_the_full_path(
    scheme: str, host: str, path: str, tail: str
) -> None:
    url = f"{scheme}://{host}{'/' if path and not path.startswith('/') else ''}{path}{tail}"
    try:
        expected = urls._normalised(url)
    except InvalidURLError:  # a URL the full path refuses is outside this test
        return
    assert normalise_url(url) == expected


def test_the_fast_path_is_taken_for_plain_urls() -> None:
    assert urls._NORMAL.fullmatch("https://www.example.com/news/2024/a-story_1.html")
    assert normalise_url("https://example.com") == "https://example.com/"
    for not_plain in ("https://Example.com/a", "https://example.com/a?b=1", "https://x.org/@me"):
        assert not (urls._NORMAL.fullmatch(not_plain) and urls._plain(not_plain[8:]))


_TEXT = st.text(alphabet="/.?#=&;ab1 \t\n\\%:@é[]", max_size=16)
# A third of them rooted, a third absolute.
_HREF = st.one_of(
    _TEXT,
    _TEXT.map(lambda text: "/" + text),
    st.tuples(st.sampled_from(["http://", "https://"]), _TEXT).map("".join),
)
_BASE = st.sampled_from(
    ["https://example.com/news/a", "http://Example.com:8080/x/y/", "https://u@h.org", "ftp://h/x"]
)


@settings(max_examples=3000)
@given(_BASE, _HREF)
def test_joining_an_href_agrees_with_urljoin(base: str, href: str) -> None:
    try:
        expected = urllib.parse.urljoin(base, href)
    except ValueError:  # not a URL ("http://["): callers keep such an href as it is
        expected = href
    try:
        assert joined(base, origin_of(base), href) == expected
    except ValueError:
        assert expected == href


def test_the_join_fast_paths_are_taken() -> None:
    for href in ("https://b.org/x?y=1#z", "/news/a-story?id=2"):
        assert joined("ftp://unused", "https://a.com", href) in (href, "https://a.com" + href)
    for altered in ("https://b.org/x?", "https://b.org/a;", "/a/../b", "/a#"):
        assert joined("https://a.com/", "https://a.com", altered) != altered
