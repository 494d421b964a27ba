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

from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

import numpy as np

from spacy.attrs import LEMMA, NORM, SPACY, TAG
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.pipeline.factories import register_factories
from spacy.tokens import Doc, Span
from spacy.util import minibatch
from thinc.api import Model

from .tokenizer import source_text

SENTENCE_ENDS = frozenset("。！？；!?;")
# token attributes a window keeps (the lexical ones — ORTH, SHAPE, PREFIX… — come with the words)
WINDOW_ATTRS = (NORM, LEMMA, TAG)
register_factories()  # spaCy 3.8 registers its built-in factories lazily (idempotent)
_NER_META = Language.get_factory_meta("ner")


def window_bounds(norms: list[str], window: int) -> list[tuple[int, int]]:
    """``(start, end)`` windows covering ``range(len(norms))``, each at most ``window`` long,
    cut after the last paragraph break, else the last sentence end, in the second half of
    the window; else at ``window``."""
    if window < 2:
        raise ValueError(f"window must be at least 2 characters, got {window}")
    bounds = []
    start, n = 0, len(norms)
    while start < n:
        end = min(start + window, n)
        if end < n:
            half = start + window // 2
            cut = _last_index(norms, start, end, half, lambda t: t == "\n")
            if cut is None:
                cut = _last_index(norms, start, end, half, lambda t: t in SENTENCE_ENDS)
            if cut is not None:
                end = cut + 1
        bounds.append((start, end))
        start = end
    return bounds


def _last_index(norms: list[str], start: int, end: int, lowest: int,
                test: Callable[[str], bool]) -> Optional[int]:
    """The last ``i`` in ``[max(start, lowest), end)`` with ``test(norms[i])``."""
    for i in range(end - 1, max(start, lowest) - 1, -1):
        if test(norms[i]):
            return i
    return None


def window_docs(doc: Doc, bounds: list[tuple[int, int]]) -> list[Doc]:
    """New Docs for ``doc[start:end]`` of each window, with the words, spaces and
    :data:`WINDOW_ATTRS` of ``doc``. (``Span.as_doc`` converts the whole Doc to an array
    for every span: quadratic over many windows.)"""
    array = doc.to_array([*WINDOW_ATTRS, SPACY])
    attrs = array[:, :len(WINDOW_ATTRS)]
    text = source_text(doc)
    if len(text) == len(doc) and not array[:, -1].any():  # one character per token, no spaces
        words: Sequence[str] = text
    else:
        words = [t.text for t in doc]
    out = []
    for start, end in bounds:
        piece = Doc(doc.vocab, words=words[start:end], spaces=array[start:end, -1].astype(bool).tolist())
        piece.from_array(list(WINDOW_ATTRS), attrs[start:end])
        out.append(piece)
    return out


def norms_of(doc: Doc) -> list[str]:
    """``[t.norm_ for t in doc]`` without creating a Token per character."""
    hashes = doc.to_array(NORM)
    unique, inverse = np.unique(hashes, return_inverse=True)
    names = [doc.vocab.strings[int(h)] for h in unique]
    return [names[i] for i in inverse.tolist()]


def batches_by_chars(items: list[Doc], limit: int) -> Iterator[list[Doc]]:
    """``items`` in order, grouped so a group's total length stays within ``limit`` (a longer
    single item forms its own group)."""
    group: list[Doc] = []
    size = 0
    for item in items:
        if group and size + len(item) > limit:
            yield group
            group, size = [], 0
        group.append(item)
        size += len(item)
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
        pieces: list[tuple[int, int, Doc]] = []  # (doc index, window start, window doc)
        for i, doc in enumerate(docs):
            bounds = window_bounds(norms_of(doc), self.window)
            for (start, _), piece in zip(bounds, window_docs(doc, bounds)):
                pieces.append((i, start, piece))
        found: list[list[Span]] = [[] for _ in docs]
        for group in batches_by_chars([p[2] for p in pieces], self.batch_chars):
            self.set_annotations(group, self.predict(group))
        for i, start, piece in pieces:
            doc = docs[i]
            found[i].extend(Span(doc, start + e.start, start + e.end, label=e.label) for e in piece.ents)
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
