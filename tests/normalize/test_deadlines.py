"""Tests of minsheng_nlp.normalize.deadlines."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng_nlp.normalize import deadline_date, deadline_year

Y = 2024


@pytest.mark.parametrize("text, expected", [
    # seeds (吉林)
    ("2025年底前", "2025-12-31"), (" 2025 年底前", "2025-12-31"), ("2024 年底前", "2024-12-31"),
    ("“十四五”期末", "2025-12-31"), ("2023\n\n年", "2023-12-31"), ("2023年6月", "2023-06-30"),
    ("2023年底", "2023-12-31"), ("2024年底", "2024-12-31"), ("10月底", "2024-10-31"),
    ("3月末", "2024-03-31"), ("9月底", "2024-09-30"), ("2022年底", "2022-12-31"),
    ("2021-2035年", "2035-12-31"), ("2024年", "2024-12-31"), ("2024", "2024-12-31"),
    ("11月", "2024-11-30"), ("今年", "2024-12-31"), ("今年年底", "2024-12-31"),
    # absolute years
    ("2025年末", "2025-12-31"), ("到2025年", "2025-12-31"), ("在2025年底前", "2025-12-31"),
    ("截至2023年底", "2023-12-31"), ("2025年", "2025-12-31"), ("2025年内", "2025-12-31"),
    ("2024年度", "2024-12-31"), ("2025年前", "2025-12-31"), ("2025年以前", "2025-12-31"),
    ("2025年12月31日前", "2025-12-31"), ("2024年12月31日前", "2024-12-31"),
    ("2024年6月30日", "2024-06-30"), ("2024年2月底", "2024-02-29"), ("2023年2月底", "2023-02-28"),
    ("2025年上半年", "2025-06-30"), ("2025年第三季度", "2025-09-30"), ("2026年初", "2026-03-31"),
    ("2025-12-31", "2025-12-31"), ("2024.6", "2024-06-30"), ("2024/9/15", "2024-09-15"),
    # relative to the year in force
    ("年底前", "2024-12-31"), ("年内", "2024-12-31"), ("今年年底前", "2024-12-31"),
    ("年底", "2024-12-31"), ("年末", "2024-12-31"), ("本年度内", "2024-12-31"),
    ("全年", "2024-12-31"), ("明年", "2025-12-31"), ("明年底前", "2025-12-31"),
    ("次年", "2025-12-31"), ("去年", "2023-12-31"), ("明年上半年", "2025-06-30"),
    ("6月底前", "2024-06-30"), ("6月底", "2024-06-30"), ("6月", "2024-06-30"),
    ("六月底前", "2024-06-30"), ("6月份", "2024-06-30"), ("十二月", "2024-12-31"),
    ("2月底", "2024-02-29"), ("6月30日前", "2024-06-30"), ("6月30日", "2024-06-30"),
    ("六月三十日", "2024-06-30"), ("12月31号前", "2024-12-31"),
    ("上半年", "2024-06-30"), ("下半年", "2024-12-31"), ("一季度", "2024-03-31"),
    ("第一季度", "2024-03-31"), ("二季度", "2024-06-30"), ("三季度", "2024-09-30"),
    ("四季度", "2024-12-31"), ("第四季度末", "2024-12-31"), ("前三季度", "2024-09-30"),
    ("年初", "2024-03-31"), ("年中", "2024-06-30"), ("6月上旬", "2024-06-10"),
    ("6月中旬", "2024-06-20"), ("6月下旬", "2024-06-30"), ("7月初", "2024-07-10"),
    # five-year plans
    ("“十四五”期间", "2025-12-31"), ("\"十四五\"末", "2025-12-31"), ("十四五", "2025-12-31"),
    ("“十四五”时期", "2025-12-31"), ("十四五规划期末", "2025-12-31"), ("十三五", "2020-12-31"),
    ("“十三五”期末", "2020-12-31"), ("“十五五”期间", "2030-12-31"), ("「十四五」末", "2025-12-31"),
    ("“十五”期间", "2005-12-31"),
    # ranges
    ("2018年至2019年", "2019-12-31"), ("2024-2025年", "2025-12-31"), ("2023—2025年", "2025-12-31"),
    ("2023－2025年", "2025-12-31"), ("2024年到2026年", "2026-12-31"), ("2024年1月至6月", "2024-06-30"),
    ("2024年~2025年", "2025-12-31"),
    # traditional characters, full-width digits, Chinese years, line breaks
    ("２０２５年底前", "2025-12-31"), ("二〇二五年底前", "2025-12-31"), ("二○二五年", "2025-12-31"),
    ("二零二六年六月底", "2026-06-30"), ("2025年\n底前", "2025-12-31"), ("20\n25年", "2025-12-31"),
    ("“十四五”期間", "2025-12-31"), ("於2025年底前", "2025-12-31"), ("年內", "2024-12-31"),
    ("明年上半年", "2025-06-30"), ("2025年12月31日之前", "2025-12-31"),
])
def test_deadline_date(text: str, expected: str) -> None:
    assert deadline_date(text, Y) == date.fromisoformat(expected)


@pytest.mark.parametrize("text", [
    "", "   ", "2019年以来", "今年以来", "目前", "当前", "十五年内", "3年内", "近三年", "底前",
    "2月30日", "2023年2月29日", "13月", "0000年", "2025年6月至2024年", "春节前", "abc",
    "2025年春节前", "—", "初", "中", "32日",
])
def test_deadline_date_none(text: str) -> None:
    assert deadline_date(text, Y) is None


@pytest.mark.parametrize("text", ["年底前", "年内", "今年", "明年", "6月底前", "上半年", "一季度",
                                  "年初", "9月底", "6月30日"])
def test_relative_without_year(text: str) -> None:
    assert deadline_date(text, None) is None
    assert deadline_year(text, None) is None


@pytest.mark.parametrize("text", ["2025年底前", "“十四五”期末", "2024-2025年", "2023年6月"])
def test_absolute_without_year(text: str) -> None:
    assert deadline_date(text, None) is not None


def test_leap_years() -> None:
    assert deadline_date("2月底", 2023) == date(2023, 2, 28)
    assert deadline_date("2月底", 2000) == date(2000, 2, 29)
    assert deadline_date("2月底", 1900) == date(1900, 2, 28)
    assert deadline_date("2月29日", 2023) is None


def test_year_out_of_range() -> None:
    assert deadline_date("明年", 9999) is None
    assert deadline_date("去年", 1) is None


@pytest.mark.parametrize("text, year, expected", [
    ("2025年底前", Y, 2025), ("年底前", Y, 2024), ("明年", Y, 2025), ("2018年至2019年", Y, 2019),
    ("“十四五”期末", None, 2025), ("2025年春节前", Y, 2025), ("2019年以来", Y, None),
    ("目前", Y, None), ("", Y, None), ("6月底", 2023, 2023),
])
def test_deadline_year(text: str, year: int | None, expected: int | None) -> None:
    assert deadline_year(text, year) == expected


YEARS = st.one_of(st.none(), st.integers(min_value=1900, max_value=2100))
DEADLINE_PIECES = st.sampled_from([
    "2025", "二〇二五", "年", "月", "日", "底", "前", "末", "内", "今", "明", "上半年", "季度", "第",
    "一", "二", "十", "三", "6", "12", "31", "30", "29", "至", "-", "—", "“", "十四五", "期末",
    "以来", "截至", "在", " ", "\n", "初", "中旬",
])


def _check(result: date | None) -> None:
    assert result is None or isinstance(result, date)


@given(st.text(), YEARS)
@settings(max_examples=500)
def test_never_raises(text: str, year: int | None) -> None:
    _check(deadline_date(text, year))
    y = deadline_year(text, year)
    assert y is None or isinstance(y, int)


@given(st.lists(DEADLINE_PIECES, max_size=8).map("".join), YEARS)
@settings(max_examples=1000)
def test_never_raises_on_date_like_text(text: str, year: int | None) -> None:
    _check(deadline_date(text, year))
    y = deadline_year(text, year)
    assert y is None or isinstance(y, int)
