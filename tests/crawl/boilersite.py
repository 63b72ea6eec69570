"""A 50-page site whose boilerplate no rule can see: for learning site templates.

Every article sits in an ``<article>`` with hashed class names (as CSS modules emit them), and
inside it, between and after its own paragraphs, stand the site's furniture in plain ``<p>``s
and ``<div>``s with wording our rules do not know: a donation appeal, a "read more" teaser pair
(unlinked), a newsletter line and a disclaimer. The extractor alone keeps them; learning the
site's template should take them out and leave every body paragraph.

One article (``QUOTING``) quotes the newsletter line inside a longer paragraph of its own,
which must survive: whole blocks are learned, not phrases.
"""

from __future__ import annotations

from server import TestServer

ARTICLES = 50
QUOTING = 7  # the article whose paragraph quotes a template block
_TOPICS = (
    *("ferry", "orchard", "tramline", "quarry", "lighthouse", "bakery", "glacier"),
    *("canal", "vineyard", "observatory", "mill", "harbour", "meadow", "foundry"),
)
BOILERPLATE = (
    "This newsroom runs on readers like you: a gift of any size keeps our reporters out in the "
    "valley and our archive open to everyone, today and for years to come.",
    "Elsewhere on the Valley Courier: how the old ferry came back to life.",
    "Elsewhere on the Valley Courier: ten seasons of the county orchestra.",
    "Every Friday morning the week's best stories arrive in twelve thousand inboxes.",
    "Contributors speak for themselves, not for the Valley Courier. Corrections are welcome "
    "at the front desk.",
)
QUOTED_PARAGRAPH = (
    "The flyer on the mill door promised that every Friday morning the week's best stories "
    "arrive in twelve thousand inboxes, and the miller laughed that his own inbox had never "
    "seen a single one of them."
)


def body_paragraphs(number: int) -> list[str]:
    """The article's own paragraphs: its true text, in order."""
    topic = _TOPICS[number % len(_TOPICS)]
    paragraphs = [
        f"Dispatch {number}, part {k}: the {topic} committee met for the {k + 2}th time on day "
        f"{number * 3 + k}, and residents, owners and clerks argued for an hour about the "
        f"{_TOPICS[(number + k) % len(_TOPICS)]} before a vote of {number + k} to {k + 1}."
        for k in range(5)
    ]
    if number == QUOTING:
        paragraphs[2] = QUOTED_PARAGRAPH
    return paragraphs


def article_html(number: int) -> str:
    """An article page: body paragraphs with the site's furniture among them, no tell-tale
    classes."""
    body = [f"<p class='x9f3a_p'>{text}</p>" for text in body_paragraphs(number)]
    appeal, teaser_a, teaser_b, newsletter, disclaimer = BOILERPLATE
    body.insert(2, f"<div class='q7Zk2'><p>{appeal}</p></div>")
    body.append(f"<div class='Lm04x'><p>{teaser_a}</p><p>{teaser_b}</p></div>")
    body.append(f"<p class='b1t_9'>{newsletter}</p>")
    body.append(f"<div class='zz81'>{disclaimer}</div>")
    title = f"Dispatch number {number}"
    return (
        "<!doctype html><html lang='en'><head>"
        f"<title>{title}</title><meta property='og:type' content='article'>"
        f"<meta property='article:published_time' content='2026-02-{number % 28 + 1:02d}'>"
        "</head><body><nav><a href='/valley'>Home</a></nav>"
        f"<article class='a8Kq_main'><h1>{title}</h1>{''.join(body)}</article></body></html>"
    )


def build_boiler_site(server: TestServer) -> list[str]:
    """Register the index (``/valley``) and the articles (``/valley/story-I``); their paths."""
    paths = [f"/valley/story-{i}" for i in range(ARTICLES)]
    for number, path in enumerate(paths):
        server.route(path, body=article_html(number))
    links = "".join(f"<li><a href='{p}'>Headline of the story at {p}</a></li>" for p in paths)
    server.route(
        "/valley",
        body=f"<!doctype html><html><head><title>Valley</title></head><body><ul>{links}</ul>"
        "</body></html>",
    )
    return paths


def write_boiler_config(folder_text: str, server: TestServer) -> str:
    """The config.toml text crawling the site with raw capture, everything under a folder."""
    base = server.url("/").rstrip("/").replace(".", "\\\\.")
    return f"""
[fetch]
allowed_networks = ["127.0.0.1/32"]
respect_robots = false
per_host_delay = 0
per_host_concurrency = 8
retries = 0
timeout = 5

[crawl]
state = "{folder_text}/state/crawl.sqlite"
workers = 8
warc = "{folder_text}/warc"

[sink]
kind = "jsonl"
path = "{folder_text}/out"

[[sources]]
name = "valley"
seeds = ["{server.url("/valley")}"]
follow = ["^{base}/valley"]
max_depth = 2
max_pages = 200
discover = false
schedule = "every 30m"
"""
