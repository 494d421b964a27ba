"""The rule-based relation linker component (``minsheng_rules_linker``).

Links every QUANTITY to its UNIT, DEPARTMENT(s) and DEADLINE (guideline §3, §6):

* HAS_UNIT: the unit written right after the number (after 余/多), else the unit in
  its table column header or the table's ``单位：`` caption.
* HAS_DEADLINE: the nearest time expression of its own sentence (preceding first), else
  the nearest one earlier in its paragraph, else the nearest *framing* one before it
  (a heading, a paragraph-initial year, a list lead) within a window.
* HAS_DEPARTMENT: the bodies of its item note (牵头单位：…；责任单位：…) or table row, else
  the subject bodies of its sentence, else of its paragraph, else the bodies framing
  its list (a lead ending with ：, a heading, a speaker such as 据省民政厅…介绍).

Look-back is windowed (paragraph count and characters), so cost is linear.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from ..relations.types import set_relations
from ..text.docview import DocView, ViewEntity

_NOTE_LABELS = (r"(?:共同责任单位|牵头单位|责任单位|主责单位|责任部门|牵头部门|配合单位|协办单位|实施单位|"
                r"主管部门|承办单位|责任主体)")
_NOTE_CUE = re.compile(rf"{_NOTE_LABELS}[:：]?|(?:牵头|负责|责任)[:：]")
_COORD = set("、和与及,，/ ")
_NOT_SUBJECT_AFTER = re.compile(
    r"的?(?:坚强)?领导下|的?(?:大力)?支持下|的?部署|的?指导下|的?(?:决策|批示|肯定|重视|认可|表彰|通报|委托)"
)
_NOTE_LINE = re.compile(rf"\s*[(（【\[]?\s*(?:{_NOTE_LABELS}|牵头|负责|责任)[:：]")
_NOT_SUBJECT_BEFORE = re.compile(
    r"(?:涉及|包括|邀请|请|向|对|给|感谢|表彰|通报|面向|转化为|转化成|报送|提交|呈报|上报|提请|得到|受到|获得)[^，,。]*$"
)
_LOCAL = 400       # characters around a quantity searched in its own sentence / paragraph
_MAX_STEPS = 50    # candidates looked at per decision: cost stays linear in document length
PRESENTER_CHARS = 2000  # the body presenting a report is named in its opening characters (view offsets)
_SUB_YEAR = re.compile(r"月|季度|上半年|下半年|年中|年初")
_COMPLETES = re.compile(r"[^，,。；;]{0,3}(?:完成|建成|投用|投入使用|发放|到位|实现|开工|完工|竣工|落地|办结|开放|运行)")
_AS_OF = re.compile(r"(?:截至|截止|截止到)$")
_TARGET_CUE = re.compile(r"年度计划|年度目标|年度任务|全年计划|计划|目标")
_RESULT_CUE = re.compile(r"已|累计|完成了|实际")
_EXPLICIT_TIME = re.compile(r"(?:19|20)\d{2}|二[〇零○]|十[一二三四五]五")
_PRESENTER_BEFORE = re.compile(r"(?:代表|受)$")
_PRESENTER_AFTER = re.compile(r"[，,]?(?:委托[，,]?)?(?:向|作|报告)")


def _is_note_line(dv: DocView, p: int) -> bool:
    """A line that is only a responsibility note: 责任单位：区卫健局、区教育局."""
    para = dv.structure.paragraphs[p]
    return bool(_NOTE_LINE.match(dv.text, para.start, para.end))


def _has_explicit_time(dv: DocView, cands: list[int]) -> bool:
    """Whether a candidate names a year (2024年, 十四五) or is an as-of date (截至9月底)."""
    text, ents = dv.text, dv.entities
    return any(_AS_OF.search(text, max(0, ents[d].start - 3), ents[d].start)
               or _EXPLICIT_TIME.search(text, ents[d].start, ents[d].end) for d in cands)


def _group(ents: list[ViewEntity], idx: list[int], anchor: int, text: str) -> list[int]:
    """The anchor department and the ones co-ordinated with it on its left (省委、省政府)."""
    group = [anchor]
    pos = bisect_left(idx, anchor)
    while pos > 0 and len(group) < _MAX_STEPS:
        prev = idx[pos - 1]
        gap = text[ents[prev].end:ents[group[-1]].start]
        if all(ch in _COORD for ch in gap):
            group.append(prev)
            pos -= 1
        else:
            break
    return sorted(group)


class RulesLinker:
    """Links QUANTITY entities to UNIT, DEPARTMENT and DEADLINE entities by rule."""

    def __init__(self, name: str = "minsheng_rules_linker", window_paragraphs: int = 60,
                 window_chars: int = 6000) -> None:
        self.name = name
        self.window_paragraphs = window_paragraphs
        self.window_chars = window_chars

    def __call__(self, doc: Doc) -> Doc:
        dv = DocView.shared(doc)
        set_relations(doc, self.link(dv))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    # ------------------------------------------------------------------ linking
    def link(self, dv: DocView) -> list[tuple[int, int, int, int, str]]:
        ents = dv.entities
        by_label: dict[str, list[int]] = {"QUANTITY": [], "UNIT": [], "DEPARTMENT": [], "DEADLINE": []}
        for i, ent in enumerate(ents):
            by_label.setdefault(ent.label, []).append(i)
        starts = {label: [ents[i].start for i in idx] for label, idx in by_label.items()}
        relations: list[tuple[int, int, int, int, str]] = []

        def rel(q: int, t: int, label: str) -> None:
            qs, ts = ents[q].span, ents[t].span
            relations.append((qs.start_char, qs.end_char, ts.start_char, ts.end_char, label))

        used_units: set[int] = set()
        for q in by_label["QUANTITY"]:
            unit = self._unit(dv, q, by_label["UNIT"], starts["UNIT"])
            if unit is not None:
                used_units.add(unit)
                rel(q, unit, "HAS_UNIT")
        header_units = [u for u in by_label["UNIT"] if u not in used_units]
        header_starts = [ents[u].start for u in header_units]
        linked_unit = {(r[0], r[1]) for r in relations}
        row_deadlines: dict[int, int | None] = {}  # per table row: its deadline (rows repeat)
        framing: dict[tuple[int, str], Any] = {}  # per paragraph: what frames it (see _framing)
        for q in by_label["QUANTITY"]:
            qs = ents[q].span
            if (qs.start_char, qs.end_char) not in linked_unit:
                unit = self._header_unit(dv, q, header_units, header_starts)
                if unit is not None:
                    rel(q, unit, "HAS_UNIT")
            deadline = self._deadline(dv, q, by_label["DEADLINE"], starts["DEADLINE"], row_deadlines, framing)
            if deadline is not None:
                rel(q, deadline, "HAS_DEADLINE")
            for d in self._departments(dv, q, by_label["DEPARTMENT"], starts["DEPARTMENT"], framing):
                rel(q, d, "HAS_DEPARTMENT")
        return relations

    # ------------------------------------------------------------------ units
    @staticmethod
    def _unit(dv: DocView, q: int, units: list[int], unit_starts: list[int]) -> int | None:
        end = dv.entities[q].end
        i = bisect_left(unit_starts, end)
        if i < len(units):
            gap = dv.text[end:unit_starts[i]]
            if len(gap) <= 1 and all(ch in "余多" for ch in gap):
                return units[i]
        return None

    def _header_unit(self, dv: DocView, q: int, header_units: list[int],
                     header_starts: list[int] | None = None) -> int | None:
        """A unit in the column header (or caption) of the quantity's table."""
        st = dv.structure
        cell = st.cell(dv.entities[q].start)
        if cell is None or not header_units:
            return None
        row, col = cell
        first = row
        while first > 0 and st.paragraphs[first - 1].is_table_row and row - first < self.window_paragraphs:
            first -= 1
        lo = st.paragraphs[max(0, first - 3)].start
        hi = st.paragraphs[row].start
        best = None
        if header_starts is None:
            header_starts = [dv.entities[u].start for u in header_units]
        for u in header_units[bisect_left(header_starts, lo):bisect_left(header_starts, hi)]:
            us = dv.entities[u].start
            if lo <= us < hi:
                ucell = st.cell(us)
                if ucell is not None and ucell[1] == col:
                    best = u
                elif ucell is None and best is None:
                    best = u  # a caption such as 单位：万元
        return best

    # ------------------------------------------------------------------ deadlines
    def _deadline(self, dv: DocView, q: int, deadlines: list[int], starts: list[int],
                  row_deadlines: dict[int, int | None] | None = None,
                  memo: dict[tuple[int, str], Any] | None = None) -> int | None:
        """Own sentence (before it), own clause (after it), own paragraph, framing, own sentence.

        ``row_deadlines`` caches the deadline of each table row (the same for all its cells);
        ``memo`` the framing look-back of each paragraph (:meth:`_framing`).
        """
        if not deadlines:
            return None
        st = dv.structure
        qpos = dv.entities[q].start
        pi = st.paragraph_index(qpos)
        if st.paragraphs[pi].is_table_row:
            if row_deadlines is None or pi not in row_deadlines:
                row = st.paragraphs[pi]
                in_row = deadlines[bisect_left(starts, row.start):bisect_left(starts, row.end)]
                choice = self._row_deadline(dv, pi, in_row) if in_row else None
                if row_deadlines is not None:
                    row_deadlines[pi] = choice
            else:
                choice = row_deadlines[pi]
            if choice is not None:
                return choice
        s_start, s_end = st.sentence(qpos)
        c_start, c_end = st.clause(qpos)
        # a stated target (年度计划新建11所) is due at its plan year, not at an as-of date
        target = bool(_TARGET_CUE.search(dv.text, c_start, qpos)) and not _RESULT_CUE.search(dv.text, c_start, qpos)

        def usable(d: int) -> bool:
            return not (target and self._is_as_of(dv, d))

        s_start = max(s_start, qpos - _LOCAL)
        s_end = min(s_end, qpos + _LOCAL)
        lo, hi = bisect_left(starts, s_start), bisect_left(starts, s_end)
        k = bisect_left(starts, qpos)
        for d in reversed(deadlines[max(lo, k - _MAX_STEPS):k]):
            if usable(d):
                return d  # the nearest earlier one in its own sentence
        in_sentence_after = [d for d in deadlines[k:min(hi, k + _MAX_STEPS)] if usable(d)]
        after_in_clause = [d for d in in_sentence_after if dv.entities[d].start < c_end]
        if after_in_clause:
            return after_in_clause[0]
        completing = self._completing_deadline(dv, q, in_sentence_after)
        if completing is not None:
            return completing
        para = st.paragraphs[pi]
        j = bisect_left(starts, max(para.start, qpos - 20 * _LOCAL))
        for d in reversed(deadlines[max(j, k - _MAX_STEPS):k]):
            if usable(d) and not _SUB_YEAR.search(dv.text, dv.entities[d].start, dv.entities[d].end) \
                    and not self._scoped(dv, d):
                return d  # a year-level expression governs the rest of its paragraph
        framing = self._framing(dv, pi, deadlines, starts, self._frames_deadline, _has_explicit_time, memo)
        if framing is not None and usable(framing):
            return framing
        return in_sentence_after[0] if in_sentence_after else None

    @staticmethod
    def _scoped(dv: DocView, d: int) -> bool:
        """其中2023年…: a time expression scoped to a sub-target of its own clause."""
        start = dv.entities[d].start
        return "其中" in dv.text[max(0, start - 3):start]

    @staticmethod
    def _completing_deadline(dv: DocView, q: int, in_sentence: list[int]) -> int | None:
        """A due date later in the sentence that completes this quantity (…12.5公里，10月底前完成)."""
        qend = dv.entities[q].end
        for d in in_sentence:
            ds = dv.entities[d].start
            if ds < qend:
                continue
            between = dv.entities_between(qend, ds)
            if any(e.label == "QUANTITY" for e in between) or "其中" in dv.text[qend:ds]:
                return None
            if _COMPLETES.match(dv.text, dv.entities[d].end):
                return d
            return None
        return None

    @staticmethod
    def _is_as_of(dv: DocView, d: int) -> bool:
        start = dv.entities[d].start
        return bool(_AS_OF.search(dv.text, max(0, start - 3), start))

    @staticmethod
    def _row_deadline(dv: DocView, pi: int, in_row: list[int]) -> int:
        """The time cell of a table row; with several, the completion column (完成/完工时间)."""
        if len(in_row) == 1:
            return in_row[0]
        st = dv.structure
        hp = st.paragraphs[st.table_tops[pi]]  # the first row of the table: its header
        cells = [c.strip() for c in dv.text[hp.start:hp.end].strip().strip("|").split("|")]
        for d in in_row:
            cell = st.cell(dv.entities[d].start)
            col = cell[1] if cell else -1
            if 0 <= col < len(cells) and re.search(r"完成|完工|竣工|截止|办结", cells[col]):
                return d
        return in_row[-1]

    def _frames_deadline(self, dv: DocView, pi: int, cands: list[int]) -> int | None:
        """The framing deadline of paragraph ``pi``: heading, lead, paragraph- or sentence-initial."""
        st = dv.structure
        para = st.paragraphs[pi]
        if para.is_heading or para.is_lead:
            return cands[-1]
        explicit = [d for d in cands if _has_explicit_time(dv, [d])]
        if not explicit:
            return None  # 过去的一年, 全年: they frame their own paragraph only
        first = explicit[0]
        head = dv.text[para.start:dv.entities[first].start]
        if len(head) <= 12 and not any(c in head for c in "，,。"):
            return first
        for d in reversed(explicit):
            start = dv.entities[d].start
            if len(dv.text[st.sentence(start)[0]:start].strip()) <= 3:
                return d  # the last dated expression opening a sentence takes over
        return None

    def _framing(self, dv: DocView, pi: int, targets: list[int], starts: list[int], frames,
                 opaque=None, memo: dict[tuple[int, str], Any] | None = None) -> int | None:
        """Walk back over previous paragraphs (windowed) to the first that frames.

        A plain paragraph with candidates of its own that frames nothing ends the walk
        (it has its own context), unless ``opaque`` says its candidates do not count. The
        walk depends on the paragraph only, so ``memo`` keeps its result per paragraph
        and ``frames`` for the other quantities of the paragraph.
        """
        if memo is None:
            return self._walk_back(dv, pi, targets, starts, frames, opaque)
        key = (pi, frames.__name__)
        if key not in memo:
            memo[key] = self._walk_back(dv, pi, targets, starts, frames, opaque)
        return memo[key]

    def _walk_back(self, dv: DocView, pi: int, targets: list[int], starts: list[int], frames,
                   opaque=None) -> int | None:
        """:meth:`_framing`, computed."""
        st = dv.structure
        origin = st.paragraphs[pi].start
        steps = 0
        p = pi - 1
        while p >= 0 and steps < self.window_paragraphs and origin - st.paragraphs[p].end <= self.window_chars:
            para = st.paragraphs[p]
            j, k = bisect_left(starts, para.start), bisect_left(starts, para.end)
            if k > j and not _is_note_line(dv, p):
                found = frames(dv, p, targets[j:k])
                if found is not None:
                    return found
                if not (para.is_item or para.is_heading or para.is_table_row) and (
                        opaque is None or opaque(dv, targets[j:k])):
                    return None  # a plain paragraph with its own context ends the look-back
            elif para.is_markdown_heading:
                return None
            p -= 1
            steps += 1
        return None

    # ------------------------------------------------------------------ departments
    def _departments(self, dv: DocView, q: int, depts: list[int], starts: list[int],
                     memo: dict[tuple[int, str], Any] | None = None) -> list[int]:
        if not depts:
            return []
        st = dv.structure
        text = dv.text
        qpos = dv.entities[q].start
        pi = st.paragraph_index(qpos)
        para = st.paragraphs[pi]
        # 1. item notes (牵头单位：…) and table rows (windowed: a paragraph may be huge)
        j = bisect_left(starts, max(para.start, qpos - _LOCAL))
        k = bisect_left(starts, min(para.end, qpos + _LOCAL))
        in_para = depts[j:k]
        if in_para:
            if para.is_table_row:
                return in_para
            noted = [d for d in in_para
                     if _NOTE_CUE.search(text, max(para.start, dv.entities[d].start - 12), dv.entities[d].start)
                     or self._in_bare_note(dv, d)]
            if noted:
                return self._with_coordinated(dv, noted, depts)
        # a note on its own line right after the item (责任单位：区卫健局、区教育局)
        following = self._note_lines_after(dv, pi, depts, starts)
        if following:
            return following
        # 2. subject of its sentence, 3. of its paragraph
        q_at = bisect_left(starts, qpos)
        for d in reversed(depts[max(bisect_left(starts, para.start), q_at - _MAX_STEPS):q_at]):
            if dv.entities[d].end <= qpos and self._is_subject(dv, d):
                return _group(dv.entities, depts, d, text)
        # 4. the body framing the list (lead, heading), 5. the body presenting the report,
        # 6. the last subject of the nearest earlier paragraph (it carries over)
        found = self._framing(dv, pi, depts, starts, self._frames_department, memo=memo)
        if found:
            return found
        presenter = self._presenter(dv, depts)
        if presenter:
            return presenter
        return self._framing(dv, pi, depts, starts, self._carries_over, memo=memo) or []

    @staticmethod
    def _presenter(dv: DocView, depts: list[int]) -> list[int]:
        """The body presenting the whole report: 我代表市政府向大会报告工作 / 受县政府委托."""
        for d in depts:
            ent = dv.entities[d]
            if ent.start > PRESENTER_CHARS:
                break
            if (_PRESENTER_BEFORE.search(dv.text, max(0, ent.start - 2), ent.start)
                    and _PRESENTER_AFTER.match(dv.text, ent.end)):
                return [d]
        return []

    @staticmethod
    def _in_bare_note(dv: DocView, d: int) -> bool:
        """A parenthesis holding only bodies closes the item: …60.8%。（市人力社保局、市财政局）"""
        text, ent = dv.text, dv.entities[d]
        open_at = max(text.rfind("(", max(0, ent.start - 40), ent.start),
                      text.rfind("（", max(0, ent.start - 40), ent.start))
        if open_at == -1 or ent.start - open_at > 40:
            return False
        # a closing parenthesis further than 40 characters fails the test below: look no further
        close_at = min([i for i in (text.find(")", ent.end, ent.end + 41), text.find("）", ent.end, ent.end + 41))
                        if i != -1] or [-1])
        if close_at == -1 or close_at - ent.end > 40:
            return False
        inside = text[open_at + 1:close_at]
        for e in dv.entities_between(open_at + 1, close_at):
            if e.label == "DEPARTMENT" and e.end <= close_at:
                inside = inside.replace(text[e.start:e.end], "")
        return inside.strip("、，,和及与 ") == ""

    def _note_lines_after(self, dv: DocView, pi: int, depts: list[int], starts: list[int]) -> list[int]:
        st = dv.structure
        out: list[int] = []
        p = pi + 1
        while p < len(st.paragraphs) and p <= pi + 3 and _is_note_line(dv, p):
            para = st.paragraphs[p]
            out += depts[bisect_left(starts, para.start):bisect_left(starts, para.end)]
            p += 1
        return out

    @staticmethod
    def _with_coordinated(dv: DocView, noted: list[int], depts: list[int]) -> list[int]:
        out: set[int] = set()
        for d in noted:
            out.add(d)
            pos = bisect_left(depts, d)
            while pos + 1 < len(depts) and len(out) < _MAX_STEPS:
                nxt = depts[pos + 1]
                gap = dv.text[dv.entities[depts[pos]].end:dv.entities[nxt].start]
                if gap and all(ch in _COORD or ch in "；;" for ch in gap) or _NOTE_CUE.fullmatch(gap.strip("；;，,、 ")):
                    out.add(nxt)
                    pos += 1
                else:
                    break
        return sorted(out)

    @staticmethod
    def _is_subject(dv: DocView, d: int) -> bool:
        """Whether a body acts in its sentence (not led-by, thanked, listed as involved)."""
        ent = dv.entities[d]
        if _NOT_SUBJECT_AFTER.match(dv.text, ent.end):
            return False
        # walk left over a co-ordinated list (省民政厅、住建厅、卫健委) to its head
        head = dv.text[max(0, ent.start - 40):ent.start]
        head = re.split(r"[，,。；;：:！？!?\n]", head)[-1]
        return not _NOT_SUBJECT_BEFORE.search(head)

    def _frames_department(self, dv: DocView, pi: int, cands: list[int]):
        """Bodies of a list lead or heading: they frame the items below it."""
        para = dv.structure.paragraphs[pi]
        subjects = [d for d in cands if self._is_subject(dv, d)]
        if subjects and (para.is_lead or para.is_heading):
            return _group(dv.entities, cands, subjects[-1], dv.text)
        return None

    def _carries_over(self, dv: DocView, pi: int, cands: list[int]):
        """A plain paragraph's last subject carries over until another body takes over.

        An item's own bodies (its note) never carry over to its siblings.
        """
        para = dv.structure.paragraphs[pi]
        subjects = [d for d in cands if self._is_subject(dv, d)]
        if not subjects or (para.is_item and not (para.is_lead or para.is_heading)):
            return None
        return _group(dv.entities, cands, subjects[-1], dv.text)


@Language.factory(
    "minsheng_rules_linker",
    default_config={"window_paragraphs": 60, "window_chars": 6000},
)
def make_rules_linker(nlp: Language, name: str, window_paragraphs: int, window_chars: int) -> RulesLinker:
    """Factory of the rule-based relation linker."""
    return RulesLinker(name, window_paragraphs, window_chars)
