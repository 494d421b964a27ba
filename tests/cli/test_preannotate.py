"""``minsheng preannotate``: files in, annotation JSONL (or Label Studio JSON) out, validated."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from minsheng_nlp.cli.main import app
from minsheng_nlp.io.annotations import read_annotations

REPORT = ("某县2025年民生实事项目\n\n"
          "2025年，县政府确定为民办实事6项。\n\n"
          "1. 新建乡镇公办幼儿园2所，新增学位540个。（责任单位：县教育局）\n\n"
          "2. 改造城镇老旧小区8个，惠及居民约900户。（责任单位：县住建局）\n")


def run(*args: str) -> Any:
    return CliRunner().invoke(app, ["preannotate", *args])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_writes_records_that_validate(tmp_path: Path) -> None:
    src = write(tmp_path / "county.txt", REPORT)
    out = tmp_path / "county.pre.jsonl"
    result = run(str(src), "--year", "2025", "--region", "某省某县", "--max-chars", "60", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (f"1 file(s) read, 0 skipped, 3 record(s) (15 entities, 11 relations, 4 commitments) "
            f"written to {out}") in result.stderr
    records = read_annotations(out)
    assert [r.id for r in records] == ["county-01", "county-02", "county-03"]
    assert [r.meta["offset"] for r in records] == [0, 36, 73]
    assert all(REPORT[r.meta["offset"]:r.meta["offset"] + len(r.text)] == r.text for r in records)
    assert records[1].meta == {"source": "county.txt", "offset": 36, "year": 2025,
                               "region": "某省某县", "preannotated": "rules"}
    assert [(c.value, c.unit, c.comparator, c.year) for r in records for c in r.commitments] == [
        (2, "所", "=", 2025), (540, "个", "=", 2025), (8, "个", "=", 2025), (900, "户", "~", 2025)]
    checked = CliRunner().invoke(app, ["validate", str(out)])
    assert checked.exit_code == 0 and "1 files, 3 records, 0 problems" in checked.output


def test_unreadable_file_is_skipped_and_named(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", REPORT)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    out = tmp_path / "out.jsonl"
    result = run(str(good), str(bad), str(tmp_path / "missing.txt"), "-o", str(out))
    assert result.exit_code == 1
    assert "skipped:" in result.stderr and "bad.txt" in result.stderr and "binary data" in result.stderr
    assert "missing.txt: no such file" in result.stderr
    assert "1 file(s) read, 2 skipped, 1 record(s)" in result.stderr
    assert [r.id for r in read_annotations(out)] == ["good-01"]


def test_same_stem_twice_gets_distinct_ids(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write(tmp_path / "a" / "list.txt", REPORT)
    second = write(tmp_path / "b" / "list.md", REPORT)
    out = tmp_path / "out.jsonl"
    assert run(str(first), str(second), "-o", str(out)).exit_code == 0
    assert [r.id for r in read_annotations(out)] == ["list-01", "list-2-01"]


def test_labelstudio_format_round_trips_through_convert(tmp_path: Path) -> None:
    src = write(tmp_path / "county.txt", REPORT)
    out = tmp_path / "tasks.json"
    result = run(str(src), "--year", "2025", "--format", "labelstudio", "-o", str(out))
    assert result.exit_code == 0, result.output
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    assert task["data"]["meta"]["record_id"] == "county-01"
    labels = [r for r in task["predictions"][0]["result"] if r["type"] == "labels"]
    assert [(r["value"]["text"], r["value"]["labels"][0]) for r in labels][:4] == [
        ("2025年", "DEADLINE"), ("2025年", "DEADLINE"), ("县政府", "DEPARTMENT"), ("6", "QUANTITY")]
    # the annotator accepts the predictions; Label Studio exports them as the annotation
    task["id"] = 3
    task["annotations"] = [{"result": task["predictions"][0]["result"]}]
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    converted = CliRunner().invoke(app, ["convert", str(export), "--from", "labelstudio",
                                         "-o", str(tmp_path / "back.jsonl")])
    assert converted.exit_code == 0, converted.output
    (back,) = read_annotations(tmp_path / "back.jsonl")
    assert len(back.entities) == len(labels) and back.commitments == []
    # the converted file gets its commitments from its own entities and relations
    filled = run(str(tmp_path / "back.jsonl"), "-o", str(tmp_path / "full.jsonl"))
    assert filled.exit_code == 0, filled.output
    (full,) = read_annotations(tmp_path / "full.jsonl")
    assert full.entities == back.entities and full.id == 3
    assert [(c.value, c.unit) for c in full.commitments] == [(2, "所"), (540, "个"), (8, "个"), (900, "户")]


def test_annotation_file_with_commitments_is_left_unchanged(tmp_path: Path) -> None:
    src = write(tmp_path / "county.txt", REPORT)
    first = tmp_path / "first.jsonl"
    assert run(str(src), "-o", str(first)).exit_code == 0
    again = tmp_path / "again.jsonl"
    result = run(str(first), "-o", str(again))
    assert result.exit_code == 0
    assert "1 record(s) already had commitments, left unchanged" in result.stderr
    assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_invalid_annotation_record_is_skipped_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x", "text": "新建公园2个。", "entities": [
        {"id": 1, "label": "QUANTITY", "start_offset": 4, "end_offset": 9}]}) + "\n", encoding="utf-8")
    result = run(str(bad), "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 1
    assert f"{bad}:1" in result.stderr and "offsets 4-9 outside" in result.stderr


def test_bad_options_exit_2(tmp_path: Path) -> None:
    src = write(tmp_path / "county.txt", REPORT)
    out = str(tmp_path / "out.jsonl")
    result = run(str(src), "--format", "csv", "-o", out)
    assert result.exit_code == 2 and "unknown format 'csv'" in result.stderr
    result = run(str(src), "--model", str(tmp_path / "no-such-pipeline"), "-o", out)
    assert result.exit_code == 2 and "unknown pipeline" in result.stderr
    result = run(str(src), "--year", "1700", "-o", out)
    assert result.exit_code == 2 and "--year must be between" in result.stderr


def test_redo_commitments_after_a_doccano_round_trip(tmp_path: Path) -> None:
    src = write(tmp_path / "county.txt", REPORT)
    pre = tmp_path / "pre.jsonl"
    assert run(str(src), "--year", "2025", "-o", str(pre)).exit_code == 0
    # doccano exports its own entity ids; the commitments it passes through keep the old ones
    raw = json.loads(pre.read_text(encoding="utf-8"))
    for entity in raw["entities"]:
        entity["id"] += 1660
    for relation in raw["relations"]:
        relation["from_id"] += 1660
        relation["to_id"] += 1660
    export = tmp_path / "doccano.jsonl"
    export.write_text(json.dumps(raw, ensure_ascii=False) + "\n", encoding="utf-8")
    stale = CliRunner().invoke(app, ["validate", str(export)])
    assert stale.exit_code == 1 and "commitments[0]: quantity 6 is not an entity id" in stale.output
    result = run(str(export), "--redo-commitments", "-o", str(tmp_path / "fixed.jsonl"))
    assert result.exit_code == 0, result.output
    (fixed,) = read_annotations(tmp_path / "fixed.jsonl")
    (before,) = read_annotations(pre)
    assert [c.quantity for c in fixed.commitments] == [c.quantity + 1660 for c in before.commitments]
    assert [c.to_json()["value"] for c in fixed.commitments] == [2, 540, 8, 900]
