"""Layout-noise augmentation: exact examples and a property test (spans stay aligned)."""
from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minsheng_nlp.text.script import normalize_chars
from minsheng_nlp.training.augment import (AUGMENTERS, Edit, Sample, apply_edits, augment,
                                           augment_sample, fullwidth_digits, hard_line_breaks,
                                           inject_junk, layout_spaces, table_rows,
                                           traditional_chars)

# 在【2023年】，【省住建厅】新建【1300】【个】
BASE = Sample("在2023年，省住建厅新建1300个。",
              ((1, 6, "DEADLINE"), (7, 11, "DEPARTMENT"), (13, 17, "QUANTITY"), (17, 18, "UNIT")))


def texts(sample: Sample) -> list[tuple[str, str]]:
    return [(sample.text[s:e], label) for s, e, label in sample.spans]


def test_insertion_inside_a_span_joins_it_at_its_edges_stays_outside():
    out = apply_edits(BASE, [Edit(5, 5, "\n\n"), Edit(13, 13, " "), Edit(17, 17, " ")])
    assert out.text == "在2023\n\n年，省住建厅新建 1300 个。"
    assert texts(out) == [("2023\n\n年", "DEADLINE"), ("省住建厅", "DEPARTMENT"),
                          ("1300", "QUANTITY"), ("个", "UNIT")]
    assert BASE.text == "在2023年，省住建厅新建1300个。"  # the input is unchanged


def test_deleting_entity_characters_is_refused():
    with pytest.raises(ValueError):
        apply_edits(BASE, [Edit(8, 9, "")])


def test_hard_line_break_inside_number():
    sample = Sample("新增1.5万户", ((2, 6, "QUANTITY"), (6, 7, "UNIT")))
    out = hard_line_breaks(sample, random.Random(0), entity_rate=1.0, text_rate=0.0, breaks=("\n",))
    assert out.text.replace("\n", "") == sample.text
    q, u = texts(out)
    assert q[0].replace("\n", "") == "1.5万" and "\n" in q[0] and u == ("户", "UNIT")


def test_layout_spaces_around_and_inside_numbers():
    out = layout_spaces(BASE, random.Random(0), rate=1.0, spaces=(" ",))
    assert out.text == "在 2023 年，省住建厅新建 1300 个。"
    assert texts(out)[0] == ("2023 年", "DEADLINE")
    assert texts(out)[2:] == [("1300", "QUANTITY"), ("个", "UNIT")]


def test_fullwidth_digits():
    out = fullwidth_digits(Sample("增长1.5倍", ((2, 5, "QUANTITY"), (5, 6, "UNIT"))), random.Random(0), rate=1.0)
    assert out.text == "增长１．５倍" and texts(out) == [("１．５", "QUANTITY"), ("倍", "UNIT")]


def test_inject_junk_outside_entities():
    out = inject_junk(BASE, random.Random(0), junk=("半岛全站",))
    assert out.text.replace("半岛全站", "") == BASE.text and "半岛全站" in out.text
    assert texts(out) == texts(BASE)


def test_list_items_as_table_rows():
    text = "1.新建学校10所，由市教育局负责。\n2.改造道路5公里。"
    sample = Sample(text, ((6, 8, "QUANTITY"), (8, 9, "UNIT"), (11, 15, "DEPARTMENT"),
                           (25, 26, "QUANTITY"), (26, 28, "UNIT")))
    out = table_rows(sample, random.Random(0), rate=1.0)
    assert out.text == "| 1 | 新建学校10所 | 由市教育局负责 |\n| 2 | 改造道路5公里 |"
    assert texts(out) == texts(sample)


def test_traditional_characters_one_for_one():
    sample = Sample("项目资金1万元，新改建农村公路5公里", ((4, 6, "QUANTITY"), (6, 7, "UNIT"),
                                                  (15, 16, "QUANTITY"), (16, 18, "UNIT")))
    out = traditional_chars(sample, random.Random(0), rate=1.0)
    assert out.text == "項目資金1萬元，新改建農村公路5公里"  # phrase-aware: 公里 stays
    assert texts(out) == [("1萬", "QUANTITY"), ("元", "UNIT"), ("5", "QUANTITY"), ("公里", "UNIT")]
    assert normalize_chars(out.text) == normalize_chars(sample.text)  # the view restores it


def test_augment_is_deterministic_and_seeded():
    first = augment(BASE, 3, seed=7, key="r1")
    assert first == augment(BASE, 3, seed=7, key="r1")
    assert len(first) == 3 and all(isinstance(s, Sample) for s in first)
    assert first != augment(BASE, 3, seed=8, key="r1")


# --------------------------------------------------------------------------- property

_CJK = "省市住建厅局委办发展后里干面万亿千百个项套元年月新建改造学校道路公里和城乡设"
_PLAIN = _CJK + "0123456789.，。；：、（）%| \n"
_ENTITY_EDGE = _CJK + "0123456789%"
_LABELS = ("QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE")


@st.composite
def samples(draw) -> Sample:
    """Texts of plain runs and entities (entities never start or end on whitespace)."""
    pieces, spans, pos = [], [], 0
    for _ in range(draw(st.integers(0, 8))):
        plain = draw(st.text(alphabet=_PLAIN, max_size=12))
        if draw(st.booleans()):
            plain += draw(st.sampled_from(["\n1.", "\n（二）", "\n三、"]))
        pieces.append(plain)
        pos += len(plain)
        first = draw(st.sampled_from(_ENTITY_EDGE))
        middle = draw(st.text(alphabet=_PLAIN, max_size=6))
        last = draw(st.sampled_from(_ENTITY_EDGE))
        entity = first + (middle + last if draw(st.booleans()) else "")
        spans.append((pos, pos + len(entity), draw(st.sampled_from(_LABELS))))
        pieces.append(entity)
        pos += len(entity)
    pieces.append(draw(st.text(alphabet=_PLAIN, max_size=12)))
    return Sample("".join(pieces), tuple(spans))


def _content(text: str) -> str:
    return normalize_chars(re.sub(r"\s", "", text))


def _check_aligned(before: Sample, after: Sample) -> None:
    assert len(after.spans) == len(before.spans)
    last_end = 0
    for (s0, e0, label0), (s, e, label) in zip(before.spans, after.spans):
        assert label == label0
        assert last_end <= s < e <= len(after.text)
        assert not after.text[s].isspace() and not after.text[e - 1].isspace()
        # the same characters, up to inserted layout whitespace and 1:1 script changes
        assert _content(after.text[s:e]) == _content(before.text[s0:e0])
        last_end = e


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=samples(), seed=st.integers(0, 10_000))
def test_every_augmentation_keeps_spans_aligned(sample, seed):
    for _, fn in AUGMENTERS:
        _check_aligned(sample, fn(sample, random.Random(seed)))
    _check_aligned(sample, augment_sample(sample, random.Random(seed), p=0.9))
    (copy,) = augment(sample, 1, seed=seed, key="k")
    _check_aligned(sample, copy)
