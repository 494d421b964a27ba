"""The cleaned view: hard line breaks joined, characters normalized, offsets exact."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from minsheng_nlp.text.layout import clean_view


@pytest.mark.parametrize(
    "text, view",
    [
        # newspaper column: a line break inside a session name and inside "2023年"
        ("省政协十三届二\n次会议25日下午举行", "省政协十三届二次会议25日下午举行"),
        ("据省民政厅相关负责人介绍，2023\n\n年，省民政厅", "据省民政厅相关负责人介绍,2023年,省民政厅"),
        # layout spaces around numbers
        ("新建改建 1300 个合作助老餐厅", "新建改建1300个合作助老餐厅"),
        # full-width digits and traditional characters, one for one
        ("新增學位１２００個（萬元）", "新增学位1200个(万元)"),
        # a sentence end keeps its line break; a heading keeps its line break
        ("城镇新增就业23万人。\n2.根治欠薪", "城镇新增就业23万人。\n2.根治欠薪"),
        ("一、促进就业方面(2项)\n\n1.城镇新增就业23万人", "一、促进就业方面(2项)\n1.城镇新增就业23万人"),
        ("新机遇:拥抱新能源汽车产业趋势\n\n长春市汽车大路上", "新机遇:拥抱新能源汽车产业趋势\n长春市汽车大路上"),
        # a table row keeps its line break
        ("序号 | 项目 | 金额\n1 | 供水 | 300", "序号|项目|金额\n1|供水|300"),
        # ASCII words keep their space
        ("奥迪A6 e-tron车型", "奥迪A6 e-tron车型"),
    ],
)
def test_view_text(text: str, view: str) -> None:
    assert clean_view(text).text == view


def test_view_maps_back_to_original() -> None:
    text = "40.新增24小时供水工程1200处,惠及70万农村居民,全省24小时供水工程占比\n\n达到35%。"
    v = clean_view(text)
    s = v.text.index("35")
    start, end = v.to_original(s, s + 2)
    assert text[start:end] == "35"
    s = v.text.index("占比达到")
    start, end = v.to_original(s, s + 4)
    assert text[start:end] == "占比\n\n达到"


@given(st.text(max_size=300))
def test_view_index_is_monotone_and_in_range(text: str) -> None:
    v = clean_view(text)
    assert len(v.index) == len(v.text)
    assert all(0 <= i < len(text) for i in v.index)
    assert list(v.index) == sorted(set(v.index))
