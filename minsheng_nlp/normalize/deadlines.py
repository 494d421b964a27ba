"""Due dates of DEADLINE expressions (GUIDELINE §4, §6; notes N11, N16).

A deadline is the *last* day of the period it names: ``2025年底前`` → 2025-12-31,
``6月底前`` → YEAR-06-30, ``“十四五”期末`` → 2025-12-31, ``2018年至2019年`` → 2019-12-31.
Choices where the guideline is silent:

- ``年初`` → YEAR-03-31 (the end of the first quarter); ``年中`` → YEAR-06-30;
- ``M月初``/``M月上旬`` → day 10, ``M月中``/``M月中旬`` → day 20, ``M月下旬`` → last day;
- ``2025年前`` / ``2025年以前`` → 2025-12-31 (read as "by 2025", like ``到2025年``);
- a bare four-digit year (a table time cell ``2024``) → its 12-31;
- 去年/上年 → YEAR-1, 明年/次年/来年 → YEAR+1, 后年 → YEAR+2 (relative to ``year``);
- open periods with 以来 (``2019年以来``) are not deadlines → None.
"""
from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from types import MappingProxyType

__all__ = ["deadline_date", "deadline_year"]

_NORM = MappingProxyType(str.maketrans({
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "－": "-", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "～": "~",
    "〜": "~", "／": "/", "．": ".",
    "○": "〇", "兩": "两", "於": "于", "內": "内", "間": "间", "當": "当", "來": "来",
    "後": "后", "個": "个", "號": "号", "屆": "届", "規": "规", "劃": "划", "終": "终",
    "與": "与", "為": "为", "時": "时",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
    "“": None, "”": None, "\"": None, "'": None, "‘": None, "’": None, "「": None,
    "」": None, "『": None, "』": None, "《": None, "》": None, "〈": None, "〉": None,
}))
_WS = re.compile(r"\s+")
_EDGE_PUNCT = " ,，。.;；:：、!！?？()（）[]【】-~*#|"

_CN = MappingProxyType({"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
                        "五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_PREFIX = re.compile(r"^(?:截止到|截止至|截至到|截至|截止|直到|直至|到|至|在|于|从|自|由)+")
_SUFFIX = re.compile(r"(?:以前|之前|以内|之内|为止|前|内|止|底|末|终|份|时)+$")

_SMALL_NUM = r"[0-9]{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_YEAR_ABS = r"(?P<ya>[0-9]{4}|[〇零一二三四五六七八九]{4})年"
_YEAR_REL = r"(?P<yr>今年|本年|当年|全年|明年|次年|来年|下一年|下年|去年|上一年|上年|前年|后年)"
_CORE = re.compile(
    rf"(?:{_YEAR_ABS}|{_YEAR_REL})?(?P<nian>年)?"
    r"(?:(?P<half>上半年|下半年|前半年|后半年)"
    r"|(?P<q3>前三季度|前三个季度)"
    r"|第?(?P<q>[一二三四1-4])个?季度?"
    r"|(?P<early>初)|(?P<mid>中)"
    rf"|(?P<m>{_SMALL_NUM})月(?:(?P<d>{_SMALL_NUM})[日号])?(?P<part>上旬|中旬|下旬|初|中)?"
    r")?"
)
_FIVE_YEAR = re.compile(
    r"第?(?P<n>十[一二三四五六七八九]?|[一二三四五六七八九]|[0-9]{1,2})个?五(?:年(?=规划|计划))?"
    r"(?:规划|计划)?(?:时期|期间|末期|期末|期|末|收官之年|收官年|收官|结束时?|完成时?)?"
    r"(?:以前|之前|前|内|时)?"
)
_NUMERIC_DATE = re.compile(r"(?P<y>[0-9]{4})[-./年](?P<m>[0-9]{1,2})(?:[-./月](?P<d>[0-9]{1,2})日?)?")
_RANGE_SPLIT = re.compile(r"[-~]+|至|到")
_BARE_YEAR = re.compile(r"[0-9]{4}")
_ANY_YEAR = re.compile(r"([0-9]{4})年")
_QUARTER_END = MappingProxyType({1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)})


def _small(s: str) -> int:
    """1-31 written in Arabic digits or Chinese numerals."""
    if s.isascii():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)
    return _CN[s]


def _year_of(s: str) -> int:
    return int(s) if s.isascii() else int("".join(str(_CN[c]) for c in s))


def _last_day(y: int, m: int) -> date | None:
    if not (1 <= y <= 9999 and 1 <= m <= 12):
        return None
    return date(y, m, calendar.monthrange(y, m)[1])


def _make(y: int, m: int, d: int) -> date | None:
    if not (1 <= y <= 9999 and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]):
        return None
    return date(y, m, d)


def _five_year_end(n: str) -> int | None:
    k = _small(n) if not n.isascii() else int(n)
    if k == 1:
        return 1957
    if k == 2:
        return 1962
    if 3 <= k <= 30:
        return 1970 + 5 * (k - 3)          # 3rd plan 1966-1970; 14th 2021-2025
    return None


def _normalize(text: str) -> str:
    s = _WS.sub("", text.translate(_NORM)).strip(_EDGE_PUNCT)
    return s.replace("年度", "年")


def _strip(s: str) -> str:
    s = _PREFIX.sub("", s)
    return _SUFFIX.sub("", s)


def _core(s: str, year: int | None) -> date | None:
    """One (non-range) expression, prefixes and suffixes already stripped."""
    if not s:
        return None
    if _BARE_YEAR.fullmatch(s):
        return _last_day(int(s), 12)
    m = _NUMERIC_DATE.fullmatch(s)
    if m is not None:
        y, mo = int(m.group("y")), int(m.group("m"))
        return _make(y, mo, int(m.group("d"))) if m.group("d") else _last_day(y, mo)
    m = _CORE.fullmatch(s)
    if m is None or not any(m.groupdict().values()):
        return None
    g = m.groupdict()
    if g["ya"]:
        y = _year_of(g["ya"])
    else:
        if year is None:
            return None
        rel = g["yr"] or ""
        offset = {"明年": 1, "次年": 1, "来年": 1, "下一年": 1, "下年": 1, "去年": -1,
                  "上一年": -1, "上年": -1, "前年": -2, "后年": 2}.get(rel, 0)
        y = year + offset
        if not rel and not g["nian"] and not g["m"] and not g["half"] and not g["q"] \
                and not g["q3"]:
            return None                   # a bare 初/中 names no period
    if g["half"]:
        return _last_day(y, 6 if g["half"] in ("上半年", "前半年") else 12)
    if g["q3"]:
        return _last_day(y, 9)
    if g["q"]:
        q = int(g["q"]) if g["q"].isascii() else _CN[g["q"]]
        mo, d = _QUARTER_END[q]
        return _make(y, mo, d)
    if g["early"]:
        return _last_day(y, 3)            # 年初: end of the first quarter
    if g["mid"]:
        return _last_day(y, 6)            # 年中
    if g["m"]:
        mo = _small(g["m"])
        if g["d"]:
            return _make(y, mo, _small(g["d"]))
        part = g["part"]
        if part in ("上旬", "初"):
            return _make(y, mo, 10)
        if part in ("中旬", "中"):
            return _make(y, mo, 20)
        return _last_day(y, mo)
    return _last_day(y, 12)


# Periods named relative to the document year (the year a report is given in).
_RELATIVE_PERIODS = {
    "过去一年": -1, "过去的一年": -1, "过去1年": -1, "刚刚过去的一年": -1,
    "过去五年": -1, "过去的五年": -1, "五年间": -1, "五年来": -1, "过去五年间": -1,
    "新的一年": 0, "本年": 0, "本年度": 0,
}


@lru_cache(maxsize=8192)
def _deadline(text: str, year: int | None) -> date | None:
    s = _normalize(text)
    if not s or s.endswith("以来"):
        return None
    if s in _RELATIVE_PERIODS:
        return _last_day(year + _RELATIVE_PERIODS[s], 12) if year is not None else None
    fy = _FIVE_YEAR.fullmatch(_PREFIX.sub("", s))
    if fy is not None:
        end = _five_year_end(fy.group("n"))
        return _last_day(end, 12) if end else None
    s = _strip(s)
    parts = _RANGE_SPLIT.split(s)
    if len(parts) == 1 or _NUMERIC_DATE.fullmatch(s):
        return _core(s, year)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    left, right = _strip(parts[0]), _strip(parts[1])
    start = _core(left, year)
    if start is None:
        return None
    end = _core(right, start.year)
    if end is None or end < start:
        return None
    return end


def deadline_date(text: str, year: int | None) -> date | None:
    """The due date of a DEADLINE expression, or None.

    ``year`` is the year in force (paragraph or document year) for relative forms
    (``年底前``, ``6月底``, ``上半年``, ``明年``); without it they give None. Accepts line
    breaks, spaces, quotes, full-width digits, Chinese numerals and traditional
    characters inside the text. Never raises; never returns an invalid date.
    """
    if not isinstance(text, str):
        return None
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                             or not 1 <= year <= 9999):
        year = None
    try:
        return _deadline(text, year)
    except (ValueError, KeyError, OverflowError):     # defensive: never raise
        return None


def deadline_year(text: str, year: int | None) -> int | None:
    """The (end) year a DEADLINE expression refers to, or None.

    The year of :func:`deadline_date`; when no date can be computed (``2025年春节前``)
    the last explicit ``YYYY年`` of the text.
    """
    due = deadline_date(text, year)
    if due is not None:
        return due.year
    if not isinstance(text, str):
        return None
    s = _normalize(text)
    if s.endswith("以来"):
        return None
    found = [int(y) for y in _ANY_YEAR.findall(s) if 1 <= int(y) <= 9999]
    return found[-1] if found else None
