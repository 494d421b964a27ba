"""Training the fast NER tier: corpora from the annotations (:mod:`.corpus`), layout-noise
augmentation (:mod:`.augment`) and the spaCy training run (:mod:`.ner`, ``training/fast.cfg``)."""
from __future__ import annotations

from .augment import Sample, apply_edits, augment
from .corpus import load_split, read_splits, records_to_docs, write_docbin

__all__ = ["Sample", "apply_edits", "augment", "load_split", "read_splits", "records_to_docs",
           "write_docbin", "train_ner"]


def train_ner(*args, **kwargs):
    """See :func:`minsheng_nlp.training.ner.train_ner` (imported lazily: it loads spaCy's CLI)."""
    from .ner import train_ner as _train_ner

    return _train_ner(*args, **kwargs)
