"""The comparator of a quantity (GUIDELINE §4, §6): ``=`` ``>=`` ``>`` ``<=`` ``<`` ``~``.

Only the words touching the quantity count: the end of the text before it, the text
between it and its unit (``余``/``多``), and the start of the text after the unit.
Precedence: between, then after, then before (``约2500余人`` → ``>``; ``控制在6%以下``
→ ``<=``). ``控制在X`` with nothing after is a cap → ``<=``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from types import MappingProxyType

__all__ = ["comparator_for", "COMPARATOR_SYMBOLS"]

COMPARATOR_SYMBOLS = ("=", ">=", ">", "<=", "<", "~")

_TRAD = MappingProxyType(str.maketrans({
    "約": "约", "餘": "余", "過": "过", "於": "于", "內": "内", "達": "达", "為": "为",
    "將": "将", "額": "额", "幾": "几", "來": "来", "較": "较", "標": "标", "準": "准",
    "製": "制", "（": "(", "）": ")",
}))
_WS = re.compile(r"\s+")
_WINDOW = 24          # characters of context that can matter, taken before cleaning
_KEEP = 14            # characters kept after cleaning

# Start of ``between`` (text between quantity and unit): 800余万元, 200多万人次, 10来个.
_BETWEEN = (
    (re.compile(r"^(?:余|多|有余|之多)"), ">"),
    (re.compile(r"^(?:来|左右|上下)"), "~"),
)
# Start of ``after`` (text after the unit): 1200名以上, 6%以下, 3个工作日内.
_AFTER = (
    (re.compile(r"^(?:\(含\))?(?:及|或|和)?(?:以上|之上)"), ">="),
    (re.compile(r"^(?:\(含\))?(?:及|或|和)?(?:以下|之下|以内|之内|为限|封顶)"), "<="),
    (re.compile(r"^内(?![容部涵地蒙科需在河陆外网存镜设控核])"), "<="),
    (re.compile(r"^(?:左右|上下|前后)"), "~"),
    (re.compile(r"^(?:有余|之多|余(?![额下量生热粮地]))"), ">"),
    (re.compile(r"^多(?=$|[，,。；;、：:)\]】」”\"'!！?？]|[万亿千百]"
                r"|[个人名次户家所座套条项件天年月日岁倍])"), ">"),
    (re.compile(r"^来(?=$|[个人名次元户家所座套条项件天年月日岁倍万亿千百])"), "~"),
)
# End of ``before``: a keyword, then at most a short linking verb (达/到/为/在…).
_FILLER = r"(?:达到|达|到|为|在|至|了|有|是|共|计|共计|合计|累计|总计)?"
_BEFORE = re.compile(
    r"(?:(?P<ge>不低于|不少于|不小于|不短于|至少|最少|最低|起码)"
    r"|(?P<le>不超过|不超出|不多于|不大于|不高于|不超|最多|至多|最高|上限为?)"
    r"|(?P<lt>低于|少于|小于|不足|不到|不满|未满)"
    r"|(?P<gt>超过|超出|多于|大于|高于|突破|超|逾|过)"
    r"|(?P<ap>大约|大概|(?<![节制签预公条合契邀特履违踏相守婚简隐赴失和纽缔誓])约为?"
    r"|将近|接近|(?<![最附邻就亲贴临靠])近|大致|估计)"
    r"|(?P<cap>控制在|控制到))"
    rf"{_FILLER}$"
)
_GROUP_SYMBOL = MappingProxyType({"ge": ">=", "le": "<=", "lt": "<", "gt": ">", "ap": "~",
                                  "cap": "<="})
# 过 alone only in 过万/过亿-style (超过 handled above); exclude 通过, 经过, 不过, 超过 etc.
_BAD_GUO = re.compile(r"(?:通|经|不|超|度|错|越|路|跨|穿|做|看|办|审|渡|滤|难|改|过)过"
                      rf"{_FILLER}$")
_BAD_CHAO = re.compile(rf"(?:赶|高|追)超{_FILLER}$")


def _clean_head(text: str) -> str:
    return _WS.sub("", text[:_WINDOW].translate(_TRAD))[:_KEEP]


def _clean_tail(text: str) -> str:
    return _WS.sub("", text[-_WINDOW:].translate(_TRAD))[-_KEEP:]


@lru_cache(maxsize=16384)
def _comparator(before: str, between: str, after: str) -> str:
    for pattern, symbol in _BETWEEN:
        if pattern.search(between):
            return symbol
    for pattern, symbol in _AFTER:
        if pattern.search(after):
            return symbol
    m = _BEFORE.search(before)
    if m is None:
        return "="
    group = m.lastgroup or ""
    if group == "gt" and m.group("gt") == "过" and _BAD_GUO.search(before):
        return "="
    if group == "gt" and m.group("gt") == "超" and _BAD_CHAO.search(before):
        return "="
    return _GROUP_SYMBOL.get(group, "=")


def comparator_for(before: str, between: str = "", after: str = "") -> str:
    """The comparator of a quantity from its context inside its clause.

    ``before``: text preceding the QUANTITY (its end is read); ``between``: text between
    the QUANTITY and its UNIT (``余``, ``多``); ``after``: text following the unit, or the
    quantity when there is no unit (its start is read). Returns one of
    :data:`COMPARATOR_SYMBOLS`: ``("不少于", "", "天")`` → ``>=``; ``("", "余", "")`` → ``>``;
    ``("控制在", "", "以下")`` → ``<=``; ``("近", "", "")`` → ``~``; otherwise ``=``.
    """
    return _comparator(_clean_tail(before or ""), _clean_head(between or ""),
                       _clean_head(after or ""))
