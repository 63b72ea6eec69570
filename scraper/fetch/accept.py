"""Which content types a fetch takes: HTML pages by default, XML or plain text when asked.

The content type is judged from the response headers, before the body is read, so a refused
response costs no download. The size limits (``max_bytes``, decompression bombs) are the
same whatever is accepted: they live in body.py.
"""

from __future__ import annotations

import enum

from scraper.errors import ContentTypeError

__all__ = ["Accept", "accept_header", "check_content_type"]


class Accept(enum.Enum):
    """What a ``Fetcher.fetch`` call takes; any other content type raises ContentTypeError.

    A response without a Content-Type is taken, whatever is asked, and judged by its body.
    """

    HTML = "html"  # web pages: text/html, application/xhtml+xml (the default)
    # Sitemaps and feeds: the XML types; gzip files (application/gzip, or octet-stream with a
    # .gz path) for gzipped sitemaps, whose bytes stay compressed in Page.content (text is "");
    # and text/html or text/plain, which misconfigured servers send feeds as: the XML parser
    # of the caller decides whether the body is a sitemap or feed.
    XML = "xml"
    TEXT = "text"  # plain text such as robots.txt: any text/* type


_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_XML_TYPES = frozenset(
    {
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "text/html",  # a feed served as a page: common, harmless (the caller parses XML)
        "text/plain",  # likewise
    }
)
_GZIP_TYPES = frozenset({"application/gzip", "application/x-gzip"})
_BINARY_TYPE = "application/octet-stream"  # taken for XML only when the path ends in .gz

_ACCEPT_HEADERS = {
    Accept.HTML: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    Accept.XML: (
        "application/xml,text/xml,application/rss+xml,application/atom+xml,"
        "application/gzip;q=0.9,*/*;q=0.1"
    ),
    Accept.TEXT: "text/plain,*/*;q=0.1",
}
_WHAT = {
    Accept.HTML: "HTML or XHTML; scraper only extracts web pages, so skip this URL",
    Accept.XML: "XML or gzip (a sitemap or feed); skip this URL",
    Accept.TEXT: "plain text; skip this URL",
}


def accept_header(accept: Accept) -> str:
    """The Accept request header for ``accept``."""
    return _ACCEPT_HEADERS[accept]


def check_content_type(url: str, path: str, content_type: str, accept: Accept) -> None:
    """Return if the Content-Type fits ``accept`` (or is missing); raise otherwise.

    Args:
        url: for the error message.
        path: the URL's path (octet-stream counts as gzip only when it ends in .gz).
        content_type: the Content-Type header, parameters included.
        accept: what the caller takes.

    Raises:
        ContentTypeError: the type does not fit.
    """
    mime = content_type.split(";", 1)[0].strip().lower()
    if not mime or _fits(mime, path, accept):
        return
    raise ContentTypeError(url, f"the content type is {mime!r}, not {_WHAT[accept]}")


def _fits(mime: str, path: str, accept: Accept) -> bool:
    """Whether a present MIME type is one ``accept`` takes."""
    if accept is Accept.HTML:
        return mime in _HTML_TYPES
    if accept is Accept.TEXT:
        return mime.startswith("text/")
    gzip_path = path.lower().endswith(".gz")
    return mime in _XML_TYPES or mime in _GZIP_TYPES or (mime == _BINARY_TYPE and gzip_path)
