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


def _tags(text: str, **config) -> list[str]:
    nlp = blank()
    nlp.add_pipe("minsheng_char_features", config={"rule_tags": True, **config})
    return [t.tag_ for t in nlp(text)]


def test_rule_tags_are_the_rule_taggers_bio_tags():
    assert _tags("2025年前，市教育局新建幼儿园12所。") == (
        ["B-DEADLINE"] + ["I-DEADLINE"] * 5 + ["O"]
        + ["B-DEPARTMENT"] + ["I-DEPARTMENT"] * 3
        + ["O"] * 5 + ["B-QUANTITY", "I-QUANTITY", "B-UNIT", "O"])


def test_rule_tags_follow_the_view_across_a_hard_line_break():
    # the number is written across a hard wrap: the rule span covers the line break too
    assert _tags("改造燃气管网1.5\n万公里") == ["O"] * 6 + ["B-QUANTITY"] + ["I-QUANTITY"] * 4 + ["B-UNIT", "I-UNIT"]


def test_no_rule_tags_unless_asked():
    nlp = blank()
    nlp.add_pipe("minsheng_char_features")
    assert {t.tag_ for t in nlp("新建幼儿园12所")} == {""}


def test_rule_dropout_only_for_marked_training_docs():
    from spacy.training import Example

    nlp = blank()
    features = nlp.add_pipe("minsheng_char_features", config={"rule_tags": True, "rule_dropout": 0.99})
    text = "新建幼儿园12所，改造老旧小区300个，培训护工5000人次"
    # prediction never drops rule spans
    assert sum(t.tag_.startswith("B-") for t in nlp(text)) == 6
    # during training, update() marks the batch and the next call hides (almost) all spans
    eg = Example(nlp.make_doc(text), nlp.make_doc(text))
    features.update([eg])
    assert sum(t.tag_.startswith("B-") for t in features(eg.predicted)) < 6
    assert "minsheng.rule_dropout" not in eg.predicted.user_data  # used once, then gone


def test_rule_dropout_must_be_a_probability():
    import pytest

    nlp = blank()
    with pytest.raises(ValueError, match="rule_dropout"):
        nlp.add_pipe("minsheng_char_features", config={"rule_tags": True, "rule_dropout": 1.5})
