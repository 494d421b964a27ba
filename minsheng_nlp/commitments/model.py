"""Learned commitment decisions (guideline §4, §6): commitment or not, planned or achieved.

Two binary :class:`~minsheng_nlp.linear.LinearModel` over the same clause features of a
quantity (:func:`clause_features`, registered as ``minsheng.commitment_features.v1``):

* ``is_commitment``: p(the quantity states a target or result of government work);
* ``status``: p(achieved) for a commitment (planned below the threshold).

The rule decisions of ``status.py`` are features (a strong prior the other features
correct). Saved as JSON only (vocabulary, coefficients, intercepts, thresholds).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable

import spacy

from ..linear import JsonFile, LinearModel
from .assemble import DecisionContext, rule_is_commitment, rule_status
from .status import DURATION_UNITS, NON_COMMITMENT_UNITS, SPEC_UNITS

FORMAT = "minsheng.commitment_model.v1"
FILE_NAME = "commitment_model.json"
RULE_SCALE = 4.0  # see relations.features.rule_features: the rules' decision as a prior

Features = dict[str, float]

# cue families: each is searched in the clause before the quantity (c:), the clause group
# before it (g:), the sentence before it (s:), the rest of the clause group after it (a:)
# and the paragraph context (x:)
CUES: dict[str, re.Pattern[str]] = {
    "plan": re.compile(r"计划|力争|确保|争取|拟|预计|目标|将|要|力求|预期|明年|下一步|今后"),
    "result": re.compile(r"已|累计|完成|实现|建成|共|达到|取得|全年|新增"),
    "review": re.compile(r"过去一年|过去的一年|一年来|五年来|工作回顾|完成情况|进展情况|截至|截止|前三季度|上半年"),
    "growth": re.compile(r"增长|下降|增速|提高|降低|上升|提升|增加|回落|同比|比上年|较上年|比去年|较去年"),
    "ratio": re.compile(r"率|占比|比重|比例|满意度|完成年度计划|目标任务的|计划的|年度任务的"),
    "tasks": re.compile(r"民生实事|实事|重点任务|任务|方面|类|板块|工程"),
    "meeting": re.compile(r"会议|座谈会|协商会|常委会|研讨会|发布会|论坛|调研|视察"),
    "roles": re.compile(r"委员|代表|专家|发言人|记者|嘉宾|同志"),
    "document": re.compile(r"提案|建议|议案|文件|政策|措施|意见|办法|法规|规章|批示|信息"),
    "baseline": re.compile(r"由|从"),
    "to_level": re.compile(r"提高到|提升至|提高至|增至|达到|达|突破|超过"),
    "snapshot": re.compile(r"现有|在建|目前|全国|普查|数据显示|统计"),
    "qualifier": re.compile(r"以上|以下|岁|周岁"),
    "build": re.compile(r"建设|新建|建成|改造|打造|创建|培育|设立|开工|实施|支持|推出|投放|引进|举办|开展|发放|培训|救助|资助|筹集|投入"),
    "money": re.compile(r"资金|投资|补贴|补助|经费|预算|财政"),
    "people": re.compile(r"就业|人员|群众|儿童|老人|老年人|学生|患者|家庭|农民"),
    "company": re.compile(r"集团|公司|企业|营业收入|产值|产量|销量|利润"),
    "honour": re.compile(r"表彰|评为|荣获|获评|入选|称号|奖"),
    "among": re.compile(r"其中|包括|分别"),
    "each": re.compile(r"每|人均|户均|平均"),
}
_SCOPES = ("c", "g", "s", "a", "x")
UNIT_CLASSES: dict[str, frozenset[str]] = {
    "percent": frozenset({"%", "个百分点", "百分点"}),
    "money": frozenset({"元", "万元", "亿元"}),
    "people": frozenset({"人", "名", "人次", "户", "位", "家", "个人"}),
    "area": frozenset({"平方米", "万平方米", "亩", "公里", "千米", "米", "公顷"}),
    "build": frozenset({"所", "座", "套", "间", "张", "条", "处", "栋", "台", "辆", "个", "家", "批"}),
    "times": frozenset({"次", "场", "期", "批次", "场次"}),
    "multiple": frozenset({"倍"}),
}
_CN_DIGITS = "一二两三四五六七八九十百千万"


def unit_class(unit: str | None) -> str:
    """A coarse class of a unit (``none``, ``percent``, ``money``, ``duration``, …)."""
    if not unit:
        return "none"
    if unit in NON_COMMITMENT_UNITS:
        return "non_commitment"
    if unit in DURATION_UNITS:
        return "duration"
    if unit in SPEC_UNITS:
        return "spec"
    for name, units in UNIT_CLASSES.items():
        if unit in units:
            return name
    return "other"


def _scoped_texts(ctx: DecisionContext) -> dict[str, str]:
    return {"c": ctx.clause_before[-30:], "g": ctx.group_before[-60:],
            "s": ctx.sentence_before[-100:], "a": ctx.after[:30], "x": ctx.context}


def cue_features(ctx: DecisionContext) -> Features:
    """Which cue families occur in which scope (and in the last 6 characters before it)."""
    out: Features = {}
    texts = _scoped_texts(ctx)
    near = ctx.clause_before[-6:]
    for name, pattern in CUES.items():
        for scope in _SCOPES:
            if pattern.search(texts[scope]):
                out[f"{scope}:{name}"] = 1.0
        if pattern.search(near):
            out[f"n:{name}"] = 1.0
    out[f"last_cue={last_cue(ctx.sentence_before)}"] = 1.0
    return out


def last_cue(text: str) -> str:
    """Which of the plan / result cues comes last in ``text`` (``none`` without either)."""
    ends = {name: max((m.end() for m in CUES[name].finditer(text)), default=-1)
            for name in ("plan", "result")}
    if ends["plan"] == ends["result"]:
        return "none"
    return "plan" if ends["plan"] > ends["result"] else "result"


_HEADER_CUES: dict[str, re.Pattern[str]] = {
    "plan": re.compile(r"目标|计划|任务|规划|预期|拟"),
    "result": re.compile(r"完成|实际|进展|情况|已|累计|成效|实绩"),
    "money": re.compile(r"投资|资金|金额|元"),
    "time": re.compile(r"时间|年份|年度|期限"),
    "body": re.compile(r"单位|部门"),
}


def header_features(ctx: DecisionContext) -> Features:
    """The column header of the quantity's table cell (年度目标 vs 完成情况)."""
    st = ctx.dv.structure
    cell = st.cell(ctx.ent.start)
    if cell is None:
        return {}
    row, col = cell
    first = row
    while first > 0 and st.paragraphs[first - 1].is_table_row:
        first -= 1
    if first == row:
        return {"header_row": 1.0}
    para = st.paragraphs[first]
    cells = [c.strip() for c in ctx.dv.text[para.start:para.end].strip().strip("|").split("|")]
    if not 0 <= col < len(cells):
        return {}
    out: Features = {}
    for name, pattern in _HEADER_CUES.items():
        if pattern.search(cells[col]):
            out[f"header:{name}"] = 1.0
    return out


def year_features(ctx: DecisionContext) -> Features:
    """The commitment year against the document year; the linked deadline's class."""
    out: Features = {}
    if ctx.year is None or ctx.doc_year is None:
        out["year=unknown"] = 1.0
    elif ctx.year < ctx.doc_year:
        out["year<doc"] = 1.0
    elif ctx.year > ctx.doc_year:
        out["year>doc"] = 1.0
    else:
        out["year=doc"] = 1.0
    if ctx.deadline_view:
        out["has_deadline"] = 1.0
        if re.search(r"月|季度|上半年|下半年", ctx.deadline_view):
            out["deadline_sub_year"] = 1.0
        if re.search(r"底|前|末|内", ctx.deadline_view):
            out["deadline_due"] = 1.0
        if re.search(r"至|到|-|—", ctx.deadline_view):
            out["deadline_span"] = 1.0
    return out


def quantity_features(ctx: DecisionContext) -> Features:
    """The quantity itself: unit and its class, magnitude, written form, links."""
    unit = ctx.unit or ""
    out: Features = {f"unit={unit}": 1.0, f"unit_class={unit_class(ctx.unit)}": 1.0}
    value = abs(float(ctx.value)) if ctx.value is not None else 0.0
    out[f"log10={min(9, int(math.log10(value))) if value >= 1 else -1}"] = 1.0
    if ctx.qtext[:1] in _CN_DIGITS:
        out["cn_numeral"] = 1.0
        if value < 10:
            out["small_cn"] = 1.0
    if re.search(r"[-~～至到]", ctx.qtext):
        out["range"] = 1.0
    for rtype in ("HAS_UNIT", "HAS_DEPARTMENT", "HAS_DEADLINE"):
        if ctx.links.get(rtype):
            out[f"link:{rtype}"] = 1.0
    head = ctx.after[:2]
    if head[:2] in ("以上", "以下", "以内", "左右"):
        out[f"after2={head}"] = 1.0
    return out


def structure_features(ctx: DecisionContext) -> Features:
    """Table row, list item, heading, lead; position of the quantity in its clause."""
    st = ctx.dv.structure
    para = st.paragraphs[st.paragraph_index(ctx.ent.start)]
    out: Features = {}
    for name, flag in (("table", para.is_table_row), ("item", para.is_item),
                       ("heading", para.is_heading), ("lead", para.is_lead)):
        if flag:
            out[f"para_{name}"] = 1.0
    out["clause_head"] = 1.0 if len(ctx.clause_before.strip()) <= 2 else 0.0
    return out


def rule_features(ctx: DecisionContext) -> Features:
    """The rules' decisions (status.py) as scaled indicator features."""
    status = rule_status(ctx)
    keep = rule_is_commitment(ctx, status)
    return {f"rule_status={status}": RULE_SCALE,
            "rule_commitment" if keep else "rule_not_commitment": RULE_SCALE}


def clause_features(ctx: DecisionContext) -> Features:
    """All features of one quantity's decision context."""
    out: Features = {"bias": 1.0}
    for family in (rule_features, cue_features, year_features, quantity_features, structure_features,
                   header_features):
        out.update(family(ctx))
    return out


@spacy.registry.misc("minsheng.commitment_features.v1")
def make_clause_features() -> Callable[[DecisionContext], Features]:
    """Registered featurizer (``@misc = "minsheng.commitment_features.v1"``)."""
    return clause_features


@dataclass
class CommitmentModel(JsonFile):
    """The two decisions: commitment or not, and (for commitments) achieved or planned."""

    FILE_NAME = FILE_NAME

    is_commitment: LinearModel
    status: LinearModel
    features: str = "minsheng.commitment_features.v1"

    def featurize(self, ctx: DecisionContext) -> Features:
        return self._featurizer()(ctx)

    def _featurizer(self) -> Callable[[DecisionContext], Features]:
        """The registered featurizer, looked up once (a registry lookup per quantity was
        half the assembler's time)."""
        cached = self.__dict__.get("_featurize")
        if cached is None or cached[0] != self.features:
            cached = (self.features, spacy.registry.misc.get(self.features)())
            self.__dict__["_featurize"] = cached
        return cached[1]

    def decide(self, ctx: DecisionContext) -> str | None:
        """``planned`` / ``achieved``, or None when the quantity is not a commitment."""
        x = self.featurize(ctx)
        if self.is_commitment.proba(x) < self.is_commitment.threshold:
            return None
        return "achieved" if self.status.proba(x) >= self.status.threshold else "planned"

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "features": self.features,
                "is_commitment": self.is_commitment.to_dict(), "status": self.status.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CommitmentModel":
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file (format: {data.get('format')!r})")
        return cls(is_commitment=LinearModel.from_dict(data["is_commitment"]),
                   status=LinearModel.from_dict(data["status"]), features=str(data["features"]))
