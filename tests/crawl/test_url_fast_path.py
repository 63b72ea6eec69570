"""The link step's fast paths give what the long ways give: normalise_url for a URL already in
normal form, and joined() for a rooted href."""

from __future__ import annotations

import urllib.parse

from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.crawl import urls
from scraper.crawl.analyse import joined
from scraper.crawl.urls import normalise_url
from scraper.errors import InvalidURLError

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


_TEXT = st.text(alphabet="/.?#=&ab1 \t\\%:@é", max_size=16)
_HREF = st.one_of(_TEXT, _TEXT.map(lambda text: "/" + text))  # half of them rooted
_BASE = st.sampled_from(
    ["https://example.com/news/a", "http://Example.com:8080/x/y/", "https://u@h.org", "ftp://h/x"]
)


@settings(max_examples=3000)
@given(_BASE, _HREF)
def test_joining_a_rooted_href_agrees_with_urljoin(base: str, href: str) -> None:
    parts = urllib.parse.urlsplit(base)
    origin = (
        f"{parts.scheme}://{parts.netloc}" if base.startswith(("http://", "https://")) else None
    )
    assert joined(base, origin, href) == urllib.parse.urljoin(base, href)
