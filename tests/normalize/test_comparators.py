"""Tests of minsheng_nlp.normalize.comparators."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng_nlp.commitments.record import COMPARATORS
from minsheng_nlp.normalize import COMPARATOR_SYMBOLS, comparator_for


@pytest.mark.parametrize("before, between, after, expected", [
    # seeds (吉林)
    ("救助白内障、血友病、肿瘤、股骨头坏死等疾病困难患者", "", "以上；对考入本科院校", ">="),
    ("立居民电子健康档案", "余", "，建档率98", ">"),               # 613万余份
    ("村集体经济收入达", "余", "", ">"),                           # 110余万元
    ("协调解决困难问题", "余", "", ">"),                           # 1500余件
    ("服务老年人", "多", "", ">"),                                 # 200多万人次
    ("城镇调查失业率控制在", "", "以下", "<="),                     # 6%以下
    ("类水体比例控制在", "", "以下", "<="),
    ("点对新招录的村医每年开展不少于", "", "的业务培训", ">="),      # 30天
    ("家庭医生签约率超过", "", "，高血压、", ">"),                   # 50%
    ("中心达到服务能力标准比例超过 ", "", "", ">"),                  # layout space
    ("浪乞讨人员和临时遇困群众近", "", "", "~"),                    # 近6200人次
    ("地区生产总值增长", "", "左右", "~"),
    ("实体经济降本减负", "", "左右", "~"),
    ("省新能源装机突破", "", "", ">"),
    ("总量突破", "", "", ">"),
    ("旗自动驾驶安全运营已超", "", "，无人驾驶", ">"),
    ("规划年产量超过", "", "，附近", ">"),
    ("力争投资增长", "", "以上", ">="),
    ("改造各类棚户区", "", "以上", ">="),
    ("城镇新增就业", "", "；实现城镇零就", "="),
    ("确保受益特殊困难家庭达到", "", "，补助标准达到", "="),
    ("签约", "", "项目", "="),                                     # 签约117个项目
    ("超额完成", "", "的年度目标", "="),
    ("在学位3000个、园位", "", "以上", ">="),                       # 600个以上
    ("在学位", "", "、园位600个以上", "="),                         # 3000个
    ("约", "余", "", ">"),                                         # 约2500余人: 余 wins
    # other styles and traditional characters
    ("群眾滿意度不低於", "", "", ">="), ("人均不超過", "", "", "<="),
    ("全年接待游客約", "", "", "~"), ("資金", "餘", "", ">"),
    ("办理时限压缩至", "", "內", "<="), ("", "", "个工作日内办结", "="),
    ("", "", "内办结", "<="), ("", "", "以内", "<="), ("", "", "之内", "<="),
    ("", "", "及以上", ">="), ("", "", "（含）以上", ">="), ("", "", "以下", "<="),
    ("", "", "上下", "~"), ("", "", "内容", "="), ("", "", "内蒙古", "="),
    ("至少", "", "", ">="), ("最少", "", "", ">="), ("不少于", "", "", ">="),
    ("不低于", "", "", ">="), ("低于", "", "", "<"), ("不足", "", "", "<"),
    ("少于", "", "", "<"), ("不到", "", "", "<"), ("高于", "", "", ">"), ("逾", "", "", ">"),
    ("超过", "", "", ">"), ("多于", "", "", ">"), ("不超过", "", "", "<="),
    ("最多", "", "", "<="), ("控制在", "", "", "<="), ("大约", "", "", "~"),
    ("接近", "", "", "~"), ("将近", "", "", "~"), ("约为", "", "", "~"),
    ("超过了", "", "", ">"), ("不低于\n", "", "", ">="), ("总数达到", "", "", "="),
    ("", "来", "", "~"),
    # false friends
    ("近年来新建", "", "", "="), ("最近", "", "", "="), ("附近", "", "", "="),
    ("节约资金", "", "", "="), ("节约", "", "", "="), ("预约", "", "", "="),
    ("通过", "", "", "="), ("赶超", "", "", "="), ("超过1万人的社区达到", "", "", "="),
    ("", "", "多功能运动场", "="), ("", "", "多元化", "="), ("", "", "余额", "="),
    ("以上", "", "", "="), ("", "", "、以上", "="), ("", "", "", "="),
    ("", "", "多月", ">"), ("", "", "余", ">"),
])
def test_comparator_for(before: str, between: str, after: str, expected: str) -> None:
    assert comparator_for(before, between, after) == expected


def test_defaults() -> None:
    assert comparator_for("不少于") == ">="
    assert comparator_for("") == "="


def test_symbols_match_record() -> None:
    assert set(COMPARATOR_SYMBOLS) == set(COMPARATORS)


def test_long_context_only_edges_count() -> None:
    before = "超过" + "的" * 5000 + "新建"
    after = "后续" + "以上" * 100
    assert comparator_for(before, "", after) == "="


@given(st.text(), st.text(max_size=5), st.text())
@settings(max_examples=500)
def test_always_a_symbol(before: str, between: str, after: str) -> None:
    assert comparator_for(before, between, after) in COMPARATOR_SYMBOLS


KEYWORDS = st.sampled_from(["以上", "以下", "余", "多", "约", "近", "超过", "不低于", "内", "左右",
                            "不足", "突破", "控制在", "，", "\n", "万", "人"])


@given(st.lists(KEYWORDS, max_size=6).map("".join), st.lists(KEYWORDS, max_size=2).map("".join),
       st.lists(KEYWORDS, max_size=6).map("".join))
@settings(max_examples=500)
def test_always_a_symbol_keywords(before: str, between: str, after: str) -> None:
    assert comparator_for(before, between, after) in COMPARATOR_SYMBOLS
