"""Learned commitment decisions: JSON round trip and the ``minsheng_commitments_model`` factory."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from minsheng_nlp.commitments.assemble import CommitmentAssembler, rule_decision
from minsheng_nlp.commitments.model import FILE_NAME, CommitmentModel, clause_features
from minsheng_nlp.commitments.trained import TrainedCommitmentAssembler
from minsheng_nlp.extensions import COMMITMENTS_KEY
from minsheng_nlp.pipelines import blank
from minsheng_nlp.training.commitments import decision_contexts, train_commitment_models
from minsheng_nlp.training.gold_docs import gold_doc, records_of_split
from tests.conftest import ROOT

pytest.importorskip("sklearn")

ANNOTATIONS = ROOT / "annotations"
SPLITS = ANNOTATIONS / "splits.json"


def small_records(n: int = 4):
    """The ``n`` shortest training records with planned and achieved commitments."""
    records = records_of_split(ANNOTATIONS, SPLITS, "train")
    both = [r for r in records if {c.status for c in r.commitments} == {"planned", "achieved"}]
    return sorted(both, key=lambda r: (len(r.text), str(r.id)))[:n]


@pytest.fixture(scope="module")
def records():
    return small_records()


@pytest.fixture(scope="module")
def model(records):
    return train_commitment_models(records[:3], {"C_grid": [0.3], "cv_folds": 3})


def test_json_round_trip_decides_identically(model, records, tmp_path: Path) -> None:
    path = model.to_disk(tmp_path / "commitment_model.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "minsheng.commitment_model.v1"
    loaded = CommitmentModel.from_disk(path)
    for record in records:
        for ctx in decision_contexts(record):
            x = clause_features(ctx)
            assert loaded.decide(ctx) == model.decide(ctx)
            assert loaded.is_commitment.proba(x) == model.is_commitment.proba(x)
            assert loaded.status.proba(x) == model.status.proba(x)


def test_default_decision_hook_is_the_rules(records) -> None:
    assembler = CommitmentAssembler()
    for ctx in decision_contexts(records[0]):
        assert assembler.decide(ctx) == rule_decision(ctx)


def _commitments(nlp, component, record) -> list[dict]:
    return component(gold_doc(nlp, record, with_relations=True)).user_data[COMMITMENTS_KEY]


def test_factory_to_disk_from_disk(model, records, tmp_path: Path) -> None:
    nlp = blank()
    component = nlp.add_pipe("minsheng_commitments_model")
    assert isinstance(component, TrainedCommitmentAssembler)
    component.model = model
    nlp.to_disk(tmp_path / "pipe")
    saved = tmp_path / "pipe" / "minsheng_commitments_model"
    assert [p.name for p in saved.iterdir()] == [FILE_NAME]
    assert not list((tmp_path / "pipe").rglob("*.pkl"))
    loaded = spacy.load(tmp_path / "pipe")
    again = loaded.get_pipe("minsheng_commitments_model")
    for record in records:
        assert _commitments(nlp, component, record) == _commitments(loaded, again, record)


def test_model_path_in_config(model, records, tmp_path: Path) -> None:
    path = model.to_disk(tmp_path / "m.json")
    nlp = blank()
    component = nlp.add_pipe("minsheng_commitments_model", config={"model": str(path)})
    assert component.get_model().to_dict() == model.to_dict()
    # a saved pipeline carries its own copy: it loads after the original file is gone
    nlp.to_disk(tmp_path / "pipe")
    path.unlink()
    again = spacy.load(tmp_path / "pipe").get_pipe("minsheng_commitments_model")
    assert again.get_model().to_dict() == model.to_dict()


def test_missing_model_file_is_a_load_error(tmp_path: Path) -> None:
    from minsheng_nlp.errors import ModelLoadError

    nlp = blank()
    component = nlp.add_pipe("minsheng_commitments_model", config={"model": str(tmp_path / "none.json")})
    with pytest.raises(ModelLoadError):
        component.get_model()


def test_without_model_it_is_the_rule_assembler(records) -> None:
    nlp = blank()
    trained = nlp.add_pipe("minsheng_commitments_model")
    rules = CommitmentAssembler()
    with pytest.warns(UserWarning):
        for record in records:
            assert _commitments(nlp, trained, record) == _commitments(nlp, rules, record)
