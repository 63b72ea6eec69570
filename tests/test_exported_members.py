"""The public API is declared once, in scraper.__all__; this pins it."""

from __future__ import annotations

import scraper

EXPECTED = {
    "SCHEMA_VERSION", "Article", "ConfigError", "ExtractError", "FetchError", "Metadata",
    "NotHTMLError", "Page", "PageType", "ScraperError", "__version__", "extract", "extract_url",
}  # fmt: skip


def test_all_is_pinned() -> None:
    assert set(scraper.__all__) == EXPECTED


def test_every_exported_name_exists() -> None:
    for name in scraper.__all__:
        assert hasattr(scraper, name), name


def test_lazy_package_names_are_never_shadowed_by_submodules() -> None:
    """scraper and scraper.crawl export names on first use; a submodule of the same name,
    once imported, would take the name's place (``from scraper.crawl import learn`` giving the
    module): every exported name stays itself after all submodules are imported."""
    import importlib
    import pkgutil
    import types

    import scraper.crawl

    for package in (scraper, scraper.crawl):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not module.name.endswith("__main__"):  # that one runs the CLI
                importlib.import_module(module.name)
        for name in package.__all__:
            assert not isinstance(getattr(package, name), types.ModuleType), (package, name)
