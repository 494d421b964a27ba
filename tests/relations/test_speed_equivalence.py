"""The fast relation features and margins equal their plain definitions, bit for bit.

``pair_features`` (a per-document :class:`PairCoder`) must give the dict of
``reference_pair_features`` (the family functions) — names, values and order, since a
model's margin sums in that order — and ``margin_function`` the shipped model's
``margin`` of it, on real seed paragraphs and on synthetic tables (gold entities).
"""
from __future__ import annotations

import numpy as np
import pytest

from minsheng_nlp.relations.candidates import candidates
from minsheng_nlp.relations.features import (
    char_counts, margin_function, pair_features, reference_pair_features,
)
from minsheng_nlp.relations.model import RelationModel
from minsheng_nlp.training.gold_docs import records_of_split
from minsheng_nlp.training.relations import index_record
from tests.conftest import ROOT

ANNOTATIONS = ROOT / "annotations"
SHIPPED = ROOT / "minsheng_nlp" / "models" / "fast" / "minsheng_relation_model"


def _records():
    """Two seed paragraphs (a press conference, the 民生实事 list) and two tables."""
    records = records_of_split(ANNOTATIONS, ANNOTATIONS / "splits.json", "train")
    by_prefix = {prefix: sorted((r for r in records if str(r.id).startswith(prefix)),
                                key=lambda r: (len(r.text), str(r.id)))
                 for prefix in ("seed-001", "seed-003")}
    tables = sorted((r for r in records if sum(line.count("|") >= 2 for line in r.text.split("\n")) >= 3),
                    key=lambda r: (len(r.text), str(r.id)))
    return [by_prefix["seed-001"][-1], by_prefix["seed-003"][-1]] + tables[:2]


@pytest.fixture(scope="module")
def model() -> RelationModel:
    return RelationModel.from_disk(SHIPPED)


@pytest.mark.parametrize("record", _records(), ids=lambda r: str(r.id))
def test_fast_features_and_margins_equal_the_reference(record, model: RelationModel) -> None:
    fast, plain = index_record(record), index_record(record)  # separate caches
    margins = {t: margin_function(pair_features, fast, m) for t, m in model.models.items()}
    pairs = list(candidates(fast, model.windows))
    assert pairs
    for cand in pairs:
        expected = reference_pair_features(plain, cand)
        got = pair_features(fast, cand)
        assert list(got.items()) == list(expected.items()), cand
        assert margins[cand.label](cand) == model.models[cand.label].margin(expected), cand


def test_the_tables_are_exercised() -> None:
    index = index_record(_records()[-1])
    assert any("q_table" in pair_features(index, c) for c in candidates(index))


def test_other_featurizers_are_scored_through_their_dicts(model: RelationModel) -> None:
    index = index_record(_records()[1])
    m = model.models["HAS_DEPARTMENT"]
    score = margin_function(reference_pair_features, index, m)
    for cand in candidates(index, types=("HAS_DEPARTMENT",)):
        assert score(cand) == m.margin(reference_pair_features(index, cand))


def test_char_counts_are_prefix_counts() -> None:
    text = "一，二。\n三|四;五！六？x\U0001F600,"
    for chars in ("。！？!?", "，,。；;", "\n", "|"):
        expected = np.cumsum([0] + [ch in chars for ch in text])
        assert char_counts(text, chars).tolist() == expected.tolist()
