"""Commitment records (guideline §4): which quantities, and every field."""
from __future__ import annotations

import pytest

from minsheng_nlp import extract
from tests.conftest import seed_text


def one(text: str, year: int | None = None, **expected) -> dict:
    records = extract(text, year=year, model="rules")
    assert len(records) == 1, records
    record = records[0]
    for key, value in expected.items():
        assert record[key] == value, (key, record)
    return record


def test_record_keys() -> None:
    text = "2024年，省住建厅计划发展保障性租赁住房9800套。"
    record = one(text)
    assert list(record) == ["quantity", "value", "value_max", "unit", "comparator", "status", "year",
                            "deadline", "deadline_text", "departments", "task"]
    q, d = text.index("9800"), text.index("省住建厅")
    assert record["quantity"] == {"start": q, "end": q + 4, "text": "9800"}
    assert record["departments"] == [{"start": d, "end": d + 4, "text": "省住建厅"}]
    assert record["task"] == "省住建厅计划发展保障性租赁住房9800套"


@pytest.mark.parametrize(
    "text, fields",
    [
        ("改造棚户区1.99万套。", {"value": 19900, "unit": "套"}),
        ("筹集救助资金47.1亿元。", {"value": 4710000000, "unit": "元"}),
        ("培训教师一千二百名。", {"value": 1200, "unit": "名"}),
        ("累计捐赠物资价值800余万元。", {"value": 8000000, "unit": "元", "comparator": ">"}),
        ("救助疾病困难患者1200名以上。", {"value": 1200, "comparator": ">="}),
        ("打造200个左右宜居宜业和美乡村示范村。", {"value": 200, "comparator": "~"}),
        ("每个乡镇建设4-8个示范点。", {"value": 4, "value_max": 8, "unit": "个"}),
        ("覆盖率达到百分之九十五。", {"value": 95, "unit": "%"}),
        ("确保转移登记3个工作日内办结。", {"value": 3, "unit": "个工作日", "comparator": "<="}),
    ],
)
def test_values_units_comparators(text: str, fields: dict) -> None:
    one(text, 2023, **fields)


@pytest.mark.parametrize(
    "text, year, status, deadline",
    [
        ("2024年，计划改造农村危房3400户。", 2024, "planned", "2024-12-31"),
        ("争取在2025年底前实现覆盖率达到60%。", 2024, "planned", "2025-12-31"),
        ("6月底前完成改造老旧小区500个。", 2024, "planned", "2024-06-30"),
        ("2023年，全省累计为7080名适龄儿童实施免费牙齿窝沟封闭服务。", 2024, "achieved", None),
        ("城镇新增就业25.79万人，完成年度计划的112%。", 2024, "planned", "2024-12-31"),
    ],
)
def test_status_and_deadline(text: str, year: int, status: str, deadline: str | None) -> None:
    record = extract(text, year=year, model="rules")[0]
    assert (record["status"], record["deadline"]) == (status, deadline)


@pytest.mark.parametrize(
    "text",
    [
        "省委、省政府将重点抓好50项民生实事任务。",      # a count of tasks
        "重点做好65岁以上高血压人群签约服务。",          # an age qualifier
        "10位委员聚焦高质量发展战略。",                  # speakers
        "城镇新增就业完成年度计划的112%。",              # a fulfilment ratio
        "地区生产总值同比增长6.6%。",                    # a year-on-year change in a review
        "召开2次专题议政性常委会会议。",                 # meetings
        "项目为期3天。",                                 # a duration
    ],
)
def test_not_commitments(text: str) -> None:
    assert extract(text, year=2023, model="rules") == []


def test_a_count_of_aspects_is_not_a_commitment_with_the_unit_ge_alone() -> None:
    # N26: the unit of 十个方面 is 个 (the trained NER follows it); the count is still not a target
    from minsheng_nlp.commitments.status import is_commitment

    assert not is_commitment("十", "个", "市政府将重点办好", "方面30件民生实事", "planned", False)
    assert not is_commitment("3", "个", "聚焦", "领域", "planned", False)
    assert is_commitment("3", "个", "新建", "社区食堂", "planned", False)


def test_baseline_is_not_a_commitment() -> None:
    records = extract("低保标准由每月80元提高到每月100元。", year=2024, model="rules")
    assert [r["value"] for r in records] == [100]


def test_seed_003_commitment_list() -> None:
    """The main job on the 2023 commitment list: the figures in the issue."""
    found = extract(seed_text("003_2c6c425c22f525ff.txt"), model="rules")
    records = {r["task"]: r for r in found}
    jobs = records["城镇新增就业23万人"]
    assert (jobs["value"], jobs["unit"], jobs["status"], jobs["year"]) == (230000, "人", "planned", 2023)
    assert [d["text"] for d in jobs["departments"]] == ["省委", "省政府"]
    barrier = [r for r in found if "困难残疾人家庭" in r["task"] and r["unit"] == "户"][0]
    assert barrier["value"] == 8000
    assert records["送演出下基层2000场"]["value"] == 2000
