"""The shipped accurate pipeline (minsheng_nlp/models/accurate): loads by name and tags
sentences written for this test (not from the seeds), clean and with layout noise."""
from __future__ import annotations

import pytest

import minsheng_nlp
from minsheng_nlp.pipelines import shipped_models

pytestmark = pytest.mark.skipif("accurate" not in shipped_models(), reason="no accurate pipeline shipped")


@pytest.fixture(scope="module")
def accurate():
    return minsheng_nlp.load("accurate")


def _ents(nlp, text):
    doc = nlp(minsheng_nlp.make_doc(nlp, text, 2024))
    return [(e.text, e.label_) for e in doc.ents], doc


def test_it_is_the_transformer_pipeline(accurate):
    assert accurate.pipe_names == ["minsheng_transformer_ner", "minsheng_rules_linker", "minsheng_commitments"]
    assert accurate.get_pipe("minsheng_transformer_ner").model.config.num_hidden_layers == 6


def test_a_provincial_plan_sentence(accurate):
    ents, doc = _ents(accurate, "2024年，浙江省民政厅将新建城乡社区嵌入式服务设施200个，到2025年底前完成老旧小区改造1.5万户。")
    assert ents == [("2024年", "DEADLINE"), ("浙江省民政厅", "DEPARTMENT"), ("200", "QUANTITY"), ("个", "UNIT"),
                    ("2025年底前", "DEADLINE"), ("1.5万", "QUANTITY"), ("户", "UNIT")]
    assert [(c.to_dict()["value"], c.unit, c.to_dict()["deadline"]) for c in doc._.commitments] == [
        (200, "个", "2024-12-31"), (15000, "户", "2025-12-31")]


def test_layout_noise_inside_entities(accurate):
    ents, _ = _ents(accurate, "到2025\n\n年底前，市住建局完成老旧小区改造１２００户。")
    assert ents == [("2025\n\n年底前", "DEADLINE"), ("市住建局", "DEPARTMENT"), ("１２００", "QUANTITY"), ("户", "UNIT")]
