"""``minsheng extract`` end to end: files and folders, every input and output format, bad input."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from minsheng_nlp.cli.main import app
from tests.conftest import SEEDS
from tests.io.test_formats_docx import write_plan_docx
from tests.io.test_formats_html import PLAN_PAGE
from tests.io.test_formats_pdf import PAGES as PDF_PAGES
from tests.io.test_formats_pdf import write_pdf

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


# ---------------------------------------------------------------- real input formats

def _write_inputs(folder: Path) -> Path:
    """A folder as users keep them: a city's web page, a district notice in GBK, a county's
    Word file and a health commission's PDF."""
    (folder / "plan.html").write_text(PLAN_PAGE, encoding="utf-8")
    (folder / "gonggao.htm").write_bytes(
        ('<html><head><meta charset="gbk"><title>公告</title></head><body><nav>首页 | 通知公告</nav>'
         "<p>2025年，区城管局计划改造提升城市公厕40座。</p></body></html>").encode("gbk"))
    write_plan_docx(folder / "county.docx")
    write_pdf(folder / "health.pdf", PDF_PAGES)
    return folder


EXPECTED = {
    "plan.html": [(25000, "人", "planned", 2025, "新增城镇就业2.5万人"),
                  (86, "个", "planned", 2025, "改造老旧小区86个")],
    "gonggao.htm": [(40, "座", "planned", 2025, "区城管局计划改造提升城市公厕40座")],
    "county.docx": [(150, "公里", "planned", 2025, "改造农村公路150公里"),
                    (120, "公里", "planned", 2025, "新建改造供水管网120公里"),
                    (700, "元", "planned", 2025, "县医保局将城乡居民医保财政补助标准提高到每人每年700元")],
    "health.pdf": [(180000, "人次", "planned", 2025, "市卫健委将为全市65岁以上老年人免费开展健康体检18万人次"),
                   (126, "个", "achieved", 2024, "全市完成老旧小区改造126个"),
                   (32000, "户", "achieved", 2024, "惠及居民3.2万户")],
}


def _by_file(stdout: str) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {}
    for line in stdout.splitlines():
        r = json.loads(line)
        rows.setdefault(Path(r["source"]).name, []).append(
            (r["value"], r["unit"], r["status"], r["year"], r["task"]))
    return rows


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_input_format(tmp_path, name) -> None:
    path = _write_inputs(tmp_path) / name
    result = runner.invoke(app, ["extract", str(path), "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    assert _by_file(result.stdout) == {name: EXPECTED[name]}
    assert result.stderr.endswith(f"1 file(s) read, 0 skipped, {len(EXPECTED[name])} commitment(s)\n")


def test_truncated_docx_and_pdf_name_the_file(tmp_path) -> None:
    _write_inputs(tmp_path)
    for name, reason in (("county.docx", "not a readable .docx file (truncated or damaged ZIP archive: "
                                         "File is not a zip file)"),
                         ("health.pdf", "truncated PDF (no %%EOF marker at its end; download it again)")):
        path = tmp_path / name
        path.write_bytes(path.read_bytes()[:1500])
        result = runner.invoke(app, ["extract", str(path)])
        assert result.exit_code == 1
        assert f"skipped: {path}: {reason}\n" in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.endswith("0 file(s) read, 1 skipped, 0 commitment(s)\n")


def test_folder_with_a_corrupt_pdf_goes_on(tmp_path) -> None:
    folder = _write_inputs(tmp_path)
    (folder / "sub").mkdir()
    broken = folder / "sub" / "scan.pdf"
    broken.write_bytes((folder / "health.pdf").read_bytes()[:-700])
    result = runner.invoke(app, ["extract", str(folder), "-f", "jsonl"])
    assert result.exit_code == 1
    assert f"skipped: {broken}: truncated PDF" in result.stderr
    assert _by_file(result.stdout) == EXPECTED
    assert "4 file(s) read, 1 skipped, 9 commitment(s)" in result.stderr
    assert "chars" in result.stderr  # the progress bar counts characters


def test_two_processes_give_the_same_output(tmp_path) -> None:
    folder = _write_inputs(tmp_path)
    one = runner.invoke(app, ["extract", str(folder), "-f", "jsonl", "--no-progress"])
    two = runner.invoke(app, ["extract", str(folder), "-f", "jsonl", "--n-process", "2", "--no-progress"])
    assert one.exit_code == two.exit_code == 0
    assert two.stdout == one.stdout and len(one.stdout.splitlines()) == 9
    assert two.stderr == one.stderr == "4 file(s) read, 0 skipped, 9 commitment(s)\n"


def test_html_report_of_a_folder(tmp_path) -> None:
    (tmp_path / "in").mkdir()
    folder = _write_inputs(tmp_path / "in")
    report = tmp_path / "report.html"
    result = runner.invoke(app, ["extract", str(folder), "-f", "html", "-o", str(report), "--no-progress"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "4 file(s) read, 0 skipped, 9 commitment(s)\n"
    page = report.read_text(encoding="utf-8")
    assert all(task in page for rows in EXPECTED.values() for *_, task in rows)


def test_dask_options_are_checked_before_anything_runs(tmp_path) -> None:
    result = runner.invoke(app, ["extract", SEED, "--dask", "local"])
    assert result.exit_code == 2 and "--dask writes parquet or jsonl files" in result.stderr
    result = runner.invoke(app, ["extract", SEED, "--dask", "local", "-f", "parquet"])
    assert result.exit_code == 2 and "--dask needs -o OUTPUT_DIR" in result.stderr
    result = runner.invoke(app, ["extract", SEED, "--n-process", "0"])
    assert result.exit_code == 2 and "--n-process must be 1 or more, got 0" in result.stderr
