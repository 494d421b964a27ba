"""BIO tags over characters."""
from __future__ import annotations

import numpy as np

from minsheng_nlp.transformer.tags import (allowed_transitions, best_path, labels_of, spans_to_tags,
                                         tag_names, tags_to_spans)

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


def test_inside_tags_follow_only_their_own_begin_or_inside():
    allowed = allowed_transitions(TAGS)
    i_dept, b_dept, i_unit = TAGS.index("I-DEPARTMENT"), TAGS.index("B-DEPARTMENT"), TAGS.index("I-UNIT")
    assert allowed[b_dept, i_dept] and allowed[i_dept, i_dept]
    assert not allowed[0, i_dept] and not allowed[i_unit, i_dept]
    assert allowed[i_unit, b_dept] and allowed[i_dept, 0]


def _scores(rows):
    """Log-probabilities from per-character {tag: probability} (the rest share what is left)."""
    out = np.full((len(rows), len(TAGS)), 1e-6)
    for i, row in enumerate(rows):
        for tag, p in row.items():
            out[i, TAGS.index(tag)] = p
    return np.log(out / out.sum(axis=1, keepdims=True))


def test_best_path_repairs_a_department_that_argmax_cuts_in_pieces():
    # 吉林市政协: the character-wise argmax says O B I O I (two fragments, one opened by I-)
    scores = _scores([{"B-DEPARTMENT": 0.45, "O": 0.55}, {"B-DEPARTMENT": 0.5, "I-DEPARTMENT": 0.45},
                      {"I-DEPARTMENT": 0.9}, {"O": 0.5, "I-DEPARTMENT": 0.45}, {"I-DEPARTMENT": 0.9}])
    assert tags_to_spans(scores.argmax(axis=1), TAGS) == [(1, 3, "DEPARTMENT"), (4, 5, "DEPARTMENT")]
    assert [TAGS[t] for t in best_path(scores, TAGS)] == ["O", "B-DEPARTMENT", "I-DEPARTMENT", "I-DEPARTMENT",
                                                         "I-DEPARTMENT"]
    assert tags_to_spans(best_path(scores, TAGS), TAGS) == [(1, 5, "DEPARTMENT")]
    assert best_path(np.zeros((0, len(TAGS))), TAGS).tolist() == []
    # a sequence may not open with I-
    assert TAGS[best_path(_scores([{"I-UNIT": 0.6, "B-UNIT": 0.4}]), TAGS)[0]] == "B-UNIT"
