"""minsheng_ner: spaCy's NER predicting long documents in bounded windows."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.pipeline import EntityRecognizer

import minsheng_nlp
from minsheng_nlp.windowed_ner import (WindowedEntityRecognizer, batches_by_chars, window_bounds,
                                       window_docs)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
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


def test_window_docs_carry_the_features_of_their_slice() -> None:
    nlp = minsheng_nlp.load("fast")
    doc = nlp.get_pipe("minsheng_char_features")(nlp.make_doc("２０２５年，新建幼儿园12所。\n改造旱厕3400个。"))
    bounds = window_bounds([t.norm_ for t in doc], 12)
    pieces = window_docs(doc, bounds)
    assert "".join(p.text for p in pieces) == doc.text
    for (start, _), piece in zip(bounds, pieces):
        for i, token in enumerate(piece):
            source = doc[start + i]
            assert (token.norm_, token.lemma_, token.tag_) == (source.norm_, source.lemma_, source.tag_)


def test_the_shipped_fast_tier_uses_the_windowed_ner() -> None:
    ner = minsheng_nlp.load("fast").get_pipe("ner")
    assert isinstance(ner, WindowedEntityRecognizer)
    assert (ner.window, ner.batch_chars) == (2000, 20000)


def test_windowed_prediction_equals_whole_document_prediction_on_a_seed() -> None:
    """Cuts fall after paragraph breaks, so a whole report tags exactly as in one piece."""
    nlp = minsheng_nlp.load("fast")
    text = (SEEDS / "003_2c6c425c22f525ff.txt").read_text(encoding="utf-8")
    doc = nlp.get_pipe("minsheng_char_features")(nlp.make_doc(text))
    ner = nlp.get_pipe("ner")
    assert len(window_bounds([t.norm_ for t in doc], ner.window)) > 1  # the seed is cut
    whole = doc.copy()
    EntityRecognizer.set_annotations(ner, [whole], ner.predict([whole]))
    windowed = ner(doc)
    assert [(e.start, e.end, e.label_) for e in windowed.ents] == [(e.start, e.end, e.label_) for e in whole.ents]
    assert len(windowed.ents) > 100


def test_a_long_document_is_predicted_within_the_batch_limit(monkeypatch) -> None:
    nlp = minsheng_nlp.load("fast")
    ner = nlp.get_pipe("ner")
    sizes: list[int] = []
    predict = ner.predict

    def recording(docs):
        sizes.append(sum(len(d) for d in docs))
        return predict(docs)

    monkeypatch.setattr(ner, "predict", recording)
    doc = nlp("全年新建幼儿园12所，新增学位3000个。\n" * 2000)  # 42,000 characters
    assert sizes and max(sizes) <= ner.batch_chars and sum(sizes) == len(doc)
    assert sum(1 for e in doc.ents if e.label_ == "QUANTITY") == 4000


def test_invalid_settings_are_refused() -> None:
    nlp = minsheng_nlp.load("fast")
    with pytest.raises(ValueError, match="window"):
        WindowedEntityRecognizer(nlp.vocab, nlp.get_pipe("ner").model, window=5000, batch_chars=1000)
