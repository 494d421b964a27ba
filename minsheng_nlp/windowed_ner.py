"""spaCy's transition-based NER, predicting long documents in windows (``minsheng_ner``).

With one token per character, spaCy's ``ner`` holds the CNN activations and parser
states of every character of a batch at once: about 8 KB per character, so a 1 MB report
needed 3 GB. ``minsheng_ner`` is the same component — same model, same training
(``update`` is spaCy's, on the short training chunks) — whose prediction cuts each Doc
into windows of at most ``window`` characters and runs them in sub-batches of at most
``batch_chars`` characters, so memory is bounded whatever the input length.

Windows end after a kept paragraph break (``token.norm_ == "\\n"``, written by
``minsheng_char_features``), else after a sentence end (。！？；), else at ``window``
characters: an entity never crosses a paragraph, and the CNN sees ±3 characters, so a
cut there changes nothing but the context of the characters next to the cut.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, TypeVar

import numpy as np

from spacy.attrs import LEMMA, NORM, SPACY, TAG
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.pipeline.factories import register_factories
from spacy.tokens import Doc, Span
from spacy.util import minibatch
from thinc.api import Model

from .tokenizer import source_text

T = TypeVar("T")
SENTENCE_ENDS = frozenset("。！？；!?;")
# token attributes a window keeps (the lexical ones — ORTH, SHAPE, PREFIX… — come with the words)
WINDOW_ATTRS = (NORM, LEMMA, TAG)
register_factories()  # spaCy 3.8 registers its built-in factories lazily (idempotent)
_NER_META = Language.get_factory_meta("ner")


def window_bounds(norms: Sequence[str], window: int) -> list[tuple[int, int]]:
    """``(start, end)`` windows covering ``range(len(norms))``, each at most ``window`` long,
    cut after the last paragraph break, else the last sentence end, in the second half of
    the window; else at ``window``."""
    breaks = np.fromiter((t == "\n" for t in norms), dtype=bool, count=len(norms))
    ends = np.fromiter((t in SENTENCE_ENDS for t in norms), dtype=bool, count=len(norms))
    return bounds_at(breaks, ends, window)


def bounds_at(breaks: np.ndarray, ends: np.ndarray, window: int) -> list[tuple[int, int]]:
    """:func:`window_bounds` from boolean arrays marking paragraph breaks and sentence ends."""
    if window < 2:
        raise ValueError(f"window must be at least 2 characters, got {window}")
    bounds = []
    start, n = 0, len(breaks)
    while start < n:
        end = min(start + window, n)
        if end < n:
            lowest = max(start, start + window // 2)
            cut = _last_true(breaks, lowest, end)
            if cut is None:
                cut = _last_true(ends, lowest, end)
            if cut is not None:
                end = cut + 1
        bounds.append((start, end))
        start = end
    return bounds


def _last_true(flags: np.ndarray, lo: int, hi: int) -> Optional[int]:
    """The last ``i`` in ``[lo, hi)`` with ``flags[i]``, or None."""
    hits = np.flatnonzero(flags[lo:hi])
    return lo + int(hits[-1]) if len(hits) else None


def doc_bounds(doc: Doc, window: int) -> list[tuple[int, int]]:
    """:func:`window_bounds` of a Doc from its ``token.norm_`` hashes (no Token objects, no
    per-character Python strings: a 10 MB report would need hundreds of MB for them)."""
    hashes = doc.to_array(NORM)
    strings = doc.vocab.strings
    breaks = hashes == strings["\n"]
    ends = np.isin(hashes, [strings[ch] for ch in SENTENCE_ENDS])
    return bounds_at(breaks, ends, window)


def iter_window_docs(doc: Doc, bounds: list[tuple[int, int]]) -> Iterator[Doc]:
    """New Docs for ``doc[start:end]`` of each window, one at a time, with the words, spaces
    and :data:`WINDOW_ATTRS` of ``doc``. (``Span.as_doc`` converts the whole Doc to an array
    for every span: quadratic over many windows.)"""
    array = doc.to_array([*WINDOW_ATTRS, SPACY])
    attrs = array[:, :len(WINDOW_ATTRS)]
    text = source_text(doc)
    if len(text) == len(doc) and not array[:, -1].any():  # one character per token, no spaces
        words: Sequence[str] = text
    else:
        words = [t.text for t in doc]
    for start, end in bounds:
        piece = Doc(doc.vocab, words=words[start:end], spaces=array[start:end, -1].astype(bool).tolist())
        piece.from_array(list(WINDOW_ATTRS), attrs[start:end])
        yield piece


def window_pieces(docs: Iterable[Doc], window: int) -> Iterator[tuple[int, int, Doc]]:
    """``(doc index, window start, window Doc)`` for every window of every Doc, built lazily
    (all windows of a long document at once would copy the whole Doc)."""
    for i, doc in enumerate(docs):
        bounds = doc_bounds(doc, window)
        for (start, _), piece in zip(bounds, iter_window_docs(doc, bounds)):
            yield i, start, piece


def piece_length(piece: tuple[int, int, Doc]) -> int:
    """The length of a :func:`window_pieces` item's window."""
    return len(piece[2])


def batches_by_chars(items: Iterable[T], limit: int, length: Callable[[T], int] = len) -> Iterator[list[T]]:
    """``items`` in order, grouped so a group's total ``length`` stays within ``limit`` (a
    longer single item forms its own group); consumes ``items`` lazily."""
    group: list[T] = []
    size = 0
    for item in items:
        n = length(item)
        if group and size + n > limit:
            yield group
            group, size = [], 0
        group.append(item)
        size += n
    if group:
        yield group


class WindowedEntityRecognizer(EntityRecognizer):
    """spaCy's ``EntityRecognizer`` whose prediction runs in bounded windows."""

    def __init__(self, vocab: Any, model: Model, name: str = "ner", *, window: int = 2000,
                 batch_chars: int = 20000, **kwargs: Any) -> None:
        super().__init__(vocab, model, name=name, **kwargs)
        if window < 2 or batch_chars < window:
            raise ValueError(f"need 2 <= window <= batch_chars, got window={window}, batch_chars={batch_chars}")
        self.window = window
        self.batch_chars = batch_chars

    def __call__(self, doc: Doc) -> Doc:
        for _ in self.pipe([doc]):
            pass
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        error_handler = self.get_error_handler()
        for batch in minibatch(docs, size=batch_size):
            batch = list(batch)
            try:
                self._predict_in_windows(batch)
            except Exception as err:  # spaCy's contract: the pipeline's error handler decides
                error_handler(self.name, self, batch, err)
            yield from batch

    def _predict_in_windows(self, docs: list[Doc]) -> None:
        """Cut, predict window by window in bounded sub-batches, and write ``doc.ents`` back."""
        found: list[list[Span]] = [[] for _ in docs]
        for group in batches_by_chars(window_pieces(docs, self.window), self.batch_chars, piece_length):
            pieces = [p[2] for p in group]
            self.set_annotations(pieces, self.predict(pieces))
            for i, start, piece in group:
                found[i].extend(Span(docs[i], start + e.start, start + e.end, label=e.label) for e in piece.ents)
        for doc, ents in zip(docs, found):
            doc.ents = ents


@Language.factory(
    "minsheng_ner",
    assigns=list(_NER_META.assigns),
    default_config={**_NER_META.default_config, "window": 2000, "batch_chars": 20000},
    default_score_weights=dict(_NER_META.default_score_weights),
)
def make_windowed_ner(nlp: Language, name: str, model: Model, moves: Optional[Any],
                      update_with_oracle_cut_size: int, incorrect_spans_key: Optional[str],
                      scorer: Optional[Callable], window: int, batch_chars: int) -> WindowedEntityRecognizer:
    """Factory of ``minsheng_ner``: spaCy's ``ner`` settings plus ``window`` (the longest
    stretch of characters predicted at once) and ``batch_chars`` (the most characters in
    one prediction call)."""
    return WindowedEntityRecognizer(nlp.vocab, model, name=name, moves=moves,
                                    update_with_oracle_cut_size=update_with_oracle_cut_size,
                                    incorrect_spans_key=incorrect_spans_key, scorer=scorer,
                                    window=window, batch_chars=batch_chars)
