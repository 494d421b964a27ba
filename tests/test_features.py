"""The character-feature component: view-normalized NORM and class-flag LEMMA per token."""
from __future__ import annotations

import spacy

from minsheng_nlp.pipelines import blank


def _features(text: str, **config):
    nlp = blank()
    nlp.add_pipe("minsheng_char_features", config=config)
    return [(t.text, t.norm_, t.lemma_) for t in nlp(text)]


def test_norm_is_the_view_character():
    feats = _features("發展１.5\n万套。\n\n二、")
    norms = [n for _, n, _ in feats]
    assert norms == ["发", "展", "1", ".", "5", " ", "万", "套", "。", "\n", " ", "二", "、"]


def test_classes():
    classes = dict((t, c) for t, _, c in _features("新建1300个，民政厅，两千瓦，2023年", lexicon_features=False))
    assert classes["1"] == "DIGIT" and classes["个"] == "UNIT" and classes["，"] == "PUNCT"
    assert classes["厅"] == "DEPT" and classes["两"] == "CNUM" and classes["千"] == "MAG+UNIT"
    assert classes["年"] == "UNIT+DATE" and classes["新"] == "OTHER"


def test_lexicon_flags():
    feats = _features("吉林省民政厅")
    assert [c for _, _, c in feats] == ["PLACE", "PLACE", "OTHER", "DCORE", "DCORE", "DEPT"]


def test_save_and_load(tmp_path):
    nlp = blank()
    nlp.add_pipe("minsheng_char_features")
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert [t.lemma_ for t in loaded("3个")] == ["DIGIT", "UNIT"]
