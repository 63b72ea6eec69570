"""The page at / in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Skipped when no chromium binary is installed (.ci/run installs Debian's package).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from server import TestServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary (apt-get install chromium; .ci/run does)"
)
# As root on this machine: no sandbox, and no background connections to Google's hosts.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE = (
    "<html><head><title>Rain in Spain | The Daily</title>"
    "<meta name='author' content='Ana Ruiz'></head><body><nav>Home | World | Sport</nav>"
    "<article><h1>Rain in Spain</h1>"
    "<p>The rain in Spain stays mainly in the plain, say the forecasters, again and again.</p>"
    "<p>Farmers in the valleys, who had hoped for more, were left waiting for the clouds.</p>"
    "</article><footer>Subscribe to our newsletter</footer></body></html>"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, chromium_sandbox=False, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def test_the_page_shows_the_article_its_metadata_and_the_explain_view(
    browser: Any, api: httpx.Client, http_server: TestServer, tmp_path: Path
) -> None:
    url = http_server.route("/news/rain", body=PAGE)
    page = browser.new_page()
    page.goto(str(api.base_url) + "/")
    page.fill("#url", url)
    page.click("#submit")
    page.wait_for_selector("#article:not([hidden])")
    assert page.text_content("#title") == "Rain in Spain"
    assert "mainly in the plain" in (page.text_content("#body") or "")
    assert "Subscribe" not in (page.text_content("#body") or "")
    metadata = page.text_content("#metadata") or ""
    assert "Ana Ruiz" in metadata
    assert "meta" in metadata  # the author's provenance

    page.check("#explain-toggle")
    page.click("#submit")
    page.wait_for_selector("#explain:not([hidden])")
    assert page.locator("#explain-list li.kept").count() >= 2
    assert page.locator("#explain-list li.removed").count() >= 1

    shot = tmp_path / "page.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 1000
    page.close()


def test_the_page_shows_an_error_for_a_refused_url(browser: Any, api: httpx.Client) -> None:
    page = browser.new_page()
    page.goto(str(api.base_url) + "/")
    page.fill("#url", "http://169.254.169.254/latest/meta-data/")
    page.click("#submit")
    page.wait_for_selector("#error:not([hidden])")
    assert (page.text_content("#error") or "").startswith("blocked_address:")
    page.close()
