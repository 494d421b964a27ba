"""Inter-annotator agreement between two annotation files of the same source document.

Both files are read with :func:`minsheng_nlp.io.read_annotations`. Records may be cut
differently in the two files, so everything is compared on *absolute* source offsets
(``meta.source`` + ``meta.offset + start``):

* entities: exact (start, end, label); P/R/F1 per label and micro, taking file A as the
  reference (F1 is symmetric, P and R swap when A and B swap);
* relations: exact (head span, tail span, type); P/R/F1 per type and micro;
* commitments: matched one-to-one on the quantity span; P/R/F1;
* fields over matched commitments: value, value_max, unit, comparator, status, year,
  deadline, departments (compared as sets of absolute spans) and task;
* Cohen's kappa on status (matched commitments) and on "is this QUANTITY a commitment"
  (QUANTITY spans both annotators tagged).

Every disagreement is listed with its text and some context.

Usage::

    python3 training/agreement.py annotations/seed_003.jsonl \\
        annotations/agreement/seed_003_annotator_b.jsonl [--json] [--no-list] [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from minsheng_nlp.io import ENTITY_LABELS, AnnotatedRecord, read_annotations  # noqa: E402
from minsheng_nlp.relations.types import RELATION_TYPES  # noqa: E402

FIELDS = ("value", "value_max", "unit", "comparator", "status", "year", "deadline",
          "departments", "task")

Span = tuple[str, int, int]          # (source, absolute start, absolute end)
EntKey = tuple[str, int, int, str]   # span + label
RelKey = tuple[Span, Span, str]      # head span, tail span, type


# --------------------------------------------------------------------------- ratios

def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall and F1 of B against A (0.0 when undefined), with the counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def cohen_kappa(pairs: Sequence[tuple[Any, Any]]) -> float | None:
    """Cohen's kappa of two raters over the same items.

    None when it is undefined: no items, or both raters used one and the same category
    for every item (chance agreement is then 1 and kappa is 0/0).
    """
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    count_a = Counter(a for a, _ in pairs)
    count_b = Counter(b for _, b in pairs)
    expected = sum(count_a[k] * count_b[k] for k in set(count_a) | set(count_b)) / (n * n)
    if expected == 1.0:
        return None
    return (observed - expected) / (1 - expected)


# --------------------------------------------------------------------------- one annotated file

@dataclass
class Side:
    """One annotator's file on absolute source offsets."""

    name: str
    records: list[AnnotatedRecord]
    chars: dict[str, dict[int, str]] = field(default_factory=dict)
    entities: dict[EntKey, str] = field(default_factory=dict)          # key -> record id
    relations: set[RelKey] = field(default_factory=set)
    commitments: dict[Span, dict[str, Any]] = field(default_factory=dict)
    duplicate_commitments: int = 0


def _source(record: AnnotatedRecord) -> str:
    return str(record.meta.get("source") or record.source_file)


def _offset(record: AnnotatedRecord) -> int:
    offset = record.meta.get("offset", 0)
    return offset if isinstance(offset, int) else 0


def _num(value: Any) -> Any:
    """Decimals compared by value (3000 == 3000.0)."""
    return None if value is None else value.normalize() if hasattr(value, "normalize") else value


def load_side(path: str | Path, name: str | None = None) -> Side:
    """Read a file and put every entity, relation and commitment on absolute offsets."""
    records = read_annotations(path)
    side = Side(name or str(path), records)
    for record in records:
        src, base = _source(record), _offset(record)
        chars = side.chars.setdefault(src, {})
        for i, ch in enumerate(record.text):
            chars[base + i] = ch
        ents = record.entity_map()

        def span(eid: int) -> Span:
            e = ents[eid]
            return (src, base + e.start, base + e.end)

        for e in record.entities:
            side.entities[(src, base + e.start, base + e.end, e.label)] = str(record.id)
        for r in record.relations:
            if r.from_id in ents and r.to_id in ents:
                side.relations.add((span(r.from_id), span(r.to_id), r.type))
        for c in record.commitments:
            if c.quantity not in ents:
                continue
            key = span(c.quantity)
            if key in side.commitments:
                side.duplicate_commitments += 1
                continue
            side.commitments[key] = {
                "value": _num(c.value), "value_max": _num(c.value_max), "unit": c.unit,
                "comparator": c.comparator, "status": c.status, "year": c.year,
                "deadline": c.deadline.isoformat() if c.deadline else None,
                "departments": frozenset(span(d) for d in c.departments if d in ents),
                "task": "".join(c.task.split()),
                "record": str(record.id)}
    return side


# --------------------------------------------------------------------------- comparison

def _count(a: Iterable[tuple], b: Iterable[tuple], label_of) -> tuple[Counter, Counter, Counter]:
    a, b = set(a), set(b)
    tp, fp, fn = Counter(), Counter(), Counter()
    for item in a & b:
        tp[label_of(item)] += 1
    for item in b - a:
        fp[label_of(item)] += 1
    for item in a - b:
        fn[label_of(item)] += 1
    return tp, fp, fn


def _per_key(tp: Counter, fp: Counter, fn: Counter, canonical: Sequence[str]) -> dict[str, Any]:
    keys = [k for k in canonical if k in tp or k in fp or k in fn]
    keys += sorted((set(tp) | set(fp) | set(fn)) - set(canonical))
    out = {k: prf(tp[k], fp[k], fn[k]) for k in keys}
    out["micro"] = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return out


def compare(a: Side, b: Side) -> dict[str, Any]:
    """All agreement figures of B against A (A is the reference for P and R)."""
    sources = sorted({k[0] for k in a.entities} | {k[0] for k in b.entities})
    ent = _per_key(*_count(a.entities, b.entities, lambda k: k[3]), ENTITY_LABELS)
    spans_a = {k[:3] for k in a.entities}
    spans_b = {k[:3] for k in b.entities}
    span_only = prf(len(spans_a & spans_b), len(spans_b - spans_a), len(spans_a - spans_b))
    rel = _per_key(*_count(a.relations, b.relations, lambda k: k[2]), RELATION_TYPES)

    matched = sorted(set(a.commitments) & set(b.commitments))
    com = prf(len(matched), len(set(b.commitments) - set(a.commitments)),
              len(set(a.commitments) - set(b.commitments)))
    fields = {}
    for f in FIELDS:
        right = sum(a.commitments[k][f] == b.commitments[k][f] for k in matched)
        fields[f] = {"agreement": right / len(matched) if matched else 0.0,
                     "agree": right, "n": len(matched)}
    full = sum(all(a.commitments[k][f] == b.commitments[k][f] for f in FIELDS if f != "task")
               for k in matched)
    status_pairs = [(a.commitments[k]["status"], b.commitments[k]["status"]) for k in matched]
    q_a = {k[:3] for k in a.entities if k[3] == "QUANTITY"}
    q_b = {k[:3] for k in b.entities if k[3] == "QUANTITY"}
    both_q = sorted(q_a & q_b)
    is_commitment = [(q in a.commitments, q in b.commitments) for q in both_q]
    return {
        "a": a.name, "b": b.name, "sources": sources,
        "records": {"a": len(a.records), "b": len(b.records)},
        "entities": ent, "entity_spans_ignoring_label": span_only,
        "relations": rel,
        "commitments": com,
        "commitments_all_fields_equal": {"n": full, "of_matched": len(matched)},
        "fields": fields,
        "kappa": {
            "status": {"kappa": cohen_kappa(status_pairs), "n": len(status_pairs),
                       "categories": sorted({s for pair in status_pairs for s in pair})},
            "is_commitment": {"kappa": cohen_kappa(is_commitment), "n": len(is_commitment),
                              "note": "over QUANTITY spans tagged by both"}},
        "duplicate_commitments": {"a": a.duplicate_commitments, "b": b.duplicate_commitments},
    }


# --------------------------------------------------------------------------- disagreements

def _text(side: Side, src: str, start: int, end: int) -> str:
    chars = side.chars.get(src, {})
    return "".join(chars.get(i, "?") for i in range(start, end))


def _context(a: Side, b: Side, src: str, start: int, end: int, width: int) -> str:
    """``left【span】right`` with line breaks shown as ⏎."""
    chars = {**b.chars.get(src, {}), **a.chars.get(src, {})}
    get = lambda i, j: "".join(chars.get(k, "") for k in range(i, j))  # noqa: E731
    out = f"{get(start - width, start)}【{get(start, end)}】{get(end, end + width)}"
    return out.replace("\n", "⏎")


def _span_str(a: Side, b: Side, span: Span) -> str:
    src, s, e = span
    chars = {**b.chars.get(src, {}), **a.chars.get(src, {})}
    return "".join(chars.get(i, "?") for i in range(s, e)).replace("\n", "⏎") + f"@{s}"


def disagreements(a: Side, b: Side, width: int = 12) -> list[dict[str, Any]]:
    """Every difference between A and B, as dicts with ``kind`` and a readable ``line``."""
    out: list[dict[str, Any]] = []
    # entities: pair up same-span/different-label and overlapping spans for readability
    only_a = sorted(set(a.entities) - set(b.entities), key=lambda k: (k[0], k[1], k[2]))
    only_b = sorted(set(b.entities) - set(a.entities), key=lambda k: (k[0], k[1], k[2]))
    used_b: set[EntKey] = set()
    for ka in only_a:
        src, s, e, label = ka
        partner = next((kb for kb in only_b if kb not in used_b and kb[0] == src
                        and kb[1] < e and s < kb[2]), None)
        ctx = _context(a, b, src, s, e, width)
        if partner is None:
            out.append({"kind": "entity_only_a", "offset": s,
                        "line": f"ENT   A only  {label:<10} {ctx}"})
            continue
        used_b.add(partner)
        if partner[1:3] == (s, e):
            kind, what = "entity_label", f"A {label} vs B {partner[3]}"
        else:
            kind = "entity_boundary"
            what = (f"A {label} '{_text(a, src, s, e)}' vs B {partner[3]} "
                    f"'{_text(b, src, partner[1], partner[2])}'")
        out.append({"kind": kind, "offset": s, "line": f"ENT   {what:<40} {ctx}"})
    for kb in only_b:
        if kb in used_b:
            continue
        src, s, e, label = kb
        out.append({"kind": "entity_only_b", "offset": s,
                    "line": f"ENT   B only  {label:<10} {_context(a, b, src, s, e, width)}"})
    # relations; those with an endpoint only one annotator tagged follow from an entity
    # disagreement and are marked "(entity)"
    ents_both = {k[:3] for k in set(a.entities) & set(b.entities)}
    for who, mine, theirs in (("A", a.relations, b.relations), ("B", b.relations, a.relations)):
        for head, tail, rtype in sorted(mine - theirs):
            own = head in ents_both and tail in ents_both
            out.append({"kind": f"relation_only_{who.lower()}" + ("" if own else "_entity"),
                        "offset": head[1],
                        "line": f"REL   {who} only  {rtype:<14} {_span_str(a, b, head)} -> "
                                f"{_span_str(a, b, tail)}" + ("" if own else "  (entity)")})
    # commitments
    for who, mine, theirs in (("A", a.commitments, b.commitments),
                              ("B", b.commitments, a.commitments)):
        for span in sorted(set(mine) - set(theirs), key=lambda k: k[1]):
            tagged = "QUANTITY in both" if span in ents_both else "QUANTITY differs"
            out.append({"kind": f"commitment_only_{who.lower()}", "offset": span[1],
                        "line": f"COM   {who} only  ({tagged}) "
                                f"{_context(a, b, span[0], span[1], span[2], width)}"
                                f"  task={mine[span]['task']}"})
    for span in sorted(set(a.commitments) & set(b.commitments), key=lambda k: k[1]):
        ca, cb = a.commitments[span], b.commitments[span]
        for f in FIELDS:
            if ca[f] == cb[f]:
                continue
            va, vb = ca[f], cb[f]
            if f == "departments":
                va = sorted(_span_str(a, b, d) for d in va)
                vb = sorted(_span_str(a, b, d) for d in vb)
            out.append({"kind": f"field_{f}", "offset": span[1],
                        "line": f"FIELD {f:<11} {_span_str(a, b, span)}: A={va} B={vb}"})
    out.sort(key=lambda d: d["offset"])
    return out


# --------------------------------------------------------------------------- report

def _row(name: str, s: dict[str, Any]) -> str:
    return (f"  {name:<16} P={s['p']:.3f} R={s['r']:.3f} F1={s['f1']:.3f}  "
            f"(both {s['tp']}, B only {s['fp']}, A only {s['fn']})")


def format_report(result: dict[str, Any], diffs: list[dict[str, Any]] | None) -> str:
    lines = [f"A: {result['a']} ({result['records']['a']} records)",
             f"B: {result['b']} ({result['records']['b']} records)",
             f"sources: {', '.join(result['sources'])}", "",
             "Entities (exact span + label; A = reference)"]
    lines += [_row(k, s) for k, s in result["entities"].items()]
    lines += [_row("span only", result["entity_spans_ignoring_label"]), "",
              "Relations (exact head span, tail span, type)"]
    lines += [_row(k, s) for k, s in result["relations"].items()]
    lines += ["", "Commitments (matched on the quantity span)",
              _row("commitments", result["commitments"]),
              f"  all fields equal (task excluded): {result['commitments_all_fields_equal']['n']}"
              f" of {result['commitments_all_fields_equal']['of_matched']} matched", "",
              "Field agreement over matched commitments"]
    for f, s in result["fields"].items():
        lines.append(f"  {f:<12} {s['agreement']:.3f}  ({s['agree']}/{s['n']})")
    k = result["kappa"]
    fmt = lambda v: "undefined (no items, or one category only)" if v is None else f"{v:.3f}"  # noqa: E731
    lines += ["", f"Cohen's kappa, status (matched commitments): {fmt(k['status']['kappa'])}"
                  f" (n={k['status']['n']}, categories used: "
                  f"{', '.join(k['status']['categories']) or '-'})",
              f"Cohen's kappa, is-a-commitment (QUANTITY spans in both): "
              f"{fmt(k['is_commitment']['kappa'])} (n={k['is_commitment']['n']})"]
    if diffs is not None:
        kinds = Counter(d["kind"] for d in diffs)
        lines += ["", f"Disagreements: {len(diffs)}"]
        lines += [f"  {kind:<24} {n}" for kind, n in sorted(kinds.items())]
        lines += ["", "Disagreement list (in source order; ⏎ = line break)"]
        lines += [f"  {d['line']}" for d in diffs]
    return "\n".join(lines) + "\n"


def _jsonable(result: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(result, default=str))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("a", help="annotation file of annotator A (the reference)")
    parser.add_argument("b", help="annotation file of annotator B, same source document")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-list", action="store_true", help="do not list disagreements")
    parser.add_argument("--context", type=int, default=12, help="context characters (12)")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    a, b = load_side(args.a, args.a), load_side(args.b, args.b)
    sources_a = {_source(r) for r in a.records}
    sources_b = {_source(r) for r in b.records}
    if sources_a != sources_b:
        print(f"warning: different sources: A {sorted(sources_a)} vs B {sorted(sources_b)}",
              file=sys.stderr)
    result = compare(a, b)
    diffs = None if args.no_list else disagreements(a, b, args.context)
    if args.json:
        payload = _jsonable(result)
        if diffs is not None:
            payload["disagreements"] = diffs
        text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    else:
        text = format_report(result, diffs)
    sys.stdout.write(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
