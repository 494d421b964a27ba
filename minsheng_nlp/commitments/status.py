"""Commitment decisions by rule: is a quantity a commitment, and is it planned or achieved.

Guideline §4 and §6. Inputs are plain strings cut from the cleaned view, so every rule
is a small pure function that can be tested on a phrase.
"""
from __future__ import annotations

import re

# --------------------------------------------------------------- status
# 将 before a number or a noun phrase is the object marker (将147.7万人纳入…), not "will".
# Look-behinds come after the character they guard (将(?<!即将) == (?<!即)将): an alternative
# that starts with a literal is skipped at a glance by the regex engine.
_WILL = r"将(?<!即将)(?![近\d一二三四五六七八九十两百千万]|符合|所有|全部|全省|全市|全县|其|这|该|此)"
_PLANNED = re.compile(
    rf"计划|将要|{_WILL}|力争|确保|争取|拟|预计|目标|要(?<![主重需只必纪]要)(?![求素点闻])|力求|预期"
)
_STRONG_PLANNED = re.compile(rf"计划|将要|{_WILL}|力争|拟|预计|目标")
_ACHIEVED = re.compile(
    r"已经|已|累计|完成了|共完成|实现了|建成了|达到了|超额完成|全年完成|全面完成|顺利完成|提前完成|"
    r"均提前|截至|截止|共计|共为|共帮扶|共救助|共发放|共培训|共开展|共举办|全年共|一年来|过去一年|取得"
)
_TARGET_AFTER = re.compile(r"[^，,。；;]{0,6}(?:年度目标|目标任务|的目标|计划任务|任务目标)")


_REVIEW_CONTEXT = re.compile(  # the look-ahead first: the look-behinds run only where it holds
    r"(?=全部完成|全面完成|圆满完成|顺利完成|超额完成)(?<!确保)(?<!力争)(?<!将)(?<!要)"
    r"(?:全部完成|全面完成|圆满完成|顺利完成|超额完成)|工作回顾|完成情况|进展情况|"
    r"过去一年|过去的一年|过去五年|五年间|五年来|一年来|前三季度|上半年|1-\d{1,2}月|截至"
)


def decide_status(before: str, after: str, year: int | None, doc_year: int | None,
                  clause: str | None = None, context: str = "") -> str:
    """``planned`` or ``achieved`` for a quantity.

    ``before``: its sentence up to the quantity; ``clause``: its own clause up to the
    quantity (default: ``before``); ``after``: the rest of its clause. A stated target
    (…40所的年度目标) is planned; a year after the document's is planned; otherwise the
    nearest cue decides — plan cues count in the quantity's own clause, result cues in its
    sentence; without a cue, a year before the document's year or a review context in
    ``context`` (the paragraph and heading before the quantity: 全部完成, 工作回顾, 截至…)
    means a result. In a review of a past year only a strong plan cue (计划 将 力争 拟 预计
    目标) makes a plan.
    """
    clause = before if clause is None else clause
    if _TARGET_AFTER.match(after):
        return "planned"
    if year is not None and doc_year is not None and year > doc_year:
        return "planned"
    past = year is not None and doc_year is not None and year < doc_year
    plan_re = _STRONG_PLANNED if past else _PLANNED
    offset = len(before) - len(clause)
    last_planned = max((m.end() + offset for m in plan_re.finditer(clause)), default=-1)
    last_achieved = max((m.end() for m in _ACHIEVED.finditer(before)), default=-1)
    if last_planned > last_achieved:
        return "planned"
    if last_achieved > last_planned:
        return "achieved"
    if past or _REVIEW_CONTEXT.search(context):
        return "achieved"  # a results review: 十件民生实事全部完成。城镇新增就业5.12万人
    return "planned"


# --------------------------------------------------------------- commitment or not
NON_COMMITMENT_UNITS = frozenset({"项", "个方面", "方面", "类", "位", "篇", "篇次", "件次", "岁", "周岁", "届", "款", "种", "级"})
DURATION_UNITS = frozenset({"天", "小时", "个小时", "分钟", "秒", "年", "个月", "周", "个工作日", "工作日"})
SPEC_UNITS = frozenset({"千伏", "伏", "兆瓦时"})
_DURATION_TARGET_AFTER = re.compile(r"(?:以内|之内|内)")
_DURATION_TARGET_BEFORE = re.compile(r"(?:压缩|缩短|控制|减少)(?:至|到|在)$")
_RATIO_BEFORE = re.compile(
    r"(?:完成率|完成年度计划的|年度计划的|目标任务的|年度任务的|任务的|计划的|目标的|较计划多|比计划多|较计划|比计划|为上年的|是上年的|同比|比上年|较上年|"
    r"比去年|较去年|满意度|满意率|在建[^，,]{0,6}|增幅|降幅)[^，,]{0,3}$"
)
_GROWTH_BEFORE = re.compile(
    r"(?:增长|下降|增速|提高|降低|回落|上升|提升|增加|高出|高于|低于)(?:分别|了)?(?:[\d.]+(?:%|个百分点)?[、和])*$"
)
_BASELINE = re.compile(r"(?:由|从)[^，,。；;\d]{0,4}$")
_BASELINE_AFTER = re.compile(r"[^，,。；;]{0,8}(?:提高|提升|增加|增至|调整|降至|上调|下调|扩大|至|到)")
_MEETING_AFTER = re.compile(r"[^，,。；;]{0,10}(?:会议|座谈会|协商会|常委会|研讨会|发布会|论坛)")
_PEOPLE_ROLES_AFTER = re.compile(r"(?:委员|代表|专家|发言人|记者|嘉宾)")
_TASK_COUNT = re.compile(r"[^，,。；;]{0,2}(?:民生实事|实事|重点任务|任务)")
# 十四个方面, 三个领域, 五个板块: a count of aspects or categories of the plan (guideline §4:
# "items/tasks/aspects (项, 个方面, 类)"); N26 makes the unit 个 alone, the noun follows
_ASPECT_AFTER = re.compile(r"(?:方面|大类|类别|领域|板块)")
_COLLECTIVE_AFTER = re.compile(r"(?:中省直|省直|市直|县直)?(?:单位|部门|成员单位|省份|国家(?!级))")
_DOCUMENT_BEFORE = re.compile(r"(?:建议|提案|议案|规章|法规|草案|文件|政策|措施|立法项目|批示|立案|编发|报送|上报)$")
_TASK_COUNT_BEFORE = re.compile(r"(?:民生实事|实事|实事项目|办实事项目|民生项目)[^，,。；;\d]{0,4}$")
_STATISTICS_BEFORE = re.compile(r"普查|统计数据|数据显示|监测显示|抽样调查")
_QUALIFIER_AFTER = re.compile(r"(?:以上|以下)[\u4e00-\u9fff“]")
_DOCUMENT_AFTER = re.compile(r"(?:条|项|部|件|份|个)?(?:措施|政策|意见|办法|法规|规章|建议|提案|文件|举措)")
_COMPANY_SUBJECT = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,8}(?:集团|公司|有限公司)")
_COMPANY_FIGURE = re.compile(r"营业收入|营收|产量|产能|产值|销量|销售额|利润|年产|出货量")
_PIPELINE_BEFORE = re.compile(r"(?:谋划|储备|纳入|列入)[^，,。；;]{0,8}$")
_SPEC_UNITS = frozenset({"吨", "头", "辆", "千瓦", "剂", "只", "羽", "千瓦时", "万千瓦"})
_SPEC_AFTER = re.compile(r"[^，,。；;、]{1,14}?(?:项目|工厂|基地|工程|生产线)")
_CATEGORY_AFTER = re.compile(r"[大级强]")
_HONOUR = re.compile(r"^[^，,。；;]{0,40}(?:获得表彰|受到表彰|被评为|荣获|获评|入选|获得.{0,6}称号|获.{0,4}奖)")
_SNAPSHOT_BEFORE = re.compile(r"(?:现有|在建|全国)[^，,。；;]{0,3}$|目前(?!已|累计|共|建成)[^，,。；;]{0,3}$")
_MULTIPLE_COMPARISON = re.compile(r"(?:是|为|相当于)[^，,。]{0,12}的$")
_BUILD_VERB = re.compile(r"建设|新建|建成|改造|打造|创建|培育|设立|开工|实施|完成|支持|新增|建|推出|投放|引进|举办|开展")


def is_commitment(num: str, unit: str | None, before: str, after: str, status: str,
                  value_small_cn: bool) -> bool:
    """Whether a quantity states a target or result of government work (guideline §4, §6).

    ``num``: the quantity text; ``unit``: its unit (no magnitude); ``before``: its clause
    up to the quantity; ``after``: the clause after the quantity and unit;
    ``value_small_cn``: a Chinese numeral below ten (两个推动: a rhetorical count).
    """
    unit = unit or ""
    if unit in NON_COMMITMENT_UNITS or unit in SPEC_UNITS:
        return False
    if unit in DURATION_UNITS:
        return bool(_DURATION_TARGET_AFTER.match(after) or _DURATION_TARGET_BEFORE.search(before))
    if _RATIO_BEFORE.search(before):
        return False
    if unit in ("%", "个百分点", "百分点") and status == "achieved" and _GROWTH_BEFORE.search(before):
        return False  # a change reported in a review (同比增长12%), not a level reached
    if unit == "元" and status == "achieved" and re.search(r"(?:人均|标准)[^，,]{0,4}(?:增加|提高)$", before):
        return False
    if not unit and _CATEGORY_AFTER.match(after):
        return False  # 9大板块, 5级: categories and levels
    if _DOCUMENT_BEFORE.search(before) or _DOCUMENT_AFTER.match(after):
        return False  # documents and policies handled: 提案387件, 27条措施
    if _PIPELINE_BEFORE.search(before):
        return False  # projects planned or held in reserve, not delivered
    if unit in _SPEC_UNITS and _SPEC_AFTER.match(after):
        return False  # a capacity in a project's name: 120万吨乙烯项目
    if _COMPANY_SUBJECT.search(before) and _COMPANY_FIGURE.search(before):
        return False  # a company's own figures (营业收入, 产量, 产能)
    if _BASELINE.search(before) and _BASELINE_AFTER.match(after):
        return False
    if unit in ("次", "场", "个") and _MEETING_AFTER.match(after):
        return False
    if unit in ("名", "人") and _PEOPLE_ROLES_AFTER.match(after):
        return False
    if unit in ("件", "个") and _TASK_COUNT.match(after[:8]):
        return False
    if unit == "个" and (_COLLECTIVE_AFTER.match(after) or _ASPECT_AFTER.match(after)):
        return False
    if _HONOUR.search(after) or _SNAPSHOT_BEFORE.search(before):
        return False
    if unit in ("件", "个", "项", "") and _TASK_COUNT_BEFORE.search(before):
        return False  # 确定实施重点民生实事15件: a count of items (N17)
    if _STATISTICS_BEFORE.search(before):
        return False  # census and survey figures are not government work
    if _QUALIFIER_AFTER.match(after) and not _BUILD_VERB.search(before[-8:]):
        return False  # 20户以上自然村: a size threshold qualifying a noun
    if unit == "倍" and _MULTIPLE_COMPARISON.search(before) and re.search(r"\d{4}年|上年|去年", before):
        return False
    if value_small_cn and not _BUILD_VERB.search(before[-8:]):
        return False  # 两个推动, 依托两所院校: rhetorical or incidental counts
    return True
