"""Pre-annotation (``minsheng_nlp.io.preannotate``): pipeline output as valid annotation records."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import minsheng_nlp
from minsheng_nlp.io.annotations import (
    AnnotatedRecord,
    RelationRecord,
    read_annotations,
    validate_file,
    validate_record,
)
from minsheng_nlp.io.labelstudio import convert_tasks
from minsheng_nlp.io.preannotate import (
    add_commitments,
    doc_to_record,
    paragraph_breaks,
    preannotate_text,
    record_bounds,
    record_ids,
    to_labelstudio_task,
)

ROOT = Path(__file__).resolve().parents[2]

SENTENCE = "2024年，在住房保障方面，省住建厅计划发展保障性租赁住房9800套，发放住房租赁补贴5万户。"

# A district list: a lead, then three items under headings, each with its 责任单位 note.
LIST = ("2024年，区政府确定民生实事8项。\n\n"
        "一、就业\n"
        "城镇新增就业5600人，帮扶困难人员就业300人。（责任单位：区人社局）\n\n"
        "二、教育\n"
        "新建幼儿园3所，新增学位1080个，9月底前投入使用。（责任单位：区教育局）\n\n"
        "三、养老\n"
        "新建社区养老服务站12个，为500户特殊困难老年人家庭实施适老化改造。（责任单位：区民政局）\n")


def spans(record: AnnotatedRecord) -> list[tuple[str, str]]:
    return [(record.span_text(e), e.label) for e in record.entities]


def comparable(record: AnnotatedRecord) -> list[dict]:
    """Commitments with entity ids replaced by their spans (ids may differ between records)."""
    by_id = record.entity_map()
    out = []
    for c in record.commitments:
        item = c.to_json()
        item["quantity"] = (by_id[c.quantity].start, by_id[c.quantity].end)
        item["departments"] = sorted((by_id[d].start, by_id[d].end) for d in c.departments)
        out.append(item)
    return out


def pipeline_commitments(doc) -> list[dict]:
    """``doc._.commitments`` in the shape of :func:`comparable`."""
    out = []
    for c in doc._.commitments:
        item = c.to_dict()
        del item["deadline_text"]
        item["quantity"] = (c.quantity.start, c.quantity.end)
        item["departments"] = sorted((d.start, d.end) for d in c.departments)
        out.append(item)
    return out


def write_jsonl(records: list[AnnotatedRecord], path: Path) -> Path:
    path.write_text("".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


# --------------------------------------------------------------------------- doc_to_record

def test_doc_to_record_gives_ids_relations_and_commitments(run) -> None:
    doc = run(SENTENCE, 2024)
    record = doc_to_record(doc, "new-01", {"source": "a.txt", "offset": 0, "year": 2024})
    assert spans(record) == [("2024年", "DEADLINE"), ("省住建厅", "DEPARTMENT"), ("9800", "QUANTITY"),
                             ("套", "UNIT"), ("5万", "QUANTITY"), ("户", "UNIT")]
    assert [e.id for e in record.entities] == [1, 2, 3, 4, 5, 6]
    assert sorted((r.from_id, r.to_id, r.type) for r in record.relations) == [
        (3, 1, "HAS_DEADLINE"), (3, 2, "HAS_DEPARTMENT"), (3, 4, "HAS_UNIT"),
        (5, 1, "HAS_DEADLINE"), (5, 2, "HAS_DEPARTMENT"), (5, 6, "HAS_UNIT")]
    assert [r.id for r in record.relations] == [1, 2, 3, 4, 5, 6]
    assert [c.to_json() for c in record.commitments] == [
        {"quantity": 3, "value": 9800, "value_max": None, "unit": "套", "comparator": "=",
         "status": "planned", "year": 2024, "deadline": "2024-12-31", "departments": [2],
         "task": "省住建厅计划发展保障性租赁住房9800套"},
        {"quantity": 5, "value": 50000, "value_max": None, "unit": "户", "comparator": "=",
         "status": "planned", "year": 2024, "deadline": "2024-12-31", "departments": [2],
         "task": "发放住房租赁补贴5万户"}]
    assert validate_record(record) == []


def test_doc_to_record_adds_a_department_link_the_pipeline_left_out(run) -> None:
    doc = run(SENTENCE, 2024)
    key = "minsheng.relations"
    doc.user_data[key] = [r for r in doc.user_data[key] if r[4] != "HAS_DEPARTMENT"]
    record = doc_to_record(doc, "new-01")
    assert [(r.from_id, r.to_id) for r in record.relations if r.type == "HAS_DEPARTMENT"] == [(3, 2), (5, 2)]
    assert validate_record(record) == []


# --------------------------------------------------------------------------- record slicing

def test_paragraph_breaks_keep_headings_with_their_items() -> None:
    # after the lead, and after each item's 责任单位 note; not after 一、就业 and the like
    assert paragraph_breaks(LIST) == [(18, 20), (61, 63), (106, 108)]


def test_no_break_inside_an_entity() -> None:
    text = "第一段写完了。\n\n第二段也写完了。"
    assert paragraph_breaks(text) == [(7, 9)]
    assert paragraph_breaks(text, [(5, 11)]) == []


def test_no_break_between_table_rows() -> None:
    text = ("各项目安排如下。\n"
            "| 项目 | 规模 | 责任单位 |\n"
            "| 新建幼儿园 | 3所 | 区教育局 |\n"
            "| 改造老旧小区 | 12个 | 区住建局 |\n"
            "以上项目年底前完成。")
    breaks = paragraph_breaks(text)
    assert [text[s:e] for s, e in breaks] == ["\n", "\n"]
    assert [text[e:e + 3] for s, e in breaks] == ["| 项", "以上项"]


def test_record_bounds_gather_paragraphs_up_to_max_chars() -> None:
    assert record_bounds(LIST, (), 0) == [(0, 159)]
    assert record_bounds(LIST, (), 60) == [(0, 18), (20, 61), (63, 106), (108, 159)]
    assert record_bounds(LIST, (), 90) == [(0, 61), (63, 106), (108, 159)]
    assert record_bounds(LIST, (), 130) == [(0, 106), (108, 159)]
    # a paragraph longer than max_chars stays whole
    assert record_bounds(LIST, (), 10) == [(0, 18), (20, 61), (63, 106), (108, 159)]


def test_record_bounds_strip_surrounding_whitespace() -> None:
    assert record_bounds("\n\u3000\u3000新建公园2个。\n\n", (), 1500) == [(3, 10)]
    assert record_bounds(" \n\n ", (), 1500) == []


def test_record_ids_follow_n3() -> None:
    assert record_ids("report", 3) == ["report-01", "report-02", "report-03"]
    assert record_ids("report", 120)[-1] == "report-120"
    assert record_ids("report", 120)[0] == "report-001"


# --------------------------------------------------------------------------- documents

def test_records_are_exact_slices_with_the_document_year(nlp) -> None:
    records = preannotate_text(nlp, LIST, "/data/新区/list.txt", max_chars=60, region="某省某区")
    assert [r.id for r in records] == ["list-01", "list-02", "list-03", "list-04"]
    assert [r.meta for r in records] == [
        {"source": "list.txt", "offset": offset, "year": 2024, "region": "某省某区",
         "preannotated": "rules"} for offset in (0, 20, 63, 108)]
    for record in records:
        offset = record.meta["offset"]
        assert LIST[offset:offset + len(record.text)] == record.text
        assert validate_record(record) == []
    # the items name no year: their commitments take the document's (N2), not None
    assert [(c.value, c.year, str(c.deadline)) for c in records[2].commitments] == [
        (3, 2024, "2024-09-30"), (1080, 2024, "2024-09-30")]
    assert [records[3].span_text(records[3].entity_map()[d]) for d in records[3].commitments[0].departments] == ["区民政局"]


def test_round_trip_through_a_file(nlp, tmp_path: Path) -> None:
    records = preannotate_text(nlp, LIST, "list.txt", year=2024, max_chars=90)
    path = write_jsonl(records, tmp_path / "list.pre.jsonl")
    assert validate_file(path) == []
    read = read_annotations(path)
    assert [r.to_json() for r in read] == [r.to_json() for r in records]
    for record in read:
        doc = nlp(minsheng_nlp.make_doc(nlp, record.text, 2024))
        assert spans(record) == [(e.text, e.label_) for e in doc.ents]
        assert comparable(record) == pipeline_commitments(doc)


def test_seed_document_passes_validation_in_every_record(nlp, tmp_path: Path) -> None:
    """A long, messy real document: every record validates and is a slice of the text read."""
    path = ROOT / "seeds" / "003_2c6c425c22f525ff.txt"
    text = minsheng_nlp.read_document(path).text
    records = preannotate_text(nlp, text, path.name)
    assert len(records) == 4 and all(len(r.text) <= 1500 for r in records)
    assert validate_file(write_jsonl(records, tmp_path / "seed.jsonl")) == []
    assert all(text[r.meta["offset"]:r.meta["offset"] + len(r.text)] == r.text for r in records)
    assert {r.meta["year"] for r in records} == {2023}
    assert sum(len(r.commitments) for r in records) == sum(
        len(nlp(minsheng_nlp.make_doc(nlp, r.text, 2023))._.commitments) for r in records)


# --------------------------------------------------------------------------- add_commitments

def test_add_commitments_keeps_ids_and_matches_the_pipeline(nlp, run) -> None:
    record = doc_to_record(run(SENTENCE, 2024), 7, {"year": 2024})
    # ids as an annotation tool might give them: not 1..n, not in text order
    new_id = {e.id: 100 - e.id for e in record.entities}
    bare = replace(record, commitments=[],
                   entities=[replace(e, id=new_id[e.id]) for e in reversed(record.entities)],
                   relations=[RelationRecord(r.id + 10, new_id[r.from_id], new_id[r.to_id], r.type)
                              for r in record.relations])
    filled = add_commitments(nlp, bare)
    assert filled.entities == bare.entities and filled.relations == bare.relations
    assert comparable(filled) == comparable(record)
    assert [c.quantity for c in filled.commitments] == [97, 95]
    assert validate_record(filled) == []


def test_add_commitments_follows_corrected_relations(nlp, run) -> None:
    text = "新改建农村公路38.5公里，10月底前全部通车。"
    record = doc_to_record(run(text, 2025), 1, {"year": 2025})
    assert [str(c.deadline) for c in record.commitments] == ["2025-10-31"]
    # an annotator removes the HAS_DEADLINE link: the due date becomes the end of the year
    unlinked = replace(record, commitments=[],
                       relations=[r for r in record.relations if r.type != "HAS_DEADLINE"])
    assert [str(c.deadline) for c in add_commitments(nlp, unlinked).commitments] == ["2025-12-31"]


# --------------------------------------------------------------------------- Label Studio

def test_labelstudio_task_converts_back_to_the_same_annotation(run) -> None:
    record = doc_to_record(run(SENTENCE, 2024), "new-01", {"source": "a.txt", "offset": 0, "year": 2024,
                                                         "preannotated": "rules"})
    task = to_labelstudio_task(record)
    assert task["predictions"][0]["model_version"] == "rules"
    assert task["data"]["meta"]["record_id"] == "new-01"
    # what Label Studio exports once the annotator accepts the predictions unchanged
    exported = [{"id": 5, "data": task["data"], "annotations": [{"result": task["predictions"][0]["result"]}]}]
    (converted,), skipped = convert_tasks(exported)
    assert skipped == 0
    assert converted["entities"] == [e.to_json() for e in record.entities]
    assert converted["relations"] == [r.to_json() for r in record.relations]
    assert converted["meta"]["source"] == "a.txt" and converted["meta"]["offset"] == 0


# --------------------------------------------------------------------------- the worked example

WORKED = ROOT / "docs" / "worked-example"


@pytest.mark.skipif(not (WORKED / "report.jsonl").is_file(), reason="worked example not present")
def test_worked_example_files_agree(nlp, tmp_path: Path) -> None:
    text = (WORKED / "report.txt").read_text(encoding="utf-8")
    assert validate_file(WORKED / "report.jsonl") == [] and validate_file(WORKED / "report.pre.jsonl") == []
    (gold,) = read_annotations(WORKED / "report.jsonl")
    (pre,) = read_annotations(WORKED / "report.pre.jsonl")
    assert gold.text == pre.text == text[gold.meta["offset"]:gold.meta["offset"] + len(gold.text)]
    # the Label Studio route: same entities and relations; commitments drawn from them = gold
    tasks = json.loads((WORKED / "report.labelstudio.json").read_text(encoding="utf-8"))
    (converted,), _ = convert_tasks(tasks)
    path = tmp_path / "converted.jsonl"
    path.write_text(json.dumps(converted, ensure_ascii=False) + "\n", encoding="utf-8")
    (ls,) = read_annotations(path)
    assert spans(ls) == spans(gold)
    assert comparable(add_commitments(nlp, ls)) == comparable(gold)
