"""Docs built from gold annotations: gold entities (and optionally gold relations).

Training and evaluating the relation and commitment models on *gold* entities keeps them
independent of the entity tagger: errors of the NER do not leak into their figures.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from .. import extensions  # noqa: F401  (registers doc._.year / relations / commitments)
from ..io.annotations import AnnotatedRecord, read_many
from ..relations.types import set_relations

Relation = tuple[int, int, int, int, str]


def gold_relations(record: AnnotatedRecord) -> list[Relation]:
    """The record's relations as ``(head start, head end, tail start, tail end, type)``."""
    entities = record.entity_map()
    return [(entities[r.from_id].start, entities[r.from_id].end,
             entities[r.to_id].start, entities[r.to_id].end, r.type)
            for r in record.relations if r.from_id in entities and r.to_id in entities]


def gold_doc(nlp: Language, record: AnnotatedRecord, with_relations: bool = False) -> Doc:
    """A Doc of ``record.text`` with the gold entities, ``doc._.year = meta.year``.

    With ``with_relations``, the gold relations are stored too (as a linker would).
    Entities whose offsets do not align (never with the char tokenizer) are skipped.
    """
    doc = nlp.make_doc(record.text)
    spans = []
    for entity in sorted(record.entities, key=lambda e: (e.start, e.end)):
        span = doc.char_span(entity.start, entity.end, label=entity.label)
        if span is not None:
            spans.append(span)
    doc.ents = spans
    doc._.year = record.year
    if with_relations:
        set_relations(doc, gold_relations(record))
    return doc


def split_ids(splits_path: str | Path, split: str) -> set[str]:
    """The record ids of one split of ``annotations/splits.json``."""
    data = json.loads(Path(splits_path).read_text(encoding="utf-8"))
    return {str(i) for i in data[split]}


def records_of_split(annotations: str | Path, splits_path: str | Path, split: str,
                     exclude: Iterable[str] = ("test",)) -> list[AnnotatedRecord]:
    """The records of ``split``; refuses to hand out an excluded split (test by default)."""
    if split in set(exclude):
        raise ValueError(f"the {split!r} split is held out")
    ids = split_ids(splits_path, split)
    return [r for r in read_many([annotations]) if str(r.id) in ids]


def check_not_test(records: Sequence[AnnotatedRecord], splits_path: str | Path) -> None:
    """Raise ValueError when any record belongs to the test split."""
    test = split_ids(splits_path, "test")
    leaked = sorted(str(r.id) for r in records if str(r.id) in test)
    if leaked:
        raise ValueError(f"test records must not be used for training: {', '.join(leaked[:5])}")
