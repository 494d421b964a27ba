"""``minsheng train`` end to end on a tiny corpus (a few records, a few steps) so that
training, saving, loading and evaluating a trained pipeline never rot."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import minsheng_nlp
from minsheng_nlp.cli.main import app
from tests.conftest import ROOT

runner = CliRunner()


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    lines = (ROOT / "annotations" / "synthetic_lists.jsonl").read_text(encoding="utf-8").splitlines()[:5]
    (folder / "tiny.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ids = [json.loads(line)["id"] for line in lines]
    (folder / "splits.json").write_text(json.dumps({"train": ids[:4], "dev": ids[4:], "test": []}),
                                        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def trained(tiny_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("model") / "pipe"
    result = runner.invoke(app, ["train", "--config", str(ROOT / "training" / "fast.cfg"),
                                 "--data", str(tiny_corpus), "--output", str(out),
                                 "--set", "training.max_steps=6", "--set", "training.eval_frequency=3",
                                 "--augment-copies", "0"])
    assert result.exit_code == 0, result.output
    return out


def test_trained_pipeline_loads_and_runs(trained) -> None:
    nlp = minsheng_nlp.load(trained)
    assert nlp.pipe_names == ["minsheng_char_features", "ner", "minsheng_relation_model",
                              "minsheng_commitments_model"]
    doc = nlp(minsheng_nlp.make_doc(nlp, "2024年，计划改造农村危房3400户。", 2024))
    assert doc.text == "2024年，计划改造农村危房3400户。"
    assert all(c.to_dict()["year"] in (2024, None) for c in doc._.commitments)


def test_saved_models_are_safe_formats(trained) -> None:
    names = [p.name for p in trained.rglob("*") if p.is_file()]
    assert "relation_model.json" in names and "commitment_model.json" in names
    assert not [n for n in names if n.endswith((".pkl", ".pickle", ".joblib"))]


def test_evaluate_a_trained_directory(trained, tiny_corpus) -> None:
    result = runner.invoke(app, ["evaluate", "--model", str(trained), "--data", str(tiny_corpus),
                                 "--split", "dev", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["records"] == 1


def test_train_reports_bad_input(tmp_path) -> None:
    result = runner.invoke(app, ["train", "--config", str(tmp_path / "none.cfg"), "--data", str(tmp_path),
                                 "--output", str(tmp_path / "out")])
    assert result.exit_code == 2 and "config file not found" in result.stderr
