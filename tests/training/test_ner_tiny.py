"""A tiny end-to-end training run: 3 records, a few steps, a loadable model that tags."""
from __future__ import annotations

import json
from pathlib import Path

import spacy

import minsheng_nlp  # noqa: F401  (registers the tokenizer and minsheng_char_features)
from minsheng_nlp.training.ner import train_ner

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "training" / "fast.cfg"
LABELS = {"QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE"}
TINY = {"training.max_steps": 6, "training.eval_frequency": 3,
        "components.ner.model.tok2vec.encode.depth": 2}


def _tiny_corpus(folder: Path) -> Path:
    """Three short synthetic records: two for train, one for dev."""
    lines = (ROOT / "annotations" / "synthetic_lists.jsonl").read_text(encoding="utf-8").splitlines()
    records = sorted((json.loads(line) for line in lines if line.strip()), key=lambda r: len(r["text"]))[:3]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tiny.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    splits = {"train": [records[0]["id"], records[1]["id"]], "dev": [records[2]["id"]], "test": []}
    (folder / "splits.json").write_text(json.dumps(splits), encoding="utf-8")
    return folder


def test_tiny_training_gives_a_loadable_tagger(tmp_path):
    corpus = _tiny_corpus(tmp_path / "annotations")
    model_dir = train_ner(CONFIG, corpus, tmp_path / "out", overrides=TINY, augment_copies=1)
    assert model_dir == tmp_path / "out" / "ner"
    assert (model_dir / "config.cfg").is_file() and (model_dir / "ner" / "model").is_file()

    nlp = spacy.load(model_dir)
    assert nlp.pipe_names == ["minsheng_char_features", "ner"]
    assert set(nlp.get_pipe("ner").labels) == LABELS
    text = "2024年，省住建厅计划发展保障性租赁住房９８００套。"
    doc = nlp(text)
    assert doc.text == text and len(doc) == len(text)
    assert doc[-4].norm_ == "0" and doc[-4].lemma_ == "DIGIT"  # the features ran
    assert all(ent.label_ in LABELS for ent in doc.ents)
    assert minsheng_nlp.load(model_dir).pipe_names == nlp.pipe_names


def test_tiny_training_is_reproducible(tmp_path):
    corpus = _tiny_corpus(tmp_path / "annotations")
    first = train_ner(CONFIG, corpus, tmp_path / "a", overrides=TINY, augment_copies=1)
    second = train_ner(CONFIG, corpus, tmp_path / "b", overrides=TINY, augment_copies=1)
    assert (first / "ner" / "model").read_bytes() == (second / "ner" / "model").read_bytes()
