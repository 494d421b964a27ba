"""Pre-annotation: a pipeline's output as annotation records (GUIDELINE.md §1, notes N1–N3).

A new report is annotated faster when the analyst corrects the pipeline's output instead
of starting from an empty page. This module turns processed ``Doc``s into
:class:`~minsheng_nlp.io.annotations.AnnotatedRecord`s that pass ``minsheng validate``
exactly as a hand-made file does:

* entities are ``doc.ents`` in text order, ids 1..n;
* relations are ``doc._.relations`` whose two ends are entities, ids 1..m in order;
* commitments are ``doc._.commitments`` as :class:`GoldCommitment`s whose ``quantity``
  and ``departments`` are entity ids (a commitment's departments are always its
  HAS_DEPARTMENT links, as §4 requires).

A long document is cut into records the way the gold corpus is (N1: each record an
exact slice of its source, ``meta.offset`` its character offset), by
:func:`record_bounds`: cuts fall only on paragraph breaks — line breaks that are not hard
wraps inside a sentence (the test of :func:`~minsheng_nlp.text.layout.is_layout_break`),
not inside an entity, not between two table rows and not right after a heading (a short
line without sentence punctuation) — and
paragraphs are gathered greedily into records of at most ``max_chars`` characters (a
single longer paragraph stays whole). Each record is then run through the pipeline on its
own with the document year, exactly as ``minsheng evaluate`` runs gold records, so a
relation never leaves its record (N31).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .. import (
    extensions,  # noqa: F401  (registers doc._.relations / doc._.commitments)
    make_doc,
)
from ..commitments.assemble import CommitmentAssembler, infer_year
from ..relations.types import TARGET_LABEL, set_relations
from ..text.layout import clean_view, is_layout_break
from .annotations import AnnotatedRecord, Entity, GoldCommitment, RelationRecord

DEFAULT_MAX_CHARS = 1500
"""Default upper size of a record, in characters (the gold records hold 200–2,500)."""

# A run of whitespace holding at least one line break (the layout module's definition).
_BREAK_RUN = re.compile(r"[ \t\u3000\xa0\r]*\n\s*")
_SENTENCE_MARKS = set("。！？；，,;!?")
_HEADING_MAX = 40

Span = tuple[int, int]


@dataclass(frozen=True)
class RecordSlice:
    """One record of a document: ``text == document_text[offset:offset + len(text)]``."""

    offset: int
    text: str


# --------------------------------------------------------------------------- Doc → record

def _entity_ids(doc: Doc) -> tuple[list[Entity], dict[Span, int]]:
    entities = [Entity(i, ent.label_, ent.start_char, ent.end_char)
                for i, ent in enumerate(sorted(doc.ents, key=lambda e: e.start_char), start=1)]
    return entities, {(e.start, e.end): e.id for e in entities}


def _relation_triples(doc: Doc, ids: dict[Span, int], labels: dict[int, str]) -> list[tuple[int, int, str]]:
    """``(from_id, to_id, type)`` of the relations whose ends are entities of the right labels."""
    out: list[tuple[int, int, str]] = []
    for rel in doc._.relations:
        head = ids.get((rel.head.start_char, rel.head.end_char))
        tail = ids.get((rel.tail.start_char, rel.tail.end_char))
        if head is None or tail is None or labels[head] != "QUANTITY" \
                or labels[tail] != TARGET_LABEL.get(rel.label):
            continue
        if (head, tail, rel.label) not in out:
            out.append((head, tail, rel.label))
    return out


def _commitments(doc: Doc, ids: dict[Span, int], labels: dict[int, str],
                 triples: list[tuple[int, int, str]]) -> list[GoldCommitment]:
    """``doc._.commitments`` with entity ids; a department missing from ``triples`` is added
    to it as a HAS_DEPARTMENT link, so ``departments`` always equals the quantity's links."""
    out: list[GoldCommitment] = []
    for c in doc._.commitments:
        quantity = ids.get((c.quantity.start, c.quantity.end))
        if quantity is None or labels[quantity] != "QUANTITY":
            raise ValueError(f"commitment {c.quantity.text!r} at {c.quantity.start}: "
                             "its quantity is not a QUANTITY entity")
        for dept in c.departments:
            tail = ids.get((dept.start, dept.end))
            if tail is not None and labels[tail] == "DEPARTMENT" \
                    and (quantity, tail, "HAS_DEPARTMENT") not in triples:
                triples.append((quantity, tail, "HAS_DEPARTMENT"))
        departments = [t for h, t, r in triples if h == quantity and r == "HAS_DEPARTMENT"]
        out.append(GoldCommitment(
            quantity=quantity, value=c.value, value_max=c.value_max, unit=c.unit,
            comparator=c.comparator, status=c.status, year=c.year, deadline=c.deadline,
            departments=departments, task=c.task))
    return out


def doc_to_record(doc: Doc, record_id: str | int | None, meta: dict[str, Any] | None = None) -> AnnotatedRecord:
    """The annotation record of a processed ``doc`` (entities, relations, commitments).

    Offsets refer to ``doc.text``. A commitment's departments are added as HAS_DEPARTMENT
    relations when the pipeline did not store them as relations, so the record is always
    consistent; a commitment whose quantity is not one of ``doc.ents`` is a pipeline bug
    and raises ``ValueError``.
    """
    entities, ids = _entity_ids(doc)
    labels = {e.id: e.label for e in entities}
    triples = _relation_triples(doc, ids, labels)
    commitments = _commitments(doc, ids, labels, triples)
    relations = [RelationRecord(i, h, t, r) for i, (h, t, r) in enumerate(triples, start=1)]
    return AnnotatedRecord(id=record_id, text=doc.text, meta=dict(meta or {}), entities=entities,
                           relations=relations, commitments=commitments)


def commitment_stage(nlp: Language) -> CommitmentAssembler:
    """The pipeline's commitment assembler (rules or trained), its last one."""
    stages = [proc for _, proc in nlp.pipeline if isinstance(proc, CommitmentAssembler)]
    if not stages:
        raise ValueError(f"pipeline {pipeline_name(nlp)!r} has no commitment assembler")
    return stages[-1]


def add_commitments(nlp: Language, record: AnnotatedRecord) -> AnnotatedRecord:
    """``record`` with the commitments the pipeline's assembler draws from *its own* entities
    and relations (an export of Label Studio or of doccano without commitments).

    Entity and relation ids are kept; the record must be valid (overlapping entities
    cannot be put on a Doc). ``meta.preannotated`` is not changed.
    """
    doc = nlp.make_doc(record.text)
    doc.ents = [doc.char_span(e.start, e.end, label=e.label)
                for e in sorted(record.entities, key=lambda e: e.start)]
    doc._.year = record.year
    entities = record.entity_map()
    triples = [(r.from_id, r.to_id, r.type) for r in record.relations
               if r.from_id in entities and r.to_id in entities]
    set_relations(doc, [(entities[h].start, entities[h].end, entities[t].start, entities[t].end, r)
                        for h, t, r in triples])
    doc = commitment_stage(nlp)(doc)
    ids = {(e.start, e.end): e.id for e in record.entities}
    labels = {e.id: e.label for e in record.entities}
    known = len(triples)
    commitments = _commitments(doc, ids, labels, triples)
    next_id = max((r.id for r in record.relations), default=0) + 1
    added = [RelationRecord(next_id + i, h, t, r) for i, (h, t, r) in enumerate(triples[known:])]
    return replace(record, relations=[*record.relations, *added], commitments=commitments)


# --------------------------------------------------------------------------- record slicing

def _is_table_line(line: str) -> bool:
    return line.lstrip().startswith(("|", "｜"))


def _line_before(text: str, pos: int) -> str:
    return text[text.rfind("\n", 0, pos) + 1:pos].strip()


def _line_after(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[pos:end if end != -1 else len(text)].strip()


def _is_heading(line: str) -> bool:
    """A short line without sentence punctuation (一、就业): it goes with the paragraph after it."""
    return len(line) <= _HEADING_MAX and not _SENTENCE_MARKS.intersection(line) \
        and not _is_table_line(line)


def paragraph_breaks(text: str, entities: Iterable[Span] = ()) -> list[Span]:
    """The whitespace runs ``[start, end)`` of ``text`` at which a record may end.

    A run is a break when it holds a line break that is not a hard wrap, touches no
    entity of ``entities``, does not sit between two table rows and does not follow a
    heading (a line of at most 40 characters without 。！？；，).
    """
    spans = sorted(entities)
    breaks: list[Span] = []
    k = 0
    for match in _BREAK_RUN.finditer(text):
        start, end = match.span()
        if start == 0 or end == len(text):
            continue
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        if k < len(spans) and spans[k][0] < end:
            continue  # an entity runs across this line break (2023\n\n年)
        before, after = _line_before(text, start), _line_after(text, end)
        if is_layout_break(text, start, end) or _is_heading(before) \
                or (_is_table_line(before) and _is_table_line(after)):
            continue
        breaks.append((start, end))
    return breaks


def record_bounds(text: str, entities: Iterable[Span] = (), max_chars: int | None = DEFAULT_MAX_CHARS) -> list[Span]:
    """The records of ``text`` as ``[start, end)`` spans without surrounding whitespace.

    Paragraphs (text between :func:`paragraph_breaks`) are gathered in order while the
    record stays within ``max_chars`` characters; a paragraph longer than that is a record
    of its own. ``max_chars`` None or <= 0: one record. A blank text has no record.
    """
    stripped = text.strip()
    if not stripped:
        return []
    first = len(text) - len(text.lstrip())
    last = first + len(stripped)
    if not max_chars or max_chars <= 0 or last - first <= max_chars:
        return [(first, last)]
    paragraphs: list[Span] = []
    start = first
    for brk_start, brk_end in paragraph_breaks(text, entities):
        paragraphs.append((start, brk_start))
        start = brk_end
    paragraphs.append((start, last))
    out: list[Span] = []
    cur_start, cur_end = paragraphs[0]
    for p_start, p_end in paragraphs[1:]:
        if p_end - cur_start <= max_chars:
            cur_end = p_end
        else:
            out.append((cur_start, cur_end))
            cur_start, cur_end = p_start, p_end
    out.append((cur_start, cur_end))
    return out


# --------------------------------------------------------------------------- documents

def document_year(text: str) -> int | None:
    """The document year the pipeline infers for ``text`` as a whole (first year of its
    opening lines, else the most frequent), used for every record of the document."""
    return infer_year(clean_view(text).text)


def pipeline_name(nlp: Language) -> str:
    """The name written to ``meta.preannotated``: ``rules`` or the trained pipeline's name."""
    return str(nlp.meta.get("name") or "pipeline")


def split_document(nlp: Language, text: str, year: int | None,
                   max_chars: int | None = DEFAULT_MAX_CHARS) -> list[RecordSlice]:
    """The record slices of ``text``; the pipeline runs once on the whole text to find its
    entities (no cut inside one) only when the text is longer than ``max_chars``."""
    entities: list[Span] = []
    if max_chars and 0 < max_chars < len(text.strip()):
        doc = nlp(make_doc(nlp, text, year))
        entities = [(e.start_char, e.end_char) for e in doc.ents]
    return [RecordSlice(s, text[s:e]) for s, e in record_bounds(text, entities, max_chars)]


def record_ids(prefix: str, count: int) -> list[str]:
    """``prefix-01``, ``prefix-02``, … (N3), zero-padded to the width of ``count``."""
    width = max(2, len(str(count)))
    return [f"{prefix}-{k:0{width}d}" for k in range(1, count + 1)]


def preannotate_text(nlp: Language, text: str, source: str, *, year: int | None = None,
                     region: str | None = None, max_chars: int | None = DEFAULT_MAX_CHARS,
                     id_prefix: str | None = None) -> list[AnnotatedRecord]:
    """The pre-annotated records of one document's text.

    ``source`` is the file name written to ``meta.source`` (a path is reduced to its name);
    ``year`` the document year (None: inferred from the whole text, N2); ``region`` goes to
    ``meta.region`` when given; ids are ``<id_prefix>-<k>`` (default: the file name's stem).
    """
    name = source.replace("\\", "/").rsplit("/", 1)[-1] or "document"
    prefix = id_prefix or (name.rsplit(".", 1)[0] if "." in name.strip(".") else name)
    if year is None:
        year = document_year(text)
    slices = split_document(nlp, text, year, max_chars)
    model = pipeline_name(nlp)
    docs = nlp.pipe(make_doc(nlp, s.text, year) for s in slices)
    records = []
    for rid, piece, doc in zip(record_ids(prefix, len(slices)), slices, docs):
        meta: dict[str, Any] = {"source": name, "offset": piece.offset}
        if year is not None:
            meta["year"] = year
        if region:
            meta["region"] = region
        meta["preannotated"] = model
        records.append(doc_to_record(doc, rid, meta))
    return records


# --------------------------------------------------------------------------- Label Studio

def to_labelstudio_task(record: AnnotatedRecord, model_version: str | None = None) -> dict[str, Any]:
    """A Label Studio import task whose ``predictions`` hold the record's entities and relations.

    The mirror of :mod:`minsheng_nlp.io.labelstudio`: labels results (``from_name`` "label",
    ``to_name`` "text") with ids ``e<entity id>``, relation results ``direction: right``.
    The record id goes to ``data.meta.record_id``. Commitments have no place in Label Studio
    and are left out (a converted export has none: add them in the JSONL, GUIDELINE §4).
    """
    result: list[dict[str, Any]] = [
        {"id": f"e{e.id}", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": e.start, "end": e.end, "text": record.text[e.start:e.end],
                   "labels": [e.label]}}
        for e in record.entities]
    result += [{"type": "relation", "from_id": f"e{r.from_id}", "to_id": f"e{r.to_id}",
                "direction": "right", "labels": [r.type]} for r in record.relations]
    meta = {**record.meta, "record_id": record.id}
    version = model_version or str(record.meta.get("preannotated", "pipeline"))
    return {"data": {"text": record.text, "meta": meta},
            "predictions": [{"model_version": version, "result": result}]}
