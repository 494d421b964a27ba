"""Reading and validating annotation files (GUIDELINE.md §1-§4)."""
from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pytest

from minsheng_nlp.errors import AnnotationError
from minsheng_nlp.io import (
    AnnotatedRecord,
    Entity,
    GoldCommitment,
    Problem,
    RelationRecord,
    check_file,
    iter_annotation_files,
    read_annotations,
    read_many,
    validate_file,
    validate_record,
)

# len 25; 2024年 = [2, 7), 9800 = [18, 22), 套 = [22, 23)
TEXT = "……2024年计划发展保障性租赁住房9800套……"

GUIDELINE_EXAMPLE: dict[str, Any] = {
    "id": "seed-001-p03",
    "text": TEXT,
    "meta": {"source": "001_7ad24195d88254f4.txt", "year": 2024, "region": "吉林省"},
    "entities": [
        {"id": 1, "label": "DEADLINE", "start_offset": 2, "end_offset": 7},
        {"id": 2, "label": "QUANTITY", "start_offset": 18, "end_offset": 22},
        {"id": 3, "label": "UNIT", "start_offset": 22, "end_offset": 23}],
    "relations": [
        {"id": 1, "from_id": 2, "to_id": 3, "type": "HAS_UNIT"},
        {"id": 2, "from_id": 2, "to_id": 1, "type": "HAS_DEADLINE"}],
    "commitments": [
        {"quantity": 2, "value": 9800, "value_max": None, "unit": "套", "comparator": "=",
         "status": "planned", "year": 2024, "deadline": "2024-12-31",
         "departments": [], "task": "计划发展保障性租赁住房9800套"}],
}


def example() -> dict[str, Any]:
    return copy.deepcopy(GUIDELINE_EXAMPLE)


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def messages(path: Path) -> list[str]:
    return [str(p) for p in validate_file(path)]


# --------------------------------------------------------------------------- valid input

def test_guideline_example_is_valid(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", [dumps(example())])
    assert validate_file(path) == []
    [record] = read_annotations(path)
    assert record.id == "seed-001-p03"
    assert record.text == TEXT
    assert record.meta["year"] == 2024 and record.year == 2024
    assert record.entities[1] == Entity(2, "QUANTITY", 18, 22)
    assert record.span_text(record.entities[1]) == "9800"
    assert record.relations[0] == RelationRecord(1, 2, 3, "HAS_UNIT")
    assert record.commitments == [GoldCommitment(
        quantity=2, value=Decimal(9800), value_max=None, unit="套", comparator="=",
        status="planned", year=2024, deadline=date(2024, 12, 31), departments=[],
        task="计划发展保障性租赁住房9800套")]
    assert (record.source_file, record.line) == (str(path), 1)
    assert validate_record(record) == []


def test_to_json_round_trips(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", [dumps(example())])
    [record] = read_annotations(path)
    assert record.to_json() == example()


def test_plain_doccano_relation_export_loads(tmp_path: Path) -> None:
    plain = {"id": 7, "text": "新建助餐点1300个", "Comments": [],
             "entities": [{"id": 11, "label": "QUANTITY", "start_offset": 5, "end_offset": 9},
                          {"id": 12, "label": "UNIT", "start_offset": 9, "end_offset": 10}],
             "relations": [{"id": 3, "from_id": 11, "to_id": 12, "type": "HAS_UNIT"}]}
    path = write_lines(tmp_path / "export.jsonl", [dumps(plain)])
    [record] = read_annotations(path)
    assert record.id == 7 and record.meta == {} and record.commitments == []
    assert record.entities == [Entity(11, "QUANTITY", 5, 9), Entity(12, "UNIT", 9, 10)]
    assert record.relations == [RelationRecord(3, 11, 12, "HAS_UNIT")]
    assert validate_file(path) == []


def test_doccano_sequence_labeling_export_gets_ids_1_to_n(tmp_path: Path) -> None:
    seq = {"id": 1, "text": "新建助餐点1300个",
           "label": [[5, 9, "QUANTITY"], [9, 10, "UNIT"]]}
    path = write_lines(tmp_path / "seq.jsonl", [dumps(seq)])
    [record] = read_annotations(path)
    assert record.entities == [Entity(1, "QUANTITY", 5, 9), Entity(2, "UNIT", 9, 10)]
    assert record.relations == []
    assert validate_file(path) == []


def test_decimal_values_are_exact(tmp_path: Path) -> None:
    rec = example()
    rec["commitments"][0].update(value=47.1, value_max=1.99e4)
    [record] = read_annotations(write_lines(tmp_path / "a.jsonl", [dumps(rec)]))
    assert record.commitments[0].value == Decimal("47.1")
    assert record.commitments[0].value_max == Decimal("19900")


def test_blank_lines_bom_and_line_separators(tmp_path: Path) -> None:
    rec = example()
    rec["id"], rec["text"] = "u2028", TEXT[:23] + "\u2028…"   # U+2028 raw inside a JSON string
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + dumps(example()).encode() + b"\n\n  \n"
                     + dumps(rec).encode() + b"\r\n")
    records = read_annotations(path)
    assert [(r.id, r.line) for r in records] == [("seed-001-p03", 1), ("u2028", 4)]
    assert records[1].text.endswith("\u2028…")
    assert check_file(path).records == 2
    assert validate_file(path) == []


# --------------------------------------------------------------------------- malformations

def _set(path: str, value: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A mutation setting ``path`` (dotted keys / list indices) to ``value``."""
    def mutate(rec: dict[str, Any]) -> dict[str, Any]:
        *parents, last = [int(k) if k.isdigit() else k for k in path.split(".")]
        target: Any = rec
        for key in parents:
            target = target[key]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value
        return rec
    return mutate


def _both(*mutations: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
    def mutate(rec: dict[str, Any]) -> Any:
        for m in mutations:
            rec = m(rec)
        return rec
    return mutate


DELETE = object()
DEPT = {"id": 4, "label": "DEPARTMENT", "start_offset": 23, "end_offset": 25}
HAS_DEPT = {"id": 3, "from_id": 2, "to_id": 4, "type": "HAS_DEPARTMENT"}

MALFORMATIONS: list[tuple[str, Callable[[dict[str, Any]], Any], list[str]]] = [
    ("not an object", lambda rec: [rec],
     ['record must be a JSON object, got [{"id": "seed-001-p03", "text": "……20...']),
    ("id type", _set("id", [1]), ['"id" must be a string or an integer, got [1]']),
    ("missing text", _set("text", DELETE), ['missing "text"']),
    ("text type", _set("text", 5), ['"text" must be a string, got 5']),
    ("meta type", _set("meta", "x"), ['"meta" must be an object, got "x"']),
    ("meta year type", _set("meta.year", "2024"),
     ['"meta.year" must be null or an integer, got "2024"']),
    ("meta year range", _set("meta.year", 1900), ['"meta.year" 1900 is outside 1949..2100']),
    ("meta offset", _set("meta.offset", -1),
     ['"meta.offset" must be a non-negative integer, got -1']),
    ("meta source", _set("meta.source", "../x.txt"),
     ['"meta.source" must be a file name, got "../x.txt"']),
    ("entities type", _set("entities", {}),
     ['"entities" must be a list, got {}',
      "relation 1: from_id 2 is not an entity id", "relation 1: to_id 3 is not an entity id",
      "relation 2: from_id 2 is not an entity id", "relation 2: to_id 1 is not an entity id",
      "commitments[0]: quantity 2 is not an entity id"]),
    ("entity not an object", _set("entities.0", 1),
     ["entities[0] must be an object, got 1", "relation 2: to_id 1 is not an entity id"]),
    ("entity missing key", _set("entities.0.label", DELETE), ['entities[0]: missing "label"']),
    ("offset type", _set("entities.1.start_offset", "18"),
     ['entities[1]: "start_offset" must be an integer, got "18"']),
    ("duplicate entity id", _set("entities.2.id", 1),
     ["duplicate entity id 1", "relation 1: to_id 3 is not an entity id"]),
    ("unknown label", _set("entities.2.label", "MEASURE"),
     ['entity 3: unknown label "MEASURE" (expected QUANTITY, UNIT, DEPARTMENT, DEADLINE)',
      "relation 1: to_id 3 is a MEASURE, but HAS_UNIT needs a UNIT"]),
    ("end beyond text", _set("entities.2.end_offset", 26),
     ["entity 3: offsets 22-26 outside 0 <= start < end <= 25"]),
    ("negative start", _set("entities.0.start_offset", -1),
     ["entity 1: offsets -1-7 outside 0 <= start < end <= 25"]),
    ("empty span", _set("entities.2.start_offset", 23),
     ["entity 3: offsets 23-23 outside 0 <= start < end <= 25"]),
    ("leading whitespace", _set("text", TEXT[:18] + " " + TEXT[19:]),
     ['entity 2: span " 800" starts with whitespace']),
    ("trailing whitespace",
     _both(_set("text", TEXT[:23] + " …"), _set("entities.2.end_offset", 24)),
     ['entity 3: span "套 " ends with whitespace']),
    ("overlap", _set("entities.2.start_offset", 21), ['entity 2 "9800" overlaps entity 3 "0套"']),
    ("relations type", _set("relations", None), ['"relations" must be a list, got null']),
    ("relation missing key", _set("relations.0.from_id", DELETE),
     ['relations[0]: missing "from_id"']),
    ("duplicate relation id", _set("relations.1.id", 1), ["duplicate relation id 1"]),
    ("unknown relation type", _set("relations.0.type", "HAS_MEASURE"),
     ['relation 1: unknown type "HAS_MEASURE" (expected HAS_UNIT, HAS_DEPARTMENT, HAS_DEADLINE)']),
    ("dangling endpoint", _set("relations.0.to_id", 9),
     ["relation 1: to_id 9 is not an entity id"]),
    ("from not a quantity", _set("relations.1.from_id", 3),
     ["relation 2: from_id 3 is a UNIT, not a QUANTITY"]),
    ("to with wrong label", _set("relations.0.to_id", 1),
     ["relation 1: to_id 1 is a DEADLINE, but HAS_UNIT needs a UNIT"]),
    ("commitment not an object", _set("commitments.0", 2),
     ["commitments[0] must be an object, got 2"]),
    ("commitment missing key", _set("commitments.0.unit", DELETE),
     ['commitments[0]: missing "unit"']),
    ("commitment unknown key", _set("commitments.0.dept", []),
     ['commitments[0]: unknown key "dept"']),
    ("quantity not an entity", _set("commitments.0.quantity", 9),
     ["commitments[0]: quantity 9 is not an entity id"]),
    ("quantity not a QUANTITY", _set("commitments.0.quantity", 3),
     ["commitments[0]: quantity 3 is a UNIT, not a QUANTITY"]),
    ("two commitments for one quantity",
     lambda rec: {**rec, "commitments": rec["commitments"] * 2},
     ["commitments[1]: second commitment for quantity 2 (first is commitments[0])"]),
    ("value type", _set("commitments.0.value", "9800"),
     ['commitments[0]: "value" must be a number, got "9800"']),
    ("value null", _set("commitments.0.value", None),
     ['commitments[0]: "value" must be a number, got null']),
    ("value_max type", _set("commitments.0.value_max", "1万"),
     ['commitments[0]: "value_max" must be null or a number, got "1万"']),
    ("value_max below value", _set("commitments.0.value_max", 100),
     ['commitments[0]: "value_max" 100 is less than "value" 9800']),
    ("unit type", _set("commitments.0.unit", 1),
     ['commitments[0]: "unit" must be null or a string, got 1']),
    ("comparator", _set("commitments.0.comparator", "≥"),
     ['commitments[0]: "comparator" must be one of =, >=, >, <=, <, ~, got "≥"']),
    ("status", _set("commitments.0.status", "done"),
     ['commitments[0]: "status" must be one of planned, achieved, got "done"']),
    ("year type", _set("commitments.0.year", "2024"),
     ['commitments[0]: "year" must be null or an integer, got "2024"']),
    ("year range", _set("commitments.0.year", 2101),
     ['commitments[0]: "year" 2101 is outside 1949..2100']),
    ("deadline format", _set("commitments.0.deadline", "2024/12/31"),
     ['commitments[0]: "deadline" must be null or an ISO date (YYYY-MM-DD), got "2024/12/31"']),
    ("deadline impossible date", _set("commitments.0.deadline", "2024-02-30"),
     ['commitments[0]: "deadline" must be null or an ISO date (YYYY-MM-DD), got "2024-02-30"']),
    ("deadline when achieved", _set("commitments.0.status", "achieved"),
     ['commitments[0]: "deadline" must be null when status is achieved']),
    ("planned without deadline", _set("commitments.0.deadline", None),
     ['commitments[0]: "deadline" must be set for a planned commitment '
      '(the end of "year" 2024 when no due date is written)']),
    ("departments type", _set("commitments.0.departments", 4),
     ['commitments[0]: "departments" must be a list of entity ids, got 4']),
    ("department not an entity", _set("commitments.0.departments", [9]),
     ["commitments[0]: department 9 is not an entity id"]),
    ("department not a DEPARTMENT", _set("commitments.0.departments", [3]),
     ["commitments[0]: department 3 is a UNIT, not a DEPARTMENT"]),
    ("department not linked",
     _both(lambda rec: {**rec, "entities": rec["entities"] + [DEPT]},
           _set("commitments.0.departments", [4])),
     ["commitments[0]: department 4 is not linked from quantity 2 by HAS_DEPARTMENT"]),
    ("linked department not listed",
     lambda rec: {**rec, "entities": rec["entities"] + [DEPT],
                  "relations": rec["relations"] + [HAS_DEPT]},
     ['commitments[0]: department 4 is linked from quantity 2 by HAS_DEPARTMENT '
      'but missing from "departments"']),
    ("department listed twice",
     lambda rec: _set("commitments.0.departments", [4, 4])(
         {**rec, "entities": rec["entities"] + [DEPT], "relations": rec["relations"] + [HAS_DEPT]}),
     ["commitments[0]: department 4 listed twice"]),
    ("task empty", _set("commitments.0.task", " "),
     ['commitments[0]: "task" must be a non-empty string, got " "']),
    ("task type", _set("commitments.0.task", None),
     ['commitments[0]: "task" must be a string, got null']),
    ("task without quantity", _set("commitments.0.task", "计划发展保障性租赁住房"),
     ['commitments[0]: "task" does not contain the quantity "9800"']),
    ("sequence label item", lambda rec: {"id": 1, "text": "1300个", "label": [[0, "4"]]},
     ['label[0] must be [start, end, "LABEL"], got [0, "4"]']),
]


@pytest.mark.parametrize("mutate, expected", [(m, e) for _, m, e in MALFORMATIONS],
                         ids=[name for name, _, _ in MALFORMATIONS])
def test_each_malformation_gives_its_message(tmp_path: Path, mutate: Callable[[dict], Any],
                                             expected: list[str]) -> None:
    path = write_lines(tmp_path / "bad.jsonl", [dumps(mutate(example()))])
    assert messages(path) == [f"{path}:1: {m}" for m in expected]


def test_all_problems_of_all_lines_are_collected(tmp_path: Path) -> None:
    first, second = example(), example()
    first["entities"][2]["label"] = "MEASURE"
    first["commitments"][0]["status"] = "done"
    path = write_lines(tmp_path / "bad.jsonl", [dumps(first), "{oops", dumps(second)])
    assert messages(path) == [
        f'{path}:1: entity 3: unknown label "MEASURE" '
        "(expected QUANTITY, UNIT, DEPARTMENT, DEADLINE)",
        f"{path}:1: relation 1: to_id 3 is a MEASURE, but HAS_UNIT needs a UNIT",
        f'{path}:1: commitments[0]: "status" must be one of planned, achieved, got "done"',
        f"{path}:2: invalid JSON at column 2: "
        "Expecting property name enclosed in double quotes",
        f'{path}:3: duplicate record id "seed-001-p03" (first on line 1)',
    ]
    assert check_file(path).records == 3


def test_bad_json_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", [dumps(example()), '{"id": 2, "text": }'])
    assert messages(path) == [f"{path}:2: invalid JSON at column 19: Expecting value"]
    with pytest.raises(AnnotationError) as err:
        read_annotations(path)
    assert str(err.value) == f"{path}:2: invalid JSON at column 19: Expecting value"
    assert (err.value.source, err.value.line) == (str(path), 2)


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(dumps(example()).encode() + b'\n{"id": 2, "text": "\xff"}\n')
    expected = f"{path}:2: invalid UTF-8: byte 0xff at byte 20 of the line"
    assert messages(path) == [expected]
    with pytest.raises(AnnotationError, match="^" + expected.replace(".", r"\.") + "$"):
        read_annotations(path)


def test_gb18030_file_is_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(dumps(example()).encode("gb18030"))
    assert messages(path) == [f"{path}:1: invalid UTF-8: byte 0xa1 at byte 33 of the line"]


@pytest.mark.parametrize("mutate, expected", [
    (_set("text", DELETE), 'missing "text"'),
    (_set("entities.1.start_offset", "18"),
     'entities[1]: "start_offset" must be an integer, got "18"'),
    (_set("commitments.0.value", "9800"), 'commitments[0]: "value" must be a number, got "9800"'),
    (_both(_set("text", 5), _set("relations", 1)),
     '"text" must be a string, got 5 (and 1 more)'),
])
def test_read_raises_on_wrong_shapes(tmp_path: Path, mutate: Callable[[dict], Any],
                                     expected: str) -> None:
    path = write_lines(tmp_path / "a.jsonl", ["", dumps(mutate(example()))])
    with pytest.raises(AnnotationError) as err:
        read_annotations(path)
    assert str(err.value) == f"{path}:2: {expected}"


def test_read_leaves_content_problems_to_validation(tmp_path: Path) -> None:
    rec = example()
    rec["entities"][2]["label"] = "MEASURE"
    [record] = read_annotations(write_lines(tmp_path / "a.jsonl", [dumps(rec)]))
    assert validate_record(record) == [
        'entity 3: unknown label "MEASURE" (expected QUANTITY, UNIT, DEPARTMENT, DEADLINE)',
        "relation 1: to_id 3 is a MEASURE, but HAS_UNIT needs a UNIT"]


def test_validate_record_on_a_built_record() -> None:
    record = AnnotatedRecord(id="x", text="建成2座", entities=[
        Entity(1, "QUANTITY", 2, 3), Entity(2, "UNIT", 3, 5)])
    assert validate_record(record) == ["entity 2: offsets 3-5 outside 0 <= start < end <= 4"]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.jsonl"
    assert validate_file(path) == [Problem(str(path), None, "file not found")]
    assert str(validate_file(path)[0]) == f"{path}: file not found"
    with pytest.raises(AnnotationError, match="nope.jsonl: file not found"):
        read_annotations(path)


def test_problem_str() -> None:
    assert str(Problem("a.jsonl", 3, "missing \"text\"")) == 'a.jsonl:3: missing "text"'


# --------------------------------------------------------------------------- seeds

def _seeded_repo(tmp_path: Path, source_text: str) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "s.txt").write_text(source_text, encoding="utf-8", newline="")
    (tmp_path / "annotations").mkdir()
    return tmp_path / "annotations" / "a.jsonl"


def test_text_matches_its_seed_slice(tmp_path: Path) -> None:
    path = _seeded_repo(tmp_path, "标题\r\n" + TEXT + "\n结尾")
    rec = example()
    rec["meta"].update(source="s.txt", offset=4)
    write_lines(path, [dumps(rec)])
    assert validate_file(path) == []
    rec["meta"]["offset"] = 3
    write_lines(path, [dumps(rec)])
    assert messages(path) == [f"{path}:1: text does not match seeds/s.txt at offset 3: "
                              'first difference at text[0] ("…" vs "\\n")']


def test_text_running_past_its_seed(tmp_path: Path) -> None:
    path = _seeded_repo(tmp_path, TEXT[:10])
    rec = example()
    rec["meta"].update(source="s.txt", offset=0)
    write_lines(path, [dumps(rec)])
    assert messages(path) == [f"{path}:1: text does not match seeds/s.txt at offset 0: "
                              "the source ends at text[10] (source length 10)"]


def test_unknown_seed_is_not_checked(tmp_path: Path) -> None:
    path = _seeded_repo(tmp_path, "x")
    rec = example()
    rec["meta"].update(source="other.txt", offset=0)
    write_lines(path, [dumps(rec)])
    assert validate_file(path) == []


# --------------------------------------------------------------------------- several files

def test_folders_expand_to_sorted_jsonl_files(tmp_path: Path) -> None:
    second = example()
    second["id"] = "two"
    write_lines(tmp_path / "b.jsonl", [dumps(second)])
    write_lines(tmp_path / "a.jsonl", [dumps(example())])
    (tmp_path / "notes.txt").write_text("not data")
    (tmp_path / "sub").mkdir()
    extra = write_lines(tmp_path / "sub" / "c.jsonl", [dumps(example())])
    assert list(iter_annotation_files([tmp_path, extra])) == [
        tmp_path / "a.jsonl", tmp_path / "b.jsonl", extra]
    assert [r.id for r in read_many([tmp_path])] == ["seed-001-p03", "two"]
