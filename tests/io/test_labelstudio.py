"""Label Studio JSON export → our JSONL records (``minsheng_nlp.io.labelstudio``)."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from minsheng_nlp.cli.convert import convert
from minsheng_nlp.errors import AnnotationError
from minsheng_nlp.io.annotations import (
    AnnotatedRecord,
    Entity,
    RelationRecord,
    read_annotations,
    validate_record,
)
from minsheng_nlp.io.labelstudio import (
    convert_file,
    convert_tasks,
    labelstudio_to_records,
)

TEXT = "2024年省住建厅计划发展保障性租赁住房9800套。"


def label(rid: str, start: int, end: int, name: str) -> dict[str, Any]:
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [name]}}


def relation(a: str, b: str, name: str, direction: str = "right") -> dict[str, Any]:
    return {"type": "relation", "from_id": a, "to_id": b, "direction": direction,
            "labels": [name]}


EXPORT: list[dict[str, Any]] = [
    {"id": 12,
     "data": {"text": TEXT, "meta": {"source": "a.txt", "year": 2024}},
     "annotations": [
         {"result": [label("old", 20, 24, "UNIT")]},  # superseded: the last one counts
         {"result": [
             label("q", 20, 24, "QUANTITY"),
             label("u", 24, 25, "UNIT"),
             label("d", 5, 9, "DEPARTMENT"),
             label("t", 0, 5, "DEADLINE"),
             {"id": "c", "type": "choices", "from_name": "ok", "to_name": "text",
              "value": {"choices": ["yes"]}},
             relation("q", "u", "HAS_UNIT"),
             relation("d", "q", "HAS_DEPARTMENT", direction="left"),
         ]}]},
    {"id": 13, "data": {"text": "没有标注的段落。"}, "annotations": []},
]

EXPECTED = [{
    "id": 12,
    "text": TEXT,
    "meta": {"source": "a.txt", "year": 2024, "labelstudio_task": 12},
    "entities": [{"id": 1, "label": "DEADLINE", "start_offset": 0, "end_offset": 5},
                 {"id": 2, "label": "DEPARTMENT", "start_offset": 5, "end_offset": 9},
                 {"id": 3, "label": "QUANTITY", "start_offset": 20, "end_offset": 24},
                 {"id": 4, "label": "UNIT", "start_offset": 24, "end_offset": 25}],
    "relations": [{"id": 1, "from_id": 3, "to_id": 4, "type": "HAS_UNIT"},
                  {"id": 2, "from_id": 3, "to_id": 2, "type": "HAS_DEPARTMENT"}],
}]


def test_converts_export_to_records() -> None:
    assert labelstudio_to_records(copy.deepcopy(EXPORT)) == EXPECTED
    assert convert_tasks(copy.deepcopy(EXPORT))[1] == 1


def test_records_pass_validation() -> None:
    for raw in labelstudio_to_records(copy.deepcopy(EXPORT)):
        record = AnnotatedRecord(
            id=raw["id"], text=raw["text"], meta=raw["meta"],
            entities=[Entity(e["id"], e["label"], e["start_offset"], e["end_offset"])
                      for e in raw["entities"]],
            relations=[RelationRecord(r["id"], r["from_id"], r["to_id"], r["type"])
                       for r in raw["relations"]])
        assert validate_record(record) == []


def test_text_from_first_string_value_and_no_meta() -> None:
    task = {"id": 5, "data": {"n": 3, "paragraph": TEXT},
            "annotations": [{"result": [label("q", 20, 24, "QUANTITY")]}]}
    [record] = labelstudio_to_records([task])
    assert record["text"] == TEXT
    assert record["meta"] == {"labelstudio_task": 5}
    assert record["relations"] == []


def test_convert_file_writes_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "export.json"
    src.write_text(json.dumps(EXPORT, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert convert_file(src, out) == (1, 1)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == EXPECTED
    assert "住建厅" in lines[0]  # ensure_ascii=False
    [record] = read_annotations(out)
    assert validate_record(record) == []


def _task(results: list[dict[str, Any]], **data: Any) -> list[dict[str, Any]]:
    return [{"id": 7, "data": data or {"text": TEXT}, "annotations": [{"result": results}]}]


@pytest.mark.parametrize("tasks, message", [
    ({"id": 1}, "x.json: a Label Studio export must be a JSON list of tasks, got dict"),
    ([{"id": 7, "data": {"n": 1}, "annotations": []}],
     'x.json: task 7: missing text ("data" has no string value)'),
    (_task([{**label("q", 20, 24, "QUANTITY"),
             "value": {"start": 19, "end": 23, "text": "9800", "labels": ["QUANTITY"]}}]),
     "x.json: task 7: labels result 'q': text '9800' does not match text[19:23] '房980'"),
    (_task([label("q", 20, 30, "QUANTITY")]),
     ("x.json: task 7: labels result 'q': offsets 20..30 are not a span of the text "
      "(length 26)")),
    (_task([label("q", 20, 24, "AMOUNT")]),
     ("x.json: task 7: labels result 'q': unknown label 'AMOUNT' "
      "(expected one of QUANTITY, UNIT, DEPARTMENT, DEADLINE)")),
    (_task([label("q", 20, 24, "QUANTITY"), label("u", 24, 25, "UNIT"),
            relation("q", "u", "HAS_UNIT", direction="bi")]),
     ("x.json: task 7: relation 'q' -> 'u': direction 'bi' is not supported "
      "(use right or left)")),
    (_task([label("q", 20, 24, "QUANTITY"), label("u", 24, 25, "UNIT"),
            relation("q", "u", "UNIT_OF")]),
     ("x.json: task 7: relation 'q' -> 'u': unknown label 'UNIT_OF' "
      "(expected one of HAS_UNIT, HAS_DEPARTMENT, HAS_DEADLINE)")),
    (_task([label("q", 20, 24, "QUANTITY"), relation("q", "zz", "HAS_UNIT")]),
     "x.json: task 7: relation to_id 'zz' is not a labels result"),
])
def test_errors(tasks: Any, message: str) -> None:
    with pytest.raises(AnnotationError) as info:
        labelstudio_to_records(tasks, source="x.json")
    assert str(info.value) == message


# --------------------------------------------------------------------------- CLI

def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("convert")(convert)
    app.command("noop")(lambda: None)  # two commands keep "convert" as a subcommand
    return app


def _write(path: Path, tasks: Any) -> Path:
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def test_cli_converts_and_validates(tmp_path: Path) -> None:
    src = _write(tmp_path / "export.json", EXPORT)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(_app(), ["convert", str(src), "-o", str(out),
                                         "--from", "labelstudio"])
    assert result.exit_code == 0, result.output
    assert result.output == "1 records written, 1 tasks without annotations skipped\n"
    assert [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()] == EXPECTED


def test_cli_reports_contract_problems(tmp_path: Path) -> None:
    # a relation from a UNIT converts fine but breaks the contract (§3)
    tasks = _task([label("q", 20, 24, "QUANTITY"), label("u", 24, 25, "UNIT"),
                   relation("u", "q", "HAS_UNIT")])
    src = _write(tmp_path / "export.json", tasks)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(_app(), ["convert", str(src), "--output", str(out)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "1 records written, 0 tasks without annotations skipped"
    assert len(lines) > 1 and all(line.startswith(f"{out}:1: ") for line in lines[1:])


def test_cli_error_exit_2(tmp_path: Path) -> None:
    src = _write(tmp_path / "export.json", _task([label("q", 20, 24, "AMOUNT")]))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(_app(), ["convert", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (f"error: {src}: task 7: labels result 'q': unknown label "
                             f"'AMOUNT' (expected one of QUANTITY, UNIT, DEPARTMENT, "
                             f"DEADLINE)\n")


def test_cli_unknown_format_and_missing_file(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out.jsonl"
    result = runner.invoke(_app(), ["convert", str(tmp_path / "x.json"), "-o", str(out),
                                    "--from", "doccano"])
    assert result.exit_code == 2
    assert "unknown format 'doccano'" in result.stderr
    result = runner.invoke(_app(), ["convert", str(tmp_path / "nope.json"), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'nope.json'}: file not found\n"


def test_convert_is_a_minsheng_command(tmp_path) -> None:
    from typer.testing import CliRunner

    from minsheng_nlp.cli.main import app

    result = CliRunner().invoke(app, ["convert", "--help"])
    assert result.exit_code == 0 and "labelstudio" in result.stdout
