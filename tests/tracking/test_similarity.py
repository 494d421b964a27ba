"""Task wording without numbers, each quantity's focus, TF-IDF similarity."""
from __future__ import annotations

import numpy as np

from minsheng_nlp.tracking.similarity import focus_segments, similarity_matrix, strip_quantities


def test_numbers_units_and_framing_words_are_stripped() -> None:
    assert strip_quantities("新改建农村公路完工3175公里") == "新改建农村公路完工"
    assert strip_quantities("全省累计为7080名6-9岁适龄儿童实施免费牙齿窝沟封闭服务") == "为适龄儿童实施免费牙齿窝沟封闭服务"
    assert strip_quantities("完成困难老年人家庭适老化改造3120余户") == "困难老年人家庭适老化改造"
    assert strip_quantities("为1.6万人(次)有需求的残疾人开展职业技能培训") == "为有需求的残疾人开展职业技能培训"
    assert strip_quantities("城镇调查失业率控制在5.5%以内") == "城镇调查失业率控制在"
    assert strip_quantities("新建城市燃气管网13.6万米") == "新建城市燃气管网"


def test_each_quantity_gets_its_part_of_a_shared_task() -> None:
    # number before the noun, and noun before the number
    assert focus_segments("建设20个笼式足球场、12个多功能运动场", ["20", "12"]) == ["建设20个笼式足球场", "12个多功能运动场"]
    assert focus_segments("建成抓拍卡口监控点位76个、安防监控点位218个", ["76", "218"]) == [
        "建成抓拍卡口监控点位76个", "安防监控点位218个"]
    assert focus_segments("新建和改扩建公办幼儿园15所和新增公办学位6000个", ["15", "6000"]) == [
        "新建和改扩建公办幼儿园15所", "新增公办学位6000个"]
    # the same number twice: found in order
    assert focus_segments("建设100个示范中心和100个社区老年食堂", ["100", "100"]) == ["建设100个示范中心", "100个社区老年食堂"]


def test_one_quantity_or_no_separator_keeps_the_whole_task() -> None:
    assert focus_segments("发放创业担保贷款8亿元", ["8亿"]) == ["发放创业担保贷款8亿元"]
    assert focus_segments("按户均807元标准向10.1万户困难群众发放取暖补贴", ["807", "10.1万"]) == [
        "按户均807元标准向10.1万户困难群众发放取暖补贴"] * 2
    assert focus_segments("新增床位300张", ["五十"]) == ["新增床位300张"]


def test_the_same_measure_is_more_alike_than_another_one() -> None:
    plans = ["新改建农村公路500公里", "改造农村危桥40座"]
    results = ["新改建农村公路完工532公里", "改造农村危桥完工40座", "新增公办学位6420个"]
    sim = similarity_matrix(plans, results)
    assert sim.shape == (2, 3)
    assert list(sim.argmax(axis=1)) == [0, 1]
    assert sim[0, 0] > 0.7 and sim[1, 1] > 0.7
    assert sim[1, 2] == 0.0  # no character in common once numbers are gone
    assert 0.0 < sim[0, 2] < 0.2  # only 新 in common


def test_empty_texts() -> None:
    assert similarity_matrix([], ["新建公园"]).shape == (0, 1)
    assert np.all(similarity_matrix(["3000"], ["45%"]) == 0.0)
