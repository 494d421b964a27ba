"""The component's vectorized features equal the per-character reference functions."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng_nlp.features import (CharFeatures, char_features, rule_spans, rule_tags,
                                   set_char_features)
from minsheng_nlp.pipelines import blank
from minsheng_nlp.text.layout import clean_view

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
COMPONENT = CharFeatures(rule_tags=True)
NLP = blank()
TEXT_CHARS = st.sampled_from(list("省市县教育局委员会办公室厅新建幼儿园所个万亿千百一二两十0123456789年月日底，。；、（）|\n \u3000\t"
                                  "ABCxyz長沙市衛生健康委員會"))


def reference(text: str) -> list[tuple[str, str, str]]:
    """norm_/lemma_/tag_ of every token the plain way: char_features + rule_tags + set_char_features."""
    doc = NLP.make_doc(text)
    view = clean_view(text)
    norms, classes = char_features(text, COMPONENT.patterns, view)
    tags = rule_tags(len(text), rule_spans(view, COMPONENT.lexicons))
    set_char_features(doc, norms, classes, tags)
    return [(t.norm_, t.lemma_, t.tag_) for t in doc]


def vectorized(text: str) -> list[tuple[str, str, str]]:
    return [(t.norm_, t.lemma_, t.tag_) for t in COMPONENT(NLP.make_doc(text))]


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seeds(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert vectorized(text) == reference(text)


@given(st.text(TEXT_CHARS, max_size=120) | st.text(max_size=60))
@settings(max_examples=150, deadline=None)
def test_any_text(text: str) -> None:
    assert vectorized(text) == reference(text)
