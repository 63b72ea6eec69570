"""The AEB shingle metric on cases small enough to count by hand."""

from __future__ import annotations

from collections import Counter

import pytest

from scraper.bench.metric import PageScore, score_page, shingles, summarise, tokenize


def test_tokens_are_unicode_word_runs() -> None:
    assert tokenize("Don't panic, 42! Größe café") == ["Don", "t", "panic", "42", "Größe", "café"]


def test_shingles_are_runs_of_four() -> None:
    assert shingles(list("abcde")) == Counter([tuple("abcd"), tuple("bcde")])


def test_repeated_shingles_are_counted() -> None:
    assert shingles(list("abcdabcd"))[tuple("abcd")] == 2


def test_text_shorter_than_four_tokens_is_one_shingle() -> None:
    assert shingles(["a", "b"]) == Counter([("a", "b")])


def test_no_tokens_no_shingles() -> None:
    assert shingles([]) == Counter()


def test_identical_texts_score_one() -> None:
    score = score_page("a b c d e", "a b c d e")
    assert (score.tp, score.fp, score.fn, score.exact) == (1.0, 0.0, 0.0, True)
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_punctuation_and_spacing_do_not_count() -> None:
    assert score_page("Hello,  world!\n\nfoo-bar", "Hello world foo bar").exact


def test_extra_shingle_is_normalised_false_positive() -> None:
    # predicted {abcd, bcde}, true {abcd}: tp 1, fp 1, fn 0 -> 1/2, 1/2, 0
    score = score_page("a b c d e", "a b c d")
    assert (score.tp, score.fp, score.fn) == (0.5, 0.5, 0.0)
    assert (score.precision, score.recall) == (0.5, 1.0)
    assert score.f1 == pytest.approx(2 / 3)
    assert not score.exact


def test_shingles_compare_as_multisets() -> None:
    # predicted abcd x2, bcda, cdab, dabc; true abcd: tp 1, fp 4 -> precision 1/5
    score = score_page("a b c d a b c d", "a b c d")
    assert (score.tp, score.fp, score.fn) == (0.2, 0.8, 0.0)


def test_empty_prediction_is_left_out_of_precision_and_scores_zero_recall() -> None:
    score = score_page("", "a b c d")
    assert (score.precision, score.recall, score.f1) == (None, 0.0, 0.0)


def test_both_empty_is_left_out_of_both_means_but_exact() -> None:
    score = score_page("", "  ")
    assert (score.precision, score.recall, score.f1, score.exact) == (None, None, None, True)


def test_short_texts_differing_share_no_shingle() -> None:
    score = score_page("a b", "a b c")
    assert (score.tp, score.fp, score.fn) == (0.0, 0.5, 0.5)
    assert (score.precision, score.recall) == (0.0, 0.0)


def test_summary_averages_page_ratios_and_derives_f1_from_the_means() -> None:
    half_precise = score_page("a b c d e", "a b c d")  # p 0.5, r 1
    missed = score_page("", "a b c d")  # p left out, r 0
    both_empty = score_page("", "")  # left out of both, exact
    summary = summarise([half_precise, missed, both_empty])
    assert summary.pages == 3
    assert summary.precision == 0.5  # only the first page counts
    assert summary.recall == 0.5  # (1 + 0) / 2
    assert summary.f1 == 0.5
    assert summary.accuracy == pytest.approx(1 / 3)


def test_summary_without_eligible_pages_is_zero() -> None:
    summary = summarise([score_page("", "a b c d")])
    assert (summary.precision, summary.recall, summary.f1) == (0.0, 0.0, 0.0)


def test_summary_of_no_pages_is_zero() -> None:
    assert summarise([]).f1 == 0.0


def test_page_score_is_plain_data() -> None:
    assert PageScore(0.25, 0.25, 0.5, exact=False).recall == pytest.approx(1 / 3)
