"""A cleaned *view* of a text with an exact offset map back to the input.

Real reports break lines inside words (``省政协十三届二\\n次会议``, ``2023\\n\\n年``), pad
numbers with layout spaces (``新建改建 1300 个``), mix full-width digits and
traditional characters. Rules match on the view; every span found there is mapped
back with :meth:`View.to_original`, so ``doc.text`` is never changed.

The view only *deletes* characters (layout line breaks and spaces) and *replaces*
characters one for one (full-width → ASCII, traditional → simplified).
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass

from .script import normalize_chars

# A run of whitespace that holds at least one line break.
_BREAK_RUN = re.compile(r"[ \t\u3000\xa0\r]*\n[\s\u3000\xa0]*")
# Horizontal spaces (not touching a line break: those are in _BREAK_RUN).
_SPACE_RUN = re.compile(r"[ \t\u3000\xa0]+")
# Characters after which a line break ends a sentence, a heading or a cell.
_TERMINAL = set("。！？；：!?;:…|｜")
_CLOSERS = set("”’」』)）】]》\"'")
# What a new paragraph, heading, list item or table row starts with.
_BLOCK_START = re.compile(
    r"[#＃|｜]|[-*•·●◆■□▲]\s|【|●|[\u4e00-\u9fff]{2,8}[:：]|"
    r"[（(][一二三四五六七八九十\d]{1,3}[)）]|"
    r"[一二三四五六七八九十]{1,3}[、是]|"
    r"\d{1,3}[.、．](?!\d)|"
    r"第[一二三四五六七八九十\d]{1,3}[章节部分条项]|"
    r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"
)
_HEADING_MAX = 40
# Characters that cannot open a line of their own: a break before them is a hard wrap.
_NEVER_STARTS = set("年月日万亿元个名户人次，,。、；;：:)）%％")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def is_layout_break(text: str, start: int, end: int) -> bool:
    """Whether the line-break run ``text[start:end]`` is a hard wrap inside a sentence.

    It is one when the line before does not end a sentence, heading or cell, the next
    line does not open a block (heading, list item, table row), and the line before is
    not a short stand-alone line (a heading) followed by a blank line.
    """
    if start == 0 or end >= len(text):
        return False
    prev = text[start - 1]
    if prev in _TERMINAL:
        return False
    if prev in _CLOSERS and start >= 2 and text[start - 2] in _TERMINAL:
        return False
    if text[end] in _NEVER_STARTS:
        return True  # 2023\n\n年, 1.5\n万: a line cannot start with these
    if _BLOCK_START.match(text, end):
        return False
    line_start = _line_start(text, start)
    line = text[line_start:start].strip()
    if not line or line[0] in "#|＃｜" or "|" in line or "｜" in line:
        return False
    next_end = text.find("\n", end)
    next_line = text[end:next_end if next_end != -1 else len(text)]
    if next_line.count("|") + next_line.count("｜") >= 2:
        return False  # the next line is a table row
    if len(line) <= _HEADING_MAX and _BLOCK_START.match(line) and not any(c in line for c in "，,。"):
        return False  # a numbered heading: 一、2023年工作回顾
    blank_after = text.count("\n", start, end) >= 2
    if blank_after and len(line) <= _HEADING_MAX:
        before = text[max(0, line_start - 3):line_start]
        standalone = line_start == 0 or before.count("\n") >= 2 or _BLOCK_START.match(line)
        heading_like = not any(c in line for c in "，,、") or line.endswith("—")
        if standalone and heading_like:
            return False
    return True


@dataclass(frozen=True)
class View:
    """``text`` is the cleaned view; ``index[i]`` is the input offset of ``text[i]``."""

    text: str
    index: array
    source_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a view span ``[start, end)`` to the input span covering the same characters."""
        if start >= end:
            pos = self.index[start] if start < len(self.index) else self.source_length
            return pos, pos
        return self.index[start], self.index[end - 1] + 1

    def to_view(self, offset: int) -> int:
        """The first view position whose input offset is >= ``offset``."""
        return bisect_left(self.index, offset)


def _deletions(text: str) -> list[tuple[int, int, bool]]:
    """Spans to drop, as (start, end, keep_one_newline), in order."""
    out: list[tuple[int, int, bool]] = []
    for m in _BREAK_RUN.finditer(text):
        s, e = m.span()
        if is_layout_break(text, s, e):
            out.append((s, e, False))
        else:
            out.append((s, e, True))
    spans: list[tuple[int, int, bool]] = []
    breaks = iter(out)
    nxt = next(breaks, None)
    for m in _SPACE_RUN.finditer(text):
        s, e = m.span()
        while nxt is not None and nxt[1] <= s:
            spans.append(nxt)
            nxt = next(breaks, None)
        if nxt is not None and nxt[0] <= s < nxt[1]:
            continue  # part of a line-break run
        before = text[s - 1] if s > 0 else ""
        after = text[e] if e < len(text) else ""
        if before and after and (_is_cjk(before) or _is_cjk(after) or "|" in (before, after)):
            spans.append((s, e, False))
    while nxt is not None:
        spans.append(nxt)
        nxt = next(breaks, None)
    spans.sort()
    return spans


def clean_view(text: str) -> View:
    """Build the cleaned view of ``text`` (linear in its length)."""
    pieces: list[str] = []
    index = array("l")
    pos = 0
    for s, e, keep_newline in _deletions(text):
        if s < pos:
            continue
        pieces.append(text[pos:s])
        index.extend(range(pos, s))
        if keep_newline:
            nl = text.index("\n", s, e)
            pieces.append("\n")
            index.append(nl)
        pos = e
    pieces.append(text[pos:])
    index.extend(range(pos, len(text)))
    return View(normalize_chars("".join(pieces)), index, len(text))
