"""The commitments of one processed document as tracking sees them.

Each commitment becomes an :class:`Item`: the commitment, where it is written (source,
span, the sentence holding it, as evidence) and its *focus* — the part of its task that
belongs to it when the task holds several quantities (see
:func:`~minsheng_nlp.tracking.similarity.focus_segments`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from spacy.tokens import Doc

from ..commitments.record import Commitment
from ..text.docview import DocView
from .records import Mention
from .similarity import focus_segments

__all__ = ["Item", "document_items", "MAX_SENTENCE"]

MAX_SENTENCE = 240  # evidence sentences longer than this are cut around the quantity
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Item:
    """A commitment of a document, ready to be matched."""

    commitment: Commitment
    mention: Mention
    focus: str

    @property
    def task(self) -> str:
        return self.commitment.task


def _evidence(source: str, dv: DocView, start: int, end: int) -> str:
    """The sentence holding the span ``[start, end)``, layout breaks removed, cut to size."""
    view_pos = dv.view.to_view(start)
    s, e = dv.structure.sentence(min(view_pos, max(0, len(dv.text) - 1)))
    os_, oe = dv.original(s, e) if e > s else (start, end)
    os_, oe = min(os_, start), max(oe, end)
    if oe - os_ > MAX_SENTENCE:
        os_ = max(os_, start - MAX_SENTENCE // 2)
        oe = min(oe, os_ + MAX_SENTENCE)
    text = _LINE_BREAKS.sub("", source[os_:oe])
    return _SPACES.sub(" ", text).strip()


def document_items(name: str, doc: Doc, status: str) -> list[Item]:
    """The commitments of ``doc`` with ``status`` (``planned``/``achieved``) as items.

    ``doc`` must have been processed by a pipeline (``doc._.commitments`` set).
    """
    commitments = list(doc._.commitments)
    if not commitments:
        return []
    dv = DocView(doc)
    source = dv.source
    focus: dict[int, str] = {}
    ordered = sorted(range(len(commitments)), key=lambda i: commitments[i].quantity.start)
    for task, group in groupby(ordered, key=lambda i: commitments[i].task):
        members = list(group)  # consecutive commitments sharing one task clause
        quantities = [_SPACES.sub("", commitments[i].quantity.text) for i in members]
        focus.update(zip(members, focus_segments(task, quantities)))
    items = []
    for i in ordered:
        c = commitments[i]
        if c.status != status or c.value is None:
            continue
        q = c.quantity
        mention = Mention(name, q.start, q.end, q.text, _evidence(source, dv, q.start, q.end))
        items.append(Item(c, mention, focus[i]))
    return items
