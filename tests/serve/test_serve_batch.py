"""POST /extract/batch: JSON Lines as each URL finishes; a failing URL is an error line."""

from __future__ import annotations

import json

import httpx
from server import Reply, TestServer

PAGE = (
    "<html><head><title>{}</title></head>"
    "<body><article><p>{} is here, with words.</p></article></body></html>"
)


def _lines(answer: httpx.Response) -> list[dict[str, object]]:
    return [json.loads(line) for line in answer.text.splitlines()]


def test_a_failing_url_gives_an_error_line_and_the_others_still_come(
    api: httpx.Client, http_server: TestServer
) -> None:
    good = [http_server.route(f"/a{i}", body=PAGE.format(f"A{i}", f"A{i}")) for i in range(3)]
    urls = [good[0], http_server.url("/missing"), good[1], "http://10.0.0.1/", good[2]]
    answer = api.post("/extract/batch", json={"urls": urls})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/x-ndjson"
    lines = sorted(_lines(answer), key=lambda line: int(str(line["index"])))
    assert [line["url"] for line in lines] == urls
    assert [line["record"]["title"] for line in lines if "record" in line] == ["A0", "A1", "A2"]  # type: ignore[index]
    errors = {line["index"]: line["error"] for line in lines if "error" in line}
    assert errors[1]["type"] == "upstream_status"  # type: ignore[index]
    assert errors[3] == {"type": "blocked_address", "message": errors[3]["message"], "status": 400}  # type: ignore[index]


def test_lines_come_as_each_url_finishes(api: httpx.Client, http_server: TestServer) -> None:
    slow = http_server.route_replies(
        "/slow", Reply(body=PAGE.format("S", "S"), first_byte_delay=1.0)
    )
    fast = http_server.route("/fast", body=PAGE.format("F", "F"))
    with api.stream("POST", "/extract/batch", json={"urls": [slow, fast]}) as answer:
        first = json.loads(next(answer.iter_lines()))
        assert first["url"] == fast
        slow_requests = http_server.requests("/slow")  # the slow page is still going:
        assert not slow_requests or slow_requests[0].finished is None


def test_too_many_urls_is_400(api: httpx.Client) -> None:
    answer = api.post("/extract/batch", json={"urls": ["https://example.com/"] * 21})
    assert answer.status_code == 400
    assert "serve.batch_max" in answer.json()["error"]["message"]


def test_an_empty_batch_is_400(api: httpx.Client) -> None:
    assert api.post("/extract/batch", json={"urls": []}).status_code == 400
