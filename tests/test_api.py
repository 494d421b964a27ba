"""The public API contract: load, make_doc, extract, doc attributes, save/load, errors."""
from __future__ import annotations

import pytest
import spacy

import minsheng_nlp
from minsheng_nlp import Commitment, ModelLoadError

TEXT = "2024年，省住建厅计划发展保障性租赁住房9800套，发放住房租赁补贴5万户。"


def test_load_rules() -> None:
    assert minsheng_nlp.load("rules").pipe_names == [
        "minsheng_rules_ner", "minsheng_rules_linker", "minsheng_commitments"]


def test_doc_text_and_labels(nlp) -> None:
    doc = nlp(TEXT)
    assert doc.text == TEXT
    assert len(doc) == len(TEXT)  # one token per character
    assert {e.label_ for e in doc.ents} == {"QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE"}
    assert all(isinstance(c, Commitment) for c in doc._.commitments)


def test_year_given_or_inferred(nlp) -> None:
    text = "计划改造农村危房3400户。"
    doc = nlp(minsheng_nlp.make_doc(nlp, text, 2026))
    assert doc._.commitments[0].year == 2026
    assert minsheng_nlp.extract("2025年，" + text)[0]["year"] == 2025
    assert minsheng_nlp.extract(text)[0]["year"] is None


def test_extract_dicts_are_json_ready() -> None:
    import json

    records = minsheng_nlp.extract(TEXT, year=2024)
    assert [r["value"] for r in records] == [9800, 50000]
    json.dumps(records, ensure_ascii=False)


def test_nlp_pipe_keeps_years(nlp) -> None:
    docs = [minsheng_nlp.make_doc(nlp, "计划改造农村危房3400户。", y) for y in (2023, 2024)]
    assert [d._.commitments[0].year for d in nlp.pipe(docs)] == [2023, 2024]


def test_save_and_spacy_load(tmp_path, nlp) -> None:
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert minsheng_nlp.extract(TEXT, model=loaded) == minsheng_nlp.extract(TEXT, model=nlp)
    assert minsheng_nlp.load(tmp_path / "pipe").pipe_names == nlp.pipe_names


def test_add_pipe_by_factory_name() -> None:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "minsheng.char_tokenizer.v1"}}})
    for name in ("minsheng_rules_ner", "minsheng_rules_linker", "minsheng_commitments"):
        nlp.add_pipe(name)
    assert [c.value for c in nlp(TEXT)._.commitments] == [9800, 50000]


@pytest.mark.parametrize(
    "text, expected",
    [("", []), ("   \n\t ", []), ("The budget grows by 5 percent.", []), ("😀\x00\x07控制字符", [])],
)
def test_odd_text_gives_no_commitments(text: str, expected: list) -> None:
    assert minsheng_nlp.extract(text) == expected


@pytest.mark.parametrize("bad", [None, b"\xe5\xb9\xb4", 42])
def test_non_text_is_a_type_error(bad) -> None:
    with pytest.raises(TypeError, match="text must be str"):
        minsheng_nlp.extract(bad)


def test_bad_year() -> None:
    with pytest.raises(TypeError, match="year must be int"):
        minsheng_nlp.extract(TEXT, year="2024")
    with pytest.raises(ValueError, match="between 1900 and 2100"):
        minsheng_nlp.extract(TEXT, year=24)


def test_unknown_model(tmp_path) -> None:
    with pytest.raises(ModelLoadError, match="unknown pipeline 'nope'"):
        minsheng_nlp.load("nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelLoadError, match="config.cfg is missing"):
        minsheng_nlp.load(tmp_path / "empty")


def test_saved_pipeline_with_missing_lexicon(tmp_path, nlp) -> None:
    nlp.to_disk(tmp_path / "pipe")
    (tmp_path / "pipe" / "minsheng_rules_ner" / "lexicons" / "units.txt").unlink()
    with pytest.raises(ModelLoadError, match="missing lexicon file"):
        minsheng_nlp.load(tmp_path / "pipe")
