"""Long texts in sections: extraction in bounded memory, whatever the input length.

A pipeline holds one spaCy token per character (about 115 bytes) plus its components'
working data, so a 10 MB report as one Doc takes over 1 GB. A commitment, though,
depends only on a bounded neighbourhood of its quantity: the NER sees 2,000-character
windows, relation candidates reach at most ``far_chars`` (6,000) characters or 60
paragraphs back and a few paragraphs ahead, and the assembler reads 3,000 characters back
for an anaphoric year (这一年). So :func:`section_records` cuts a long text into
*sections* that each **own** ``[start, end)`` (about ``size`` characters, cut at a
paragraph break) and are processed as one Doc of ``[context_start, context_end)``:
the owned part plus ``before`` characters of context before it and ``after`` after it,
also cut at paragraph breaks. A section keeps the commitments whose quantity starts in
the part it owns, their offsets shifted back to the input. Two things reach across the
whole of one Doc, and sections keep them: the document year, inferred once from the whole
text; and the *preamble* (the opening paragraphs, where a report names the body presenting
it, 我代表市政府向大会报告工作, the department of last resort), which is read before every
section's context.

Records equal those of one Doc wherever every link lies within the context (tested on
long documents); memory is that of one section, so the peak stays flat as input grows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from spacy.language import Language

from .rules.linker import PRESENTER_CHARS
from .text.layout import _BREAK_RUN, clean_view, is_layout_break

SECTION_CHARS = 500_000
"""Characters a section owns. With its context, about 180 MB of working memory in the trained
pipeline (a 10 MB text peaks at ~480 MB, ~300 MB of which is the process with its models);
the context costs ~5% more time than one Doc."""
CONTEXT_BEFORE = 20_000
"""Context read before the owned part: over three times the farthest relation window."""
CONTEXT_AFTER = 5_000
"""Context read after it: list notes (责任单位：…) and the NER windows that follow."""
SEARCH = 2_000
"""How far from the ideal position a paragraph break is looked for before other cuts."""
_SENTENCE_END = re.compile(r"[。！？；!?;]")


@dataclass(frozen=True)
class Section:
    """A part of a text: it owns ``[start, end)`` and is read as ``[context_start, context_end)``."""

    start: int
    end: int
    context_start: int
    context_end: int


def _kept_breaks(text: str, lo: int, hi: int) -> Iterator[int]:
    """Paragraph starts in ``[lo, hi]``: ends of line-break runs the cleaned view keeps
    (not hard wraps), in text order."""
    for m in _BREAK_RUN.finditer(text, max(0, lo - 1), hi + 1):
        s, e = m.span()
        if lo <= e <= hi and e < len(text) and not is_layout_break(text, s, e):
            yield e


def paragraph_cut(text: str, pos: int, search: int = SEARCH) -> int:
    """A cut offset near ``pos`` (0 < ``pos`` < len(text)) where a new paragraph starts.

    The nearest kept paragraph break (a line break the cleaned view keeps, not a hard
    wrap) within ``search`` characters, preferring one before ``pos``; else the nearest
    sentence end; else ``pos`` itself (one huge unpunctuated paragraph).
    """
    lo, hi = max(1, pos - search), min(len(text) - 1, pos + search)
    nearest = {"key": lambda e: (abs(e - pos), e), "default": None}
    best = min(_kept_breaks(text, lo, hi), **nearest)
    if best is None:
        best = min((m.end() for m in _SENTENCE_END.finditer(text, lo - 1, hi) if lo <= m.end() <= hi), **nearest)
    return best if best is not None else pos


def plan_sections(text: str, size: int = SECTION_CHARS, before: int = CONTEXT_BEFORE,
                  after: int = CONTEXT_AFTER) -> list[Section]:
    """The sections of ``text``: one for the whole text when it is at most ``size`` long.

    Owned parts tile the text exactly (each starts where the previous ends).
    """
    if size < 1 or before < 0 or after < 0:
        raise ValueError(f"need size >= 1 and before, after >= 0, got size={size}, before={before}, after={after}")
    n = len(text)
    if n <= size:
        return [Section(0, n, 0, n)]
    search = min(SEARCH, size // 4)
    cuts = [0]
    while n - cuts[-1] > size:
        cut = paragraph_cut(text, cuts[-1] + size, search)
        cuts.append(cut if cut > cuts[-1] else cuts[-1] + size)
    cuts.append(n)
    sections = []
    for start, end in zip(cuts, cuts[1:]):
        context_start = 0 if start - before <= 0 else paragraph_cut(text, start - before, search)
        context_end = n if end + after >= n else paragraph_cut(text, end + after, search)
        sections.append(Section(start, end, min(context_start, start), max(context_end, end)))
    return sections


def preamble_end(text: str, view_chars: int = PRESENTER_CHARS) -> int:
    """Where the opening part of ``text`` whose entities the rule linker may use anywhere in
    a Doc ends: the end of the paragraph holding the ``view_chars``-th character of the
    cleaned view (or, in one huge paragraph, of its sentence, at most :data:`SEARCH` further)."""
    head = text[:4 * view_chars + 1000]  # holds view_chars of view unless it is mostly layout
    view = clean_view(head)
    pos = view.index[view_chars] if len(view.text) > view_chars else len(head)
    if pos >= len(text):
        return len(text)
    start = next(_kept_breaks(text, pos, pos + SEARCH), None)
    if start is not None:
        return start
    end = _SENTENCE_END.search(text, pos, pos + SEARCH)
    return end.end() if end else min(len(text), pos + SEARCH)


def shift_record(record: dict[str, Any], offset: int, head: int = 0) -> dict[str, Any]:
    """A commitment dict (``Commitment.to_dict``) with its spans moved by ``offset`` characters,
    except those in the first ``head`` characters (the preamble read before a section)."""
    def moved(span: dict[str, Any]) -> dict[str, Any]:
        if span["start"] < head:
            return span
        return {**span, "start": span["start"] + offset, "end": span["end"] + offset}

    return {**record, "quantity": moved(record["quantity"]),
            "departments": [moved(d) for d in record["departments"]]}


def document_year(nlp: Language, text: str) -> int | None:
    """The year the pipeline's commitment assembler would infer for ``text`` as one Doc
    (None when it infers none: no year in the text, or ``infer_year = false``)."""
    from .commitments.assemble import CommitmentAssembler, infer_year

    assemblers = [pipe for _, pipe in nlp.pipeline if isinstance(pipe, CommitmentAssembler)]
    if not assemblers or not assemblers[-1].infer_year:
        return None
    return infer_year(clean_view(text).text)


def section_records(nlp: Language, text: str, year: int | None = None, size: int = SECTION_CHARS,
                    before: int = CONTEXT_BEFORE, after: int = CONTEXT_AFTER) -> list[dict[str, Any]]:
    """Commitment dicts of ``text``, processed section by section (:func:`plan_sections`).

    ``year``: the document year (None: inferred once from the whole text). A text of at
    most ``size`` characters is one Doc, exactly as ``nlp(make_doc(nlp, text, year))``.
    """
    from . import make_doc

    sections = plan_sections(text, size, before, after)
    if len(sections) > 1 and year is None:
        year = document_year(nlp, text)
    head = preamble_end(text) if len(sections) > 1 else 0
    records: list[dict[str, Any]] = []
    for section in sections:
        if section.context_start <= head:  # the context reaches the preamble: read from the start
            piece, offset, kept = text[:section.context_end], 0, 0
        else:  # the preamble, then the context (the preamble ends where a paragraph starts)
            piece = text[:head] + text[section.context_start:section.context_end]
            offset, kept = section.context_start - head, head
        doc = nlp(make_doc(nlp, piece, year, max_chars=None))
        lo, hi = section.start - offset, section.end - offset
        records += [shift_record(c.to_dict(), offset, kept) for c in doc._.commitments
                    if lo <= c.quantity.start < hi]
        del doc
    return records


__all__ = ["Section", "SECTION_CHARS", "CONTEXT_BEFORE", "CONTEXT_AFTER", "paragraph_cut",
           "plan_sections", "preamble_end", "shift_record", "document_year", "section_records"]
