"""Units as measures: same kind after scaling, never across kinds."""
from __future__ import annotations

from decimal import Decimal

import pytest

from minsheng_nlp.tracking.measures import measure_of, scale_between, to_plan_unit, unit_variants


@pytest.mark.parametrize("plan_unit, result_unit, scale", [
    ("公里", "公里", Decimal(1)),
    ("公里", "千米", Decimal(1)),           # 新建污水管网80千米 against a plan in 公里
    ("公里", "米", Decimal("0.001")),       # 燃气管网13.6万米 (value 136000) against 120公里
    ("米", "公里", Decimal(1000)),
    ("平方米", "公顷", Decimal(10_000)),    # 新增城市绿地35公顷 against 平方米
    ("公顷", "亩", Decimal(1) / Decimal(15)),
    ("吨", "公斤", Decimal("0.001")),
    ("千瓦", "兆瓦", Decimal(1000)),
    ("%", "‰", Decimal("0.1")),
    ("人", "名", Decimal(1)),               # 培训农村实用人才2000人 / 培训1860名
    ("个", "所", Decimal(1)),               # 个 counts anything: 建设15个幼儿园 / 建成17所
    ("所", None, Decimal(1)),               # a bare number: 惠及70万农村居民
    ("座", "栋", Decimal(1)),
    ("张", "床位", Decimal(1)),
    ("人(次)", "人次", Decimal(1)),         # a bracketed variant reads both ways
    ("GWh", "GWh", Decimal(1)),
])
def test_compatible_units_and_their_scale(plan_unit, result_unit, scale) -> None:
    assert scale_between(plan_unit, result_unit) == scale


@pytest.mark.parametrize("plan_unit, result_unit", [
    ("%", "个"),          # a coverage rate is never met by a count
    ("%", "个百分点"),    # a level is not a change in points
    ("元", "美元"),       # no exchange rates
    ("人", "人次"),       # people are not visits
    ("人", "户"),
    ("所", "套"),         # two specific classifiers count different things
    ("公里", "平方公里"),
    ("倍", "%"),
    ("天", "个工作日"),
    ("GWh", "千瓦时"),    # an unknown unit compares only with itself
])
def test_incompatible_units_never_compare(plan_unit, result_unit) -> None:
    assert scale_between(plan_unit, result_unit) is None
    assert to_plan_unit(Decimal(5), plan_unit, result_unit) is None


def test_reported_value_in_the_plans_unit() -> None:
    # 新建城市燃气管网13.6万米: the assembler gives 136000 米; the plan counts 公里
    assert to_plan_unit(Decimal(136000), "公里", "米") == Decimal("136.000")
    # 新增造林1.2万亩 against a plan of 800公顷
    assert to_plan_unit(Decimal(12000), "公顷", "亩") == Decimal(800)


def test_readings_of_a_unit() -> None:
    assert unit_variants("人(次)") == ("人", "人次", "次")
    assert unit_variants("套（间）") == ("套", "套间", "间")
    assert unit_variants(None) == ("",)
    assert unit_variants("％") == ("%",)
    assert measure_of("个").generic and measure_of("").generic
    assert measure_of("辆").kind == "count:辆"
    assert measure_of("微克/立方米").kind == "unit:微克/立方米"
