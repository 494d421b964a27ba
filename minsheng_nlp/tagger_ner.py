"""Entity recognition as character tagging (``minsheng_tagger_ner``).

One softmax per character over BIO tags (``O``, ``B-QUANTITY``, ``I-QUANTITY``, …) on top
of a tok2vec, decoded into ``doc.ents``. Compared with spaCy's transition-based ``ner`` it
drops the parser's state machine — one hidden layer evaluated per transition, i.e. per
character here — which was half the fast tier's NER time; the tok2vec is the same. The
rule tags the features component writes (``token.tag_``) already carry the long-range
structure a transition system would otherwise add.

Decoding is lenient and linear: a span starts at ``B-X``, or at ``I-X`` that does not
continue an open ``X`` span; it continues over ``I-X``. Prediction runs in the same
bounded windows as :mod:`minsheng_nlp.windowed_ner` (a tagger's output for a character
depends only on its CNN receptive field, so windows cut at paragraph breaks change
nothing), so memory stays bounded whatever the document length.
"""
# no `from __future__ import annotations`: spaCy validates initialize() settings from its live annotations

from contextlib import nullcontext
from itertools import islice
from typing import Any, Callable, ContextManager, Iterable, Optional, Sequence

import numpy as np
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_examples, validate_get_examples
from spacy.vocab import Vocab
from thinc.api import Config, Model, NumpyOps, SequenceCategoricalCrossentropy
from threadpoolctl import threadpool_limits

from .windowed_ner import batches_by_chars, piece_length, window_pieces

OUTSIDE = "O"
DEFAULT_MODEL_CONFIG = """
[model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = false

[model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 64
depth = 3
embed_size = 2000
window_size = 1
maxout_pieces = 2
subword_features = false
"""
DEFAULT_MODEL = Config().from_str(DEFAULT_MODEL_CONFIG)["model"]


def numpy_gemm(model: Model) -> Model:
    """``model``, its matrix products on CPU done by numpy's BLAS instead of blis.

    thinc's ``NumpyOps`` multiplies with blis by default; on this project's machines numpy
    (OpenBLAS) does the CNN's products 2.5 times faster on one thread, which is most of the
    fast tier's NER time. Only ``gemm`` changes (``NumpyOps(use_blis=False)``); a model on
    other ops (GPU) is left alone. The products are small (4,000 characters × 144), so a
    second BLAS thread only adds synchronization: prediction runs with ``blas_threads``
    (default 1) BLAS threads, measured faster in wall time too.
    """
    if type(model.ops) is NumpyOps and model.ops.use_blis:
        ops = NumpyOps(use_blis=False)
        for node in model.walk():  # as thinc's Model.to_cpu does; parameters stay where they are
            node.ops = ops
    return model


def bio_from_biluo(tag: Optional[str]) -> Optional[str]:
    """spaCy's aligned BILUO tag as a BIO tag; ``None`` (misaligned) and ``-`` (missing)
    become ``None``: no loss on that character."""
    if tag is None or tag in ("", "-"):
        return None
    if tag == OUTSIDE:
        return OUTSIDE
    move, label = tag.split("-", 1)
    return f"{'B' if move in ('B', 'U') else 'I'}-{label}"


def decode_bio(tag_ids: np.ndarray, labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` spans of a BIO tag sequence (lenient: see the module docstring)."""
    parts = [(t[0], t[2:]) if t != OUTSIDE else (OUTSIDE, "") for t in labels]
    spans: list[tuple[int, int, str]] = []
    start = end = -1
    current = ""
    outside = list(labels).index(OUTSIDE)
    for i in np.flatnonzero(np.asarray(tag_ids) != outside).tolist():
        move, label = parts[tag_ids[i]]
        if move == "I" and label == current and i == end:
            end = i + 1
            continue
        if current:
            spans.append((start, end, current))
        start, end, current = i, i + 1, label
    if current:
        spans.append((start, end, current))
    return spans


class TaggerEntityRecognizer(TrainablePipe):
    """Character BIO tagger that writes ``doc.ents``."""

    def __init__(self, vocab: Vocab, model: Model, name: str = "ner", *, window: int = 2000,
                 batch_chars: int = 4000, use_blis: bool = False, blas_threads: int = 1,
                 scorer: Optional[Callable] = None) -> None:
        if window < 2 or batch_chars < window:
            raise ValueError(f"need 2 <= window <= batch_chars, got window={window}, batch_chars={batch_chars}")
        self.vocab = vocab
        self.model = model if use_blis else numpy_gemm(model)
        self.blas_threads = blas_threads
        self.name = name
        self.window = window
        self.batch_chars = batch_chars
        self.scorer = scorer
        self.cfg: dict[str, Any] = {"labels": []}

    @property
    def labels(self) -> tuple[str, ...]:
        """The entity labels (as ``ner.labels``)."""
        return tuple(self.cfg["labels"])

    @property
    def tags(self) -> tuple[str, ...]:
        """The BIO tags the softmax predicts, in output order: ``O``, then ``B-``/``I-`` per label."""
        return (OUTSIDE, *(f"{move}-{label}" for label in self.labels for move in "BI"))

    def add_label(self, label: str) -> int:
        """Add an entity label (its ``B-``/``I-`` tags); 1 if new, 0 if known."""
        if not isinstance(label, str) or not label or label == OUTSIDE or "-" in label:
            raise ValueError(f"{self.name}: an entity label must be a non-empty string without '-' "
                             f"and other than 'O', got {label!r}")
        if label in self.labels:
            return 0
        self._allow_extra_label()
        self.cfg["labels"] = [*self.labels, label]
        self.vocab.strings.add(label)
        return 1

    def predict(self, docs: Iterable[Doc]) -> list[np.ndarray]:
        """The best tag id of every character of each Doc, predicted in bounded windows
        (built lazily, at most ``batch_chars`` characters per forward pass)."""
        docs = list(docs)
        per_doc: list[list[np.ndarray]] = [[] for _ in docs]
        with self._blas_threads():
            for group in batches_by_chars(window_pieces(docs, self.window), self.batch_chars, piece_length):
                for (i, _, _), scores in zip(group, self.model.predict([p[2] for p in group])):
                    per_doc[i].append(self.model.ops.to_numpy(scores).argmax(axis=1))
        return [np.concatenate(parts) if parts else np.zeros(0, dtype="int64") for parts in per_doc]

    def _blas_threads(self) -> ContextManager[Any]:
        """While predicting: one BLAS thread (see :func:`numpy_gemm`), unless ``blas_threads`` says otherwise."""
        if self.blas_threads <= 0:
            return nullcontext()
        return threadpool_limits(limits=self.blas_threads, user_api="blas")

    def set_annotations(self, docs: Iterable[Doc], tag_ids: list[np.ndarray]) -> None:
        for doc, ids in zip(docs, tag_ids):
            doc.ents = [Span(doc, s, e, label=label) for s, e, label in decode_bio(ids, self.tags)]

    def get_loss(self, examples: Iterable[Example], scores: list[Any]) -> tuple[float, list[Any]]:
        """Cross-entropy against the gold BIO tags (spaCy's aligned BILUO, converted)."""
        validate_examples(examples, "TaggerEntityRecognizer.get_loss")
        loss_func = SequenceCategoricalCrossentropy(names=list(self.tags), normalize=False)
        truths = [[bio_from_biluo(t) for t in eg.get_aligned_ner()] for eg in examples]
        d_scores, loss = loss_func(scores, truths)
        if self.model.ops.xp.isnan(loss):
            raise ValueError(f"{self.name}: NaN loss")
        return float(loss), d_scores

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Optional[Language] = None,
                   labels: Optional[Sequence[str]] = None) -> None:
        """Labels from the gold entities (or ``labels``), then the model's shapes."""
        validate_get_examples(get_examples, "TaggerEntityRecognizer.initialize")
        if labels is None:
            labels = sorted({ent.label_ for eg in get_examples() for ent in eg.reference.ents})
        for label in labels:
            self.add_label(label)
        if not self.labels:  # nothing to learn
            raise ValueError(f"{self.name}: no entity labels in the training examples")
        docs, truths = [], []
        for eg in islice(get_examples(), 10):
            docs.append(eg.x)
            gold = [bio_from_biluo(t) or OUTSIDE for t in eg.get_aligned_ner()]
            truths.append(self.model.ops.asarray2f([[float(t == g) for t in self.tags] for g in gold]))
        self.model.initialize(X=docs, Y=truths)


@Language.factory(
    "minsheng_tagger_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={"model": DEFAULT_MODEL, "window": 2000, "batch_chars": 4000, "use_blis": False, "blas_threads": 1,
                    "scorer": {"@scorers": "spacy.ner_scorer.v1"}},
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_tagger_ner(nlp: Language, name: str, model: Model, window: int, batch_chars: int,
                    use_blis: bool, blas_threads: int, scorer: Optional[Callable]) -> TaggerEntityRecognizer:
    """Factory of ``minsheng_tagger_ner``: ``model`` maps Docs to per-character tag scores
    (``spacy.Tagger.v2``); ``window``/``batch_chars`` bound prediction memory; ``use_blis``
    keeps thinc's blis products on CPU (default: numpy's BLAS, :func:`numpy_gemm`);
    ``blas_threads``: BLAS threads while predicting (0: leave the process setting)."""
    return TaggerEntityRecognizer(nlp.vocab, model, name=name, window=window, batch_chars=batch_chars,
                                  use_blis=use_blis, blas_threads=blas_threads, scorer=scorer)
