"""The shingle metric of the article-extraction benchmark (AEB), reproduced exactly.

We score with the AEB's own definition so that our figures sit next to the published ones
(trafilatura F1 0.958 on the full AEB) without a footnote. The recipe:

1. tokens: every match of ``\\w+`` (Unicode);
2. shingles: every run of 4 consecutive tokens, counted as a multiset;
3. per page: tp = shared shingles, fp = predicted only, fn = true only, each divided by
   tp + fp + fn so that every page weighs the same, however long;
4. precision = mean over pages of tp / (tp + fp), leaving out pages with tp + fp = 0;
   recall = mean of tp / (tp + fn), leaving out pages with tp + fn = 0; a page with
   fp = fn = 0 counts 1 for both;
5. F1 = 2PR / (P + R) from the two means; accuracy = share of pages whose token lists match.

Two edge cases the README leaves open, settled as the AEB's evaluate.py settles them:

- a text of 1 to 3 tokens has no 4-gram; its whole token tuple counts as one shingle, so that a
  short prediction is neither invisible nor free;
- a page where truth and prediction are both empty has tp = fp = fn = 0 and is left out of
  both means (the "leave out" filter runs before the "fp = fn = 0 counts 1" rule); it still
  counts as an exact match for accuracy.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["PageScore", "Summary", "score_page", "shingles", "summarise", "tokenize"]

# The AEB's tokenizer: runs of Unicode word characters; punctuation and spacing never count.
_TOKEN_RE = re.compile(r"\w+")

# Shingle length of the AEB: long enough to reward word order, short enough to forgive a
# reworded sentence boundary.
SHINGLE_SIZE = 4

Shingle = tuple[str, ...]


@dataclass(frozen=True)
class PageScore:
    """One page's normalised counts and the ratios derived from them.

    ``precision`` is None when the page is left out of the precision mean (tp + fp = 0),
    ``recall`` likewise (tp + fn = 0); ``f1`` is None only when both texts are empty. The
    AEB's "fp = fn = 0 counts 1" rule needs no branch: such a page has tp = 1 after the
    normalisation (or is left out when both texts are empty).
    """

    tp: float
    fp: float
    fn: float
    exact: bool

    @property
    def precision(self) -> float | None:
        if self.tp + self.fp == 0:
            return None
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        if self.tp + self.fn == 0:
            return None
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        """The page's own F1, 2tp / (2tp + fp + fn): handy to rank bad pages, not used in means."""
        total = 2 * self.tp + self.fp + self.fn
        return None if total == 0 else 2 * self.tp / total


@dataclass(frozen=True)
class Summary:
    """The AEB figures over a group of pages."""

    pages: int
    precision: float
    recall: float
    f1: float
    accuracy: float


def tokenize(text: str) -> list[str]:
    """Split ``text`` into the AEB's tokens.

    Example:
        >>> tokenize("Don't panic, 42!")
        ['Don', 't', 'panic', '42']
    """
    return _TOKEN_RE.findall(text)


def shingles(tokens: Sequence[str], size: int = SHINGLE_SIZE) -> Counter[Shingle]:
    """Count the runs of ``size`` consecutive tokens; a shorter non-empty text is one shingle.

    Example:
        >>> shingles(["a", "b"])
        Counter({('a', 'b'): 1})
    """
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def score_page(predicted: str, truth: str) -> PageScore:
    """Compare one page's predicted text with its ground truth.

    Args:
        predicted: the extractor's text ("" when it found nothing or failed).
        truth: the ground-truth main content.

    Returns:
        tp, fp and fn divided by their sum (all 0 when both texts are empty), and whether the
        token lists match exactly.

    Example:
        >>> score_page("a b c d e", "a b c d").tp
        0.5
    """
    predicted_tokens, true_tokens = tokenize(predicted), tokenize(truth)
    predicted_shingles, true_shingles = shingles(predicted_tokens), shingles(true_tokens)
    tp = sum((predicted_shingles & true_shingles).values())
    fp = sum((predicted_shingles - true_shingles).values())
    fn = sum((true_shingles - predicted_shingles).values())
    total = tp + fp + fn
    scale = 1 / total if total else 0.0
    return PageScore(tp * scale, fp * scale, fn * scale, predicted_tokens == true_tokens)


def summarise(scores: Sequence[PageScore]) -> Summary:
    """Average page scores the AEB way: means of the page ratios, F1 from the two means.

    A mean over no eligible page (say, an extractor that returned nothing anywhere) is 0.0,
    where the AEB script would crash.

    Example:
        >>> summarise([score_page("a b c d", "a b c d")]).f1
        1.0
    """
    precision = _mean([s.precision for s in scores if s.precision is not None])
    recall = _mean([s.recall for s in scores if s.recall is not None])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = _mean([1.0 if s.exact else 0.0 for s in scores])
    return Summary(len(scores), precision, recall, f1, accuracy)


def _mean(values: Sequence[float]) -> float:
    """Arithmetic mean, 0.0 for no values."""
    return sum(values) / len(values) if values else 0.0
