"""Read a node's class, id and role as boilerplate or content, using the word tables in rules.py."""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache
from typing import Final, NamedTuple

from scraper.extract import rules

__all__ = [
    "Verdict",
    "attribute_verdict",
    "explain_verdict",
    "is_consent",
    "is_product_furniture",
    "is_strong",
    "without_comment_words",
    "words_of",
]

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


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
    words: set[str] = set()
    for token in attribute.split():
        whole, parts = _split(token)
        words.update((whole, *parts))
    return frozenset(words)


def _words(attribute: str) -> frozenset[str]:
    """The words of every token of a class/id value that some table reads (_Token.words;
    tokens repeat far more than values)."""
    tokens = attribute.split()
    if len(tokens) == 1:
        return _token(tokens[0]).words
    return frozenset().union(*(_token(t).words for t in tokens))


class _Token(NamedTuple):
    """One class token read once: its words (none when no table reads any of them), and its
    verdict with strong words first."""

    words: frozenset[str]
    verdict: Verdict
    strong: bool  # holds a STRONG_BOILERPLATE_WORDS word


# Every word a table reads from class tokens (the state and builder words only change how
# these are read). A token holding none of them, most tokens, is neutral and named nothing.
_READ_WORDS: Final = frozenset().union(
    rules.BOILERPLATE_WORDS,
    rules.STRONG_BOILERPLATE_WORDS,
    rules.CONTENT_WORDS,
    rules.CONSENT_WORDS,
    rules.COMMENT_WORDS,
    rules.PRODUCT_FURNITURE_WORDS,
)
_INERT: Final = _Token(frozenset(), Verdict.NEUTRAL, False)


# Cache sizes: one site's class vocabulary fits; 8x larger caches held 20 MB more per
# extraction process over 900 bench pages of 900 sites, for no measurable speed.
@lru_cache(maxsize=2048)
def _token(token: str) -> _Token:
    """Read one token. A strong word in any token makes the whole value boilerplate, so a
    value's verdict is boilerplate when any token's is, else content when any token's is."""
    whole, parts = _split(token)
    if whole not in _READ_WORDS and _READ_WORDS.isdisjoint(parts):
        return _INERT
    words = frozenset((whole, *parts))
    if len(parts) > 1 and parts[0] in rules.STATE_WORDS:
        verdict = _decide(whole, parts)[1]
        return _Token(words, Verdict.NEUTRAL if verdict is Verdict.BOILERPLATE else verdict, False)
    if words & rules.STRONG_BOILERPLATE_WORDS:
        return _Token(words, Verdict.BOILERPLATE, strong=True)
    return _Token(words, _decide(whole, _named_parts(parts))[1], strong=False)


def _named_parts(parts: list[str]) -> list[str]:
    """The parts of a token that name what the node is: a page builder's generic words
    ("elementor-widget-text-editor": every Elementor block is a "widget") name nothing."""
    if len(parts) > 1 and parts[0] in rules.PAGE_BUILDERS:
        return [part for part in parts if part not in rules.BUILDER_WORDS]
    return parts


def _split(token: str) -> tuple[str, list[str]]:
    """A token whole (separators dropped, lower case) and its parts (split on separators and
    camelCase, lower case). A token holds no whitespace, so separators become spaces and
    str.split() cuts there; only a token with upper case needs the camelCase pass. A utility
    class's variants are dropped: "print:break-inside-avoid" reads as "break-inside-avoid"."""
    if token.isalnum() and token.islower():
        return token, [token]
    if rules.UTILITY_VARIANT in token:
        token = token.rpartition(rules.UTILITY_VARIANT)[2]
    if rules.UTILITY_CLASS.match(token):
        return "", []
    if token.lower() != token:
        token = _CAMEL.sub("-", token)
    if token.isascii():  # lower case whole or in parts alike (not so a Greek final sigma)
        parts = _parts(token.lower())
        return "".join(parts), parts
    raw = _parts(token)
    return "".join(raw).lower(), [part.lower() for part in raw]


def _parts(token: str) -> list[str]:
    """A token cut at its separators (chained replace: str.translate with a table cost twice
    as much on short tokens)."""
    return token.replace("-", " ").replace("_", " ").replace(":", " ").replace(".", " ").split()


@lru_cache(maxsize=1024)
def attribute_verdict(class_id: str, role: str = "") -> Verdict:
    """Judge a node by its class and id (joined by a space) and its ARIA role.

    A strong boilerplate word ("related", "newsletter", "share") always wins. A weak one
    ("meta", "author", "header") wins unless a content word comes after it in the same token:
    "entry-meta" and "article-header__author" are furniture, "meta-content" is not.
    """
    if role and role.strip().lower() in rules.BOILERPLATE_ROLES:
        return Verdict.BOILERPLATE
    found = Verdict.NEUTRAL  # a loop, not a set of verdicts: Enum hashing is Python code
    for token in class_id.split():
        verdict = _token(token).verdict
        if verdict is Verdict.BOILERPLATE:
            return verdict
        if verdict is Verdict.CONTENT:
            found = verdict
    return found


def _deciding_word(token: str) -> tuple[str, Verdict]:
    """The word of a class token that decides its verdict, and the verdict."""
    whole, parts = _split(token)
    return _decide(whole, _named_parts(parts))


def _decide(whole: str, parts: list[str]) -> tuple[str, Verdict]:
    """The deciding word of a split token: the whole, else its last boilerplate or content part."""
    if whole in rules.BOILERPLATE_WORDS:
        return whole, Verdict.BOILERPLATE
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
    read = [(token, _token(token)) for token in class_id.split()]
    strong = frozenset().union(*(t.words for _, t in read if t.strong))
    if strong:
        return f'class/id word "{min(strong & rules.STRONG_BOILERPLATE_WORDS)}"', (
            "STRONG_BOILERPLATE_WORDS"
        )
    for token, found in read:
        if found.verdict is Verdict.BOILERPLATE:
            word = _deciding_word(token)[0]
            return f'class/id word "{word}" (in "{token}")', "BOILERPLATE_WORDS"
    if tag in rules.STRUCTURAL_TAGS:
        return f"<{tag}>", "STRUCTURAL_TAGS"
    return "", ""


def is_strong(class_id: str) -> bool:
    """Whether the class/id names a block that is boilerplate wherever it stands."""
    return any(_token(token).strong for token in class_id.split())


def is_product_furniture(class_id: str) -> bool:
    """Whether the class/id names a product page's customer reviews or ratings."""
    return bool(_words(class_id) & rules.PRODUCT_FURNITURE_WORDS)


def without_comment_words(class_id: str) -> str:
    """The class/id less its tokens that name comments ("elComment_42", "comment-body").

    Example:
        >>> without_comment_words("ipsEntry elComment_42 share-bar")
        'ipsEntry share-bar'
    """
    return " ".join(t for t in class_id.split() if not _token(t).words & rules.COMMENT_WORDS)


def is_consent(class_id: str) -> bool:
    """Whether the class/id names a cookie or consent dialog (removed whatever its size)."""
    return bool(_words(class_id) & rules.CONSENT_WORDS)
