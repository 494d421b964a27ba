"""``minsheng evaluate`` end to end on a gold file of the corpus."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from minsheng_nlp.cli.main import app
from tests.conftest import ROOT

runner = CliRunner()
GOLD = str(ROOT / "annotations" / "seed_003.jsonl")


def test_json_report_has_every_block() -> None:
    result = runner.invoke(app, ["evaluate", "--model", "rules", "--data", GOLD, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["entities"]["per_label"]) == {"QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE"}
    assert set(report["fields"]) == {"value", "unit", "comparator", "status", "year", "deadline", "departments"}
    for block in (report["entities"]["micro"], report["relations"]["micro"], report["commitments"], report["full"]):
        assert 0.0 <= block["f1"] <= 1.0
    # the 2023 commitment list is the rules' home ground: every listed target is found
    assert report["commitments"]["fn"] == 0
    assert report["fields"]["value"]["accuracy"] == 1.0


def test_text_report_and_errors(tmp_path) -> None:
    result = runner.invoke(app, ["evaluate", "--data", GOLD])
    assert result.exit_code == 0 and "micro" in result.stdout
    result = runner.invoke(app, ["evaluate", "--model", "nope", "--data", GOLD])
    assert result.exit_code == 2 and "unknown pipeline" in result.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "entities": [}\n', encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--data", str(bad)])
    assert result.exit_code == 2 and "bad.jsonl:1" in result.stderr


def test_split_selection(tmp_path) -> None:
    folder = ROOT / "annotations"
    result = runner.invoke(app, ["evaluate", "--data", str(folder), "--split", "dev", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["records"] == 10
    result = runner.invoke(app, ["evaluate", "--data", str(folder), "--split", "nope"])
    assert result.exit_code == 2 and "no split 'nope'" in result.stderr
