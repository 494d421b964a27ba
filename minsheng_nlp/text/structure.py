"""Document structure on the cleaned view: paragraphs, sentences, clauses, table cells.

The linker and the assembler ask structural questions ("which sentence holds this
quantity?", "is this paragraph a list item, a heading, a list lead?"); the answers come
from here, computed once per document in linear time.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property

SENTENCE_END = "。！？!?"
CLAUSE_END = SENTENCE_END + "；;"
MAX_CLAUSE = 160  # a task longer than this is cut at 、 or around its quantity
_SENTENCE_END_RE = re.compile(f"[{SENTENCE_END}]")
_CLAUSE_END_RE = re.compile(f"[{CLAUSE_END}]")
_ITEM_START = re.compile(
    r"\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、是]|"
    r"\d{1,3}[.、．](?!\d)|第[一二三四五六七八九十\d]{1,3}[条项]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]|[-*•·●]\s)"
)
_MARKDOWN_HEADING = re.compile(r"\s*#{1,6}\s")
_LEADING_PIPE = re.compile(r"\s*\|")
_LIST_MARKER = re.compile(
    r"\s*(?:#{1,6}\s*|[（(][一二三四五六七八九十\d]{1,3}[)）]\s*|[一二三四五六七八九十]{1,3}[、是]\s*|"
    r"\d{1,3}[.、．](?!\d)\s*|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*|[-*•·●]\s+)"
)


@dataclass(frozen=True)
class Paragraph:
    """A line of the view: ``[start, end)`` without its line break."""

    start: int
    end: int
    is_item: bool        # starts with a list marker (1. 一、 （三） 一是 …)
    is_heading: bool     # a short line without sentence punctuation, or a markdown heading
    is_markdown_heading: bool
    is_lead: bool        # ends with ：/: or announces a list (如下)
    is_table_row: bool


def _paragraph(text: str, start: int, end: int) -> Paragraph:
    line = text[start:end]
    stripped = line.strip()
    is_md = bool(_MARKDOWN_HEADING.match(line))
    is_item = bool(_ITEM_START.match(line))
    is_lead = stripped.endswith((":", "：")) or "如下" in stripped[-8:]
    is_heading = is_md or (
        0 < len(stripped) <= 40 and not is_lead and not any(c in stripped for c in "。！？!?；;，,:：")
        and not (is_item and stripped.endswith(("）", ")")) and ("单位" in stripped or "局" in stripped))
    )
    return Paragraph(start, end, is_item, is_heading, is_md, is_lead,
                     stripped.count("|") >= 2)


class Structure:
    """Paragraphs and sentence/clause boundaries of a view text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.paragraphs: list[Paragraph] = []
        pos = 0
        for m in re.finditer(r"\n", text):
            self.paragraphs.append(_paragraph(text, pos, m.start()))
            pos = m.end()
        self.paragraphs.append(_paragraph(text, pos, len(text)))
        self._para_starts = [p.start for p in self.paragraphs]
        self._sentence_ends = [m.end() for m in _SENTENCE_END_RE.finditer(text)]
        self._clause_ends = [m.end() for m in _CLAUSE_END_RE.finditer(text)]
        self._clauses: dict[int, tuple[int, int]] = {}  # clause() per position: linker and assembler ask alike

    def paragraph_index(self, pos: int) -> int:
        """Index of the paragraph holding view position ``pos``."""
        return max(0, bisect_right(self._para_starts, pos) - 1)

    def _bounded(self, pos: int, ends: list[int]) -> tuple[int, int]:
        para = self.paragraphs[self.paragraph_index(pos)]
        i = bisect_right(ends, pos)
        start = ends[i - 1] if i > 0 else 0
        end = ends[i] if i < len(ends) else len(self.text)
        return max(start, para.start), min(end, para.end)

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence (cut at 。！？ and line breaks) holding ``pos``."""
        return self._bounded(pos, self._sentence_ends)

    def clause_group(self, pos: int) -> tuple[int, int]:
        """The span cut at 。！？；; and line breaks holding ``pos``."""
        return self._bounded(pos, self._clause_ends)

    def clause(self, pos: int) -> tuple[int, int]:
        """The shortest clause (also cut at ，,) holding ``pos`` (guideline §4 ``task``).

        Every search looks at most ``MAX_CLAUSE`` (+1) characters away from ``pos``: a
        separator further away can only yield a clause longer than ``MAX_CLAUSE``, which is
        narrowed to ``MAX_CLAUSE // 2`` around ``pos`` all the same. So the result is the
        one of an unbounded search, and a huge unpunctuated text costs no more per quantity.
        Memoized per position.
        """
        found = self._clauses.get(pos)
        if found is None:
            found = self._clauses[pos] = self._clause(pos)
        return found

    def _clause(self, pos: int) -> tuple[int, int]:
        """:meth:`clause`, computed."""
        start, end = self.clause_group(pos)
        text = self.text
        if self.paragraphs[self.paragraph_index(pos)].is_table_row:
            cs = text.rfind("|", start, pos) + 1 or start
            ce = text.find("|", pos, end)
            start, end = max(start, cs), (ce if ce != -1 else end)
        near_start, near_end = max(start, pos - MAX_CLAUSE - 1), min(end, pos + MAX_CLAUSE + 1)
        left = max(text.rfind("，", near_start, pos), text.rfind(",", near_start, pos))
        right = min([i for i in (text.find("，", pos, near_end), text.find(",", pos, near_end)) if i != -1] or [end])
        start, end = (left + 1 if left != -1 else start), right
        if end - start > MAX_CLAUSE:
            # an unpunctuated run (lists joined by 、, scraped tables): narrow to its 、 item
            half = MAX_CLAUSE // 2
            left = text.rfind("、", max(start, pos - half - 1), pos)
            right = text.find("、", pos, min(end, pos + half + 1))
            start = max(left + 1 if left != -1 else start, pos - half)
            end = min(right if right != -1 else end, pos + half)
        return start, end

    @cached_property
    def _pipes(self) -> list[int]:
        return [m.start() for m in re.finditer(r"\|", self.text)]

    @cached_property
    def table_tops(self) -> list[int]:
        """For each paragraph, the first of the run of table rows right above it and itself.

        ``table_tops[i]`` is where a walk up from ``i`` over table rows stops (``i`` itself
        when the paragraph before is not a table row): the header row of ``i``'s table.
        """
        tops: list[int] = []
        for i in range(len(self.paragraphs)):
            tops.append(tops[i - 1] if i > 0 and self.paragraphs[i - 1].is_table_row else i)
        return tops

    def cell(self, pos: int) -> tuple[int, int] | None:
        """``(row paragraph index, column index)`` of a table cell, else None."""
        pi = self.paragraph_index(pos)
        para = self.paragraphs[pi]
        if not para.is_table_row:
            return None
        bars = bisect_left(self._pipes, pos) - bisect_left(self._pipes, para.start)  # "|" in the row before pos
        col = bars - (1 if _LEADING_PIPE.match(self.text, para.start, pos) else 0)
        return pi, col


def strip_marker(text: str) -> str:
    """Remove a leading list marker (1. （一） 一、 一是 ##) from a clause."""
    return _LIST_MARKER.sub("", text, count=1)
