"""Hostile XML: entity bombs and external entities are refused, never expanded or fetched."""

from __future__ import annotations

import pytest
from discover_support import XML, run, urlset
from server import TestServer

from scraper.crawl.discover import feed_urls, sitemap_urls
from scraper.errors import DiscoveryError

_BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE urlset [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<urlset><url><loc>http://example.org/&lol9;</loc></url></urlset>"""

# One 100 kB entity referenced 10,000 times: a gigabyte once expanded, without nesting.
_QUADRATIC = (
    f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "{"a" * 100_000}">]>'
    f"<urlset><url><loc>http://example.org/{'&a;' * 10_000}</loc></url></urlset>"
)


def _external(system_id: str, root: str = "urlset") -> str:
    """A document whose <loc> (or title) pulls in an external SYSTEM entity."""
    return (
        f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{system_id}">]>'
        f"<{root}><url><loc>http://example.org/&xxe;</loc></url></{root}>"
    )


@pytest.mark.parametrize(
    "body", [_BILLION_LAUGHS, _QUADRATIC], ids=["billion-laughs", "quadratic-blowup"]
)
def test_entity_bombs_are_refused(http_server: TestServer, body: str) -> None:
    url = http_server.route("/bomb.xml", headers=XML, body=body)
    with pytest.raises(DiscoveryError, match=rf"^{url}: declares the XML entity"):
        run(lambda f: sitemap_urls(f, url))


def test_external_http_entity_is_refused_and_never_fetched(http_server: TestServer) -> None:
    secret = http_server.route("/secret", body="http://example.org/leaked")
    url = http_server.route("/xxe.xml", headers=XML, body=_external(secret))
    with pytest.raises(DiscoveryError, match=r"declares the XML entity 'xxe'"):
        run(lambda f: sitemap_urls(f, url))
    assert http_server.requests("/secret") == []


def test_external_file_entity_is_refused(http_server: TestServer) -> None:
    url = http_server.route("/xxe.xml", headers=XML, body=_external("file:///etc/hostname"))
    with pytest.raises(DiscoveryError, match=r"entity declarations are refused"):
        run(lambda f: sitemap_urls(f, url))


def test_external_parameter_entity_is_refused_and_never_fetched(http_server: TestServer) -> None:
    dtd = http_server.route("/evil.dtd", headers=XML, body='<!ENTITY x "y">')
    body = f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY % p SYSTEM "{dtd}"> %p;]><urlset/>'
    url = http_server.route("/xxe.xml", headers=XML, body=body)
    with pytest.raises(DiscoveryError, match=r"declares the XML entity 'p'"):
        run(lambda f: sitemap_urls(f, url))
    assert http_server.requests("/evil.dtd") == []


def test_external_dtd_is_never_loaded(http_server: TestServer) -> None:
    dtd = http_server.route("/sitemap.dtd", headers=XML, body='<!ENTITY x "y">')
    page = http_server.url("/page")
    body = urlset((page, None)).replace("<urlset", f'<!DOCTYPE urlset SYSTEM "{dtd}">\n<urlset', 1)
    url = http_server.route("/s.xml", headers=XML, body=body)
    assert [d.url for d in run(lambda f: sitemap_urls(f, url))] == [page]
    assert http_server.requests("/sitemap.dtd") == []


def test_entity_in_a_feed_is_refused(http_server: TestServer) -> None:
    secret = http_server.route("/secret", body="leaked")
    body = _external(secret, root="rss")
    url = http_server.route("/feed", headers={"Content-Type": "application/rss+xml"}, body=body)
    with pytest.raises(DiscoveryError, match=r"declares the XML entity 'xxe'"):
        run(lambda f: feed_urls(f, url))
    assert http_server.requests("/secret") == []
