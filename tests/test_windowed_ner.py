"""minsheng_ner: spaCy's NER predicting long documents in bounded windows."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.pipeline import EntityRecognizer

import spacy
from spacy.language import Language
from spacy.training import Example

import minsheng_nlp
from minsheng_nlp.pipelines import blank
from minsheng_nlp.windowed_ner import (WindowedEntityRecognizer, batches_by_chars, doc_bounds, window_bounds,
                                       iter_window_docs)

NORM_CHARS = st.sampled_from(list("人所个万元年。；，\n 12"))


@given(st.lists(NORM_CHARS, max_size=300), st.integers(2, 60))
@settings(max_examples=200, deadline=None)
def test_windows_tile_the_document_and_respect_the_limit(norms, window) -> None:
    bounds = window_bounds(norms, window)
    assert [s for s, _ in bounds] == [0, *(e for _, e in bounds)][:len(bounds)]  # contiguous
    assert (bounds[-1][1] if bounds else 0) == len(norms)
    assert all(0 < e - s <= window for s, e in bounds)


def test_a_window_ends_after_a_paragraph_break_before_a_sentence_end() -> None:
    norms = list("市教育局新建幼儿园12所。\n改造旱厕3400个；新增学位")
    [first, *_] = window_bounds(norms, 22)
    assert norms[first[1] - 1] == "\n"  # after the break, although 。 is also in range
    [first, *_] = window_bounds(list("新建幼儿园12所。改造旱厕3400个；新增学位5000个"), 22)
    assert first == (0, 19)  # after the last sentence end (；) in the window


def test_a_window_smaller_than_two_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        window_bounds(list("abc"), 1)


def test_batches_keep_order_and_size() -> None:
    nlp = minsheng_nlp.load("rules")
    docs = [nlp.make_doc("一" * n) for n in (5, 5, 12, 3, 3, 3)]
    groups = list(batches_by_chars(docs, 10))
    assert [[len(d) for d in g] for g in groups] == [[5, 5], [12], [3, 3, 3]]


@pytest.fixture(scope="module")
def trained() -> Language:
    """A char-features + ``minsheng_ner`` pipeline trained for 80 steps on two sentences
    (small windows, so a short text is cut many times)."""
    nlp = blank()
    nlp.add_pipe("minsheng_char_features")
    nlp.add_pipe("minsheng_ner", name="ner", config={"window": 40, "batch_chars": 100})
    examples = [Example(nlp.get_pipe("minsheng_char_features")(nlp.make_doc(text)), nlp.make_doc(text))
                for text, _ in TRAIN]
    for eg, (_, ents) in zip(examples, TRAIN):
        eg.reference.ents = [eg.reference.char_span(s, e, label=label) for s, e, label in ents]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(80):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    return nlp


TRAIN = [
    ("2025年，市教育局新建幼儿园12所。", [(0, 5, "DEADLINE"), (6, 10, "DEPARTMENT"), (15, 17, "QUANTITY"), (17, 18, "UNIT")]),
    ("改造农村学校旱厕3400个，新增学位5000个。", [(8, 12, "QUANTITY"), (12, 13, "UNIT"), (18, 22, "QUANTITY"), (22, 23, "UNIT")]),
]
LONG = "\n".join(["2025年，市教育局新建幼儿园12所，改造农村学校旱厕3400个。", "县卫健局完成筛查6000人；",
                  "新增学位5000个，新建公园8个。"] * 20)


def test_window_docs_carry_the_features_of_their_slice(trained) -> None:
    doc = trained.get_pipe("minsheng_char_features")(trained.make_doc("２０２５年，新建幼儿园12所。\n改造旱厕3400个。"))
    bounds = doc_bounds(doc, 12)
    pieces = list(iter_window_docs(doc, bounds))
    assert "".join(p.text for p in pieces) == doc.text
    for (start, _), piece in zip(bounds, pieces):
        for i, token in enumerate(piece):
            source = doc[start + i]
            assert (token.norm_, token.lemma_, token.tag_) == (source.norm_, source.lemma_, source.tag_)


def test_doc_bounds_equal_the_bounds_of_the_token_norms(trained) -> None:
    doc = trained.get_pipe("minsheng_char_features")(trained.make_doc(LONG[:300] + "\n\n。"))
    for window in (2, 7, 40, 1000):
        assert doc_bounds(doc, window) == window_bounds([t.norm_ for t in doc], window)


def test_windowed_prediction_equals_whole_document_prediction(trained) -> None:
    """Cuts fall after paragraph breaks, so a long text tags exactly as in one piece."""
    ner = trained.get_pipe("ner")
    doc = trained.get_pipe("minsheng_char_features")(trained.make_doc(LONG))
    assert len(doc_bounds(doc, ner.window)) > 20  # cut many times
    whole = doc.copy()
    EntityRecognizer.set_annotations(ner, [whole], EntityRecognizer.predict(ner, [whole]))
    windowed = ner(doc)
    assert [(e.start, e.end, e.label_) for e in windowed.ents] == [(e.start, e.end, e.label_) for e in whole.ents]
    assert sum(1 for e in windowed.ents if e.label_ == "QUANTITY") >= 60


def test_a_long_document_is_predicted_within_the_batch_limit(trained, monkeypatch) -> None:
    ner = trained.get_pipe("ner")
    sizes: list[int] = []
    predict = ner.predict

    def recording(docs):
        sizes.append(sum(len(d) for d in docs))
        return predict(docs)

    monkeypatch.setattr(ner, "predict", recording)
    doc = trained(LONG)
    assert len(sizes) > 5 and max(sizes) <= ner.batch_chars and sum(sizes) == len(doc)


def test_the_pipeline_round_trips_with_its_settings(trained, tmp_path) -> None:
    trained.to_disk(tmp_path / "p")
    again = spacy.load(tmp_path / "p")
    ner = again.get_pipe("ner")
    assert isinstance(ner, WindowedEntityRecognizer) and (ner.window, ner.batch_chars) == (40, 100)
    assert [(e.start, e.end, e.label_) for e in again(LONG).ents] == [(e.start, e.end, e.label_) for e in trained(LONG).ents]


def test_invalid_settings_are_refused(trained) -> None:
    with pytest.raises(ValueError, match="window"):
        WindowedEntityRecognizer(trained.vocab, trained.get_pipe("ner").model, window=5000, batch_chars=1000)
