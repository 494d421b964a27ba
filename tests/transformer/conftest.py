"""Fixtures of the accurate tier's tests: no hub access, a TINY random BERT folder."""
from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing may come from a model hub
os.environ["TRANSFORMERS_OFFLINE"] = "1"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from minsheng_nlp.transformer.charvocab import CharVocab  # noqa: E402

# The characters the tiny model knows: enough for the sentences of the tests.
KNOWN = ("0123456789.年月底前省市县区政府住建厅局委计划发展保障性租赁房套发放补贴万户个新建改造"
         "城乡老旧小区到完成人次亿元等和的我在中就业,，。、；：（）")


def tiny_vocab() -> CharVocab:
    """Rows 0-3 special pieces, 4 "▁", then one row per known character, then line breaks."""
    chars = {ch: 5 + i for i, ch in enumerate(dict.fromkeys(KNOWN))}
    return CharVocab(chars=chars, bos=0, pad=1, eos=2, unk=3, space=4, newline=5 + len(chars))


def write_tiny_base(folder: Path, seed: int = 0) -> Path:
    """A converter-like base folder: a 2-layer, hidden-32 BertModel with random weights."""
    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(seed)
    vocab = tiny_vocab()
    config = BertConfig(vocab_size=vocab.size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=512, pad_token_id=vocab.pad)
    BertModel(config, add_pooling_layer=False).save_pretrained(folder)
    vocab.to_disk(folder / "charvocab.json")
    return folder


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> Path:
    return write_tiny_base(tmp_path_factory.mktemp("tiny-base"))
