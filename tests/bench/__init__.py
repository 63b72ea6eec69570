"""Tests of scraper.bench; a package so that spawned workers can import the stand-ins."""
