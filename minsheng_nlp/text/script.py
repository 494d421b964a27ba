"""Character-level normalization: full-width ASCII and traditional → simplified.

Every mapping is one character to one character, so offsets never move.
"""
from __future__ import annotations

from functools import lru_cache

# U+FF01..U+FF5E are the full-width forms of ASCII U+0021..U+007E.
FULLWIDTH_TABLE: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
FULLWIDTH_TABLE.update({0x3000: 0x20, 0xA0: 0x20, 0x2014: 0x2014})


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def simplified_char(ch: str) -> str:
    """The simplified form of one character, or the character itself."""
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


def char_table(text: str) -> dict[int, int]:
    """A ``str.translate`` table for ``text``: full-width ASCII and traditional chars."""
    table = dict(FULLWIDTH_TABLE)
    for ch in set(text):
        if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
            simple = simplified_char(ch)
            if simple != ch:
                table[ord(ch)] = ord(simple)
    return table


def normalize_chars(text: str) -> str:
    """``text`` with full-width ASCII → ASCII and traditional → simplified, same length."""
    return text.translate(char_table(text))
