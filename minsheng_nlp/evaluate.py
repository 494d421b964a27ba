"""Score a pipeline against gold annotations: entities, relations, commitments and fields.

Matching is exact on character offsets: an entity matches on (start, end, label), a
relation on (head span, tail span, type), a commitment on its quantity span. Field
accuracy is measured over matched commitments; a "full" commitment is a matched one
with every field right. Undefined ratios (0/0) are reported as 0.0; the tp/fp/fn and n
counts say how much evidence stands behind each number.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401  (registers doc._.year, ._.relations, ._.commitments)
from .commitments.record import Commitment
from .io.annotations import ENTITY_LABELS, AnnotatedRecord, Entity, GoldCommitment
from .relations.types import RELATION_TYPES

FIELDS = ("value", "unit", "comparator", "status", "year", "deadline", "departments")

Span = tuple[int, int]
Fields = dict[str, Any]


# --------------------------------------------------------------------------- ratios

def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall, F1 (0.0 when undefined) and the counts behind them."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def _ordered(keys: Iterable[str], canonical: Sequence[str]) -> list[str]:
    present = set(keys)
    return [k for k in canonical if k in present] + sorted(present - set(canonical))


def _per_key(tp: Counter[str], fp: Counter[str], fn: Counter[str],
             canonical: Sequence[str]) -> dict[str, dict[str, float | int]]:
    keys = _ordered(set(tp) | set(fp) | set(fn), canonical)
    return {k: prf(tp[k], fp[k], fn[k]) for k in keys}


def micro(tp: Counter[str], fp: Counter[str], fn: Counter[str]) -> dict[str, float | int]:
    return prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))


def count_matches(gold: set[tuple], pred: set[tuple], tp: Counter[str], fp: Counter[str],
                fn: Counter[str]) -> None:
    """Add the matches of two sets of tuples whose last element is the label."""
    for item in gold & pred:
        tp[item[-1]] += 1
    for item in pred - gold:
        fp[item[-1]] += 1
    for item in gold - pred:
        fn[item[-1]] += 1


# --------------------------------------------------------------------------- gold and predicted

def _gold_entities(record: AnnotatedRecord) -> set[tuple[int, int, str]]:
    return {(e.start, e.end, e.label) for e in record.entities}


def _gold_relations(record: AnnotatedRecord) -> set[tuple[int, int, int, int, str]]:
    entities = record.entity_map()
    return {(entities[r.from_id].start, entities[r.from_id].end, entities[r.to_id].start,
             entities[r.to_id].end, r.type)
            for r in record.relations if r.from_id in entities and r.to_id in entities}


def _gold_fields(c: GoldCommitment, entities: dict[int, Entity]) -> Fields:
    return {"value": (c.value, c.value_max), "unit": c.unit, "comparator": c.comparator,
            "status": c.status, "year": c.year, "deadline": c.deadline,
            "departments": frozenset((entities[d].start, entities[d].end)
                                     for d in c.departments if d in entities)}


def _gold_commitments(record: AnnotatedRecord) -> list[tuple[Span, Fields]]:
    entities = record.entity_map()
    return [((entities[c.quantity].start, entities[c.quantity].end), _gold_fields(c, entities))
            for c in record.commitments if c.quantity in entities]


def _pred_entities(doc: Doc) -> set[tuple[int, int, str]]:
    return {(e.start_char, e.end_char, e.label_) for e in doc.ents}


def _pred_relations(doc: Doc) -> set[tuple[int, int, int, int, str]]:
    return {(r.head.start_char, r.head.end_char, r.tail.start_char, r.tail.end_char, r.label)
            for r in doc._.relations}


def _pred_fields(c: Commitment) -> Fields:
    return {"value": (c.value, c.value_max), "unit": c.unit, "comparator": c.comparator,
            "status": c.status, "year": c.year, "deadline": c.deadline,
            "departments": frozenset((d.start, d.end) for d in c.departments)}


def _pred_commitments(doc: Doc) -> list[tuple[Span, Fields]]:
    return [((c.quantity.start, c.quantity.end), _pred_fields(c)) for c in doc._.commitments]


def _match(gold: list[tuple[Span, Fields]],
           pred: list[tuple[Span, Fields]]) -> tuple[list[tuple[Fields, Fields]], int, int]:
    """One-to-one matches on the quantity span: (pairs of (gold, pred), fp, fn)."""
    open_gold: dict[Span, list[Fields]] = {}
    for span, fields in gold:
        open_gold.setdefault(span, []).append(fields)
    pairs: list[tuple[Fields, Fields]] = []
    fp = 0
    for span, fields in pred:
        if open_gold.get(span):
            pairs.append((open_gold[span].pop(0), fields))
        else:
            fp += 1
    return pairs, fp, sum(len(v) for v in open_gold.values())


# --------------------------------------------------------------------------- evaluation

def _make_doc(nlp: Language, record: AnnotatedRecord) -> Doc:
    doc = nlp.make_doc(record.text)
    doc._.year = record.year
    return doc


def evaluate(nlp: Language, records: Sequence[AnnotatedRecord],
             batch_size: int = 16) -> dict[str, Any]:
    """Run ``nlp`` on each record's text (with ``doc._.year = meta.year``) and score it.

    Returns a JSON-serializable dict: ``records``; ``entities`` and ``relations`` with
    ``per_label`` / ``per_type`` and ``micro`` P/R/F1 (+ tp/fp/fn); ``commitments`` and
    ``full`` P/R/F1; ``fields``: accuracy, correct and n over matched commitments.
    """
    records = list(records)
    counts: dict[str, Counter[str]] = {k: Counter() for k in
                                      ("ent_tp", "ent_fp", "ent_fn", "rel_tp", "rel_fp", "rel_fn")}
    correct: Counter[str] = Counter()
    matched = fp = fn = full = 0
    docs = nlp.pipe((_make_doc(nlp, r) for r in records), batch_size=batch_size)
    for record, doc in zip(records, docs):
        count_matches(_gold_entities(record), _pred_entities(doc),
                    counts["ent_tp"], counts["ent_fp"], counts["ent_fn"])
        count_matches(_gold_relations(record), _pred_relations(doc),
                    counts["rel_tp"], counts["rel_fp"], counts["rel_fn"])
        pairs, doc_fp, doc_fn = _match(_gold_commitments(record), _pred_commitments(doc))
        matched, fp, fn = matched + len(pairs), fp + doc_fp, fn + doc_fn
        for gold, pred in pairs:
            right = [f for f in FIELDS if gold[f] == pred[f]]
            correct.update(right)
            full += len(right) == len(FIELDS)
    ent = (counts["ent_tp"], counts["ent_fp"], counts["ent_fn"])
    rel = (counts["rel_tp"], counts["rel_fp"], counts["rel_fn"])
    return {
        "records": len(records),
        "entities": {"per_label": _per_key(*ent, ENTITY_LABELS), "micro": micro(*ent)},
        "relations": {"per_type": _per_key(*rel, RELATION_TYPES), "micro": micro(*rel)},
        "commitments": prf(matched, fp, fn),
        "fields": {f: {"accuracy": correct[f] / matched if matched else 0.0,
                       "correct": correct[f], "n": matched} for f in FIELDS},
        "full": prf(full, matched + fp - full, matched + fn - full),
    }


# --------------------------------------------------------------------------- report

def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Aligned columns: the first left-justified, the others right-justified."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _prf_row(name: str, s: dict[str, Any]) -> list[str]:
    return [name, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f1']:.3f}",
            str(s["tp"]), str(s["fp"]), str(s["fn"])]


def _prf_table(title: str, per_key: dict[str, dict[str, Any]], micro: dict[str, Any]) -> str:
    rows = [_prf_row(k, s) for k, s in per_key.items()] + [_prf_row("micro", micro)]
    return _table([title, "P", "R", "F1", "TP", "FP", "FN"], rows)


def format_report(result: dict[str, Any]) -> str:
    """The result of :func:`evaluate` as readable aligned tables."""
    fields = result["fields"]
    n = next(iter(fields.values()))["n"] if fields else 0
    parts = [
        f"Records: {result['records']}",
        _prf_table("Entities", result["entities"]["per_label"], result["entities"]["micro"]),
        _prf_table("Relations", result["relations"]["per_type"], result["relations"]["micro"]),
        _table(["Commitments", "P", "R", "F1", "TP", "FP", "FN"],
               [_prf_row("matched (quantity span)", result["commitments"]),
                _prf_row("full (all fields right)", result["full"])]),
        _table([f"Fields (over {n} matched)", "accuracy", "correct", "n"],
               [[f, f"{s['accuracy']:.3f}", str(s["correct"]), str(s["n"])]
                for f, s in fields.items()]),
    ]
    return "\n\n".join(parts) + "\n"
