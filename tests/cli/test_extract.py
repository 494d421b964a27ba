"""``minsheng extract`` end to end: files and folders, every format, bad input."""
from __future__ import annotations

import csv
import io
import json
import shutil

from openpyxl import load_workbook
from typer.testing import CliRunner

from minsheng_nlp.cli.main import app
from tests.conftest import SEEDS

runner = CliRunner()
SEED = str(SEEDS / "003_2c6c425c22f525ff.txt")


def test_table_of_the_seed_commitment_list() -> None:
    result = runner.invoke(app, ["extract", SEED])
    assert result.exit_code == 0, result.output
    assert "城镇新增就业23万人" in result.stdout
    assert "1 file(s) read, 0 skipped" in result.stderr


def test_jsonl_rows_carry_the_source() -> None:
    result = runner.invoke(app, ["extract", SEED, "--format", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    first = rows[0]
    assert first["source"] == SEED
    jobs = [r for r in rows if r["task"] == "城镇新增就业23万人"][0]
    assert (jobs["value"], jobs["unit"], jobs["status"], jobs["year"]) == (230000, "人", "planned", 2023)


def test_csv_and_xlsx_files(tmp_path) -> None:
    out_csv, out_xlsx = tmp_path / "c.csv", tmp_path / "c.xlsx"
    assert runner.invoke(app, ["extract", SEED, "-f", "csv", "-o", str(out_csv)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert any(r["task"] == "送演出下基层2000场" and r["value"] == "2000" for r in rows)
    assert runner.invoke(app, ["extract", SEED, "-f", "xlsx", "-o", str(out_xlsx)]).exit_code == 0
    sheet = load_workbook(out_xlsx)["commitments"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["source", "year", "status", "task"]
    assert sheet.max_row == len(rows) + 1


def test_folder_with_one_bad_file(tmp_path) -> None:
    shutil.copy(SEED, tmp_path / "plan.txt")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\x00binary")
    (tmp_path / "gbk.txt").write_bytes("2024年，计划改造农村危房3400户。".encode("gbk"))
    result = runner.invoke(app, ["extract", str(tmp_path), "-f", "jsonl"])
    assert result.exit_code == 1
    assert "bad.txt" in result.stderr and "binary data" in result.stderr
    assert "2 file(s) read, 1 skipped" in result.stderr
    sources = {json.loads(line)["source"].rsplit("/", 1)[-1] for line in result.stdout.splitlines()}
    assert sources == {"plan.txt", "gbk.txt"}


def test_invalid_utf8_names_the_offset(tmp_path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_bytes("计划改造".encode("utf-8") + b"\x80\x80\x80\xff")
    result = runner.invoke(app, ["extract", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}" in result.stderr and "offset 12" in result.stderr


def test_missing_input_and_bad_options(tmp_path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1 and "no such file" in result.stderr
    result = runner.invoke(app, ["extract", SEED, "-f", "pdf"])
    assert result.exit_code == 2 and "unknown format" in result.stderr
    result = runner.invoke(app, ["extract", SEED, "-f", "xlsx"])
    assert result.exit_code == 2 and "-o FILE.xlsx" in result.stderr
    result = runner.invoke(app, ["extract", SEED, "-o", str(tmp_path / "no" / "dir" / "x.csv"), "-f", "csv"])
    assert result.exit_code == 2 and "cannot write output" in result.stderr


def test_unknown_model_is_one_line() -> None:
    result = runner.invoke(app, ["extract", SEED, "--model", "nope"])
    assert result.exit_code == 2
    assert "unknown pipeline" in result.stderr and "Traceback" not in result.stderr
