"""``minsheng track`` end to end: the fulfilment table, formats, several result files, bad input, --gold."""
from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from minsheng_nlp.cli.main import app
from minsheng_nlp.cli.track import expand_results
from tests.conftest import ROOT, SEEDS
from tests.tracking.texts import PLAN_2025, RESULTS_2026

runner = CliRunner()


@pytest.fixture
def files(tmp_path):
    plan = tmp_path / "plan_2025.txt"
    plan.write_text(PLAN_2025, encoding="utf-8")
    release, transport = RESULTS_2026.split("市交通运输局局长介绍")
    r1, r2 = tmp_path / "release.txt", tmp_path / "transport.txt"
    r1.write_text(release, encoding="utf-8")
    r2.write_text("2026年1月20日，市交通运输局局长介绍" + transport, encoding="utf-8")
    return plan, r1, r2


def test_table_with_verdicts_and_alternatives(files) -> None:
    plan, r1, r2 = files
    result = runner.invoke(app, ["track", str(plan), "--results", str(r1), str(r2), "--results-year", "2026"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["plan", "planned", "reported", "ratio", "verdict", "score", "result", "source",
                                "alternatives"]
    roads = next(line for line in lines if "新改建农村公路500公里" in line)
    assert "ambiguous" in roads and "532 公里" in roads and "486 公里 (0." in roads and "release.txt" in roads
    gas = next(line for line in lines if "新建城市燃气管网120公里" in line)
    assert "136 公里" in gas and "113%" in gas and " met " in gas
    assert "no report found" in next(line for line in lines if "建设口袋公园20个" in line)
    assert ("1 plan file(s), 2 result file(s) read, 0 skipped; 14 plan(s): 10 met, 2 not met, 1 ambiguous, "
            "1 no report found") in result.stderr


def test_jsonl_csv_and_xlsx(files, tmp_path) -> None:
    plan, r1, r2 = files
    args = ["track", str(plan), "-r", str(r1), str(r2), "--results-year", "2026"]
    rows = [json.loads(line) for line in runner.invoke(app, args + ["-f", "jsonl"]).stdout.splitlines()]
    assert len(rows) == 14
    roads = rows[2]
    assert (roads["verdict"], roads["match"]["source"], roads["alternatives"][0]["source"]) == (
        "ambiguous", str(r1), str(r2))
    assert rows[0]["match"]["ratio"] == 1.0467 and rows[0]["match"]["value"] == 47100
    out_csv, out_xlsx = tmp_path / "t.csv", tmp_path / "t.xlsx"
    assert runner.invoke(app, args + ["-f", "csv", "-o", str(out_csv)]).exit_code == 0
    table = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    kindergartens = next(r for r in table if r["plan_task"] == "新建和改扩建公办幼儿园15所")
    assert (kindergartens["planned"], kindergartens["reported"], kindergartens["verdict"]) == ("15", "17", "met")
    assert kindergartens["result_evidence"] == "新建和改扩建公办幼儿园17所，新增公办学位6420个。"
    assert runner.invoke(app, args + ["-f", "xlsx", "-o", str(out_xlsx)]).exit_code == 0
    sheet = load_workbook(out_xlsx)["tracking"]
    assert [c.value for c in sheet[1]][:4] == ["plan_source", "plan_start", "plan_end", "plan_quantity"]
    assert sheet.max_row == 15


def test_unreadable_files_are_named_and_the_rest_goes_on(files, tmp_path) -> None:
    plan, r1, _ = files
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01binary")
    result = runner.invoke(app, ["track", str(plan), "--results", str(r1), str(tmp_path / "missing.txt"),
                                 str(binary)])
    assert result.exit_code == 1
    assert "missing.txt: no such file" in result.stderr and "scan.txt" in result.stderr
    assert "Traceback" not in result.output
    assert "1 plan file(s), 1 result file(s) read, 2 skipped" in result.stderr
    assert "城镇新增就业4.5万人" in result.stdout


def test_bad_options_are_clear_errors(files) -> None:
    plan, r1, _ = files
    assert "unknown format 'pdf'" in runner.invoke(app, ["track", str(plan), "-r", str(r1), "-f", "pdf"]).stderr
    result = runner.invoke(app, ["track", str(plan), "-r", str(r1), "-f", "xlsx"])
    assert result.exit_code == 2 and "xlsx output needs a file" in result.stderr
    result = runner.invoke(app, ["track", str(plan), "-r", str(r1), "--min-score", "3"])
    assert result.exit_code == 2 and "--min-score" in result.stderr


def test_results_take_every_file_up_to_the_next_option() -> None:
    assert expand_results(["p.txt", "--results", "a.txt", "b.txt", "-f", "csv", "q.txt"]) == [
        "p.txt", "--results", "a.txt", "--results", "b.txt", "-f", "csv", "q.txt"]
    assert expand_results(["-r", "a.txt", "--", "b.txt"]) == ["-r", "a.txt", "--", "b.txt"]


def test_gold_scores_on_the_seeds() -> None:
    result = runner.invoke(app, [
        "track", str(SEEDS / "003_2c6c425c22f525ff.txt"), "--results", str(SEEDS / "001_7ad24195d88254f4.txt"),
        str(SEEDS / "000_3b051199946a6245.txt"), "--model", "rules",
        "--gold", str(ROOT / "annotations" / "tracking" / "pairs_2023.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert (scores["links"]["gold"], scores["verdicts"]["gold_plans"], scores["verdicts"]["tracked"]) == (23, 66, 66)
    # the figures of the README, with room for rule changes elsewhere, but not for a broken matcher
    assert scores["links"]["precision"] >= 0.85 and scores["links"]["recall"] >= 0.75
    assert scores["verdicts"]["accuracy"] >= 0.85
