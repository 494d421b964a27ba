"""Annotation records → spaCy ``Doc``s with gold entities → ``DocBin`` files.

The char tokenizer makes token ``i`` == character ``i``, so every gold span aligns and a
record converts without loss. Records are selected by ``annotations/splits.json``; a
record that no split lists (a user's new file) is training data, unless its text is part
of a dev or test record (then it is left out: held-out text never leaks into training).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

from ..io.annotations import ENTITY_LABELS, AnnotatedRecord, read_many
from ..tokenizer import CharTokenizer
from .augment import Sample, augment

SPLITS = ("train", "dev", "test")
SPLITS_FILE = "splits.json"
# An unlisted record shorter than this is not checked for containment in held-out text.
_LEAK_MIN_CHARS = 50


def read_splits(annotations_dir: str | Path) -> dict[str, list[str]]:
    """The record ids of each split in ``annotations_dir/splits.json`` (ids as strings)."""
    path = Path(annotations_dir) / SPLITS_FILE
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {split: [str(i) for i in raw.get(split, [])] for split in SPLITS}


def _leaks(text: str, held_out: Sequence[str]) -> bool:
    """Whether ``text`` is, or shares a whole record with, one of the held-out texts."""
    for other in held_out:
        if text == other:
            return True
        if len(text) >= _LEAK_MIN_CHARS and len(other) >= _LEAK_MIN_CHARS and (text in other or other in text):
            return True
    return False


def assign_split(records: Iterable[AnnotatedRecord],
                 splits: dict[str, list[str]]) -> dict[str, list[AnnotatedRecord]]:
    """Records by split. Test wins over dev, dev over train when an id is listed twice;
    unlisted records go to train unless their text leaks held-out text."""
    records = list(records)
    test_ids, dev_ids = set(splits.get("test", [])), set(splits.get("dev", []))
    train_ids = set(splits.get("train", [])) - test_ids - dev_ids
    out: dict[str, list[AnnotatedRecord]] = {split: [] for split in SPLITS}
    unlisted = []
    for record in records:
        rid = str(record.id)
        if rid in test_ids:
            out["test"].append(record)
        elif rid in dev_ids:
            out["dev"].append(record)
        elif rid in train_ids:
            out["train"].append(record)
        else:
            unlisted.append(record)
    held_out = [r.text for r in out["test"] + out["dev"]]
    out["train"].extend(r for r in unlisted if not _leaks(r.text, held_out))
    return out


def load_split(annotations_dir: str | Path, split: str) -> list[AnnotatedRecord]:
    """The records of ``split`` (``train``, ``dev`` or ``test``) among ``annotations_dir/*.jsonl``.

    Files directly in the folder are read (not ``agreement/``); records not listed in
    ``splits.json`` go to train (see :func:`assign_split`).
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: expected one of {', '.join(SPLITS)}")
    return assign_split(read_many([Path(annotations_dir)]), read_splits(annotations_dir))[split]


def record_sample(record: AnnotatedRecord) -> Sample:
    """The record's text and its entity spans, sorted; ``ValueError`` on a bad span."""
    spans = sorted((e.start, e.end, e.label) for e in record.entities)
    last_end = 0
    for start, end, label in spans:
        if label not in ENTITY_LABELS:
            raise ValueError(f"record {record.id}: unknown entity label {label!r}")
        if not 0 <= start < end <= len(record.text) or start < last_end:
            raise ValueError(f"record {record.id}: bad or overlapping entity [{start}, {end})")
        last_end = end
    return Sample(record.text, tuple(spans))


def chunk_sample(sample: Sample, max_chars: int) -> list[Sample]:
    """Split at line breaks outside entities into pieces of at most ~``max_chars``.

    A piece grows paragraph by paragraph; a single paragraph longer than ``max_chars``
    stays whole. ``max_chars <= 0`` keeps the sample whole.
    """
    text, spans = sample
    if max_chars <= 0 or len(text) <= max_chars:
        return [Sample(text, tuple(spans))]
    inner = {p for s, e, _ in spans for p in range(s + 1, e)}
    cuts = [i + 1 for i, ch in enumerate(text) if ch == "\n" and i + 1 not in inner and i + 1 < len(text)]
    bounds, start = [], 0
    for prev, cut in zip([0, *cuts], [*cuts, len(text)]):
        if cut - start > max_chars and prev > start:
            bounds.append((start, prev))
            start = prev
    bounds.append((start, len(text)))
    return [Sample(text[a:b], tuple((s - a, e - a, lab) for s, e, lab in spans if a <= s and e <= b))
            for a, b in bounds]


def sample_to_doc(vocab: Vocab, sample: Sample) -> Doc:
    """A Doc with one token per character and ``doc.ents`` = the sample's spans (others O)."""
    doc = CharTokenizer(vocab)(sample.text)
    ents = [Span(doc, s, e, label=label) for s, e, label in sample.spans]
    doc.set_ents(ents, default="outside")
    return doc


def record_samples(record: AnnotatedRecord, augment_copies: int = 0, seed: int = 0,
                   max_chars: int = 0) -> list[Sample]:
    """The record (chunked at paragraphs when ``max_chars`` > 0) plus ``augment_copies``
    noisy copies of every chunk; deterministic for a given ``seed``."""
    out = []
    for n, chunk in enumerate(chunk_sample(record_sample(record), max_chars)):
        out.append(chunk)
        out.extend(augment(chunk, augment_copies, seed, key=f"{record.id}#{n}"))
    return out


def records_to_docs(vocab: Vocab, records: Iterable[AnnotatedRecord], augment_copies: int = 0,
                    seed: int = 0, max_chars: int = 0) -> list[Doc]:
    """Gold Docs of ``records`` (see :func:`record_samples`)."""
    return [sample_to_doc(vocab, sample) for record in records
            for sample in record_samples(record, augment_copies, seed, max_chars)]


def write_docbin(docs: Iterable[Doc], path: str | Path) -> Path:
    """Save ``docs`` (with their entities) as a ``.spacy`` DocBin file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], docs=docs).to_disk(path)
    return path
