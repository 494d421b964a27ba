"""Train the fast NER tier from a spaCy config (``training/fast.cfg``), like ``spacy train``.

:func:`train_ner` builds the corpora (train: chunked + augmented; dev: whole records, no
augmentation) as DocBins in a temporary folder, runs spaCy's training loop with the config
(plus ``paths.train``/``paths.dev`` and any overrides) and keeps the best model as
``output_dir/ner``. The config's ``[system] seed`` also seeds the augmentation, so a run
is reproducible.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from spacy.cli.train import train as spacy_train
from spacy.util import load_config

from .. import features  # noqa: F401  (registers minsheng_char_features)
from .. import tokenizer  # noqa: F401  (registers minsheng.char_tokenizer.v1)
from ..pipelines import blank
from .corpus import load_split, records_to_docs, write_docbin

DEFAULT_MAX_CHARS = 400


def config_value(config_path: str | Path, dotted: str, overrides: dict[str, Any] | None = None,
                 default: Any = None) -> Any:
    """The value at ``dotted`` (``training.seed``) of the config after ``overrides``."""
    config = load_config(config_path, overrides=dict(overrides or {}), interpolate=True)
    node: Any = config
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return default
        node = node[key]
    return node


def build_corpora(annotations_dir: str | Path, out_dir: str | Path, augment_copies: int = 2,
                  seed: int = 0, max_chars: int = DEFAULT_MAX_CHARS) -> tuple[Path, Path]:
    """Write ``train.spacy`` (chunked, ``augment_copies`` noisy copies per chunk) and
    ``dev.spacy`` (whole records, clean) into ``out_dir``; test records are never read
    into either."""
    out_dir = Path(out_dir)
    vocab = blank().vocab
    train_docs = records_to_docs(vocab, load_split(annotations_dir, "train"), augment_copies, seed, max_chars)
    dev_docs = records_to_docs(vocab, load_split(annotations_dir, "dev"))
    return (write_docbin(train_docs, out_dir / "train.spacy"),
            write_docbin(dev_docs, out_dir / "dev.spacy"))


def train_ner(config_path: str | Path, annotations_dir: str | Path, output_dir: str | Path,
              overrides: dict[str, Any] | None = None, augment_copies: int = 2,
              max_chars: int = DEFAULT_MAX_CHARS) -> Path:
    """Train the NER pipeline of ``config_path`` on the train split and return
    ``output_dir/ner`` (spaCy's ``model-best``: the best dev ``ents_f``).

    ``overrides`` are spaCy config overrides (``{"training.max_steps": 10}``).
    """
    overrides = dict(overrides or {})
    seed = int(config_value(config_path, "training.seed", overrides, default=0) or 0)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="minsheng-ner-") as tmp:
        train_path, dev_path = build_corpora(annotations_dir, tmp, augment_copies, seed, max_chars)
        run_overrides = {"paths.train": str(train_path), "paths.dev": str(dev_path), **overrides}
        spacy_train(Path(config_path), Path(tmp) / "out", use_gpu=-1, overrides=run_overrides)
        target = output_dir / "ner"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(Path(tmp) / "out" / "model-best", target)
    return target
