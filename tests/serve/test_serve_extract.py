"""POST and GET /extract, /explain, /health, /metrics, /openapi.json and /docs over real HTTP."""

from __future__ import annotations

import json

import httpx
from server import TestServer

from scraper import extract

PAGE = (
    "<!doctype html><html lang='en'><head><title>Rain in Spain | The Daily</title>"
    "<meta name='author' content='Ana Ruiz'></head><body><nav>Home | World</nav>"
    "<article><h1>Rain in Spain</h1>"
    "<p>The rain in Spain stays mainly in the plain, say the forecasters, again and again.</p>"
    "<p>Farmers in the valleys, who had hoped for more, were left waiting for the clouds.</p>"
    "</article><footer>Subscribe to our newsletter</footer></body></html>"
)
URL = "https://example.com/news/rain"


def test_posted_html_gives_the_same_record_as_scraper_extract(api: httpx.Client) -> None:
    answer = api.post("/extract", json={"html": PAGE, "url": URL})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == json.loads(json.dumps(extract(PAGE, url=URL).to_dict()))


def test_format_text_and_markdown(api: httpx.Client) -> None:
    text = api.post("/extract", params={"format": "text"}, json={"html": PAGE})
    markdown = api.post("/extract", params={"format": "markdown"}, json={"html": PAGE})
    assert text.headers["content-type"].startswith("text/plain")
    assert text.text == extract(PAGE).text
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# Rain in Spain\n\n")


def test_posted_url_is_fetched(api: httpx.Client, http_server: TestServer) -> None:
    url = http_server.route("/news/rain", body=PAGE)
    record = api.post("/extract", json={"url": url}).json()
    assert record["url"] == url
    assert record["title"] == "Rain in Spain"
    assert "mainly in the plain" in record["text"]


def test_get_extract_fetches_the_url_parameter(api: httpx.Client, http_server: TestServer) -> None:
    url = http_server.route("/news/rain", body=PAGE)
    answer = api.get("/extract", params={"url": url, "format": "text"})
    assert answer.status_code == 200
    assert answer.text == extract(PAGE, url=url).text


def test_explain_gives_the_record_and_kept_and_removed_blocks(api: httpx.Client) -> None:
    answer = api.post("/explain", json={"html": PAGE, "url": URL}).json()
    assert answer["record"]["title"] == "Rain in Spain"
    statuses = {entry["status"] for entry in answer["explain"]["document"]}
    assert {"kept", "removed"} <= statuses


def test_health_answers_ok(api: httpx.Client) -> None:
    assert api.get("/health").json() == {"status": "ok", "version": "0.1.0"}


def test_metrics_count_requests_errors_and_extraction_time(api: httpx.Client) -> None:
    api.post("/extract", json={"html": PAGE})
    api.post("/extract", json={"url": "gopher://example.com/"})
    exposition = api.get("/metrics").text
    assert 'scraper_http_requests_total{method="POST",route="/extract",status="200"}' in exposition
    assert 'scraper_errors_total{type="invalid_url"}' in exposition
    assert "scraper_extract_seconds_bucket" in exposition


def test_openapi_document_lists_the_routes_and_the_record_schema(api: httpx.Client) -> None:
    document = api.get("/openapi.json").json()
    assert {"/extract", "/extract/batch", "/explain", "/health", "/metrics"} <= set(
        document["paths"]
    )
    assert "text" in document["components"]["schemas"]["Record"]["properties"]


def test_interactive_docs_are_served_without_a_cdn(api: httpx.Client) -> None:
    page = api.get("/docs").text
    assert "/docs/static/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert api.get("/docs/static/swagger-ui-bundle.js").status_code == 200


def test_the_page_is_self_contained(api: httpx.Client) -> None:
    answer = api.get("/")
    assert answer.status_code == 200
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert "src=" not in answer.text  # no script, style or image from elsewhere
