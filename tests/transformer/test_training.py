"""A tiny end-to-end fine-tuning run: 3 records, a TINY random base, a few steps."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import minsheng_nlp
from minsheng_nlp.training.transformer_ner import IGNORE, collate, main, make_windows, schedule
from minsheng_nlp.training.augment import Sample
from minsheng_nlp.transformer.component import FACTORY
from minsheng_nlp.transformer.tags import tag_names

from .conftest import tiny_vocab

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "training" / "accurate.cfg"
TAGS = tag_names(["QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE"])


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


def test_windows_and_batches_carry_the_gold_tags():
    sample = Sample("省住建厅新建住房9800套", ((0, 4, "DEPARTMENT"), (8, 12, "QUANTITY"), (12, 13, "UNIT")))
    windows = make_windows([sample], tiny_vocab(), TAGS, size=8, stride=5)
    assert [len(w.ids) for w in windows] == [8, 8]          # starts 0 and 5
    assert [TAGS[t] for t in windows[1].tags] == ["O", "O", "O", "B-QUANTITY", "I-QUANTITY", "I-QUANTITY",
                                                  "I-QUANTITY", "B-UNIT"]
    short = make_windows([Sample("新建", ())], tiny_vocab(), TAGS, size=8, stride=8)[0]
    ids, mask, labels = collate([windows[0], short], tiny_vocab())
    assert ids.shape == mask.shape == labels.shape == (2, 10)
    assert mask[1].tolist() == [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    assert labels[1].tolist() == [IGNORE, 0, 0] + [IGNORE] * 7   # <s>, </s> and padding are not scored


def test_the_learning_rate_warms_up_then_decays():
    factor = schedule(warmup=4, total=10)
    assert [round(factor(s), 3) for s in range(11)] == [0.25, 0.5, 0.75, 1.0, 1.0, 0.833, 0.667, 0.5, 0.333,
                                                         0.167, 0.0]


def test_tiny_fine_tuning_from_the_command_line_saves_a_loadable_accurate_pipeline(tmp_path, tiny_base, capsys):
    corpus = _tiny_corpus(tmp_path / "annotations")
    out = tmp_path / "out"
    main(["--config", str(CONFIG), "--data", str(corpus), "--output", str(out),
          "--set", f"paths.base={tiny_base}", "--set", "model.layers=null", "--set", "training.max_steps=4",
          "--set", "training.eval_frequency=2", "--set", "training.warmup_steps=1",
          "--set", "training.batch_size=4", "--set", "corpus.augment_copies=1",
          "--set", "corpus.window=48", "--set", "corpus.stride=48", "--set", "system.threads=0"])
    printed = capsys.readouterr().out.splitlines()
    assert printed[-2].startswith("best dev entity micro-F1") and printed[-1] == f"saved {out}"
    log = [json.loads(line) for line in (out / "training-log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert log[0]["settings"]["training"]["max_steps"] == 4
    assert [entry["step"] for entry in log[1:]] == [2, 4]
    assert all(0.0 <= entry["dev_f1"] <= 1.0 and np.isfinite(entry["loss"]) for entry in log[1:])

    nlp = minsheng_nlp.load(out)
    assert nlp.pipe_names == [FACTORY, "minsheng_rules_linker", "minsheng_commitments"]
    assert nlp.meta["name"] == "accurate"
    assert (out / FACTORY / "model.safetensors").is_file()
    text = "到2025年底前，省住建厅新建保障性租赁住房9800套。"
    doc = nlp(text)
    assert doc.text == text
    assert all(e.label_ in {"QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE"} for e in doc.ents)
