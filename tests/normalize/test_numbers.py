"""Tests of minsheng_nlp.normalize.numbers."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng_nlp.normalize import (NumberFormatError, int_to_chinese, parse_number,
                                    parse_quantity, split_unit_magnitude)

D = Decimal


@pytest.mark.parametrize("text, expected", [
    # seeds (吉林)
    ("1.99万", "19900"), ("47.1亿", "4710000000"), ("25.79万", "257900"),
    ("一千二百", "1200"), ("800", "800"), ("613万", "6130000"), ("1200", "1200"),
    ("9800", "9800"), ("1.34万", "13400"), ("179.44万", "1794400"), ("5.76亿", "576000000"),
    ("2321.31亿", "232131000000"), ("1858.73亿", "185873000000"), ("72.33", "72.33"),
    ("29.5", "29.5"), ("1.3", "1.3"), ("920万", "9200000"), ("十四", "14"), ("50", "50"),
    ("1.5 万", "15000"), ("25.79\n万", "257900"), ("2\n3", "23"), ("5 万", "50000"),
    ("两", "2"), ("一", "1"), ("千", "1000"), ("万", "10000"), ("亿", "100000000"),
    # magnitudes and mixed forms
    ("1万2千", "12000"), ("3千", "3000"), ("十万零一千", "101000"), ("十万一千", "101000"),
    ("一点九万", "19000"), ("十二点五亿", "1250000000"), ("1.2345亿", "123450000"),
    ("12345万", "123450000"), ("三千万", "30000000"), ("百万", "1000000"),
    ("一万亿", "1000000000000"), ("3亿5千万", "350000000"), ("一亿零一十万", "100100000"),
    ("一万五", "15000"), ("一千五", "1500"), ("一百一", "110"), ("一千零五", "1005"),
    ("十万零五", "100005"), ("二十五", "25"), ("十", "10"), ("十五", "15"), ("零", "0"),
    ("〇", "0"), ("二〇二五", "2025"), ("一千零一十", "1010"), ("两千", "2000"),
    # percentages
    ("百分之五十", "50"), ("百分之零点五", "0.5"), ("百分之一百", "100"), ("百分之12.5", "12.5"),
    # Arabic forms
    ("1,234,567", "1234567"), ("1,234.5", "1234.5"), ("0.05", "0.05"), ("007", "7"),
    ("１２００", "1200"), ("１．５万", "15000"), ("１，２００", "1200"), ("3.50", "3.5"),
    # traditional and financial (台湾/香港 style, 发票 style)
    ("兩萬", "20000"), ("三億", "300000000"), ("1.5萬", "15000"), ("壹仟贰佰", "1200"),
    ("貳拾萬", "200000"), ("叁佰伍拾", "350"), ("陸億柒仟萬", "670000000"), ("玖拾玖", "99"),
    ("一點五萬", "15000"),
    # other provinces' report styles
    ("3.6万", "36000"), ("128.6亿", "12860000000"), ("一百零八", "108"), ("6.5", "6.5"),
    ("四十二万", "420000"), ("2.8万", "28000"), ("3万余", None), ("0.8万", "8000"),
])
def test_parse_number(text: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(NumberFormatError):
            parse_number(text)
    else:
        assert parse_number(text) == D(expected)


def test_parse_number_exact_decimals() -> None:
    """Regression (cn2an/float): no artefacts, integral values have exponent 0."""
    v = parse_number("1.99万")
    assert v == D(19900) and str(v) == "19900"
    assert str(parse_number("47.1亿")) == "4710000000"
    assert str(parse_number("0.07万")) == "700"
    assert str(parse_number("百分之零点五")) == "0.5"
    assert str(parse_number("2.675万")) == "26750"
    assert isinstance(parse_number("1.1万"), Decimal)


@pytest.mark.parametrize("text", [
    "", " ", "\n", "abc", "约100", "100余", "百分之", "第二", "1.2.3", "1,23", ",100", "1.",
    ".5", "十十", "百千", "五零十", "一二三四五六七八九十百千万亿x", "万万", "1万20000", "三四",
    "十几", "几十", "50%", "4-8", "2025年", "点五", "一点", "一亿亿亿x", "1亿2亿",
    "一万一万",
])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(NumberFormatError) as err:
        parse_number(text)
    assert repr(text) in str(err.value)


def test_number_format_error_is_value_error() -> None:
    assert issubclass(NumberFormatError, ValueError)


@pytest.mark.parametrize("text, lo, hi", [
    ("4-8", "4", "8"), ("4－8", "4", "8"), ("4～8", "4", "8"), ("4~8", "4", "8"),
    ("4至8", "4", "8"), ("4到8", "4", "8"), ("4—8", "4", "8"), ("4——8", "4", "8"),
    ("3-5万", "30000", "50000"), ("10万-15万", "100000", "150000"), ("6-9", "6", "9"),
    ("1.5-2万", "15000", "20000"), ("3-5千万", "30000000", "50000000"),
    ("三至五万", "30000", "50000"), ("一至一百", "1", "100"), ("50-1万", "50", "10000"),
    ("三四十", "30", "40"), ("两三", "2", "3"), ("七八万", "70000", "80000"),
    ("三五百", "300", "500"), ("百分之三至百分之五", "3", "5"), ("１０-２０", "10", "20"),
    ("1.99万", "19900", None), ("4", "4", None), ("一千二百", "1200", None),
])
def test_parse_quantity(text: str, lo: str, hi: str | None) -> None:
    assert parse_quantity(text) == (D(lo), None if hi is None else D(hi))


@pytest.mark.parametrize("text", ["", "-5", "4-", "4-8-9", "约4-8", "a-b", "4至"])
def test_parse_quantity_rejects(text: str) -> None:
    with pytest.raises(NumberFormatError):
        parse_quantity(text)


@pytest.mark.parametrize("unit, base, mult", [
    ("万元", "元", 10 ** 4), ("亿元", "元", 10 ** 8), ("萬元", "元", 10 ** 4),
    ("億元", "元", 10 ** 8), ("千元", "元", 1000), ("百万元", "元", 10 ** 6),
    ("十万元", "元", 10 ** 5), ("万人次", "人次", 10 ** 4), ("万平方米", "平方米", 10 ** 4),
    ("万千瓦", "千瓦", 10 ** 4), ("亿千瓦时", "千瓦时", 10 ** 8), ("百万千瓦", "千瓦", 10 ** 6),
    ("千公顷", "公顷", 1000), ("万亩", "亩", 10 ** 4), ("萬畝", "畝", 10 ** 4),
    ("千瓦", "千瓦", 1), ("千瓦时", "千瓦时", 1), ("千米", "千米", 1), ("千克", "千克", 1),
    ("千伏", "千伏", 1), ("千帕", "千帕", 1), ("百分点", "百分点", 1),
    ("个百分点", "个百分点", 1), ("%", "%", 1), ("％", "%", 1), ("元", "元", 1),
    ("套(间)", "套(间)", 1), ("个(次)", "个(次)", 1), ("微克/立方米", "微克/立方米", 1),
    ("万元/人", "元/人", 10 ** 4), ("（萬元）", "元", 10 ** 4), ("万\n元", "元", 10 ** 4),
    ("万", "", 10 ** 4), ("公里", "公里", 1), ("倍", "倍", 1),
])
def test_split_unit_magnitude(unit: str, base: str, mult: int) -> None:
    assert split_unit_magnitude(unit) == (base, D(mult))


@pytest.mark.parametrize("n, text", [
    (0, "零"), (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (100, "一百"),
    (110, "一百一十"), (1010, "一千零一十"), (1200, "一千二百"), (10005, "一万零五"),
    (10010, "一万零一十"), (100000, "十万"), (101000, "十万一千"), (100005, "十万零五"),
    (100100000, "一亿零一十万"), (100000001, "一亿零一"), (4710000000, "四十七亿一千万"),
    (10 ** 12, "一万亿"), (10 ** 16, "一亿亿"),
])
def test_int_to_chinese(n: int, text: str) -> None:
    assert int_to_chinese(n) == text


@pytest.mark.parametrize("bad", [-1, 10 ** 16 + 1])
def test_int_to_chinese_range(bad: int) -> None:
    with pytest.raises(ValueError):
        int_to_chinese(bad)


def test_int_to_chinese_type() -> None:
    with pytest.raises(TypeError):
        int_to_chinese(1.5)  # type: ignore[arg-type]


INTS = st.integers(min_value=0, max_value=10 ** 12)


@given(INTS)
@settings(max_examples=400)
def test_roundtrip_chinese(n: int) -> None:
    assert parse_number(int_to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10 ** 16))
@settings(max_examples=200)
def test_roundtrip_chinese_large(n: int) -> None:
    assert parse_number(int_to_chinese(n)) == n


@given(INTS)
@settings(max_examples=300)
def test_roundtrip_arabic(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@given(INTS)
@settings(max_examples=300)
def test_roundtrip_magnitude_forms(n: int) -> None:
    wan = format(D(n).scaleb(-4), "f") + "万"
    yi = format(D(n).scaleb(-8), "f") + "亿"
    assert parse_number(wan) == n, wan
    assert parse_number(yi) == n, yi
    full = "".join(chr(0xFF10 + int(c)) if c.isdigit() else "．" if c == "." else c
                   for c in wan)
    assert parse_number(full) == n, full


@given(st.text(max_size=12))
@settings(max_examples=300)
def test_parse_number_only_number_format_error(text: str) -> None:
    try:
        value = parse_number(text)
    except NumberFormatError:
        return
    assert isinstance(value, Decimal)
