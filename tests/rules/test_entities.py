"""The rule-based tagger, one rule family at a time (guideline §2, §6), on seed sentences."""
from __future__ import annotations

import pytest

from tests.conftest import ents


@pytest.mark.parametrize(
    "text, expected",
    [
        # Arabic numbers, magnitudes, decimals (seed 003, 001)
        ("城镇新增就业23万人", [("23万", "QUANTITY"), ("人", "UNIT")]),
        ("改造棚户区1.99万套", [("1.99万", "QUANTITY"), ("套", "UNIT")]),
        ("筹集救助资金47.1亿元", [("47.1亿", "QUANTITY"), ("元", "UNIT")]),
        # bracketed and compound units
        ("为1.6万人(次)有需求的残疾人开展职业技能培训", [("1.6万", "QUANTITY"), ("人(次)", "UNIT")]),
        ("征集推送岗位40万个(次)", [("40万", "QUANTITY"), ("个(次)", "UNIT")]),
        ("3个工作日内办结", [("3", "QUANTITY"), ("个工作日", "UNIT")]),
        ("城乡低保标准的1.68倍", [("1.68", "QUANTITY"), ("倍", "UNIT")]),
        ("高出46.1个百分点", [("46.1", "QUANTITY"), ("个百分点", "UNIT")]),
        # percentages
        ("覆盖率达到50%", [("50", "QUANTITY"), ("%", "UNIT")]),
        ("覆盖率达到百分之九十五", [("百分之九十五", "QUANTITY")]),
        # comparators stay outside; a magnitude after 余 goes with the unit
        ("救助疾病困难患者1200名以上", [("1200", "QUANTITY"), ("名", "UNIT")]),
        ("建立居民电子健康档案613万余份", [("613万", "QUANTITY"), ("份", "UNIT")]),
        ("累计捐赠物资价值800余万元", [("800", "QUANTITY"), ("万元", "UNIT")]),
        ("无人驾驶出租车接单超千次", [("千", "QUANTITY"), ("次", "UNIT")]),
        # Chinese numerals count only with a measure word
        ("培训教师一千二百名", [("一千二百", "QUANTITY"), ("名", "UNIT")]),
        ("全力做好两个推动", [("两", "QUANTITY"), ("个", "UNIT")]),
        ("建成两座智能重卡换电站", [("两", "QUANTITY"), ("座", "UNIT")]),
        # ranges and ages
        ("为7080名6-9岁适龄儿童", [("7080", "QUANTITY"), ("名", "UNIT"), ("6-9", "QUANTITY"), ("岁", "UNIT")]),
        # no unit written: a quantity with no UNIT
        ("惠及70万农村居民", [("70万", "QUANTITY")]),
    ],
)
def test_quantities_and_units(run, text: str, expected: list) -> None:
    assert ents(run(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "深入实施“一主六双”高质量发展战略",   # slogan
        "实现了“十四五”良好开局",             # five-year plan name
        "建设5G基站",                         # code
        "优化升级96110反诈预警平台",          # hotline
        "省政协十三届二次会议举行",           # session numbers (the body inside is not tagged either)
        "一是推动分层分类社会救助体系建设",   # list marker
        "增速居全国第4位",                    # ordinal
        "形成一批建议",                       # idiom
        "1月25日，胡玉亭代表参加审议",       # date
        "汽车零部件企业相继落地",             # 零 in a word
        "推进质量提升三年行动",               # programme name
    ],
)
def test_not_quantities(run, text: str) -> None:
    assert ents(run(text), "QUANTITY") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("据省民政厅相关负责人介绍", ["省民政厅"]),
        ("省委、省政府将重点抓好", ["省委", "省政府"]),
        ("中共吉林省委吉林省人民政府关于", ["中共吉林省委", "吉林省人民政府"]),
        ("省民生工作领导小组办公室要加强统筹协调", ["省民生工作领导小组办公室"]),
        ("涉及省民政厅、住建厅、卫健委等20个单位", ["省民政厅", "住建厅", "卫健委"]),
        ("省发改委副主任刘日昊女士", ["省发改委"]),          # a body before a title
        ("吉林市委、市政府高度重视", ["吉林市委", "市政府"]),
        ("与白城市政府开展氢能产业战略合作", ["白城市政府"]),
        ("牵头单位：成都市教育局；责任单位：市财政局", ["成都市教育局", "市财政局"]),
        ("农安县卫生健康局负责实施", ["农安县卫生健康局"]),
    ],
)
def test_departments(run, text: str, expected: list) -> None:
    assert [t for t, _ in ents(run(text), "DEPARTMENT")] == expected


@pytest.mark.parametrize(
    "text",
    [
        "各地、各部门要把民生实事落实摆在重要位置",
        "有关部门加强监管",
        "部分省直部门负责同志到会",
        "长春等六市政府与一汽集团签署协议",
        "吉林省第十四届人大三次会议正在召开",
        "社区委员会组织居民",
    ],
)
def test_not_departments(run, text: str) -> None:
    assert ents(run(text), "DEPARTMENT") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("在2025年底前实现覆盖", ["2025年底前"]),
        ("2024年，省住建厅计划发展保障性租赁住房9800套", ["2024年"]),
        ("争取在 2024 年底前覆盖率达到50%", ["2024 年底前"]),
        ("年内完成改造", ["年内"]),
        ("6月底前全部开工", ["6月底前"]),
        ("到“十四五”期末达到1500户", ["“十四五”期末"]),
        ("2023年6月，即为6015名新生儿", ["2023年6月"]),
        ("截至9月底，已完成", ["9月底"]),
    ],
)
def test_deadlines(run, text: str, expected: list) -> None:
    assert [t for t, _ in ents(run(text), "DEADLINE")] == expected


@pytest.mark.parametrize(
    "text",
    [
        "——2022年1月24日在吉林省第十三届人民代表大会第五次会议上",  # meeting date
        "2019年以来，累计建成",                                      # open period
        "较2019年高出46.1个百分点",                                  # baseline
        "项目化工程化抓好《2024年政府工作报告》落实",                # document name
    ],
)
def test_not_deadlines(run, text: str) -> None:
    assert ents(run(text), "DEADLINE") == []


def test_entities_keep_hard_line_breaks(run) -> None:
    text = "据省民政厅相关负责人介绍，2023\n\n年，省民政厅共承担了6项民生实事任务"
    doc = run(text)
    deadline = [e for e in doc.ents if e.label_ == "DEADLINE"][0]
    assert deadline.text == "2023\n\n年"
    assert text[deadline.start_char:deadline.end_char] == deadline.text
