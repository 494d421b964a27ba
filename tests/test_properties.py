"""Property tests on arbitrary text: extraction never raises, offsets are exact, runs repeat.

Plus the normalizations seen through the whole pipeline: any integer up to 10^12 written in
Chinese numerals or Arabic digits (with 万/亿 forms) comes out as that integer, and every
deadline is a valid ISO date or null.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings, strategies as st

import minsheng_nlp

NLP = minsheng_nlp.load("rules")
# Chinese report-like characters mixed with anything Unicode has
REPORTISH = st.text(alphabet=st.sampled_from(list("0123456789１２３.%-～万亿千百十一二两三年月底前内省市县局厅委办个名户套元人，。；：（）|\n 　")),
                    max_size=120)
# emoji, controls, zero-width and bidi marks, private use: what scraped pages smuggle in
HOSTILE = st.text(alphabet=st.sampled_from(list("😀🎉\x00\x07\x1b\u200b\u200d\u202e\ufeff\ue000\r\t年个计划2")), max_size=40)
ANY = st.text(max_size=120)  # no lone surrogates: those are refused with an InputError


def _is_iso_date_or_none(value: str | None) -> bool:
    return value is None or date.fromisoformat(value).isoformat() == value


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(REPORTISH, ANY, st.tuples(REPORTISH, ANY).map("".join),
                 st.tuples(REPORTISH, HOSTILE, REPORTISH).map("".join)))
def test_extraction_is_total_exact_and_deterministic(text: str) -> None:
    doc = NLP(text)
    assert doc.text == text
    ends = [(e.start_char, e.end_char) for e in doc.ents]
    assert all(0 <= s < e <= len(text) for s, e in ends)
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))  # sorted, never overlapping
    quantities = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "QUANTITY"}
    first = [c.to_dict() for c in doc._.commitments]
    for record in first:
        q = record["quantity"]
        assert (q["start"], q["end"]) in quantities
        assert text[q["start"]:q["end"]] == q["text"]
        assert all(text[d["start"]:d["end"]] == d["text"] for d in record["departments"])
        assert _is_iso_date_or_none(record["deadline"])
    assert [c.to_dict() for c in NLP(text)._.commitments] == first
    assert list(doc.user_data) == list(NLP(text).user_data)  # nothing but the outputs is left behind


# ------------------------------------------------------------------ numbers, end to end
_DIGITS = "零一二三四五六七八九"


def _section(n: int, two: str, leading: bool) -> str:
    """0 < n < 10000 in Chinese numerals, written independently of the library's speller.

    ``two`` is how 2 is written before 千/百 (二 or 两); ``leading`` allows 十 for 10-19.
    """
    out, pending_zero = [], False
    for unit, place in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit = n // place % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        if unit == "十" and digit == 1 and leading and not out:
            out.append("十")
        else:
            out.append((two if digit == 2 and unit in ("千", "百") else _DIGITS[digit]) + unit)
    return "".join(out)


def chinese(n: int, two: str = "二", leading: bool = True) -> str:
    """0 < n < 10^16 in Chinese numerals: sections of 10^4 joined by 万 and 亿, 零 for gaps."""
    for size, mark in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            head = chinese(high, two, leading) + mark
            if low == 0:
                return head
            return head + ("零" if low < size // 10 else "") + chinese(low, two, False)
    return _section(n, two, leading)


def spellings(n: int) -> list[str]:
    """The ways a report writes n: digits, grouped digits, 万/亿 decimals, Chinese numerals."""
    wan = format(Decimal(n).scaleb(-4).normalize(), "f") + "万"
    yi = format(Decimal(n).scaleb(-8).normalize(), "f") + "亿"
    return [str(n), f"{n:,}", wan, yi, chinese(n), chinese(n, two="两")]


def test_the_independent_speller() -> None:
    assert [chinese(n) for n in (10, 12, 205, 2000, 10_005, 100_000_010, 230_000, 10**12)] == [
        "十", "十二", "二百零五", "二千", "一万零五", "一亿零一十", "二十三万", "一万亿"]
    assert chinese(2200, two="两") == "两千两百"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10**12))
def test_every_spelling_of_n_comes_out_as_n(n: int) -> None:
    for written in spellings(n):
        text = f"2024年，计划新建{written}个社区食堂。"
        records = minsheng_nlp.extract(text, model=NLP)
        assert [(r["quantity"]["text"], r["value"], r["unit"]) for r in records] == [(written, n, "个")], text


# ------------------------------------------------------------------ deadlines, end to end
DEADLINE_PHRASES = st.one_of(
    st.builds("{}年{}月{}日前".format, st.integers(1890, 2110), st.integers(0, 13), st.integers(0, 33)),
    st.builds("{}年{}月底前".format, st.integers(1890, 2110), st.integers(0, 13)),
    st.builds("{}年{}".format, st.integers(1890, 2110), st.sampled_from(["底前", "上半年", "一季度", "年内", "", "度"])),
    st.builds("{}月{}日".format, st.integers(0, 13), st.integers(0, 33)),
    st.sampled_from(["年底前", "今年", "明年", "“十四五”期末", "十五五末", "2月29日前", "2月30日前", "二〇二五年底"]),
)


@settings(max_examples=300, deadline=None)
@given(DEADLINE_PHRASES, st.one_of(st.none(), st.integers(1900, 2100)))
def test_every_deadline_is_an_iso_date_or_null(phrase: str, year: int | None) -> None:
    text = f"{phrase}，计划新建学校3所，改造老旧小区12个。"
    for record in minsheng_nlp.extract(text, year=year, model=NLP):
        assert _is_iso_date_or_none(record["deadline"]), (text, record["deadline"])
        assert record["year"] is None or isinstance(record["year"], int)
