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

The family functions define the features (:func:`reference_pair_features`); the registered
:func:`pair_features` computes the same dict (names, values, order) with a per-document
:class:`PairCoder`, and :func:`margin_function` scores a pair with one model's weights
without building the dict, equal bit for bit to ``model.margin(pair_features(...))``.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from typing import Any, Callable, Mapping, NamedTuple, Sequence

import numpy as np
import spacy

from ..linear import LinearModel
from .candidates import Candidate, DocIndex, Scopes, is_framing, is_free_unit, scopes

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
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    out = np.zeros(len(codes) + 1, dtype=np.int32)  # int32: 4 bytes per character, not 8
    np.cumsum(np.isin(codes, [ord(ch) for ch in chars]), dtype=np.int32, out=out[1:])
    return out


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
    head, tail = target_position(index, cand.t)
    return dict.fromkeys(head + quantity_position(index, cand.q) + tail, 1.0)


def target_position(index: DocIndex, t: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The position names of target ``t``: those before the quantity's and those after."""
    st = index.dv.structure
    ent = index.dv.entities[t]
    tp = st.paragraphs[index.para_of[t]]
    head = tuple(f"t_{name}" for name, flag in (
        ("heading", tp.is_heading), ("md_heading", tp.is_markdown_heading), ("lead", tp.is_lead),
        ("item", tp.is_item), ("table_row", tp.is_table_row)) if flag)
    tail: list[str] = []
    if ent.start - tp.start <= 12:
        tail.append("t_para_initial")
    s_start, _ = scopes(index, t).sentence
    if len(index.text[s_start:ent.start].strip()) <= 3:
        tail.append("t_sent_initial")
    if is_framing(index, t):
        tail.append("t_framing")
    if _NOTE_LINE.match(index.text, tp.start, tp.end):
        tail.append("t_note_line")
    if ent.start < 400:
        tail.append("t_doc_head")
    return head, tuple(tail)


def quantity_position(index: DocIndex, q: int) -> tuple[str, ...]:
    """The position names of quantity ``q`` (heading, lead, item)."""
    qp = index.dv.structure.paragraphs[index.para_of[q]]
    return tuple(f"q_{name}" for name, flag in (
        ("heading", qp.is_heading), ("lead", qp.is_lead), ("item", qp.is_item)) if flag)


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
    out: Features = {}
    if "其中" in between:
        out["qizhong_between"] = 1.0
    if "截至" in between or "截止" in between:
        out["jiezhi_between"] = 1.0
    out.update(dict.fromkeys(target_cues(index, cand.t), 1.0))
    if any(ch in between for ch in "\n"):
        out["newline_between"] = 1.0
    if "|" in between:
        out["bar_between"] = 1.0
    if q.start > t.end and ("：" in between or ":" in between):
        out["colon_between"] = 1.0
    return out


def target_cues(index: DocIndex, t: int) -> tuple[str, ...]:
    """The cue names of target ``t`` itself: a note (责任单位：), in parentheses, speaker, presenter."""
    text = index.text
    ent = index.dv.entities[t]
    para_start = index.dv.structure.paragraphs[index.para_of[t]].start
    left = text[max(para_start, ent.start - 30):ent.start]
    out: list[str] = []
    if _NOTE_CUE.search(left):
        out.append("note_cue")
    if _in_paren(text, ent.start, ent.end):
        out.append("t_in_paren")
    if _SPEAKER_BEFORE.search(left) and _SPEAKER_AFTER.match(text, ent.end):
        out.append("speaker")
    if _PRESENTER_BEFORE.search(text, max(0, ent.start - 2), ent.start) and _PRESENTER_AFTER.match(text, ent.end):
        out.append("presenter")
    return tuple(out)


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
    out: Features = dict.fromkeys(unit_gap(index.text, q.end, t.start), 1.0)
    if is_free_unit(index, cand.t):
        out["u_free"] = 1.0
    return out


def unit_gap(text: str, q_end: int, t_start: int) -> tuple[str, ...]:
    """How a unit starting at ``t_start`` follows a quantity ending at ``q_end``."""
    if t_start < q_end:
        return ()
    gap = text[q_end:t_start]
    if gap == "":
        return ("u_adjacent",)
    if len(gap) <= 2 and all(ch in "余多以上左右近约" for ch in gap):
        return ("u_after_modifier",)
    if len(gap) <= 12 and not any(ch in gap for ch in _CLAUSE_END + _COMMA + "\n"):
        return ("u_after_object",)
    return ()


def deadline_features(index: DocIndex, cand: Candidate) -> Features:
    """HAS_DEADLINE: the class of the time expression and its context."""
    names, as_of = deadline_target(index, cand.t)
    out: Features = dict.fromkeys(names, 1.0)
    if quantity_target_cue(index, cand.q):
        out["q_target_cue"] = 1.0
        if as_of:
            out["q_target_cue&d_as_of"] = 1.0
    return out


def deadline_target(index: DocIndex, t: int) -> tuple[tuple[str, ...], bool]:
    """The names of deadline ``t`` itself, and whether it is an as-of date (截至…)."""
    text = index.text
    ent = index.dv.entities[t]
    dtext = text[ent.start:ent.end]
    out: list[str] = []
    if _EXPLICIT_YEAR.search(dtext):
        out.append("d_explicit_year")
    if _SUB_YEAR.search(dtext):
        out.append("d_sub_year")
    if _RELATIVE.search(dtext):
        out.append("d_relative")
    if _SPAN.search(dtext):
        out.append("d_span")
    if _SUFFIX.search(dtext):
        out.append("d_suffix")
    as_of = bool(_AS_OF.search(text, max(0, ent.start - 3), ent.start))
    if as_of:
        out.append("d_as_of")
    if "其中" in text[max(0, ent.start - 3):ent.start]:
        out.append("d_scoped")
    if _COMPLETES.match(text, ent.end):
        out.append("d_completes")
    return tuple(out), as_of


def quantity_target_cue(index: DocIndex, q: int) -> bool:
    """Whether the clause of quantity ``q`` names a target (计划, 目标) and no result (已, 累计)."""
    text = index.text
    start = index.dv.entities[q].start
    c_start, _ = scopes(index, q).clause
    return bool(_TARGET_CUE.search(text, c_start, start)) and not _RESULT_CUE.search(text, c_start, start)


def department_features(index: DocIndex, cand: Candidate) -> Features:
    """HAS_DEPARTMENT: subject or not, titles, co-ordination, acting verbs after it."""
    return dict.fromkeys(department_target(index, cand.t), 1.0)


def department_target(index: DocIndex, t: int) -> tuple[str, ...]:
    """The names of department ``t`` itself (all department features are the target's own)."""
    text = index.text
    ent = index.dv.entities[t]
    out: list[str] = []
    head = re.split(r"[，,。；;：:！？!?\n]", text[max(0, ent.start - 40):ent.start])[-1]
    if _NOT_SUBJECT_AFTER.match(text, ent.end):
        out.append("dep_led_by")
    if _NOT_SUBJECT_BEFORE.search(head):
        out.append("dep_object")
    if _TITLE_AFTER.match(text, ent.end):
        out.append("dep_title_after")
    if _ACT_AFTER.match(text, ent.end):
        out.append("dep_acts")
    left, right = _coordinated(index, t)
    if left:
        out.append("dep_coord_left")
    if right:
        out.append("dep_coord_right")
    return tuple(out)


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


def reference_pair_features(index: DocIndex, cand: Candidate) -> Features:
    """All features of one pair, family by family: the plain definition :func:`pair_features`
    computes faster (same names, values and order)."""
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


# --------------------------------------------------------------------------- the fast path
# The per-pair code writes each feature as a *code*: its name (for the features) or its
# weight in one model (for that model's margin). Names that recur come from these tables.

def _side_names(prefix: str, limit: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``names[before][min(n, limit + 1)]`` = the name of a count ``n >= 0`` on that side."""
    return tuple(tuple(f"{prefix}={side}{capped(n, limit)}" for n in range(limit + 2))  # type: ignore[return-value]
                 for side in ("a", "b"))


_DIR = ("dir=a", "dir=b")
_DCHAR = tuple(tuple(f"dchar={side}{bucket(d)}" for d in (*_DIST_EDGES, _DIST_EDGES[-1] + 1))
               for side in ("a", "b"))  # indexed by bisect_left(_DIST_EDGES, dist)
_DPARA = tuple(f"dpara={capped(v, 6)}" for v in range(-7, 8))  # indexed by clip(v, -7, 7) + 7
_DSENT, _DCLAUSE, _DCOMMA = _side_names("dsent", 4), _side_names("dclause", 4), _side_names("dcomma", 4)
_DLINE = _side_names("dline", 6)
_N_SAME, _N_Q = _side_names("n_same_between", 4), _side_names("n_q_between", 4)
_CONJ = tuple((f"{a}&dir=a", f"{a}&dir=b") for a in _CONJOIN)  # in the order of _CONJOIN
_RULE_CONJ = ("rule&same_sentence", "rule&same_para", "rule&t_framing", "rule&note_cue",
              "rule&t_heading", "rule&t_lead")
_LITERALS = ("bias", "dchar_log", "same_clause", "same_group", "same_sentence", "same_para",
             "q_table", "same_row", "same_col", "same_col_above", "t_caption", "t_header_row",
             "rank_log", "qizhong_between", "jiezhi_between", "newline_between", "bar_between",
             "colon_between", "rule", "rule_other", "rule_none", "q_target_cue",
             "q_target_cue&d_as_of") + _RULE_CONJ
Code = Any  # a feature name, or its weight in one model


class _Target(NamedTuple):
    """What the features need of one target entity (its names, or coded by a :class:`PairCoder`)."""

    start: int
    end: int
    para: int
    scopes: Scopes
    label_starts: list[int]  # view starts of the entities of its label
    head: tuple[Code, ...]   # position features before the quantity's
    tail: tuple[Code, ...]   # position features after them
    cues: tuple[Code, ...]
    own: tuple[Code, ...]    # the type family's features of the target alone
    as_of: bool              # a deadline's 截至
    heading: bool
    lead: bool
    framing: bool
    note_cue: bool


class _Quantity(NamedTuple):
    """What the features need of one quantity (its names, or coded by a :class:`PairCoder`)."""

    start: int
    end: int
    para: int
    scopes: Scopes
    position: tuple[Code, ...]
    target_cue: bool
    links: frozenset[tuple[int, str]]  # the rule linker's (target, type)
    linked: frozenset[str]             # the types the rule linker linked at all


def _count_lists(index: DocIndex) -> tuple[Sequence[int], Sequence[int], Sequence[int], Sequence[int]]:
    """The sentence, clause, comma and line prefix counts of ``index`` (cached) as memoryviews:
    indexing yields Python ints as fast as a list does, at 4 bytes per character instead of
    a list's ~36 (a 10 MB report's four lists took 500 MB)."""
    found = index.cache.get("count_lists")
    if found is None:
        c = counts_of(index)
        found = index.cache["count_lists"] = tuple(
            memoryview(np.ascontiguousarray(a, dtype=np.int32)) for a in (c.sent, c.clause, c.comma, c.newline))
    return found


def quantity_facts(index: DocIndex, q: int) -> _Quantity:
    """What the features need of quantity ``q``, with names (memoized per document)."""
    memo = index.cache.setdefault("pair_quantities", {})
    found = memo.get(q)
    if found is None:
        ent = index.dv.entities[q]
        links = frozenset(index.rule_links.get(q, ()))
        found = memo[q] = _Quantity(ent.start, ent.end, index.para_of[q], scopes(index, q),
                                    quantity_position(index, q), quantity_target_cue(index, q),
                                    links, frozenset(r for _, r in links))
    return found


def target_facts(index: DocIndex, t: int, rtype: str) -> _Target:
    """What the features need of target ``t`` under ``rtype``, with names (memoized per document)."""
    memo = index.cache.setdefault("pair_targets", {})
    found = memo.get((t, rtype))
    if found is None:
        ent = index.dv.entities[t]
        head, tail = target_position(index, t)
        cues = target_cues(index, t)
        own: tuple[str, ...] = ()
        as_of = False
        if rtype == "HAS_UNIT":
            own = ("u_free",) if is_free_unit(index, t) else ()
        elif rtype == "HAS_DEADLINE":
            own, as_of = deadline_target(index, t)
        elif rtype == "HAS_DEPARTMENT":
            own = department_target(index, t)
        found = memo[(t, rtype)] = _Target(
            ent.start, ent.end, index.para_of[t], scopes(index, t), index.label_starts.get(ent.label, []),
            head, tail, cues, own, as_of, "t_heading" in head, "t_lead" in head, "t_framing" in tail,
            "note_cue" in cues)
    return found


class PairCoder:
    """:func:`reference_pair_features` of one document, fast, as names or as weights.

    What depends on one entity only is computed once per entity, counts come from prefix
    sums and recurring names from tables. Without ``weights`` a feature's code is its name
    and :meth:`features` equals :func:`reference_pair_features` (names, values and order);
    with the weights of a :class:`~minsheng_nlp.linear.LinearModel` its code is its weight
    (0.0 when unknown, which adds nothing) and :meth:`margin` equals the model's margin of
    those features bit for bit: the same products summed in the same order.
    """

    def __init__(self, index: DocIndex, weights: Mapping[str, float] | None = None,
                 intercept: float = 0.0) -> None:
        self.index = index
        self.weights = weights
        self.intercept = intercept
        self.text = index.text
        self.sent, self.clause, self.comma, self.newline = _count_lists(index)
        self.q_starts = index.label_starts.get("QUANTITY", [])
        self.c = dict(zip(_LITERALS, self.codes(_LITERALS)))
        self.dir, self.dpara = self.codes(_DIR), self.codes(_DPARA)
        self.dchar, self.dsent = self.tables(_DCHAR), self.tables(_DSENT)
        self.dclause, self.dcomma, self.dline = self.tables(_DCLAUSE), self.tables(_DCOMMA), self.tables(_DLINE)
        self.n_same, self.n_q, self.conj = self.tables(_N_SAME), self.tables(_N_Q), self.tables(_CONJ)
        self.quantities: dict[int, _Quantity] = {}
        self.targets: dict[tuple[int, str], _Target] = {}
        self.unit_gaps: dict[tuple[str, ...], tuple[Code, ...]] = {}

    @classmethod
    def of(cls, index: DocIndex) -> "PairCoder":
        """The name coder of ``index`` (built on first use, kept in its cache)."""
        found = index.cache.get("pair_coder")
        if found is None:
            found = index.cache["pair_coder"] = cls(index)
        return found

    def codes(self, names: tuple[str, ...]) -> tuple[Code, ...]:
        """The codes of ``names``, in order."""
        if self.weights is None:
            return names
        weights = self.weights
        return tuple(weights.get(name, 0.0) for name in names)

    def tables(self, table: tuple[tuple[str, ...], ...]) -> tuple[tuple[Code, ...], ...]:
        return tuple(self.codes(row) for row in table)

    def quantity(self, q: int) -> _Quantity:
        facts = quantity_facts(self.index, q)
        return facts if self.weights is None else facts._replace(position=self.codes(facts.position))

    def target(self, t: int, rtype: str) -> _Target:
        facts = target_facts(self.index, t, rtype)
        if self.weights is None:
            return facts
        return facts._replace(head=self.codes(facts.head), tail=self.codes(facts.tail),
                              cues=self.codes(facts.cues), own=self.codes(facts.own))

    def features(self, cand: Candidate) -> Features:
        """The features of ``cand`` (this coder codes names)."""
        items, dist, n_same, rank_at, rule_at = self.items(cand)
        out = dict.fromkeys(items, 1.0)
        out["dchar_log"] = math.log1p(dist)
        out["rank_log"] = math.log1p(n_same)
        out[items[rule_at]] = RULE_SCALE
        return out

    def margin(self, cand: Candidate) -> float:
        """``w · x + b`` of the features of ``cand`` (this coder codes weights)."""
        items, dist, n_same, rank_at, rule_at = self.items(cand)
        items[2] *= math.log1p(dist)  # dchar_log
        items[rank_at] *= math.log1p(n_same)
        items[rule_at] *= RULE_SCALE
        total = 0.0
        for w in items:
            total += w
        return total + self.intercept

    def items(self, cand: Candidate) -> tuple[list[Code], int, int, int, int]:
        """The codes of the features of ``cand`` in order (each of value 1.0 but three),
        the distance and rank behind ``dchar_log`` (always third) and ``rank_log``, and
        where ``rank_log`` and the rule's feature (value :data:`RULE_SCALE`) stand."""
        q = self.quantities.get(cand.q)
        if q is None:
            q = self.quantities[cand.q] = self.quantity(cand.q)
        rtype = cand.label
        t = self.targets.get((cand.t, rtype))
        if t is None:
            t = self.targets[(cand.t, rtype)] = self.target(cand.t, rtype)
        c = self.c
        before = t.start < q.start
        lo, hi = (t.end, q.start) if before else (q.end, t.start)
        a, b = (lo, hi) if lo <= hi else (hi, lo)
        dist = hi - lo if hi > lo else 0
        s = 1 if before else 0
        dpara = q.para - t.para
        n_sent, n_clause = self.sent[b] - self.sent[a], self.clause[b] - self.clause[a]
        n_comma, n_line = self.comma[b] - self.comma[a], self.newline[b] - self.newline[a]
        items = [c["bias"], self.dir[s], c["dchar_log"], self.dchar[s][bisect_left(_DIST_EDGES, dist)],
                 self.dpara[(7 if dpara > 7 else -7 if dpara < -7 else dpara) + 7],
                 self.dsent[s][n_sent if n_sent < 5 else 5], self.dclause[s][n_clause if n_clause < 5 else 5],
                 self.dcomma[s][n_comma if n_comma < 5 else 5], self.dline[s][n_line if n_line < 7 else 7]]
        # scope
        qs, ts = q.scopes, t.scopes
        same_sentence, same_para, same_row = qs.sentence == ts.sentence, q.para == t.para, False
        if qs.clause == ts.clause:
            items.append(c["same_clause"])
        if qs.group == ts.group:
            items.append(c["same_group"])
        if same_sentence:
            items.append(c["same_sentence"])
        if same_para:
            items.append(c["same_para"])
        qcell = qs.cell
        if qcell is not None:
            same_row = self._cells(items, qcell, ts.cell, before)
        # position
        items += t.head
        items += q.position
        items += t.tail
        # competition
        n_same = bisect_left(t.label_starts, hi) - bisect_left(t.label_starts, lo)
        n_same = n_same if n_same > 0 else 0
        n_q = bisect_left(self.q_starts, hi) - bisect_left(self.q_starts, lo)
        n_q = n_q if n_q > 0 else 0
        items.append(self.n_same[s][n_same if n_same < 5 else 5])
        items.append(self.n_q[s][n_q if n_q < 5 else 5])
        rank_at = len(items)
        items.append(c["rank_log"])
        # cues
        text = self.text
        between = text[lo:hi] if hi - lo <= 400 else text[lo:lo + 200] + text[hi - 200:hi]
        if "其中" in between:
            items.append(c["qizhong_between"])
        if "截至" in between or "截止" in between:
            items.append(c["jiezhi_between"])
        items += t.cues
        if "\n" in between:
            items.append(c["newline_between"])
        if "|" in between:
            items.append(c["bar_between"])
        if q.start > t.end and ("：" in between or ":" in between):
            items.append(c["colon_between"])
        # the rule's decision
        chose = (cand.t, rtype) in q.links
        rule_at = len(items)
        items.append(c["rule"] if chose else c["rule_other"] if rtype in q.linked else c["rule_none"])
        # the type's family
        if rtype == "HAS_UNIT":
            items += self._unit_gap(q.end, t.start)
            items += t.own
        elif rtype == "HAS_DEADLINE":
            items += t.own
            if q.target_cue:
                items.append(c["q_target_cue"])
                if t.as_of:
                    items.append(c["q_target_cue&d_as_of"])
        elif rtype == "HAS_DEPARTMENT":
            items += t.own
        # conjunctions with the side, then with the rule
        for conj, flag in zip(self.conj, (chose, same_sentence, same_para, t.framing, same_row)):
            if flag:
                items.append(conj[s])
        if chose:
            for name, flag in zip(_RULE_CONJ, (same_sentence, same_para, t.framing, t.note_cue,
                                               t.heading, t.lead)):
                if flag:
                    items.append(c[name])
        return items, dist, n_same, rank_at, rule_at

    def _cells(self, items: list[Code], qcell: tuple[int, int], tcell: tuple[int, int] | None,
               before: bool) -> bool:
        """Append the table features of a quantity in ``qcell``; whether the pair shares a row."""
        c = self.c
        items.append(c["q_table"])
        same_row = tcell is not None and tcell[0] == qcell[0]
        if same_row:
            items.append(c["same_row"])
        if tcell is not None and tcell[1] == qcell[1]:
            items.append(c["same_col"])
            if tcell[0] < qcell[0]:
                items.append(c["same_col_above"])
        if tcell is None and before:
            items.append(c["t_caption"])
        if tcell is not None and tcell[0] < qcell[0] and _is_header_row(self.index, tcell[0]):
            items.append(c["t_header_row"])
        return same_row

    def _unit_gap(self, q_end: int, t_start: int) -> tuple[Code, ...]:
        names = unit_gap(self.text, q_end, t_start)
        found = self.unit_gaps.get(names)
        if found is None:
            found = self.unit_gaps[names] = self.codes(names)
        return found


def pair_features(index: DocIndex, cand: Candidate) -> Features:
    """All features of one candidate pair (plus a few conjunctions with the rule's decision).

    Equal to :func:`reference_pair_features` (names, values and order), computed by the
    document's :class:`PairCoder`.
    """
    return PairCoder.of(index).features(cand)


def margin_function(featurize: Callable[[DocIndex, Candidate], Features], index: DocIndex,
                    model: LinearModel) -> Callable[[Candidate], float]:
    """``cand → model.margin(featurize(index, cand))``, bit for bit; without building the
    features when ``featurize`` is :func:`pair_features`."""
    if featurize is pair_features:
        return PairCoder(index, model.weights, model.intercept).margin
    return lambda cand: model.margin(featurize(index, cand))


@spacy.registry.misc("minsheng.pair_features.v1")
def make_pair_features() -> Callable[[DocIndex, Candidate], Features]:
    """Registered pair featurizer (``@misc = "minsheng.pair_features.v1"``)."""
    return pair_features
