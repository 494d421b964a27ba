"""``minsheng validate``: messages, summary and exit codes."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from minsheng_nlp.cli.main import app

RECORD: dict[str, Any] = {
    "id": "seed-001-p03",
    "text": "……2024年计划发展保障性租赁住房9800套……",
    "meta": {"year": 2024},
    "entities": [{"id": 1, "label": "DEADLINE", "start_offset": 2, "end_offset": 7},
                 {"id": 2, "label": "QUANTITY", "start_offset": 18, "end_offset": 22},
                 {"id": 3, "label": "UNIT", "start_offset": 22, "end_offset": 23}],
    "relations": [{"id": 1, "from_id": 2, "to_id": 3, "type": "HAS_UNIT"},
                  {"id": 2, "from_id": 2, "to_id": 1, "type": "HAS_DEADLINE"}],
    "commitments": [{"quantity": 2, "value": 9800, "value_max": None, "unit": "套",
                     "comparator": "=", "status": "planned", "year": 2024,
                     "deadline": "2024-12-31", "departments": [],
                     "task": "计划发展保障性租赁住房9800套"}],
}


def write(path: Path, *records: dict[str, Any] | str) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> Any:
    return CliRunner().invoke(app, ["validate", *args])


def test_valid_file_exits_0(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", RECORD, {**RECORD, "id": "two"})
    result = run(str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 files, 2 records, 0 problems\n"


def test_problems_are_listed_then_summarized_and_exit_1(tmp_path: Path) -> None:
    bad = copy.deepcopy(RECORD)
    bad["entities"][2]["end_offset"] = 99
    bad["commitments"][0]["comparator"] = "≈"
    path = write(tmp_path / "a.jsonl", RECORD, "", bad, "{not json")
    result = run(str(path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:3: entity 3: offsets 22-99 outside 0 <= start < end <= 25",
        f'{path}:3: commitments[0]: "comparator" must be one of =, >=, >, <=, <, ~, got "≈"',
        f'{path}:3: duplicate record id "seed-001-p03" (first on line 1)',
        f"{path}:4: invalid JSON at column 2: Expecting property name enclosed in double quotes",
        "1 files, 3 records, 4 problems",
    ]


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    good = write(tmp_path / "a.jsonl", RECORD)
    missing = tmp_path / "missing.jsonl"
    result = run(str(good), str(missing))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stdout.splitlines() == [f"{missing}: file not found",
                                          "2 files, 1 records, 1 problems"]


def test_folders_expand_to_their_jsonl_files(tmp_path: Path) -> None:
    write(tmp_path / "b.jsonl", {**RECORD, "text": 5})
    write(tmp_path / "a.jsonl", RECORD)
    (tmp_path / "README.md").write_text("# not data\n")
    result = run(str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f'{tmp_path / "b.jsonl"}:1: "text" must be a string, got 5',
        "2 files, 2 records, 1 problems"]


def test_folder_without_jsonl_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run(str(tmp_path / "empty"))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{tmp_path / 'empty'}: no *.jsonl files in this folder",
                                          "0 files, 0 records, 1 problems"]


def test_invalid_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"id": 1, "text": "\xe6\x96"}\n')
    result = run(str(path))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{path}:1: invalid UTF-8: byte 0xe6 at byte 20 of the line")


@pytest.mark.parametrize("args", [[], ["--help"]])
def test_usage(args: list[str]) -> None:
    result = run(*args)
    if args:
        assert result.exit_code == 0 and "Annotation JSONL files" in result.stdout
    else:
        assert result.exit_code == 2
