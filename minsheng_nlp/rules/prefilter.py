"""A first-character guard for big regexes, so that ``finditer`` skips hopeless positions.

Python's regex engine tries every alternative of a pattern at every position of the text.
For a pattern such as :data:`~minsheng_nlp.rules.patterns.DEADLINE_RE` (a dozen branches,
most starting with optional parts or look-behinds) that costs far more than the matching.
:func:`prefiltered` puts a look-ahead ``(?=[…])`` in front: the set of characters a match
can start with, computed from the parsed pattern. The look-ahead is zero-width and only
rejects positions where no match can start, so matches are exactly the same; when the set
cannot be computed (a pattern that may match the empty string, ``.``, a negated class, a
case-insensitive flag…) the pattern is returned unchanged.
"""
from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+: the parser behind re.compile
    from re import _constants as C, _parser as parser
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as parser  # type: ignore[no-redef]

_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s", C.CATEGORY_WORD: r"\w"}
_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
_REPEATS = tuple(getattr(C, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(C, name))


class _Unknown(Exception):
    """The first characters of this pattern cannot be listed."""


def _char(code: int) -> str:
    return re.escape(chr(code))  # escapes - ] \ ^ too: safe inside a class


def _in_class(items: list[tuple[Any, Any]]) -> set[str]:
    out: set[str] = set()
    for op, arg in items:
        if op is C.LITERAL:
            out.add(_char(arg))
        elif op is C.RANGE:
            out.add(f"{_char(arg[0])}-{_char(arg[1])}")
        elif op is C.CATEGORY and arg in _CATEGORIES:
            out.add(_CATEGORIES[arg])
        else:  # NEGATE and the rest
            raise _Unknown
    return out


def _first_of_sequence(items: Any) -> tuple[set[str], bool]:
    """(first characters, may be empty) of a sequence of parsed items."""
    first: set[str] = set()
    for op, arg in items:
        if op in _ZERO_WIDTH:
            continue  # anchors and look-arounds consume nothing
        chars, nullable = _first_of_item(op, arg)
        first |= chars
        if not nullable:
            return first, False
    return first, True


def _first_of_item(op: Any, arg: Any) -> tuple[set[str], bool]:
    if op is C.LITERAL:
        return {_char(arg)}, False
    if op is C.IN:
        return _in_class(arg), False
    if op is C.BRANCH:
        first: set[str] = set()
        nullable = False
        for alternative in arg[1]:
            chars, empty = _first_of_sequence(alternative)
            first |= chars
            nullable = nullable or empty
        return first, nullable
    if op is C.SUBPATTERN:
        if arg[1] & (re.IGNORECASE | re.LOCALE):  # (?i:...)
            raise _Unknown
        return _first_of_sequence(arg[-1])
    if op in _REPEATS:
        low, _high, item = arg
        chars, nullable = _first_of_sequence(item)
        return chars, nullable or low == 0
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _first_of_sequence(arg)
    raise _Unknown  # ANY, NOT_LITERAL, GROUPREF, ...


def first_chars(pattern: str) -> str | None:
    """A regex class body listing every character a match of ``pattern`` can start with.

    None when it cannot be computed, or when ``pattern`` can match the empty string.
    """
    try:
        parsed = parser.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.LOCALE):
            return None
        chars, nullable = _first_of_sequence(parsed)
    except _Unknown:
        return None
    if nullable or not chars:
        return None
    return "".join(sorted(chars))


def prefiltered(pattern: str) -> str:
    """``pattern`` behind a look-ahead on its first characters (the same matches, found faster)."""
    chars = first_chars(pattern)
    return pattern if chars is None else f"(?=[{chars}])(?:{pattern})"
