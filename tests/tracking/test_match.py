"""Scoring and assignment on hand-made commitments (no pipeline): years, units, one-to-one, ties."""
from __future__ import annotations

from decimal import Decimal

from minsheng_nlp.commitments.record import Commitment, SpanRef
from minsheng_nlp.tracking.items import Item
from minsheng_nlp.tracking.match import MatchSettings, match, value_prior
from minsheng_nlp.tracking.records import Mention
from minsheng_nlp.tracking.verdicts import AMBIGUOUS, MET, NO_REPORT, NOT_MET


def item(source: str, task: str, quantity: str, value: str, unit: str | None, *, status: str = "planned",
         year: int = 2025, comparator: str = "=") -> Item:
    start = 10 * len(task)  # any offset: spans only need to differ between items
    c = Commitment(quantity=SpanRef(start, start + len(quantity), quantity), value=Decimal(value), unit=unit,
                   comparator=comparator, status=status, year=year, task=task)
    return Item(c, Mention(source, start, start + len(quantity), quantity, task + "。"), task)


def result(task: str, quantity: str, value: str, unit: str | None, source: str = "发布会.txt", **kw) -> Item:
    return item(source, task, quantity, value, unit, status="achieved", **kw)


def test_each_plan_gets_its_own_result() -> None:
    plans = [item("计划.txt", "改造城镇老旧小区120个", "120", "120", "个"),
             item("计划.txt", "改造农村危房300户", "300", "300", "户")]
    results = [result("改造农村危房完工312户", "312", "312", "户"),
               result("开工改造城镇老旧小区126个", "126", "126", "个")]
    rows = match(plans, results)
    assert [(r.verdict, r.match.mention.text) for r in rows] == [(MET, "126"), (MET, "312")]
    assert rows[1].match.ratio == 1.04


def test_other_years_and_other_units_never_answer() -> None:
    plans = [item("计划.txt", "建设口袋公园20个", "20", "20", "个"),
             item("计划.txt", "城镇新增就业4.5万人", "4.5万", "45000", "人")]
    results = [result("建设口袋公园3.2万平方米", "3.2万", "32000", "平方米"),   # an area, not a count
               result("城镇新增就业4.3万人", "4.3万", "43000", "人", year=2024)]  # last year's result
    rows = match(plans, results)
    assert [r.verdict for r in rows] == [NO_REPORT, NO_REPORT]
    assert all(r.match is None and not r.alternatives for r in rows)


def test_a_result_answers_one_plan_only() -> None:
    plans = [item("计划.txt", "新建城市公园5个", "5", "5", "个"),
             item("计划.txt", "新建乡镇综合文化站8个", "8", "8", "个")]
    results = [result("新建城市公园6个", "6", "6", "个")]
    rows = match(plans, results)
    assert rows[0].verdict == MET and rows[0].match.mention.text == "6"
    assert rows[1].verdict == NO_REPORT and rows[1].match is None


def test_an_exact_tie_lets_a_figure_answer_two_plans() -> None:
    # the same target written in two plan documents (the work report and the list)
    plans = [item("政府工作报告.txt", "新改建农村公路500公里", "500", "500", "公里"),
             item("民生实事清单.txt", "新改建农村公路500公里", "500", "500", "公里")]
    rows = match(plans, [result("新改建农村公路532公里", "532", "532", "公里")])
    assert [r.verdict for r in rows] == [MET, MET]
    assert rows[0].match.score == rows[1].match.score


def test_the_same_figure_written_twice_is_one_report() -> None:
    plans = [item("计划.txt", "为7000名适龄儿童开展免费牙齿窝沟封闭服务", "7000", "7000", "名")]
    results = [result("为7080名适龄儿童开展免费牙齿窝沟封闭服务", "7080", "7080", "名", source="发布会.txt"),
               result("全省累计为7080名6-9岁适龄儿童实施免费牙齿窝沟封闭服务", "7080", "7080", "名", source="日报.txt")]
    [row] = match(plans, results)
    assert row.verdict == MET and not row.alternatives
    assert row.match.mention.source == "发布会.txt"
    assert [m.source for m in row.match.also] == ["日报.txt"]


def test_near_tied_reports_that_disagree_make_the_plan_ambiguous() -> None:
    plans = [item("计划.txt", "新建和改扩建公办幼儿园15所", "15", "15", "所")]
    results = [result("新建和改扩建公办幼儿园17所", "17", "17", "所", source="发改委.txt"),
               result("新建和改扩建公办幼儿园13所", "13", "13", "所", source="教育局.txt")]
    [row] = match(plans, results)
    assert row.verdict == AMBIGUOUS
    reports = [row.match, *row.alternatives]
    assert sorted((r.mention.source, r.verdict) for r in reports) == [("发改委.txt", MET), ("教育局.txt", NOT_MET)]
    # without a tie window only the best remains: same wording, and the value prior prefers
    # 17 (×1.13 of the plan) to 13 (×0.87) by a hair
    [strict] = match(plans, results, MatchSettings(near_tie=0.0))
    assert strict.alternatives == ()
    assert (strict.verdict, strict.match.mention.source) == (MET, "发改委.txt")


def test_unrelated_wording_stays_below_the_minimum_score() -> None:
    plans = [item("计划.txt", "为1.2万名老年人免费接种流感疫苗", "1.2万", "12000", "名")]
    results = [result("培训农村实用人才1.3万人", "1.3万", "13000", "人")]
    [row] = match(plans, results)
    assert row.verdict == NO_REPORT
    [loose] = match(plans, results, MatchSettings(min_score=0.0))
    assert loose.match is not None and loose.match.score < 0.3


def test_value_prior() -> None:
    assert value_prior(1.0) == 1.0
    assert round(value_prior(10.0), 6) == round(value_prior(0.1), 6) == 0.9
    assert value_prior(None) == 0.8
