"""A loopback news site for the crawl reliability tests and the soak (bench/soak_crawl.py).

``pages(articles)`` is the whole site as data, path -> HTML: the seed ``/news`` and index
pages ``/news/page/K`` linking ``PER_INDEX`` articles each (listings: followed, not stored;
the seed also links every index page, as a pagination bar does, so that one slow index page
does not hold up the rest), and articles ``/2026/article-I``, each with its own text (stored).
``serve(server, site)`` puts it on a TestServer.
"""

from __future__ import annotations

from server import TestServer

PER_INDEX = 20  # article links per index page
_WORDS = (
    *("river", "bridge", "council", "budget", "harbour", "winter", "school", "railway"),
    *("museum", "festival", "library", "election", "orchestra", "forest", "tunnel"),
)


def article_path(number: int) -> str:
    """The path of article ``number``."""
    return f"/2026/article-{number}"


def index_path(number: int) -> str:
    """The path of index page ``number`` (0 is the seed)."""
    return "/news" if number == 0 else f"/news/page/{number}"


def article_html(number: int) -> str:
    """An article whose text is unique to ``number``."""
    words = [_WORDS[(number * 7 + k * 3) % len(_WORDS)] for k in range(8)]
    paragraphs = "".join(
        f"<p>Report {number}, part {k}: the {' and the '.join(words[k : k + 4])} were "
        f"discussed by residents, officials and experts on day {number + k}, who agreed "
        "that more work, money and patience will be needed in the coming years.</p>"
        for k in range(4)
    )
    return (
        "<!doctype html><html lang='en'><head>"
        f"<title>Story {number}</title><meta property='og:type' content='article'></head>"
        f"<body><nav><a href='/news'>News</a></nav><article><h1>Story number {number}</h1>"
        f"{paragraphs}</article></body></html>"
    )


def index_html(links: list[str], pagination: list[str]) -> str:
    """An index page: headline links, then links to other index pages."""
    items = "".join(f"<li><a href='{href}'>Headline for {href}</a></li>" for href in links)
    more = "".join(f"<a href='{href}'>{href}</a> " for href in pagination)
    return (
        "<!doctype html><html><head><title>News</title></head><body>"
        f"<h1>Latest news</h1><ul>{items}</ul><nav>{more}</nav></body></html>"
    )


def pages(articles: int) -> dict[str, str]:
    """The whole site, path -> HTML, index pages first."""
    indexes = (articles + PER_INDEX - 1) // PER_INDEX
    site: dict[str, str] = {}
    for k in range(indexes):
        links = [article_path(i) for i in range(k * PER_INDEX, min((k + 1) * PER_INDEX, articles))]
        pagination = [index_path(n) for n in range(1, indexes)] if k == 0 else []
        site[index_path(k)] = index_html(links, pagination)
    for number in range(articles):
        site[article_path(number)] = article_html(number)
    return site


def serve(server: TestServer, site: dict[str, str]) -> None:
    """Serve every page of ``site`` on ``server``, well-behaved."""
    for path, body in site.items():
        server.route(path, body=body)
