"""The evaluator, on a fake pipeline that replays chosen predictions (no real model)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from typer.testing import CliRunner

import minsheng_nlp
from minsheng_nlp.commitments.record import Commitment, SpanRef
from minsheng_nlp.errors import ModelLoadError
from minsheng_nlp.evaluate import evaluate, format_report
from minsheng_nlp.extensions import set_commitments
from minsheng_nlp.io import AnnotatedRecord, read_annotations, validate_file
from minsheng_nlp.relations.types import set_relations

TEXT_A = "……2024年计划发展保障性租赁住房9800套……"
TEXT_B = "省民政厅筹集救助资金47.1亿元，新建助餐点1300个。"

RECORD_A = {
    "id": "a", "text": TEXT_A, "meta": {"year": 2024},
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
RECORD_B = {
    "id": "b", "text": TEXT_B, "meta": {"year": 2023},
    "entities": [{"id": 1, "label": "DEPARTMENT", "start_offset": 0, "end_offset": 4},
                 {"id": 2, "label": "QUANTITY", "start_offset": 10, "end_offset": 15},
                 {"id": 3, "label": "UNIT", "start_offset": 15, "end_offset": 16},
                 {"id": 4, "label": "QUANTITY", "start_offset": 22, "end_offset": 26},
                 {"id": 5, "label": "UNIT", "start_offset": 26, "end_offset": 27}],
    "relations": [{"id": 1, "from_id": 2, "to_id": 3, "type": "HAS_UNIT"},
                  {"id": 2, "from_id": 2, "to_id": 1, "type": "HAS_DEPARTMENT"},
                  {"id": 3, "from_id": 4, "to_id": 5, "type": "HAS_UNIT"},
                  {"id": 4, "from_id": 4, "to_id": 1, "type": "HAS_DEPARTMENT"}],
    "commitments": [
        {"quantity": 2, "value": 4710000000, "value_max": None, "unit": "元", "comparator": "=",
         "status": "achieved", "year": 2023, "deadline": None, "departments": [1],
         "task": "省民政厅筹集救助资金47.1亿元"},
        {"quantity": 4, "value": 1300, "value_max": None, "unit": "个", "comparator": "=",
         "status": "achieved", "year": 2023, "deadline": None, "departments": [1],
         "task": "新建助餐点1300个"}],
}


# --------------------------------------------------------------------------- the fake pipeline

@dataclass
class Prediction:
    """What the fake pipeline writes on the doc of one text."""

    entities: list[tuple[int, int, str]] = field(default_factory=list)
    relations: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)


class Oracle:
    """A test-only component: replays ``predictions[doc.text]`` and notes ``doc._.year``."""

    def __init__(self) -> None:
        self.predictions: dict[str, Prediction] = {}
        self.years: dict[str, int | None] = {}

    def __call__(self, doc: Doc) -> Doc:
        self.years[doc.text] = doc._.year
        pred = self.predictions.get(doc.text, Prediction())
        doc.ents = [doc.char_span(s, e, label=label) for s, e, label in pred.entities]
        set_relations(doc, pred.relations)
        set_commitments(doc, pred.commitments)
        return doc


@Language.factory("minsheng_test_oracle")
def make_oracle(nlp: Language, name: str) -> Oracle:
    return Oracle()


def oracle_pipeline(predictions: dict[str, Prediction]) -> tuple[Language, Oracle]:
    nlp = spacy.blank("zh")
    oracle = nlp.add_pipe("minsheng_test_oracle")
    oracle.predictions = predictions
    return nlp, oracle


def prediction_from_gold(record: AnnotatedRecord) -> Prediction:
    """The perfect prediction for ``record``."""
    ents = record.entity_map()

    def ref(eid: int) -> SpanRef:
        return SpanRef(ents[eid].start, ents[eid].end, record.span_text(ents[eid]))

    return Prediction(
        entities=[(e.start, e.end, e.label) for e in record.entities],
        relations=[(ents[r.from_id].start, ents[r.from_id].end, ents[r.to_id].start,
                    ents[r.to_id].end, r.type) for r in record.relations],
        commitments=[Commitment(
            quantity=ref(c.quantity), value=c.value, value_max=c.value_max, unit=c.unit,
            comparator=c.comparator, status=c.status, year=c.year, deadline=c.deadline,
            departments=[ref(d) for d in c.departments], task=c.task)
            for c in record.commitments])


@pytest.fixture
def gold(tmp_path: Path) -> list[AnnotatedRecord]:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (RECORD_A, RECORD_B)),
                    encoding="utf-8")
    assert validate_file(path) == []
    return read_annotations(path)


def perfect(gold: list[AnnotatedRecord]) -> dict[str, Prediction]:
    return {r.text: prediction_from_gold(r) for r in gold}


# --------------------------------------------------------------------------- evaluate()

def all_f1(result: dict[str, Any]) -> list[float]:
    return ([s["f1"] for s in result["entities"]["per_label"].values()]
            + [s["f1"] for s in result["relations"]["per_type"].values()]
            + [result[k]["micro"]["f1"] for k in ("entities", "relations")]
            + [result["commitments"]["f1"], result["full"]["f1"]]
            + [s["accuracy"] for s in result["fields"].values()])


def test_gold_replayed_scores_one_everywhere(gold: list[AnnotatedRecord]) -> None:
    nlp, oracle = oracle_pipeline(perfect(gold))
    result = evaluate(nlp, gold, batch_size=1)
    assert all_f1(result) == [1.0] * 18
    assert result["records"] == 2
    assert list(result["entities"]["per_label"]) == ["QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE"]
    assert list(result["relations"]["per_type"]) == ["HAS_UNIT", "HAS_DEPARTMENT", "HAS_DEADLINE"]
    assert result["entities"]["micro"] == {"p": 1.0, "r": 1.0, "f1": 1.0, "tp": 8, "fp": 0, "fn": 0}
    assert result["fields"]["value"] == {"accuracy": 1.0, "correct": 3, "n": 3}
    assert oracle.years == {TEXT_A: 2024, TEXT_B: 2023}
    json.dumps(result)  # JSON-serializable


def crafted(gold: list[AnnotatedRecord]) -> dict[str, Prediction]:
    """Gold, except: DEADLINE 2024年 missed (and its HAS_DEADLINE), 省民政厅 labelled UNIT,
    and the unit of 1300 given as 套 instead of 个."""
    preds = perfect(gold)
    a, b = preds[TEXT_A], preds[TEXT_B]
    a.entities = [e for e in a.entities if e[2] != "DEADLINE"]
    a.relations = [r for r in a.relations if r[4] != "HAS_DEADLINE"]
    b.entities = [(s, e, "UNIT" if label == "DEPARTMENT" else label) for s, e, label in b.entities]
    b.commitments[1] = replace(b.commitments[1], unit="套")
    return preds


def scores(p: float, r: float, f1: float, tp: int, fp: int, fn: int) -> dict[str, Any]:
    return {"p": p, "r": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def test_crafted_errors_give_hand_computed_scores(gold: list[AnnotatedRecord]) -> None:
    nlp, _ = oracle_pipeline(crafted(gold))
    result = evaluate(nlp, gold)
    ents = result["entities"]
    # QUANTITY 3/3; UNIT 3 right + 省民政厅 as UNIT; DEPARTMENT and DEADLINE missed
    assert ents["per_label"]["QUANTITY"] == scores(1.0, 1.0, 1.0, 3, 0, 0)
    assert ents["per_label"]["UNIT"] == pytest.approx(scores(3 / 4, 1.0, 6 / 7, 3, 1, 0))
    assert ents["per_label"]["DEPARTMENT"] == scores(0.0, 0.0, 0.0, 0, 0, 1)
    assert ents["per_label"]["DEADLINE"] == scores(0.0, 0.0, 0.0, 0, 0, 1)
    # micro: tp 6, fp 1, fn 2 → P 6/7, R 6/8, F1 = 2·(6/7)(3/4)/((6/7)+(3/4)) = 0.8
    assert ents["micro"] == pytest.approx(scores(6 / 7, 0.75, 0.8, 6, 1, 2))
    rels = result["relations"]
    assert rels["per_type"]["HAS_UNIT"]["f1"] == 1.0
    assert rels["per_type"]["HAS_DEPARTMENT"]["f1"] == 1.0  # the tail span still matches
    assert rels["per_type"]["HAS_DEADLINE"] == scores(0.0, 0.0, 0.0, 0, 0, 1)
    # micro: tp 5, fp 0, fn 1 → P 1, R 5/6, F1 10/11
    assert rels["micro"] == pytest.approx(scores(1.0, 5 / 6, 10 / 11, 5, 0, 1))
    assert result["commitments"] == scores(1.0, 1.0, 1.0, 3, 0, 0)
    assert result["fields"]["unit"] == pytest.approx({"accuracy": 2 / 3, "correct": 2, "n": 3})
    assert {f: s["accuracy"] for f, s in result["fields"].items() if f != "unit"} == {
        f: 1.0 for f in ("value", "comparator", "status", "year", "deadline", "departments")}
    # full: 2 of 3 matched commitments have every field right → tp 2, fp 1, fn 1
    assert result["full"] == pytest.approx(scores(2 / 3, 2 / 3, 2 / 3, 2, 1, 1))


def test_commitment_matching_and_fields(gold: list[AnnotatedRecord]) -> None:
    preds = perfect(gold)
    a, b = preds[TEXT_A], preds[TEXT_B]
    a.commitments[0] = replace(a.commitments[0], value=Decimal("9800.0"), value_max=Decimal(9900))
    b.commitments[0] = replace(b.commitments[0], departments=[], deadline=date(2023, 12, 31))
    b.commitments[1] = replace(b.commitments[1], quantity=SpanRef(23, 26, "300"))  # wrong span
    nlp, _ = oracle_pipeline(preds)
    result = evaluate(nlp, gold)
    assert result["commitments"] == pytest.approx(
        {"p": 2 / 3, "r": 2 / 3, "f1": 2 / 3, "tp": 2, "fp": 1, "fn": 1})
    fields = {f: (s["correct"], s["n"]) for f, s in result["fields"].items()}
    assert fields == {"value": (1, 2), "unit": (2, 2), "comparator": (2, 2), "status": (2, 2),
                      "year": (2, 2), "deadline": (1, 2), "departments": (1, 2)}
    # A: value_max wrong; B 47.1亿: departments and deadline wrong → no full match at all
    assert result["full"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "tp": 0, "fp": 3, "fn": 3}


def test_no_predictions_scores_zero_without_dividing_by_zero(gold: list[AnnotatedRecord]) -> None:
    nlp, _ = oracle_pipeline({})
    result = evaluate(nlp, gold)
    assert result["entities"]["micro"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 8}
    assert result["fields"]["value"] == {"accuracy": 0.0, "correct": 0, "n": 0}
    assert evaluate(nlp, [])["records"] == 0


def test_format_report_has_aligned_tables(gold: list[AnnotatedRecord]) -> None:
    nlp, _ = oracle_pipeline(crafted(gold))
    report = format_report(evaluate(nlp, gold))
    lines = report.splitlines()
    assert lines[0] == "Records: 2"
    assert "Entities    P      R      F1     TP  FP  FN".split() == lines[2].split()
    assert "UNIT 0.750 1.000 0.857 3 1 0".split() == next(
        line for line in lines if line.startswith("UNIT")).split()
    assert "micro 0.857 0.750 0.800 6 1 2".split() in [line.split() for line in lines]
    assert any(line.split()[:2] == ["unit", "0.667"] for line in lines)
    table = lines[2:lines.index("", 2)]
    assert len({len(line) for line in table}) == 1  # right-justified numbers line up


# --------------------------------------------------------------------------- the CLI

@pytest.fixture
def app() -> Any:
    if not (Path(minsheng_nlp.__file__).parent / "cli" / "extract.py").exists():
        pytest.skip("minsheng_nlp/cli/extract.py not written yet")
    from minsheng_nlp.cli.main import app
    return app


def write_gold(path: Path) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (RECORD_A, RECORD_B)),
                    encoding="utf-8")
    return path


def test_cli_evaluate_json(app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           gold: list[AnnotatedRecord]) -> None:
    loaded: list[str] = []

    def fake_load(name: str) -> Language:
        loaded.append(name)
        return oracle_pipeline(crafted(gold))[0]

    monkeypatch.setattr(minsheng_nlp, "load", fake_load, raising=False)
    result = CliRunner().invoke(app, ["evaluate", "--data", str(write_gold(tmp_path / "g.jsonl")),
                                      "--json"])
    assert result.exit_code == 0, result.output
    assert loaded == ["rules"]
    assert json.loads(result.stdout) == evaluate(oracle_pipeline(crafted(gold))[0], gold)


def test_cli_evaluate_report_from_folder(app: Any, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch,
                                         gold: list[AnnotatedRecord]) -> None:
    monkeypatch.setattr(minsheng_nlp, "load", lambda name: oracle_pipeline(perfect(gold))[0],
                        raising=False)
    (tmp_path / "data").mkdir()
    write_gold(tmp_path / "data" / "g.jsonl")
    result = CliRunner().invoke(app, ["evaluate", "--model", "x", "--data", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Records: 2\n")


def test_cli_evaluate_bad_data_exits_2(app: Any, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(minsheng_nlp, "load", lambda name: spacy.blank("zh"), raising=False)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "--data", str(bad)])
    assert result.exit_code == 2
    assert result.stderr == f'error: {bad}:1: missing "text"\n'
    assert "Traceback" not in result.output
    missing = CliRunner().invoke(app, ["evaluate", "--data", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2
    assert missing.stderr == f"error: {tmp_path / 'nope.jsonl'}: file not found\n"


def test_cli_evaluate_unknown_model_exits_2(app: Any, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_load(name: str) -> Language:
        raise ModelLoadError(f"unknown pipeline {name!r}\n(try 'rules')")

    monkeypatch.setattr(minsheng_nlp, "load", fake_load, raising=False)
    result = CliRunner().invoke(app, ["evaluate", "--model", "nope", "--data",
                                      str(write_gold(tmp_path / "g.jsonl"))])
    assert result.exit_code == 2
    assert result.stderr == "error: unknown pipeline 'nope' (try 'rules')\n"
