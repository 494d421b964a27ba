"""The rule-based linker (guideline §3, §6): units, deadlines and departments."""
from __future__ import annotations


def links(doc, label: str) -> list[tuple[str, str]]:
    return [(r.head.text, r.tail.text) for r in doc._.relations if r.label == label]


def test_unit_after_modifier(run) -> None:
    doc = run("建立居民电子健康档案613万余份")
    assert links(doc, "HAS_UNIT") == [("613万", "份")]


def test_paragraph_year_and_subject(run) -> None:
    # seed 000: a year heading the paragraph and the department as subject
    doc = run("2024 年，在住房保障方面，省住建厅计划发展保障性租赁住房 9800 套，发放住房租赁补贴 5 万户。")
    assert links(doc, "HAS_DEADLINE") == [("9800", "2024 年"), ("5 万", "2024 年")]
    assert links(doc, "HAS_DEPARTMENT") == [("9800", "省住建厅"), ("5 万", "省住建厅")]


def test_list_lead_frames_items(run) -> None:
    # seed 003: the lead's year and bodies govern every item below it
    text = ("2023年,省委、省政府将重点抓好十四个方面、50项民生实事任务,具体意见安排如下:\n\n"
            "一、促进就业方面(2项)\n\n1.城镇新增就业23万人;实现城镇零就业家庭动态清零。\n\n"
            "32.送演出下基层2000场。")
    doc = run(text)
    assert ("23万", "2023年") in links(doc, "HAS_DEADLINE")
    assert ("2000", "2023年") in links(doc, "HAS_DEADLINE")
    assert [d for q, d in links(doc, "HAS_DEPARTMENT") if q == "2000"] == ["省委", "省政府"]


def test_item_note_departments(run) -> None:
    # another province's format: responsibility note after the item
    text = "3.新建公办幼儿园12所，新增学位3600个。（牵头单位：市教育局；责任单位：市财政局、市住建局，各县区）"
    doc = run(text)
    for q in ("12", "3600"):
        assert sorted(d for h, d in links(doc, "HAS_DEPARTMENT") if h == q) == ["市住建局", "市教育局", "市财政局"]


def test_table_header_unit_and_row_department(run) -> None:
    text = ("序号 | 项目 | 年度投资（万元） | 完成时间 | 责任单位\n"
            "1 | 城区供水管网改造 | 3200 | 2025年10月底前 | 县水利局")
    doc = run(text, 2025)
    assert links(doc, "HAS_UNIT") == [("3200", "万元")]
    assert links(doc, "HAS_DEPARTMENT") == [("3200", "县水利局")]
    assert links(doc, "HAS_DEADLINE") == [("3200", "2025年10月底前")]


def test_presenting_body_frames_the_report(run) -> None:
    text = ("各位代表：\n现在，我代表市政府，向大会报告工作，请予审议。\n"
            "一、2024年工作回顾\n过去一年，新建城市道路45公里。")
    doc = run(text, 2025)
    assert links(doc, "HAS_DEPARTMENT") == [("45", "市政府")]


def test_leadership_is_not_the_subject(run) -> None:
    doc = run("在省委的坚强领导下，全年新增就业25万人。")
    assert links(doc, "HAS_DEPARTMENT") == []
