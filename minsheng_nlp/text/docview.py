"""A document seen through its cleaned view: entities in view offsets plus structure."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ..tokenizer import source_text
from .layout import View, clean_view
from .structure import Structure


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
    """``doc`` + its cleaned view + the view's structure, built once per component call."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.source = source_text(doc)
        self.view: View = clean_view(self.source)
        self.structure = Structure(self.view.text)
        self.entities: list[ViewEntity] = []
        for ent in doc.ents:
            s = self.view.to_view(ent.start_char)
            e = self.view.to_view(ent.end_char - 1) + 1 if ent.end_char > ent.start_char else s
            self.entities.append(ViewEntity(ent, s, max(s, e)))
        self.starts = [e.start for e in self.entities]

    def entities_between(self, start: int, end: int) -> list[ViewEntity]:
        """Entities starting in the view range ``[start, end)``."""
        from bisect import bisect_left

        return self.entities[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    @property
    def text(self) -> str:
        return self.view.text

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Input offsets of the view span ``[start, end)``."""
        return self.view.to_original(start, end)
