"""Errors are JSON {"error": {"type", "message"}} with the status that says why."""

from __future__ import annotations

import httpx
import pytest
from server import TestServer


def _error(answer: httpx.Response) -> str:
    """The error type of an error answer, after checking its shape."""
    body = answer.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"type", "message"}
    assert "Traceback" not in answer.text
    return str(body["error"]["type"])


@pytest.mark.parametrize(
    ("body", "error_type"),
    [
        ({}, "bad_request"),
        ({"url": 5}, "bad_request"),
        ({"url": "https://example.com/", "extra": 1}, "bad_request"),
        ({"url": "not a url"}, "invalid_url"),
        ({"url": "ftp://example.com/file"}, "invalid_url"),
    ],
    ids=["empty", "url-not-a-string", "unknown-key", "not-a-url", "not-http"],
)
def test_bad_input_is_400(api: httpx.Client, body: dict[str, object], error_type: str) -> None:
    answer = api.post("/extract", json=body)
    assert answer.status_code == 400
    assert _error(answer) == error_type


def test_malformed_json_is_400(api: httpx.Client) -> None:
    answer = api.post(
        "/extract", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert _error(answer) == "bad_request"


def test_unknown_format_is_400(api: httpx.Client) -> None:
    answer = api.post("/extract", params={"format": "pdf"}, json={"html": "<p>x</p>"})
    assert answer.status_code == 400


@pytest.mark.parametrize("path", ["/fault/pdf", "/fault/binary-as-html"], ids=["pdf", "binary"])
def test_a_page_that_is_not_html_is_422(
    api: httpx.Client, http_server: TestServer, path: str
) -> None:
    answer = api.post("/extract", json={"url": http_server.url(path)})
    assert answer.status_code == 422
    assert _error(answer) == "not_html"


def test_an_upstream_error_status_is_502(api: httpx.Client, http_server: TestServer) -> None:
    answer = api.post("/extract", json={"url": http_server.url("/missing")})
    assert answer.status_code == 502
    assert _error(answer) == "upstream_status"


def test_an_unresolvable_host_is_502(api: httpx.Client) -> None:
    answer = api.post("/extract", json={"url": "http://no-such-host.invalid/"})
    assert answer.status_code == 502
    assert _error(answer) == "connect_failed"


def test_an_unknown_route_is_404(api: httpx.Client) -> None:
    answer = api.get("/nowhere")
    assert answer.status_code == 404
    assert _error(answer) == "not_found"


def test_a_wrong_method_is_405(api: httpx.Client) -> None:
    answer = api.delete("/extract")
    assert answer.status_code == 405
    assert _error(answer) == "method_not_allowed"
