"""The API's request and response bodies, as pydantic models (they make /openapi.json).

The record itself is not modelled twice: its JSON Schema is the shipped
``scraper/sink/record.schema.json``, put into the OpenAPI document as ``Record``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Final, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "MAX_URL_CHARS",
    "BatchRequest",
    "ErrorBody",
    "ErrorDetail",
    "ExtractRequest",
    "Format",
    "Health",
    "record_schema",
]

MAX_URL_CHARS: Final = 8192  # longer than any URL a browser or server takes (about 2-8 kB)

Format = Literal["json", "text", "markdown"]


class ExtractRequest(BaseModel):
    """A page to extract: ``url`` alone is fetched; with ``html``, ``url`` only resolves links."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(
        None,
        max_length=MAX_URL_CHARS,
        description="An absolute http(s) URL; fetched unless html is given.",
        examples=["https://example.com/a"],
    )
    html: str | None = Field(
        None,
        description="The page's HTML; the request body size limit applies.",
        examples=["<html><body><article><p>Hello, world.</p></article></body></html>"],
    )

    @model_validator(mode="after")
    def _url_or_html(self) -> Self:
        """At least one of url and html."""
        if self.url is None and self.html is None:
            raise ValueError("give url (to fetch) or html (with url to resolve links)")
        return self


class BatchRequest(BaseModel):
    """URLs to fetch and extract; the answer is one JSON line per URL as each finishes."""

    model_config = ConfigDict(extra="forbid")

    urls: list[str] = Field(
        min_length=1,
        description="Absolute http(s) URLs, at most serve.batch_max of them.",
        examples=[["https://example.com/a", "https://example.com/b"]],
    )


class ErrorDetail(BaseModel):
    """What went wrong."""

    type: str = Field(description="bad_request, unauthorized, blocked_address, busy, ...")
    message: str = Field(description="What is wrong and what to do.")


class ErrorBody(BaseModel):
    """Every error answer."""

    error: ErrorDetail


class Health(BaseModel):
    """The answer of /health."""

    status: Literal["ok"]
    version: str


def record_schema() -> dict[str, Any]:
    """The record's JSON Schema (scraper/sink/record.schema.json), ready to embed."""
    text = resources.files("scraper.sink").joinpath("record.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return {k: v for k, v in schema.items() if k not in ("$schema", "$id")}
