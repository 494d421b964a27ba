"""Annotation records → gold Docs and DocBins; split selection (test never in train)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.tokens import DocBin

from minsheng_nlp.io.annotations import AnnotatedRecord, Entity
from minsheng_nlp.pipelines import blank
from minsheng_nlp.training.augment import Sample
from minsheng_nlp.training.corpus import (assign_split, chunk_sample, load_split, read_splits,
                                          record_sample, records_to_docs, write_docbin)

ROOT = Path(__file__).resolve().parents[2]
ANNOTATIONS = ROOT / "annotations"
TEXT = "在2023\n\n年，省住建厅计划发展保障性租赁住房9800套。"


def _record(rid: str, text: str = TEXT, entities: list[Entity] | None = None) -> AnnotatedRecord:
    if entities is None:
        entities = [Entity(1, "DEADLINE", 1, 8), Entity(2, "DEPARTMENT", 9, 13),
                    Entity(3, "QUANTITY", 24, 28), Entity(4, "UNIT", 28, 29)]
    return AnnotatedRecord(id=rid, text=text, entities=entities)


def test_record_to_doc_keeps_every_entity_exactly():
    doc = records_to_docs(blank().vocab, [_record("r1")])[0]
    assert doc.text == TEXT and len(doc) == len(TEXT)
    assert [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents] == [
        (1, 8, "DEADLINE", "2023\n\n年"), (9, 13, "DEPARTMENT", "省住建厅"),
        (24, 28, "QUANTITY", "9800"), (28, 29, "UNIT", "套")]
    # tokens outside entities are gold "O", not missing
    assert doc[0].ent_iob_ == "O" and doc[-1].ent_iob_ == "O"


def test_overlapping_entities_are_rejected():
    bad = _record("bad", entities=[Entity(1, "QUANTITY", 24, 28), Entity(2, "UNIT", 27, 29)])
    with pytest.raises(ValueError, match="overlapping"):
        record_sample(bad)


def test_docbin_round_trip(tmp_path):
    nlp = blank()
    path = write_docbin(records_to_docs(nlp.vocab, [_record("r1")]), tmp_path / "x.spacy")
    (doc,) = DocBin().from_disk(path).get_docs(nlp.vocab)
    assert doc.text == TEXT
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents][0] == (1, 8, "DEADLINE")


def test_chunks_cut_at_line_breaks_outside_entities():
    text = "甲乙丙。\n" * 30 + "在2023\n\n年完成。\n" + "丁戊己。\n" * 30
    start = text.index("2023")
    sample = Sample(text, ((start, start + 7, "DEADLINE"),))
    chunks = chunk_sample(sample, 50)
    assert len(chunks) > 2
    assert "".join(c.text for c in chunks) == text
    assert all(len(c.text) <= 50 for c in chunks)
    (hit,) = [c for c in chunks if c.spans]
    s, e, label = hit.spans[0]
    assert hit.text[s:e] == "2023\n\n年" and label == "DEADLINE"


def _write_corpus(folder: Path, files: dict[str, list[AnnotatedRecord]], splits: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, records in files.items():
        lines = [json.dumps(r.to_json(), ensure_ascii=False) for r in records]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "splits.json").write_text(json.dumps(splits), encoding="utf-8")


def test_split_selection_unlisted_records_go_to_train(tmp_path):
    held_out = "保障性租赁住房" * 10
    _write_corpus(tmp_path, {
        "a.jsonl": [_record("t1"), _record("d1", "新建学校10所。"), _record("x1", held_out)],
        "new.jsonl": [_record("u1", "新建公园3个。"), _record("leak", held_out + "。")],
    }, {"train": ["t1"], "dev": ["d1"], "test": ["x1"]})
    ids = {split: [r.id for r in load_split(tmp_path, split)] for split in ("train", "dev", "test")}
    assert ids == {"train": ["t1", "u1"], "dev": ["d1"], "test": ["x1"]}
    with pytest.raises(ValueError, match="unknown split"):
        load_split(tmp_path, "validation")


def test_an_id_listed_in_test_and_train_is_test_only():
    records = [_record("a"), _record("b", "新建学校10所。")]
    out = assign_split(records, {"train": ["a", "b"], "dev": [], "test": ["a"]})
    assert [r.id for r in out["train"]] == ["b"] and [r.id for r in out["test"]] == ["a"]


def test_real_splits_never_put_held_out_records_in_train():
    splits = read_splits(ANNOTATIONS)
    train = load_split(ANNOTATIONS, "train")
    dev, test = load_split(ANNOTATIONS, "dev"), load_split(ANNOTATIONS, "test")
    train_ids = {str(r.id) for r in train}
    assert train and dev and test
    assert not train_ids & set(splits["test"]) and not train_ids & set(splits["dev"])
    assert {str(r.id) for r in test} == set(splits["test"])
    assert {str(r.id) for r in dev} == set(splits["dev"])
    test_texts = {r.text for r in test}
    assert not any(r.text in test_texts for r in train)
