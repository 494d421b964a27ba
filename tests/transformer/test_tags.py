"""BIO tags over characters."""
from __future__ import annotations

from minsheng_nlp.transformer.tags import labels_of, spans_to_tags, tag_names, tags_to_spans

TAGS = tag_names(["QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE"])
TEXT = "省住建厅计划发展保障性租赁住房9800套"


def test_tag_names_and_back():
    assert TAGS[:3] == ["O", "B-QUANTITY", "I-QUANTITY"] and len(TAGS) == 9
    assert labels_of(TAGS) == ["QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE"]


def test_gold_spans_round_trip_through_tags():
    spans = [(0, 4, "DEPARTMENT"), (15, 19, "QUANTITY"), (19, 20, "UNIT")]
    ids = spans_to_tags(len(TEXT), spans, TAGS)
    assert [TAGS[i] for i in ids[:5]] == ["B-DEPARTMENT", "I-DEPARTMENT", "I-DEPARTMENT", "I-DEPARTMENT", "O"]
    assert [TAGS[i] for i in ids[15:]] == ["B-QUANTITY", "I-QUANTITY", "I-QUANTITY", "I-QUANTITY", "B-UNIT"]
    assert tags_to_spans(ids, TAGS, TEXT) == spans


def test_decoding_is_lenient_with_inside_tags_that_open_a_span():
    tags = ["O", "I-UNIT", "I-UNIT", "B-QUANTITY", "I-UNIT", "O"]
    ids = [TAGS.index(t) for t in tags]
    assert tags_to_spans(ids, TAGS) == [(1, 3, "UNIT"), (3, 4, "QUANTITY"), (4, 5, "UNIT")]


def test_whitespace_at_the_edges_of_a_predicted_span_is_left_out():
    text = "到 2025年\n底前 完成"
    tags = ["O", "B-DEADLINE"] + ["I-DEADLINE"] * 9 + ["O", "O"]
    ids = [TAGS.index(t) for t in tags]
    assert tags_to_spans(ids, TAGS, text) == [(2, 10, "DEADLINE")]  # "2025年\n底前": the inner break stays
    only_space = [TAGS.index("O"), TAGS.index("B-UNIT"), TAGS.index("O")]
    assert tags_to_spans(only_space, TAGS, "套 个") == []
