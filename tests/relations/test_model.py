"""The trained relation model: candidates, JSON round trip, the spaCy component (issue 4)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from minsheng_nlp.pipelines import blank
from minsheng_nlp.relations.candidates import build_index, candidates
from minsheng_nlp.relations.component import RelationModelComponent
from minsheng_nlp.relations.model import FILE_NAME, RelationModel
from minsheng_nlp.relations.types import USER_DATA_KEY
from minsheng_nlp.text.docview import DocView
from minsheng_nlp.training.gold_docs import gold_doc, records_of_split
from minsheng_nlp.training.relations import gold_pairs, index_record, train_relations
from tests.conftest import ROOT

pytest.importorskip("sklearn")

ANNOTATIONS = ROOT / "annotations"
SPLITS = ANNOTATIONS / "splits.json"
TINY = {"C_grid": [0.1], "cv_folds": 3}


def small_records(n: int = 4):
    """The ``n`` shortest training records that have every relation type."""
    records = records_of_split(ANNOTATIONS, SPLITS, "train")
    full = [r for r in records if {x.type for x in r.relations} == {"HAS_UNIT", "HAS_DEPARTMENT", "HAS_DEADLINE"}]
    return sorted(full, key=lambda r: (len(r.text), str(r.id)))[:n]


@pytest.fixture(scope="module")
def records():
    return small_records()


@pytest.fixture(scope="module")
def model(records):
    return train_relations(records[:3], TINY)


def predictions(model: RelationModel, record) -> list[tuple]:
    return sorted(model.predict(DocView(gold_doc(blank(), record))))


def test_candidates_cover_the_gold_pairs(records) -> None:
    for record in records:
        index = index_record(record)
        found = {(c.q, c.t, c.label) for c in candidates(index)}
        assert gold_pairs(index, record) <= found


def test_test_split_is_refused() -> None:
    with pytest.raises(ValueError):
        records_of_split(ANNOTATIONS, SPLITS, "test")


def test_json_round_trip_predicts_identically(model, records, tmp_path: Path) -> None:
    path = model.to_disk(tmp_path / "relation_model.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "minsheng.relation_model.v1"
    assert set(data["models"]) == {"HAS_UNIT", "HAS_DEPARTMENT", "HAS_DEADLINE"}
    loaded = RelationModel.from_disk(path)
    for record in records:
        assert predictions(loaded, record) == predictions(model, record)
        index = build_index(DocView(gold_doc(blank(), record)))
        assert model.score(index) == loaded.score(index)  # probabilities, bit for bit


def test_single_target_types_link_at_most_once(model, records) -> None:
    rels = predictions(model, records[3])
    for rtype in ("HAS_UNIT", "HAS_DEADLINE"):
        heads = [(r[0], r[1]) for r in rels if r[4] == rtype]
        assert len(heads) == len(set(heads))


def _no_pickle(folder: Path) -> None:
    for file in folder.rglob("*"):
        if file.is_file():
            assert file.suffix not in (".pkl", ".pickle", ".joblib")
            head = file.read_bytes()[:2]
            assert not (head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05")), file


def test_component_to_disk_from_disk(model, records, tmp_path: Path) -> None:
    nlp = blank()
    component = nlp.add_pipe("minsheng_relation_model")
    assert isinstance(component, RelationModelComponent)
    component.model = model
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "minsheng_relation_model" / FILE_NAME).is_file()
    _no_pickle(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    again = loaded.get_pipe("minsheng_relation_model")
    for record in records:
        a = component(gold_doc(nlp, record)).user_data[USER_DATA_KEY]
        b = again(gold_doc(loaded, record)).user_data[USER_DATA_KEY]
        assert a == b


def test_component_config_loads_a_model_file(model, records, tmp_path: Path) -> None:
    path = model.to_disk(tmp_path / "m.json")
    nlp = blank()
    component = nlp.add_pipe("minsheng_relation_model", config={"model": str(path)})
    doc = component(gold_doc(nlp, records[3]))
    assert sorted(map(tuple, doc.user_data[USER_DATA_KEY])) == predictions(model, records[3])
    assert nlp.get_pipe("minsheng_relation_model").from_bytes(component.to_bytes()).model.to_dict() == model.to_dict()
    # a saved pipeline carries its own copy: it loads after the original file is gone
    nlp.to_disk(tmp_path / "pipe")
    path.unlink()
    again = spacy.load(tmp_path / "pipe").get_pipe("minsheng_relation_model")
    assert again.get_model().to_dict() == model.to_dict()


def test_component_without_model_falls_back_to_rules(records) -> None:
    from minsheng_nlp.rules.linker import RulesLinker

    nlp = blank()
    component = nlp.add_pipe("minsheng_relation_model")
    doc = gold_doc(nlp, records[0])
    with pytest.warns(UserWarning):
        component(doc)
    assert doc.user_data[USER_DATA_KEY] == [list(r) for r in RulesLinker().link(DocView(doc))]
