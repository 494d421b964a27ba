"""The minsheng_transformer_ner component on a TINY random BERT (2 layers, hidden 32):
prediction, windows over long documents, batching, saving and loading, errors."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest
import spacy

import minsheng_nlp
from minsheng_nlp.errors import ModelLoadError
from minsheng_nlp.pipelines import blank
from minsheng_nlp.transformer.component import FACTORY, TransformerNer
from minsheng_nlp.transformer.pipeline import build_accurate_pipeline

LABELS = {"QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE"}
SENTENCE = "2024年，省住建厅计划发展保障性租赁住房9800套，发放住房租赁补贴5万户。"
LONG = ("到2025年底前，市住建局完成城镇老旧小区改造300个，新建保障性租赁住房1.2万套。\n" * 30)[:1300]


@pytest.fixture(scope="module")
def tagger(tiny_base):
    return TransformerNer(window=64, stride=48, batch_size=4).load(tiny_base)


@pytest.fixture(scope="module")
def trained_dir(tagger, tmp_path_factory):
    """A folder saved by the component (with its tag head), as training leaves it."""
    folder = tmp_path_factory.mktemp("tagger")
    tagger.to_disk(folder)
    return folder


def test_a_base_model_gets_a_head_for_the_four_labels(tagger):
    assert tagger.tags == ["O", "B-QUANTITY", "I-QUANTITY", "B-UNIT", "I-UNIT",
                           "B-DEPARTMENT", "I-DEPARTMENT", "B-DEADLINE", "I-DEADLINE"]
    assert tagger.model.classifier.out_features == 9
    assert next(tagger.model.parameters()).dtype.is_floating_point
    assert str(next(tagger.model.parameters()).dtype) == "torch.float32"


def test_predict_writes_well_formed_entities(tagger):
    nlp = blank()
    doc = tagger(nlp.make_doc(SENTENCE))
    assert doc.text == SENTENCE and len(doc) == len(SENTENCE)
    scores = tagger.scores([SENTENCE])[0]
    assert scores.shape == (len(SENTENCE), 9)
    np.testing.assert_allclose(np.exp(scores).sum(axis=1), 1.0, rtol=1e-4)  # log-probabilities
    for ent in doc.ents:
        assert ent.label_ in LABELS
        assert not ent.text[0].isspace() and not ent.text[-1].isspace()


def test_one_window_equals_a_single_forward_pass(tagger):
    torch = pytest.importorskip("torch")
    ids, mask = tagger.encode_batch([SENTENCE])
    assert ids.shape == (1, len(SENTENCE) + 2)
    assert ids[0, 0].item() == tagger.vocab.bos and ids[0, -1].item() == tagger.vocab.eos
    with torch.no_grad():
        direct = torch.log_softmax(tagger.model(input_ids=ids, attention_mask=mask).logits, -1)[0, 1:-1].numpy()
    np.testing.assert_allclose(tagger.scores([SENTENCE])[0], direct, atol=1e-5)


def test_long_documents_are_read_in_windows_of_at_most_the_window_size(tagger):
    seen = []
    original = tagger.encode_batch
    tagger.encode_batch = lambda chunks: seen.extend(len(c) for c in chunks) or original(chunks)
    try:
        scores = tagger.scores([LONG])[0]
    finally:
        del tagger.encode_batch
    # 1300 characters, windows of 64 every 48 characters: starts 0, 48, ..., 1200, then 1236
    assert sorted(seen) == [64] * 27
    assert scores.shape == (1300, 9) and np.isfinite(scores).all()
    # the first 48 characters are only in the first window: its scores, unchanged
    np.testing.assert_allclose(scores[:48], tagger.scores([LONG[:64]])[0][:48], atol=1e-5)


def test_without_overlap_each_window_scores_like_its_own_text(tiny_base):
    tagger = TransformerNer(window=100, stride=100).load(tiny_base)
    scores = tagger.scores([LONG[:300]])[0]
    for start in (0, 100, 200):
        np.testing.assert_allclose(scores[start:start + 100], tagger.scores([LONG[start:start + 100]])[0], atol=1e-5)


def test_batching_and_padding_do_not_change_the_scores(tagger):
    short, other = SENTENCE[:12], LONG[:200]
    together = tagger.scores([short, other, ""])
    np.testing.assert_allclose(together[0], tagger.scores([short])[0], atol=1e-5)
    np.testing.assert_allclose(together[1], tagger.scores([other])[0], atol=1e-5)
    assert together[2].shape == (0, 9)


def test_windows_longer_than_bert_are_refused(tiny_base):
    with pytest.raises(ValueError, match="510"):
        TransformerNer(window=600, stride=300)


def test_to_disk_from_disk_round_trip(tagger, trained_dir):
    assert sorted(p.name for p in trained_dir.iterdir()) == ["charvocab.json", "config.json", "model.safetensors"]
    again = TransformerNer(window=64, stride=48).load(trained_dir)
    assert again.tags == tagger.tags
    # weights are stored as fp16: the scores agree to fp16 precision
    np.testing.assert_allclose(again.scores([LONG[:300]])[0], tagger.scores([LONG[:300]])[0], atol=2e-2)
    assert again.predict([LONG[:300]]) == TransformerNer(window=64, stride=48).load(trained_dir).predict([LONG[:300]])


def test_bytes_round_trip(trained_dir):
    tagger = TransformerNer().load(trained_dir)
    copy = TransformerNer().from_bytes(tagger.to_bytes())
    np.testing.assert_allclose(copy.scores([SENTENCE])[0], tagger.scores([SENTENCE])[0], atol=1e-6)


def test_the_accurate_pipeline_saves_and_loads_with_spacy(trained_dir, tmp_path):
    nlp = build_accurate_pipeline(trained_dir)
    assert nlp.pipe_names == [FACTORY, "minsheng_rules_linker", "minsheng_commitments"]
    nlp.to_disk(tmp_path / "accurate")
    assert (tmp_path / "accurate" / FACTORY / "model.safetensors").is_file()
    loaded = minsheng_nlp.load(tmp_path / "accurate")
    assert loaded.pipe_names == nlp.pipe_names
    assert type(spacy.load(tmp_path / "accurate").tokenizer).__name__ == "CharTokenizer"
    text = LONG[:400]
    first = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    assert [(e.start_char, e.end_char, e.label_) for e in loaded(text).ents] == first
    records = minsheng_nlp.extract(text, year=2024, model=loaded)
    assert all(r["quantity"]["text"] == text[r["quantity"]["start"]:r["quantity"]["end"]] for r in records)


@pytest.mark.parametrize("missing", ["model.safetensors", "config.json", "charvocab.json"])
def test_a_missing_file_is_a_model_load_error_naming_it(trained_dir, tmp_path, missing):
    nlp = build_accurate_pipeline(trained_dir)
    nlp.to_disk(tmp_path / "p")
    (tmp_path / "p" / FACTORY / missing).unlink()
    with pytest.raises(ModelLoadError, match=missing.replace(".", r"\.")):
        minsheng_nlp.load(tmp_path / "p")


def test_corrupt_weights_are_a_model_load_error(trained_dir, tmp_path):
    folder = tmp_path / "corrupt"
    shutil.copytree(trained_dir, folder)
    (folder / "model.safetensors").write_bytes(b"\x00\x01 not safetensors")
    with pytest.raises(ModelLoadError, match="model.safetensors"):
        TransformerNer().load(folder)


def test_weights_of_another_shape_are_a_model_load_error(trained_dir, tmp_path):
    folder = tmp_path / "other"
    shutil.copytree(trained_dir, folder)
    config = (folder / "config.json").read_text(encoding="utf-8").replace('"hidden_size": 32', '"hidden_size": 64')
    (folder / "config.json").write_text(config, encoding="utf-8")
    with pytest.raises(ModelLoadError, match="do not fit"):
        TransformerNer().load(folder)


def test_an_unloaded_component_says_so():
    with pytest.raises(ModelLoadError, match="no model loaded"):
        TransformerNer()(blank().make_doc("省住建厅"))


def test_rules_run_and_the_tier_explains_itself_without_torch(trained_dir):
    """With torch unavailable the package imports, the rules run, and loading the accurate
    tier is a ModelLoadError that says what to install."""
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "import minsheng_nlp\n"
        "from minsheng_nlp.transformer.component import TransformerNer\n"
        "print(len(minsheng_nlp.extract('2024年，省住建厅计划发展保障性租赁住房9800套。')))\n"
        "try:\n"
        f"    TransformerNer().load({str(trained_dir)!r})\n"
        "except minsheng_nlp.ModelLoadError as err:\n"
        "    print(err)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "1"
    assert lines[1] == ("the accurate tier needs torch: pip install 'minsheng-nlp[accurate]' "
                        "(torch==2.13.0, transformers, safetensors)")


def test_forked_workers_of_nlp_pipe_do_not_hang(trained_dir, tmp_path):
    """nlp.pipe(n_process=2) forks after the model is loaded and used; torch's inherited
    thread pool hung the workers until each worker was given one thread."""
    build_accurate_pipeline(trained_dir).to_disk(tmp_path / "p")
    code = (
        "import minsheng_nlp, torch\n"
        "torch.set_num_threads(2)\n"
        f"nlp = minsheng_nlp.load({str(tmp_path / 'p')!r})\n"
        f"texts = [{LONG[:600]!r}, {SENTENCE!r}, {LONG[100:400]!r}]\n"
        "alone = [[(e.start, e.end, e.label_) for e in nlp(t).ents] for t in texts]\n"
        "forked = [[(e.start, e.end, e.label_) for e in d.ents] for d in nlp.pipe(texts, n_process=2, batch_size=1)]\n"
        "print(forked == alone, len(forked))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the parent and its hung workers
        proc.communicate()
        pytest.fail("nlp.pipe(n_process=2) hung for 120 s")
    assert proc.returncode == 0, stderr[-2000:]
    assert stdout.split() == ["True", "3"]
