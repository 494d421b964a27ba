"""End to end: a city's 2025 plan list against its January 2026 press release (rules pipeline)."""
from __future__ import annotations

from pathlib import Path

import pytest

import minsheng_nlp
from minsheng_nlp.errors import InputError
from minsheng_nlp.tracking import AMBIGUOUS, MET, NO_REPORT, NOT_MET, track
from tests.tracking.texts import PLAN_2025, RESULTS_2026


@pytest.fixture(scope="module")
def rows(nlp):
    # the release is dated 2026; its title names 2025 first, so the year is given
    return track(PLAN_2025, RESULTS_2026, nlp, results_year=2026)


def summary(row):
    m = row.match
    return (row.focus, row.verdict, None if m is None else str(m.value_in_plan_unit),
            None if m is None else round(m.ratio, 3))


def test_every_plan_of_the_list_with_its_verdict(rows) -> None:
    assert [summary(r) for r in rows] == [
        ("城镇新增就业4.5万人", MET, "47100", 1.047),                 # 4.71万人, not 2024's 4.3万 nor 2026's plan
        ("城镇调查失业率控制在5.5%以内", MET, "5.2", 0.945),           # a cap: 5.2% <= 5.5%
        ("新改建农村公路500公里", AMBIGUOUS, "532", 1.064),           # 532 and 486 reported by two speakers
        ("改造农村危桥40座", MET, "40", 1.0),
        ("新建和改扩建公办幼儿园15所", MET, "17", 1.133),
        ("新增公办学位6000个", MET, "6420", 1.07),
        ("改造城镇老旧小区120个", NOT_MET, "98", 0.817),
        ("惠及居民2.8万户", NOT_MET, "23000", 0.821),
        ("为1.2万名65岁以上老年人免费接种流感疫苗", MET, "12600", 1.05),
        ("发放创业担保贷款8亿元", MET, "930000000", 1.163),
        ("新建城市燃气管网120公里", MET, "136", 1.133),                # 13.6万米 in 公里
        ("农村自来水普及率达到92%", MET, "93.1", 1.012),              # not the 3.2万人 in the same sentence
        ("建设口袋公园20个", NO_REPORT, None, None),
        ("为3000户困难老年人家庭实施适老化改造", MET, "3120", 1.04),
    ]


def test_the_ambiguous_plan_lists_both_reports_with_scores_and_evidence(rows) -> None:
    roads = rows[2]
    assert roads.mention.sentence == "二、新改建农村公路500公里，改造农村危桥40座。"
    assert (roads.match.mention.text, roads.match.verdict) == ("532", MET)
    assert roads.match.mention.sentence == "新改建农村公路532公里，改造农村危桥40座。"
    [other] = roads.alternatives
    assert (other.mention.text, other.verdict, other.unit) == ("486", NOT_MET, "公里")
    assert other.mention.sentence == "市交通运输局局长介绍，2025年全市新改建农村公路486公里，其余路段转入2026年续建。"
    assert 0.3 <= other.score < roads.match.score <= 1.0


def test_the_document_year_decides_what_counts_as_a_result(nlp) -> None:
    # inferred from the title (2025), the transport bureau's sentence has no result cue and is
    # read as a 2025 plan: the roads are then simply met by the 532 km
    inferred = track(PLAN_2025, RESULTS_2026, nlp)
    roads = inferred[2]
    assert (roads.verdict, roads.match.mention.text, roads.alternatives) == (MET, "532", ())


def test_inputs_are_files_texts_or_docs(nlp, tmp_path) -> None:
    plan_file = tmp_path / "株洲2025计划.txt"
    plan_file.write_text(PLAN_2025, encoding="utf-8")
    doc = nlp(minsheng_nlp.make_doc(nlp, RESULTS_2026, 2026))
    rows = minsheng_nlp.track(str(plan_file), [doc], model=nlp)
    assert rows[0].mention.source == str(plan_file)
    assert rows[0].match.mention.source == "<result 1>"
    assert [r.verdict for r in rows] == [r.verdict for r in track(Path(plan_file), RESULTS_2026, nlp, results_year=2026)]
    assert rows[0].to_dict()["match"]["value"] == 47100


def test_a_missing_file_is_named(nlp) -> None:
    with pytest.raises(InputError, match="no_such_plan.txt.*no such file"):
        track("no_such_plan.txt", RESULTS_2026, nlp)
