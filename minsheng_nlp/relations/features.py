"""Pair features for the trained relation model: one ``dict[str, float]`` per candidate.

Features are sparse and named (``"dpara=-1"``, ``"same_sentence"``, ``"rule"``); a
``DictVectorizer``-style vocabulary maps them to columns. Each family is a small pure
function of the :class:`~minsheng_nlp.relations.candidates.DocIndex` and the pair:

* distance: characters (log and buckets), clauses, sentences, paragraphs, line breaks;
* structure: same clause / clause group / sentence / paragraph / table row / column,
  the target in a heading, list lead, list item, opening its paragraph or sentence;
* order and competition: before/after, rank among the candidates of the same label on
  the same side, intervening quantities and targets of the same label;
* cues around and between: responsibility notes (责任单位：), speakers (据…介绍), 其中,
  as-of dates (截至), presenters (我代表市政府…), coordination (省委、省政府);
* the target's own class: a unit written right after the number or a free (header) unit;
  an explicit year, a sub-year date, a relative period; a department acting as subject;
* the rule linker's decision for the pair (a strong feature) and whether it linked any.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from typing import Callable

import numpy as np
import spacy

from .candidates import Candidate, DocIndex, is_framing, is_free_unit, scopes

Features = dict[str, float]

_SENT_END = "。！？!?"
_CLAUSE_END = _SENT_END + "；;"
_COMMA = "，,"
_NOTE_CUE = re.compile(r"(?:共同责任单位|牵头单位|责任单位|主责单位|责任部门|牵头部门|配合单位|协办单位|"
                       r"实施单位|主管部门|承办单位|责任主体|牵头|负责|责任)[:：]?[^。；;\n]{0,30}$")
_NOTE_LINE = re.compile(r"\s*[(（【\[]?\s*(?:共同责任单位|牵头单位|责任单位|主责单位|责任部门|牵头部门|"
                        r"配合单位|协办单位|实施单位|主管部门|承办单位|责任主体|牵头|负责|责任)[:：]")
_SPEAKER_BEFORE = re.compile(r"据[^，,。；;]{0,4}$")
_SPEAKER_AFTER = re.compile(r"[^，,。；;]{0,12}(?:介绍|透露|表示|称|说)")
_PRESENTER_BEFORE = re.compile(r"(?:代表|受)$")
_PRESENTER_AFTER = re.compile(r"[，,]?(?:委托[，,]?)?(?:向|作|报告)")
_NOT_SUBJECT_AFTER = re.compile(r"的?(?:坚强)?领导下|的?(?:大力)?支持下|的?部署|的?指导下")
_NOT_SUBJECT_BEFORE = re.compile(r"(?:涉及|包括|邀请|请|向|对|给|感谢|表彰|通报|面向|会同|协调|配合)[^，,。]*$")
_TITLE_AFTER = re.compile(r"(?:党组)?(?:副?(?:厅长|局长|主任|部长|书记|市长|县长|省长|处长|主席|委员|负责人|"
                          r"新闻发言人|一级巡视员|二级巡视员))")
_ACT_AFTER = re.compile(r"[^，,。；;]{0,2}(?:将|要|计划|共|已|累计|全年|今年|投入|筹集|完成|实施|新建|建设|"
                        r"开展|推进|发放|落实|安排|承担)")
_COORD = set("、和与及,，/ ")
_EXPLICIT_YEAR = re.compile(r"(?:19|20)\d{2}|二[〇零○]|十[一二三四五]五")
_SUB_YEAR = re.compile(r"月|季度|上半年|下半年|年中|年初|日")
_RELATIVE = re.compile(r"年内|今年|全年|明年|当年|本年|年底|年末|近期|期内|次年|来年")
_SPAN = re.compile(r"至|到|-|—|~|～")
_SUFFIX = re.compile(r"(?:底|前|末|内|以前|之前)$")
_AS_OF = re.compile(r"(?:截至|截止|截止到|到)$")
_COMPLETES = re.compile(r"[^，,。；;]{0,3}(?:完成|建成|投用|投入使用|发放|到位|实现|开工|完工|竣工|落地|办结|开放|运行)")
_TARGET_CUE = re.compile(r"年度计划|年度目标|年度任务|全年计划|计划|目标")
_RESULT_CUE = re.compile(r"已|累计|完成了|实际")
_DIST_EDGES = (0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)


# --------------------------------------------------------------------------- small helpers

def bucket(value: int, edges: tuple[int, ...] = _DIST_EDGES) -> str:
    """The label of the bucket holding ``value`` (``"<=4"``, ``">1024"``)."""
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def capped(value: int, limit: int) -> str:
    """``value`` as a string, clipped to ``[-limit, limit]`` (``"5+"``, ``"-5-"``)."""
    if value > limit:
        return f"{limit}+"
    if value < -limit:
        return f"-{limit}-"
    return str(value)


def char_counts(text: str, chars: str) -> np.ndarray:
    """Prefix counts: ``out[i]`` = occurrences of ``chars`` in ``text[:i]``."""
    hits = np.fromiter((ch in chars for ch in text), dtype=np.int32, count=len(text))
    return np.concatenate(([0], np.cumsum(hits, dtype=np.int32)))


class Counts:
    """Prefix counts of punctuation of one document (built once per DocIndex)."""

    def __init__(self, text: str) -> None:
        self.sent = char_counts(text, _SENT_END)
        self.clause = char_counts(text, _CLAUSE_END)
        self.comma = char_counts(text, _COMMA + _CLAUSE_END)
        self.newline = char_counts(text, "\n")
        self.bar = char_counts(text, "|")

    @staticmethod
    def between(prefix: np.ndarray, a: int, b: int) -> int:
        lo, hi = (a, b) if a <= b else (b, a)
        return int(prefix[hi] - prefix[lo])


def counts_of(index: DocIndex) -> Counts:
    """The (cached) punctuation counts of ``index``."""
    if "counts" not in index.cache:
        index.cache["counts"] = Counts(index.text)
    return index.cache["counts"]


def _gap(index: DocIndex, cand: Candidate) -> tuple[int, int]:
    """The view range strictly between the two entities (order-free)."""
    q, t = index.dv.entities[cand.q], index.dv.entities[cand.t]
    return (t.end, q.start) if t.start < q.start else (q.end, t.start)


# --------------------------------------------------------------------------- families

def distance_features(index: DocIndex, cand: Candidate) -> Features:
    """Order and distance in characters, clauses, sentences, paragraphs and lines."""
    q, t = index.dv.entities[cand.q], index.dv.entities[cand.t]
    before = t.start < q.start
    side = "b" if before else "a"
    lo, hi = _gap(index, cand)
    dist = max(0, hi - lo)
    c = counts_of(index)
    dpara = index.para_of[cand.q] - index.para_of[cand.t]
    return {
        f"dir={side}": 1.0,
        "dchar_log": math.log1p(dist),
        f"dchar={side}{bucket(dist)}": 1.0,
        f"dpara={capped(dpara, 6)}": 1.0,
        f"dsent={side}{capped(Counts.between(c.sent, lo, hi), 4)}": 1.0,
        f"dclause={side}{capped(Counts.between(c.clause, lo, hi), 4)}": 1.0,
        f"dcomma={side}{capped(Counts.between(c.comma, lo, hi), 4)}": 1.0,
        f"dline={side}{capped(Counts.between(c.newline, lo, hi), 6)}": 1.0,
    }


def scope_features(index: DocIndex, cand: Candidate) -> Features:
    """Same clause, clause group, sentence, paragraph; table row and column."""
    q, t = index.dv.entities[cand.q], index.dv.entities[cand.t]
    qs, ts = scopes(index, cand.q), scopes(index, cand.t)
    out: Features = {}
    if qs.clause == ts.clause:
        out["same_clause"] = 1.0
    if qs.group == ts.group:
        out["same_group"] = 1.0
    if qs.sentence == ts.sentence:
        out["same_sentence"] = 1.0
    if index.para_of[cand.q] == index.para_of[cand.t]:
        out["same_para"] = 1.0
    qcell, tcell = qs.cell, ts.cell
    if qcell is not None:
        out["q_table"] = 1.0
        if tcell is not None and tcell[0] == qcell[0]:
            out["same_row"] = 1.0
        if tcell is not None and tcell[1] == qcell[1]:
            out["same_col"] = 1.0
            if tcell[0] < qcell[0]:
                out["same_col_above"] = 1.0
        if tcell is None and t.start < q.start:
            out["t_caption"] = 1.0  # a caption above the table (单位：万元)
        if tcell is not None and tcell[0] < qcell[0] and _is_header_row(index, tcell[0]):
            out["t_header_row"] = 1.0
    return out


def _is_header_row(index: DocIndex, row: int) -> bool:
    """The first table row of its block (or the one above a separator line)."""
    paras = index.dv.structure.paragraphs
    return row == 0 or not paras[row - 1].is_table_row


def position_features(index: DocIndex, cand: Candidate) -> Features:
    """Where the target and the quantity stand: heading, lead, item, opening, table row."""
    st = index.dv.structure
    t = index.dv.entities[cand.t]
    tp = st.paragraphs[index.para_of[cand.t]]
    qp = st.paragraphs[index.para_of[cand.q]]
    out: Features = {}
    for name, flag in (("heading", tp.is_heading), ("md_heading", tp.is_markdown_heading),
                       ("lead", tp.is_lead), ("item", tp.is_item), ("table_row", tp.is_table_row)):
        if flag:
            out[f"t_{name}"] = 1.0
    for name, flag in (("heading", qp.is_heading), ("lead", qp.is_lead), ("item", qp.is_item)):
        if flag:
            out[f"q_{name}"] = 1.0
    if t.start - tp.start <= 12:
        out["t_para_initial"] = 1.0
    s_start, _ = scopes(index, cand.t).sentence
    if len(index.text[s_start:t.start].strip()) <= 3:
        out["t_sent_initial"] = 1.0
    if is_framing(index, cand.t):
        out["t_framing"] = 1.0
    if _NOTE_LINE.match(index.text, tp.start, tp.end):
        out["t_note_line"] = 1.0
    if t.start < 400:
        out["t_doc_head"] = 1.0
    return out


def competition_features(index: DocIndex, cand: Candidate) -> Features:
    """Intervening quantities and same-label targets; rank among same-side candidates."""
    dv = index.dv
    lo, hi = _gap(index, cand)
    label = dv.entities[cand.t].label
    starts = index.label_starts.get(label, [])
    q_starts = index.label_starts.get("QUANTITY", [])
    n_same = max(0, bisect_left(starts, hi) - bisect_left(starts, lo))
    n_q = max(0, bisect_left(q_starts, hi) - bisect_left(q_starts, lo))
    before = dv.entities[cand.t].start < dv.entities[cand.q].start
    side = "b" if before else "a"
    return {f"n_same_between={side}{capped(n_same, 4)}": 1.0,
            f"n_q_between={side}{capped(n_q, 4)}": 1.0,
            "rank_log": math.log1p(n_same)}


def cue_features(index: DocIndex, cand: Candidate) -> Features:
    """Cue words around the target and between the pair."""
    text = index.text
    q, t = index.dv.entities[cand.q], index.dv.entities[cand.t]
    lo, hi = _gap(index, cand)
    between = text[lo:hi] if hi - lo <= 400 else text[lo:lo + 200] + text[hi - 200:hi]
    para_start = index.dv.structure.paragraphs[index.para_of[cand.t]].start
    left = text[max(para_start, t.start - 30):t.start]
    out: Features = {}
    if "其中" in between:
        out["qizhong_between"] = 1.0
    if "截至" in between or "截止" in between:
        out["jiezhi_between"] = 1.0
    if _NOTE_CUE.search(left):
        out["note_cue"] = 1.0
    if _in_paren(text, t.start, t.end):
        out["t_in_paren"] = 1.0
    if _SPEAKER_BEFORE.search(left) and _SPEAKER_AFTER.match(text, t.end):
        out["speaker"] = 1.0
    if _PRESENTER_BEFORE.search(text, max(0, t.start - 2), t.start) and _PRESENTER_AFTER.match(text, t.end):
        out["presenter"] = 1.0
    if any(ch in between for ch in "\n"):
        out["newline_between"] = 1.0
    if "|" in between:
        out["bar_between"] = 1.0
    if q.start > t.end and ("：" in between or ":" in between):
        out["colon_between"] = 1.0
    return out


def _in_paren(text: str, start: int, end: int, reach: int = 40) -> bool:
    """Whether ``text[start:end]`` sits inside an open (…) pair within ``reach``."""
    open_at = max(text.rfind("(", max(0, start - reach), start), text.rfind("（", max(0, start - reach), start))
    if open_at == -1:
        return False
    closes = [i for i in (text.find(")", end, end + reach), text.find("）", end, end + reach)) if i != -1]
    inner_close = max(text.rfind(")", open_at, start), text.rfind("）", open_at, start))
    return bool(closes) and inner_close == -1


def unit_features(index: DocIndex, cand: Candidate) -> Features:
    """HAS_UNIT: written right after the number (after 余/多), or a free header unit."""
    q, t = index.dv.entities[cand.q], index.dv.entities[cand.t]
    gap = index.text[q.end:t.start] if t.start >= q.end else None
    out: Features = {}
    if gap == "":
        out["u_adjacent"] = 1.0
    elif gap is not None and len(gap) <= 2 and all(ch in "余多以上左右近约" for ch in gap):
        out["u_after_modifier"] = 1.0
    elif gap is not None and len(gap) <= 12 and not any(ch in gap for ch in _CLAUSE_END + _COMMA + "\n"):
        out["u_after_object"] = 1.0
    if is_free_unit(index, cand.t):
        out["u_free"] = 1.0
    return out


def deadline_features(index: DocIndex, cand: Candidate) -> Features:
    """HAS_DEADLINE: the class of the time expression and its context."""
    text = index.text
    q, t = index.dv.entities[cand.q], index.dv.entities[cand.t]
    dtext = text[t.start:t.end]
    out: Features = {}
    if _EXPLICIT_YEAR.search(dtext):
        out["d_explicit_year"] = 1.0
    if _SUB_YEAR.search(dtext):
        out["d_sub_year"] = 1.0
    if _RELATIVE.search(dtext):
        out["d_relative"] = 1.0
    if _SPAN.search(dtext):
        out["d_span"] = 1.0
    if _SUFFIX.search(dtext):
        out["d_suffix"] = 1.0
    as_of = bool(_AS_OF.search(text, max(0, t.start - 3), t.start))
    if as_of:
        out["d_as_of"] = 1.0
    if "其中" in text[max(0, t.start - 3):t.start]:
        out["d_scoped"] = 1.0
    if _COMPLETES.match(text, t.end):
        out["d_completes"] = 1.0
    c_start, _ = scopes(index, cand.q).clause
    target_cue = bool(_TARGET_CUE.search(text, c_start, q.start)) and not _RESULT_CUE.search(text, c_start, q.start)
    if target_cue:
        out["q_target_cue"] = 1.0
        if as_of:
            out["q_target_cue&d_as_of"] = 1.0
    return out


def department_features(index: DocIndex, cand: Candidate) -> Features:
    """HAS_DEPARTMENT: subject or not, titles, co-ordination, acting verbs after it."""
    text = index.text
    t = index.dv.entities[cand.t]
    out: Features = {}
    head = re.split(r"[，,。；;：:！？!?\n]", text[max(0, t.start - 40):t.start])[-1]
    if _NOT_SUBJECT_AFTER.match(text, t.end):
        out["dep_led_by"] = 1.0
    if _NOT_SUBJECT_BEFORE.search(head):
        out["dep_object"] = 1.0
    if _TITLE_AFTER.match(text, t.end):
        out["dep_title_after"] = 1.0
    if _ACT_AFTER.match(text, t.end):
        out["dep_acts"] = 1.0
    left, right = _coordinated(index, cand.t)
    if left:
        out["dep_coord_left"] = 1.0
    if right:
        out["dep_coord_right"] = 1.0
    return out


def _coordinated(index: DocIndex, t: int) -> tuple[bool, bool]:
    """Whether department ``t`` is co-ordinated with one on its left / right (省委、省政府)."""
    deps = index.by_label.get("DEPARTMENT", [])
    pos = bisect_left(deps, t)
    ents, text = index.dv.entities, index.text
    left = pos > 0 and all(ch in _COORD for ch in text[ents[deps[pos - 1]].end:ents[t].start])
    right = pos + 1 < len(deps) and all(ch in _COORD for ch in text[ents[t].end:ents[deps[pos + 1]].start])
    return left, right


RULE_SCALE = 4.0  # the rule's decision is a prior: a large value is a weakly regularized weight


def rule_features(index: DocIndex, cand: Candidate) -> Features:
    """The rule linker's decision for this pair, and whether it linked anything of the type.

    The value is :data:`RULE_SCALE`, not 1: under L2 regularization a feature with a
    larger value needs a smaller weight, so the rule's decision acts as a strong prior
    that the other features correct where the data says so.
    """
    chose = index.rule_chose(cand.q, cand.t, cand.label)
    any_link = any(r == cand.label for _, r in index.rule_links.get(cand.q, ()))
    if chose:
        return {"rule": RULE_SCALE}
    if any_link:
        return {"rule_other": RULE_SCALE}
    return {"rule_none": RULE_SCALE}


_TYPE_FAMILIES: dict[str, tuple[Callable[[DocIndex, Candidate], Features], ...]] = {
    "HAS_UNIT": (unit_features,),
    "HAS_DEADLINE": (deadline_features,),
    "HAS_DEPARTMENT": (department_features,),
}
_COMMON = (distance_features, scope_features, position_features, competition_features,
           cue_features, rule_features)
_CONJOIN = ("rule", "same_sentence", "same_para", "t_framing", "same_row")


def pair_features(index: DocIndex, cand: Candidate) -> Features:
    """All features of one candidate pair (plus a few conjunctions with the rule's decision)."""
    out: Features = {"bias": 1.0}
    for family in _COMMON + _TYPE_FAMILIES.get(cand.label, ()):
        out.update(family(index, cand))
    side = next(k for k in out if k.startswith("dir="))
    for a in _CONJOIN:
        if a in out:
            out[f"{a}&{side}"] = 1.0
    if "rule" in out:
        for b in ("same_sentence", "same_para", "t_framing", "note_cue", "t_heading", "t_lead"):
            if b in out:
                out[f"rule&{b}"] = 1.0
    return out


@spacy.registry.misc("minsheng.pair_features.v1")
def make_pair_features() -> Callable[[DocIndex, Candidate], Features]:
    """Registered pair featurizer (``@misc = "minsheng.pair_features.v1"``)."""
    return pair_features
