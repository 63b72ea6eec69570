"""A small news site on the test server, and a config.toml that crawls it.

``build_site(server, articles=N)`` serves:

- ``/news`` (the seed) and ``/news/page/K``: index pages linking 20 articles each and the
  next index page (listings: followed, not stored);
- ``/2026/article-I``: articles, each with its own text (stored);
- ``/copy/article-0``: the same page as ``/2026/article-0`` under a second URL (a duplicate);
- ``/2026/broken-J``: linked from the first index page, answering 500 (failed);
- ``/elsewhere/about``: a page outside the source's ``follow`` rule (never fetched).

``add_robots_sitemap(server, site, count)`` adds ``/2026/mapped-I`` articles that no page links
to, listed only by ``/sitemap-news.xml``, which ``/robots.txt`` names; ``add_announced_feed``
adds ``/2026/fed-I`` articles listed only by ``/feed.xml``, which the seed page announces.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from server import TestServer

PER_INDEX = 20  # article links per index page
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_FEED_LINK = '<link rel="alternate" type="application/rss+xml" title="News" href="/feed.xml">'
_WORDS = (
    *("river", "bridge", "council", "budget", "harbour", "winter", "school", "railway"),
    *("museum", "festival", "library", "election", "orchestra", "forest", "tunnel"),
    *("vaccine", "satellite", "market", "drought", "theatre"),
)


@dataclass(frozen=True)
class Site:
    """What was served: article paths in order, the duplicate's and the broken paths."""

    seed: str
    articles: tuple[str, ...]
    duplicate: str
    broken: tuple[str, ...]
    pages: tuple[tuple[str, ...], ...] = ()  # the article paths of each index page


def article_html(number: int, version: int = 1) -> str:
    """An article page whose text is unique to ``number`` (and ``version``)."""
    words = [_WORDS[(number * 7 + k * 3 + version) % len(_WORDS)] for k in range(12)]
    paragraphs = "".join(
        f"<p>Report {number} (version {version}), part {k}: "
        f"the {' and the '.join(words[k : k + 4])} "
        f"were discussed at length by residents, officials and experts on day {number + k}, "
        "who agreed that more work, money and patience will be needed in the coming years.</p>"
        for k in range(6)
    )
    return (
        "<!doctype html><html lang='en'><head>"
        f"<title>Story {number}</title><meta property='og:type' content='article'>"
        f"<meta property='article:published_time' content='2026-01-{number % 28 + 1:02d}'>"
        "</head><body><nav><a href='/news'>News</a></nav>"
        f"<article><h1>Story number {number}</h1>{paragraphs}</article>"
        "<footer><a href='/elsewhere/about'>About</a></footer></body></html>"
    )


def index_html(links: list[str], next_page: str | None, head: str = "") -> str:
    """An index page: a list of headline links (``head`` goes into its <head>)."""
    items = "".join(f"<li><a href='{href}'>Headline for {href}</a></li>" for href in links)
    more = f"<a href='{next_page}'>Older stories</a>" if next_page else ""
    return (
        f"<!doctype html><html><head><title>News</title>{head}</head><body>"
        f"<h1>Latest news</h1><ul>{items}</ul>{more}</body></html>"
    )


def build_site(server: TestServer, articles: int = 120, broken: int = 3) -> Site:
    """Register the site's routes on ``server``."""
    paths = tuple(f"/2026/article-{i}" for i in range(articles))
    for number, path in enumerate(paths):
        server.route(path, body=article_html(number))
    server.route("/copy/article-0", body=article_html(0))
    broken_paths = tuple(f"/2026/broken-{j}" for j in range(broken))
    for path in broken_paths:
        server.route(path, status=500, body="<p>oops</p>")
    server.route("/elsewhere/about", body=article_html(9999))
    pages = tuple(paths[i : i + PER_INDEX] for i in range(0, len(paths), PER_INDEX))
    site = Site(server.url("/news"), paths, "/copy/article-0", broken_paths, pages)
    _route_indexes(server, site)
    return site


def _route_indexes(server: TestServer, site: Site, head: str = "") -> None:
    """The seed and the other index pages; ``head`` goes into the seed's <head>."""
    for k, chunk in enumerate(site.pages):
        links = list(chunk) + ([site.duplicate, *site.broken] if k == 0 else [])
        next_page = f"/news/page/{k + 1}" if k + 1 < len(site.pages) else None
        body = index_html(links, next_page, head if k == 0 else "")
        server.route("/news" if k == 0 else f"/news/page/{k}", body=body)


def _unlinked_articles(server: TestServer, prefix: str, count: int, first: int) -> list[str]:
    """``count`` articles at /2026/PREFIX-I that no page links to; their absolute URLs."""
    urls = []
    for i in range(count):
        path = f"/2026/{prefix}-{i}"
        server.route(path, body=article_html(first + i))
        urls.append(server.url(path))
    return urls


def add_robots_sitemap(server: TestServer, count: int) -> list[str]:
    """Articles listed only by /sitemap-news.xml, named by /robots.txt; their URLs."""
    urls = _unlinked_articles(server, "mapped", count, first=5000)
    entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    sitemap = f'<?xml version="1.0"?><urlset xmlns="{_SITEMAP_NS}">{entries}</urlset>'
    server.route("/sitemap-news.xml", headers={"Content-Type": "application/xml"}, body=sitemap)
    robots = f"User-agent: *\nAllow: /\nSitemap: {server.url('/sitemap-news.xml')}\n"
    server.route("/robots.txt", headers={"Content-Type": "text/plain"}, body=robots)
    return urls


def add_announced_feed(server: TestServer, site: Site, count: int) -> list[str]:
    """Articles listed only by /feed.xml, which the seed page announces; their URLs."""
    urls = _unlinked_articles(server, "fed", count, first=6000)
    items = "".join(f"<item><title>{u}</title><link>{u}</link></item>" for u in urls)
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
    server.route("/feed.xml", headers={"Content-Type": "application/rss+xml"}, body=feed)
    _route_indexes(server, site, head=_FEED_LINK)
    return urls


def write_config(
    folder: Path,
    server: TestServer,
    *,
    max_pages: int = 1000,
    discover: bool = True,
    warc: bool = False,
) -> Path:
    """A config.toml crawling the site into ``folder``/out, state in ``folder``/state, and
    with ``warc`` raw captures in ``folder``/warc."""
    capture = f'warc = "{folder / "warc"}"' if warc else ""
    base = server.url("/").rstrip("/").replace(".", "\\\\.")
    text = f"""
[fetch]
allowed_networks = ["127.0.0.1/32"]
respect_robots = false
per_host_delay = 0
per_host_concurrency = 8
retries = 0
timeout = 5

[crawl]
state = "{folder / "state" / "crawl.sqlite"}"
workers = 8
{capture}

[sink]
kind = "jsonl"
path = "{folder / "out"}"

[[sources]]
name = "test-news"
seeds = ["{server.url("/news")}"]
follow = ["^{base}/(2026|copy|news)/", "^{base}/news$"]
max_depth = 10
max_pages = {max_pages}
discover = {str(discover).lower()}
schedule = "every 30m"
"""
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path
