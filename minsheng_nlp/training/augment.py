"""Layout-noise augmentation of annotated text, with entity offsets recomputed exactly.

Real reports arrive broken (GUIDELINE §5): hard line breaks inside words and numbers
(``2023\\n\\n年``, ``1.5\\n万``), web junk injected mid-sentence, layout spaces around
numbers (``新建 1300 个``, ``5 万``), full-width digits, list items rendered as ``|`` table
rows and traditional characters. Each function here takes a :class:`Sample` (text + entity
spans) and a seeded :class:`random.Random` and returns a NEW sample; the input is never
changed. All of them are built on :func:`apply_edits`, which maps every kept character to
its new offset, so entity spans stay exact:

* an insertion strictly inside a span becomes part of it (``2023\\n\\n年`` stays one
  DEADLINE), an insertion at a span's start or end stays outside it;
* replacements inside spans are one character for one (full-width digits, traditional
  characters), so a span never starts or ends on inserted whitespace;
* deletions (list markers, clause punctuation turned into ``|`` cells) never touch a span.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, NamedTuple, Sequence

from ..rules.patterns import LEXICON_DIR, read_lexicon
from ..text.script import simplified_char

Span = tuple[int, int, str]


class Sample(NamedTuple):
    """A text and its entity spans ``(start, end, label)`` (character offsets, end exclusive)."""

    text: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``new`` (``start == end``: insert before ``start``)."""

    start: int
    end: int
    new: str


Augmenter = Callable[[Sample, random.Random], Sample]

_BREAKS = ("\n", "\n\n", "\n", "\r\n")
_SPACES = (" ", " ", "  ", "\u3000")
_NO_BREAK_AFTER = set("。！？；：!?;:…|｜\n")
_LIST_ITEM = re.compile(
    r"^[ \t\u3000]*(?:(\d{1,3})[.、．](?!\d)|[（(]([一二三四五六七八九十\d]{1,3})[)）]|([一二三四五六七八九十]{1,3})、)",
    re.M)
_CELL_PUNCT = set("，,；;：:。")
_ITEM_END = set("。；;)）")
_FULLWIDTH_DIGITS = {chr(c): chr(c + 0xFEE0) for c in range(ord("0"), ord("9") + 1)}


# --------------------------------------------------------------------------- edits

def _inner_boundaries(spans: Iterable[Span]) -> frozenset[int]:
    """The boundaries that lie strictly inside one of ``spans``."""
    return frozenset(p for s, e, _ in spans for p in range(s + 1, e))


def _entity_chars(spans: Iterable[Span]) -> frozenset[int]:
    """The offsets of the characters that belong to one of ``spans``."""
    return frozenset(k for s, e, _ in spans for k in range(s, e))


def _covered(spans: Iterable[Span], start: int, end: int) -> bool:
    """Whether any character of ``[start, end)`` belongs to one of ``spans``."""
    return any(s < end and start < e for s, e, _ in spans)


def apply_edits(sample: Sample, edits: Iterable[Edit]) -> Sample:
    """The sample with ``edits`` applied and every span moved to its new offsets.

    Edits must not overlap (several insertions at one position are applied in the given
    order). A replacement of different length deletes characters: it must not touch any
    span (``ValueError``); a same-length replacement maps character to character.
    """
    text, spans = sample
    ordered = sorted(edits, key=lambda ed: (ed.start, ed.end))
    new_pos = list(range(len(text)))
    pieces: list[str] = []
    pos = shift = 0
    for ed in ordered:
        if ed.start < pos or not 0 <= ed.start <= ed.end <= len(text):
            raise ValueError(f"overlapping or out-of-range edit {ed}")
        if ed.end > ed.start and len(ed.new) != ed.end - ed.start and _covered(spans, ed.start, ed.end):
            raise ValueError(f"edit {ed} deletes characters of an entity")
        pieces.append(text[pos:ed.start])
        for i in range(pos, ed.start):
            new_pos[i] = i + shift
        if len(ed.new) == ed.end - ed.start:
            for k in range(ed.start, ed.end):
                new_pos[k] = k + shift
        else:
            for k in range(ed.start, ed.end):
                new_pos[k] = -1
        pieces.append(ed.new)
        shift += len(ed.new) - (ed.end - ed.start)
        pos = ed.end
    pieces.append(text[pos:])
    for i in range(pos, len(text)):
        new_pos[i] = i + shift
    new_spans = tuple((new_pos[s], new_pos[e - 1] + 1, label) for s, e, label in spans)
    return Sample("".join(pieces), new_spans)


def _insertion_points(text: str, ok: Callable[[int], bool]) -> list[int]:
    return [p for p in range(1, len(text)) if ok(p)]


def _sample_positions(rng: random.Random, positions: Sequence[int], rate: float) -> list[int]:
    return [p for p in positions if rng.random() < rate]


# --------------------------------------------------------------------------- augmentations

def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _word_char(ch: str) -> bool:
    return _is_cjk(ch) or ch.isalnum() or ch in "."


def hard_line_breaks(sample: Sample, rng: random.Random, entity_rate: float = 0.3,
                     text_rate: float = 0.01, breaks: Sequence[str] = _BREAKS) -> Sample:
    """Hard line breaks inside words and numbers: ``2023\\n\\n年``, ``1.5\\n万``, ``城\\n乡``.

    Each entity longer than one character gets a break at a random inner boundary with
    probability ``entity_rate``; other word-internal boundaries with ``text_rate``.
    """
    text, spans = sample
    edits = []
    for s, e, _ in spans:
        if e - s > 1 and rng.random() < entity_rate:
            p = rng.randrange(s + 1, e)
            if not text[p - 1].isspace() and not text[p].isspace():
                edits.append(Edit(p, p, rng.choice(breaks)))
    inner = _inner_boundaries(spans)
    candidates = _insertion_points(
        text, lambda p: p not in inner and _word_char(text[p - 1]) and _word_char(text[p])
        and text[p - 1] not in _NO_BREAK_AFTER)
    edits += [Edit(p, p, rng.choice(breaks)) for p in _sample_positions(rng, candidates, text_rate)]
    return apply_edits(sample, edits)


def default_junk() -> tuple[str, ...]:
    """The web-junk strings of the rules' lexicon (``rules/lexicons/junk.txt``)."""
    return read_lexicon(LEXICON_DIR / "junk.txt")


def inject_junk(sample: Sample, rng: random.Random, junk: Sequence[str] | None = None,
                per_chars: int = 400) -> Sample:
    """Web junk (``半岛全站``) injected mid-sentence, between two CJK characters, outside entities.

    About one string per ``per_chars`` characters, at least one when there is a place.
    """
    text, spans = sample
    junk = tuple(junk) if junk is not None else default_junk()
    inner = _inner_boundaries(spans)
    candidates = _insertion_points(
        text, lambda p: p not in inner and _is_cjk(text[p - 1]) and _is_cjk(text[p]))
    if not junk or not candidates:
        return Sample(text, tuple(spans))
    count = min(len(candidates), max(1, len(text) // per_chars))
    points = sorted(rng.sample(candidates, count))
    return apply_edits(sample, [Edit(p, p, rng.choice(junk)) for p in points])


def layout_spaces(sample: Sample, rng: random.Random, rate: float = 0.5,
                  spaces: Sequence[str] = _SPACES) -> Sample:
    """Layout spaces where digits meet CJK text: ``新建 1300 个``, ``5 万`` (also inside spans)."""
    text, spans = sample

    def boundary(p: int) -> bool:
        a, b = text[p - 1], text[p]
        return (a.isdigit() and _is_cjk(b)) or (_is_cjk(a) and b.isdigit())

    points = _sample_positions(rng, _insertion_points(text, boundary), rate)
    return apply_edits(sample, [Edit(p, p, rng.choice(spaces)) for p in points])


def fullwidth_digits(sample: Sample, rng: random.Random, rate: float = 0.7) -> Sample:
    """ASCII digits → full-width (``３００``), whole digit runs at a time, each with ``rate``."""
    text, _ = sample
    edits = []
    for m in re.finditer(r"[0-9]+(?:\.[0-9]+)?", text):
        if rng.random() < rate:
            new = "".join(_FULLWIDTH_DIGITS.get(ch, "．") for ch in m.group())
            edits.append(Edit(m.start(), m.end(), new))
    return apply_edits(sample, edits)


def _whole_line_item(text: str, line_end: int) -> bool:
    """Whether the item line ending at ``line_end`` is the whole item (not hard-wrapped)."""
    body = text[:line_end].rstrip()
    if line_end >= len(text) or (body and body[-1] in _ITEM_END):
        return True
    next_end = text.find("\n", line_end + 1)
    next_line = text[line_end + 1:len(text) if next_end == -1 else next_end]
    return not next_line.strip() or _LIST_ITEM.match(next_line) is not None


def table_rows(sample: Sample, rng: random.Random, rate: float = 0.8) -> Sample:
    """List items rendered as table rows: ``1. 新建…，牵头单位…。`` → ``| 1 | 新建… | 牵头单位… |``.

    Only items that fill their line (it ends with 。；) or the text, or the next line is
    blank or another item), that no entity crosses, and whose marker and cell punctuation
    lie outside entities; each with probability ``rate``.
    """
    text, spans = sample
    inner, taken = _inner_boundaries(spans), _entity_chars(spans)
    edits: list[Edit] = []
    for m in _LIST_ITEM.finditer(text):
        line_start, line_end = m.start(), text.find("\n", m.start())
        line_end = len(text) if line_end == -1 else line_end
        if (not _whole_line_item(text, line_end) or line_start in inner or line_end in inner
                or any(k in taken for k in range(m.start(), m.end())) or rng.random() >= rate):
            continue
        number = next(g for g in m.groups() if g)
        edits.append(Edit(m.start(), m.end(), f"| {number} | "))
        body_end = line_end
        while body_end > m.end() and text[body_end - 1] in "。；; \t\r":
            body_end -= 1
        for k in range(m.end(), body_end):
            if text[k] in _CELL_PUNCT and k not in taken:
                edits.append(Edit(k, k + 1, " | "))
        if any(k in taken for k in range(body_end, line_end)):
            edits.append(Edit(line_end, line_end, " |"))
        else:
            edits.append(Edit(body_end, line_end, " |"))
    return apply_edits(sample, edits)


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def traditional_positions(text: str) -> dict[int, str]:
    """Offsets of ``text`` whose character has a traditional form, and that form.

    OpenCC ``s2t`` converts the whole text (phrase-aware: 公里 stays 公里, 头发 → 頭髮);
    when that changes the length, each character is converted alone. Only one-for-one
    changes are kept whose ``t2s`` gives the original back, so the cleaned view restores
    the text exactly.
    """
    converted = _s2t().convert(text)
    if len(converted) != len(text):
        converted = "".join(_s2t().convert(ch) if _is_cjk(ch) else ch for ch in text)
        if len(converted) != len(text):  # a character mapped to several: per char, 1:1 only
            singles = [_s2t().convert(ch) if _is_cjk(ch) else ch for ch in text]
            converted = "".join(t if len(t) == 1 else ch for ch, t in zip(text, singles))
    return {i: trad for i, (ch, trad) in enumerate(zip(text, converted))
            if trad != ch and _is_cjk(ch) and simplified_char(trad) == ch}


def traditional_chars(sample: Sample, rng: random.Random, rate: float = 0.8) -> Sample:
    """Traditional characters, one for one (``项目 万元`` → ``項目 萬元``), each with ``rate``."""
    edits = [Edit(i, i + 1, trad) for i, trad in sorted(traditional_positions(sample.text).items())
             if rng.random() < rate]
    return apply_edits(sample, edits)


AUGMENTERS: tuple[tuple[str, Augmenter], ...] = (
    ("hard_line_breaks", hard_line_breaks),
    ("inject_junk", inject_junk),
    ("layout_spaces", layout_spaces),
    ("fullwidth_digits", fullwidth_digits),
    ("table_rows", table_rows),
    ("traditional_chars", traditional_chars),
)


def augment_sample(sample: Sample, rng: random.Random, p: float = 0.5) -> Sample:
    """A random combination of :data:`AUGMENTERS` (each with probability ``p``, at least one)."""
    chosen = [fn for _, fn in AUGMENTERS if rng.random() < p]
    if not chosen:
        chosen = [rng.choice(AUGMENTERS)[1]]
    for fn in chosen:
        sample = fn(sample, rng)
    return sample


def augment(sample: Sample, copies: int, seed: int | str, key: str = "") -> list[Sample]:
    """``copies`` new noisy versions of ``sample``, the same for the same ``(seed, key)``.

    ``key`` (e.g. the record id and chunk number) gives each sample its own random
    stream, so adding a record does not change the others' augmentations.
    """
    return [augment_sample(sample, random.Random(f"{seed}:{key}:{i}")) for i in range(copies)]
