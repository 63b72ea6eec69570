"""Read a node's class, id and role as boilerplate or content, using the word tables in rules.py."""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from scraper.extract import rules

__all__ = ["Verdict", "attribute_verdict", "explain_verdict", "is_consent", "is_strong", "words_of"]

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[-_:.]+")


class Verdict(Enum):
    """What a node's attributes say about it."""

    BOILERPLATE = -1
    NEUTRAL = 0
    CONTENT = 1


def words_of(attribute: str) -> frozenset[str]:
    """The words of a class/id value: each token whole (separators dropped) and split.

    Example:
        >>> sorted(words_of("articleBody related-posts"))
        ['article', 'articlebody', 'body', 'posts', 'related', 'relatedposts']
    """
    return _words(attribute)


@lru_cache(maxsize=8192)
def _words(attribute: str) -> frozenset[str]:
    """Cached body of words_of: class strings repeat across a page and across pages."""
    words: set[str] = set()
    for token in attribute.split():
        words.add(_SEPARATORS.sub("", token).lower())
        for part in _SEPARATORS.split(_CAMEL.sub("-", token)):
            if part:
                words.add(part.lower())
    return frozenset(words)


@lru_cache(maxsize=8192)
def attribute_verdict(class_id: str, role: str = "") -> Verdict:
    """Judge a node by its class and id (joined by a space) and its ARIA role.

    A strong boilerplate word ("related", "newsletter", "share") always wins. A weak one
    ("meta", "author", "header") wins unless a content word comes after it in the same token:
    "entry-meta" and "article-header__author" are furniture, "meta-content" is not.
    """
    if role and role.strip().lower() in rules.BOILERPLATE_ROLES:
        return Verdict.BOILERPLATE
    words = _words(class_id)
    if words & rules.STRONG_BOILERPLATE_WORDS:
        return Verdict.BOILERPLATE
    verdicts = [_token_verdict(token) for token in class_id.split()]
    if Verdict.BOILERPLATE in verdicts:
        return Verdict.BOILERPLATE
    return Verdict.CONTENT if Verdict.CONTENT in verdicts else Verdict.NEUTRAL


@lru_cache(maxsize=8192)
def _token_verdict(token: str) -> Verdict:
    """The verdict of one class token: its last boilerplate or content word decides."""
    return _deciding_word(token)[1]


def _deciding_word(token: str) -> tuple[str, Verdict]:
    """The word of a class token that decides its verdict, and the verdict."""
    whole = _SEPARATORS.sub("", token).lower()
    if whole in rules.BOILERPLATE_WORDS:
        return whole, Verdict.BOILERPLATE
    parts = [p.lower() for p in _SEPARATORS.split(_CAMEL.sub("-", token)) if p]
    for part in reversed(parts):
        if part in rules.BOILERPLATE_WORDS:
            return part, Verdict.BOILERPLATE
        if part in rules.CONTENT_WORDS:
            return part, Verdict.CONTENT
    return (whole, Verdict.CONTENT) if whole in rules.CONTENT_WORDS else ("", Verdict.NEUTRAL)


def explain_verdict(tag: str, class_id: str, role: str) -> tuple[str, str]:
    """What made a node page furniture, for explanations: (what matched, the rules.py table).

    Follows the precedence of ``attribute_verdict``, then clean.py's furniture tags; ("", "")
    when nothing marks the node.

    Example:
        >>> explain_verdict("div", "related-posts ", "")
        ('class/id word "related"', 'STRONG_BOILERPLATE_WORDS')
    """
    if role and role.strip().lower() in rules.BOILERPLATE_ROLES:
        return f'role="{role.strip()}"', "BOILERPLATE_ROLES"
    strong = sorted(_words(class_id) & rules.STRONG_BOILERPLATE_WORDS)
    if strong:
        return f'class/id word "{strong[0]}"', "STRONG_BOILERPLATE_WORDS"
    for token in class_id.split():
        word, verdict = _deciding_word(token)
        if verdict is Verdict.BOILERPLATE:
            return f'class/id word "{word}" (in "{token}")', "BOILERPLATE_WORDS"
    if tag in rules.STRUCTURAL_TAGS:
        return f"<{tag}>", "STRUCTURAL_TAGS"
    return "", ""


def is_strong(class_id: str) -> bool:
    """Whether the class/id names a block that is boilerplate wherever it stands."""
    return bool(_words(class_id) & rules.STRONG_BOILERPLATE_WORDS)


def is_consent(class_id: str) -> bool:
    """Whether the class/id names a cookie or consent dialog (removed whatever its size)."""
    return bool(_words(class_id) & rules.CONSENT_WORDS)
