"""minsheng_tagger_ner: entity recognition as per-character BIO tagging."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.training import Example

import minsheng_nlp
from minsheng_nlp.pipelines import blank
from minsheng_nlp.tagger_ner import TaggerEntityRecognizer, bio_from_biluo, decode_bio

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
TAGS = ("O", "B-QUANTITY", "I-QUANTITY", "B-UNIT", "I-UNIT")


def ids(*tags: str) -> np.ndarray:
    return np.array([TAGS.index(t) for t in tags])


@pytest.mark.parametrize("biluo, bio", [
    ("O", "O"), ("B-UNIT", "B-UNIT"), ("I-UNIT", "I-UNIT"), ("L-UNIT", "I-UNIT"),
    ("U-QUANTITY", "B-QUANTITY"), ("-", None), (None, None), ("", None),
])
def test_biluo_gold_becomes_bio(biluo, bio) -> None:
    assert bio_from_biluo(biluo) == bio


def test_decoding_spans() -> None:
    # 新建12所 → QUANTITY "12", UNIT "所"
    assert decode_bio(ids("O", "O", "B-QUANTITY", "I-QUANTITY", "B-UNIT"), TAGS) == [
        (2, 4, "QUANTITY"), (4, 5, "UNIT")]
    # two adjacent entities of one label stay two
    assert decode_bio(ids("B-QUANTITY", "B-QUANTITY", "I-QUANTITY"), TAGS) == [(0, 1, "QUANTITY"), (1, 3, "QUANTITY")]


def test_decoding_is_lenient_about_a_missing_begin() -> None:
    assert decode_bio(ids("O", "I-UNIT", "I-UNIT", "O"), TAGS) == [(1, 3, "UNIT")]
    # an I- of another label starts a new span
    assert decode_bio(ids("B-QUANTITY", "I-UNIT"), TAGS) == [(0, 1, "QUANTITY"), (1, 2, "UNIT")]
    assert decode_bio(ids("O", "O"), TAGS) == [] and decode_bio(np.zeros(0, dtype=int), TAGS) == []


def _blank_tagger() -> tuple[spacy.language.Language, TaggerEntityRecognizer]:
    nlp = blank()
    return nlp, nlp.add_pipe("minsheng_tagger_ner", name="ner")


def test_labels_are_entity_labels_and_tags_follow_them() -> None:
    _, ner = _blank_tagger()
    assert ner.add_label("QUANTITY") == 1 and ner.add_label("UNIT") == 1 and ner.add_label("UNIT") == 0
    assert ner.labels == ("QUANTITY", "UNIT")
    assert ner.tags == TAGS
    for bad in ("", "O", "B-UNIT", None):
        with pytest.raises(ValueError, match="entity label"):
            ner.add_label(bad)


def test_a_few_updates_learn_a_sentence_and_round_trip(tmp_path) -> None:
    nlp, ner = _blank_tagger()
    text = "新建幼儿园12所，改造旱厕3400个。"
    doc = nlp.make_doc(text)
    gold = {"entities": [(5, 7, "QUANTITY"), (7, 8, "UNIT"), (13, 17, "QUANTITY"), (17, 18, "UNIT")]}
    examples = [Example.from_dict(doc, gold)]
    optimizer = nlp.initialize(lambda: examples)
    assert ner.labels == ("QUANTITY", "UNIT")
    for _ in range(40):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    predicted = nlp(text)
    assert [(e.start_char, e.end_char, e.label_) for e in predicted.ents] == gold["entities"]
    nlp.to_disk(tmp_path / "p")
    again = spacy.load(tmp_path / "p")
    assert [(e.start, e.end, e.label_) for e in again(text).ents] == [(e.start, e.end, e.label_) for e in predicted.ents]
    assert nlp.evaluate(examples)["ents_f"] == 1.0  # the ner scorer


def test_initialize_without_entities_is_refused() -> None:
    nlp, _ = _blank_tagger()
    examples = [Example.from_dict(nlp.make_doc("没有实体"), {"entities": []})]
    with pytest.raises(ValueError, match="no entity labels"):
        nlp.initialize(lambda: examples)


def test_windowed_prediction_equals_whole_document_prediction_on_a_seed() -> None:
    nlp = minsheng_nlp.load("fast")
    ner = nlp.get_pipe("ner")
    if not isinstance(ner, TaggerEntityRecognizer):
        pytest.skip("the shipped fast tier does not use the tagger NER")
    text = (SEEDS / "003_2c6c425c22f525ff.txt").read_text(encoding="utf-8")
    doc = nlp.get_pipe("minsheng_char_features")(nlp.make_doc(text))
    [whole] = ner.model.predict([doc])
    [windowed] = ner.predict([doc])
    assert len(windowed) == len(doc) and np.array_equal(windowed, ner.model.ops.to_numpy(whole).argmax(axis=1))


def test_products_run_on_numpy_blas_with_the_same_tags_as_blis() -> None:
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_info

    from minsheng_nlp.pipelines import MODELS_DIR

    path = MODELS_DIR / "fast"
    nlp = spacy.load(path)
    blis = spacy.load(path, config={"components": {"ner": {"use_blis": True}}})
    ner, ner_blis = nlp.get_pipe("ner"), blis.get_pipe("ner")
    if not isinstance(ner, TaggerEntityRecognizer):
        pytest.skip("the shipped fast tier does not use the tagger NER")
    assert all(type(node.ops) is NumpyOps and not node.ops.use_blis for node in ner.model.walk())
    assert ner_blis.model.ops.use_blis
    text = (SEEDS / "001_7ad24195d88254f4.txt").read_text(encoding="utf-8")[:6000]
    features = nlp.get_pipe("minsheng_char_features")
    docs = [features(nlp.make_doc(text)), features(blis.make_doc(text))]
    assert np.array_equal(ner.predict(docs[:1])[0], ner_blis.predict(docs[1:])[0])
    before = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    ner.predict(docs[:1])  # one BLAS thread while predicting, the process setting restored after
    assert [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"] == before
