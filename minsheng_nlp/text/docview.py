"""A document seen through its cleaned view: entities in view offsets plus structure.

The view and its structure depend on the text only, so the pipeline builds them once per
Doc (:func:`layout_of`) and every component reuses them; they live in ``doc.user_data``
under a private key while the Doc goes through the pipeline and the commitment assembler,
the last stage, drops them (:func:`release_layout`). Should a pipeline stop earlier, the
cached layout serializes as ``None`` (``Doc.to_bytes``, ``DocBin``, ``nlp.pipe(n_process=2)``)
and is rebuilt when needed.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

import srsly
from spacy.tokens import Doc, Span

from ..tokenizer import source_text
from .layout import View, clean_view
from .structure import Structure

LAYOUT_KEY = "minsheng._layout"


class Layout:
    """The text-only part of a :class:`DocView`: the input, its view, the view's structure."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.view: View = clean_view(source)

    @cached_property
    def structure(self) -> Structure:
        """Paragraphs, sentences and clauses of the view (built on first use)."""
        return Structure(self.view.text)


def layout_of(doc: Doc) -> Layout:
    """The layout of ``doc``: built by the first component that asks, then shared."""
    source = source_text(doc)
    cached = doc.user_data.get(LAYOUT_KEY)
    if isinstance(cached, Layout) and cached.source == source:
        return cached
    layout = Layout(source)
    doc.user_data[LAYOUT_KEY] = layout
    return layout


def release_layout(doc: Doc) -> None:
    """Drop the cached layout of ``doc`` (the pipeline's last stage calls this)."""
    doc.user_data.pop(LAYOUT_KEY, None)


@srsly.msgpack_encoders("minsheng_layout")
def _encode_layout(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    """A cached :class:`Layout` serializes as None: it is a cache, rebuilt from the text."""
    if isinstance(obj, Layout):
        return None
    return obj if chain is None else chain(obj)


@dataclass(frozen=True)
class ViewEntity:
    """An entity of ``doc.ents`` with its span in the view."""

    span: Span
    start: int  # view offsets
    end: int

    @property
    def label(self) -> str:
        return self.span.label_


class DocView:
    """``doc`` + its cleaned view + the view's structure + its entities in view offsets.

    ``DocView(doc)`` builds the view and structure afresh; :meth:`shared` reuses the
    layout cached on the Doc (:func:`layout_of`). Entities are read from ``doc.ents``
    every time, so a component that changed them is always seen.
    """

    def __init__(self, doc: Doc, layout: Layout | None = None) -> None:
        layout = layout if layout is not None else Layout(source_text(doc))
        self.doc = doc
        self.source = layout.source
        self.view: View = layout.view
        self.structure: Structure = layout.structure
        self.entities: list[ViewEntity] = []
        for ent in doc.ents:
            s = self.view.to_view(ent.start_char)
            e = self.view.to_view(ent.end_char - 1) + 1 if ent.end_char > ent.start_char else s
            self.entities.append(ViewEntity(ent, s, max(s, e)))
        self.starts = [e.start for e in self.entities]

    @classmethod
    def shared(cls, doc: Doc) -> "DocView":
        """A DocView on the layout shared by the pipeline's components (:func:`layout_of`)."""
        return cls(doc, layout_of(doc))

    def entities_between(self, start: int, end: int) -> list[ViewEntity]:
        """Entities starting in the view range ``[start, end)``."""
        return self.entities[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    @property
    def text(self) -> str:
        return self.view.text

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Input offsets of the view span ``[start, end)``."""
        return self.view.to_original(start, end)
