"""The token-classification network: a ``transformers`` BERT with a linear tag head.

A model folder holds ``config.json`` (a ``BertConfig``; ``id2label`` names the tags once a
head is trained), ``model.safetensors`` (fp16 or fp32 tensors, read as float32: fp16
matmuls on CPU are slow and overflowed in training) and ``charvocab.json``. The folder
the converter writes (:mod:`.convert`, names without the ``bert.`` prefix and no head) and
a trained tagger's folder have the same layout. Weights are read with safetensors only:
nothing is unpickled (``torch.load`` is never called).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from ..errors import ModelLoadError
from .charvocab import CharVocab

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"
VOCAB_FILE = "charvocab.json"
FILES = (CONFIG_FILE, WEIGHTS_FILE, VOCAB_FILE)
PREFIX = "bert."
INSTALL_HINT = "pip install 'minsheng-nlp[accurate]' (torch==2.13.0, transformers, safetensors)"


def require_torch() -> Any:
    """The ``torch`` module, or ModelLoadError telling how to install the accurate tier."""
    try:
        import torch
        import transformers  # noqa: F401
        import safetensors  # noqa: F401
    except ImportError as err:
        raise ModelLoadError(f"the accurate tier needs {err.name}: {INSTALL_HINT}") from None
    return torch


def check_folder(folder: str | Path) -> Path:
    """``folder`` if it holds the three model files, else ModelLoadError naming the missing one."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelLoadError(f"{folder}: model folder not found")
    for name in FILES:
        if not (folder / name).is_file():
            raise ModelLoadError(f"{folder / name}: missing ({', '.join(FILES)} are needed)")
    return folder


def read_config(folder: Path) -> dict[str, Any]:
    try:
        config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    except ValueError as err:
        raise ModelLoadError(f"{folder / CONFIG_FILE}: not valid JSON ({err})") from None
    if not isinstance(config, dict) or "hidden_size" not in config:
        raise ModelLoadError(f"{folder / CONFIG_FILE}: not a BERT config (no hidden_size)")
    return config


def build_model(config: dict[str, Any], tags: Sequence[str], layers: int | None = None) -> Any:
    """A float32 ``BertForTokenClassification`` with ``len(tags)`` outputs (random weights)."""
    require_torch()
    from transformers import BertConfig, BertForTokenClassification

    settings = {k: v for k, v in config.items() if k not in ("architectures", "id2label", "label2id",
                                                            "num_labels", "model_type", "transformers_version")}
    if layers:
        settings["num_hidden_layers"] = min(int(layers), int(settings["num_hidden_layers"]))
    bert_config = BertConfig(**settings, id2label=dict(enumerate(tags)),
                             label2id={t: i for i, t in enumerate(tags)})
    model = BertForTokenClassification(bert_config)
    return model.float().eval()


def read_weights(path: Path) -> dict[str, Any]:
    """The tensors of a safetensors file as float32, named as in ``BertForTokenClassification``."""
    torch = require_torch()
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        tensors = load_file(str(path))
    except (SafetensorError, OSError, ValueError) as err:
        raise ModelLoadError(f"{path}: not a readable safetensors file ({err})") from None
    return {(k if k.startswith(PREFIX) or k.startswith("classifier.") else PREFIX + k): v.to(torch.float32)
            for k, v in tensors.items()}


def load_weights(model: Any, path: Path, head: bool) -> None:
    """Copy the file's tensors into ``model``; the tag head must be there iff ``head``.

    Encoder layers the model does not have (a truncated encoder) are skipped.
    """
    tensors = read_weights(path)
    own = model.state_dict()
    tensors = {k: v for k, v in tensors.items() if k in own or not k.startswith(PREFIX + "encoder.layer.")}
    missing = sorted(set(own) - set(tensors) - ({"classifier.weight", "classifier.bias"} if not head else set()))
    unexpected = sorted(set(tensors) - set(own))
    wrong = sorted(k for k in set(tensors) & set(own) if tensors[k].shape != own[k].shape)
    if missing or unexpected or wrong:
        problems = "; ".join(f"{what}: {', '.join(names[:3])}" for what, names in
                             (("missing", missing), ("unexpected", unexpected), ("wrong shape", wrong)) if names)
        raise ModelLoadError(f"{path}: weights do not fit the config ({problems})")
    model.load_state_dict(tensors, strict=False)


def load_folder(folder: str | Path, tags: Sequence[str] | None = None,
                layers: int | None = None) -> tuple[Any, CharVocab, list[str]]:
    """Model, vocabulary and tags of a folder.

    A trained folder brings its own tags (``id2label``); a base folder (the converter's)
    gets a new random head for ``tags``. ``layers`` keeps only the first encoder layers.
    """
    folder = check_folder(folder)
    config = read_config(folder)
    saved = config.get("id2label")
    trained = bool(saved) and all(str(i) in saved for i in range(len(saved))) and "O" in saved.values()
    if trained:
        tags = [saved[str(i)] for i in range(len(saved))]
    elif not tags:
        raise ModelLoadError(f"{folder / CONFIG_FILE}: no trained tags (id2label) and none given")
    vocab = CharVocab.from_disk(folder / VOCAB_FILE)
    if vocab.size > int(config.get("vocab_size", 0)):
        raise ModelLoadError(f"{folder / VOCAB_FILE}: ids beyond the model's vocab_size {config.get('vocab_size')}")
    model = build_model(config, list(tags), layers)
    load_weights(model, folder / WEIGHTS_FILE, head=trained)
    return model, vocab, list(tags)


def save_folder(model: Any, vocab: CharVocab, folder: str | Path, dtype: str = "float16") -> Path:
    """Write the model (weights as ``dtype``), its config and its vocabulary to ``folder``."""
    torch = require_torch()
    from safetensors.torch import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    config = model.config.to_dict()
    config["architectures"] = ["BertForTokenClassification"]
    (folder / CONFIG_FILE).write_text(json.dumps(config, indent=2, ensure_ascii=False), encoding="utf-8")
    state = {k: v.detach().to(getattr(torch, dtype)).contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(folder / WEIGHTS_FILE))
    vocab.to_disk(folder / VOCAB_FILE)
    return folder
