"""Corpus statistics per split (``annotations/splits.json``) and in total.

For each split and for the whole corpus: records, characters, entities per label, relations
per type, commitments by status. Warns (on stderr) about record ids that are in a file but in
no split, in a split but in no file, in two splits, or repeated across files; the agreement
files (``annotations/agreement/``) are not part of the corpus and are not counted.

Usage::

    python3 training/corpus_stats.py                      # plain-text table
    python3 training/corpus_stats.py --markdown stats.md  # also write a Markdown table
    python3 training/corpus_stats.py --markdown -         # Markdown on stdout
    python3 training/corpus_stats.py --by-file            # one column per file as well
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from minsheng_nlp.errors import AnnotationError  # noqa: E402
from minsheng_nlp.io import ENTITY_LABELS, AnnotatedRecord, read_annotations  # noqa: E402
from minsheng_nlp.relations.types import RELATION_TYPES  # noqa: E402

SPLITS = ("train", "dev", "test")
STATUSES = ("planned", "achieved")


# --------------------------------------------------------------------------- loading

def load_corpus(annotations: Path) -> dict[str, list[AnnotatedRecord]]:
    """The records of every ``annotations/*.jsonl`` file (not the agreement folder), by file.

    A file that cannot be read (e.g. one being written) is skipped with a warning.
    """
    corpus: dict[str, list[AnnotatedRecord]] = {}
    for path in sorted(annotations.glob("*.jsonl")):
        try:
            corpus[path.name] = read_annotations(path)
        except AnnotationError as err:
            print(f"warning: skipped {path.name}: {err}", file=sys.stderr)
    return corpus


def load_splits(path: Path) -> dict[str, list[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: [str(i) for i in data.get(name, [])] for name in SPLITS}


def split_warnings(corpus: dict[str, list[AnnotatedRecord]],
                   splits: dict[str, list[str]]) -> list[str]:
    """Every inconsistency between the files and the splits, as readable messages."""
    out: list[str] = []
    where: dict[str, str] = {}
    for fname, records in corpus.items():
        for r in records:
            rid = str(r.id)
            if rid in where:
                out.append(f"record id {rid} is in {where[rid]} and in {fname}")
            where.setdefault(rid, fname)
    member: dict[str, list[str]] = {}
    for name, ids in splits.items():
        counts = Counter(ids)
        out += [f"record id {rid} is listed {n} times in split {name}"
                for rid, n in counts.items() if n > 1]
        for rid in counts:
            member.setdefault(rid, []).append(name)
    out += [f"record id {rid} is in several splits: {', '.join(names)}"
            for rid, names in member.items() if len(names) > 1]
    out += [f"record id {rid} ({fname}) is in no split" for rid, fname in where.items()
            if rid not in member]
    out += [f"record id {rid} (split {', '.join(names)}) is in no annotation file"
            for rid, names in member.items() if rid not in where]
    return out


# --------------------------------------------------------------------------- counting

def count(records: Iterable[AnnotatedRecord]) -> Counter:
    """records, chars, entity:<LABEL>, relation:<TYPE>, commitment:<status>, commitments."""
    c: Counter = Counter()
    for r in records:
        c["records"] += 1
        c["chars"] += len(r.text)
        c["synthetic records"] += bool(r.meta.get("synthetic"))
        for e in r.entities:
            c[f"entity:{e.label}"] += 1
            c["entities"] += 1
        for rel in r.relations:
            c[f"relation:{rel.type}"] += 1
            c["relations"] += 1
        for com in r.commitments:
            c[f"commitment:{com.status}"] += 1
            c["commitments"] += 1
    return c


def rows(extra_labels: Sequence[str], extra_types: Sequence[str],
         extra_statuses: Sequence[str]) -> list[tuple[str, str]]:
    """(row title, counter key) in display order."""
    out = [("records", "records"), ("  of which synthetic", "synthetic records"),
           ("characters", "chars"), ("entities", "entities")]
    out += [(f"  {label}", f"entity:{label}") for label in (*ENTITY_LABELS, *extra_labels)]
    out += [("relations", "relations")]
    out += [(f"  {t}", f"relation:{t}") for t in (*RELATION_TYPES, *extra_types)]
    out += [("commitments", "commitments")]
    out += [(f"  {s}", f"commitment:{s}") for s in (*STATUSES, *extra_statuses)]
    return out


def build_table(corpus: dict[str, list[AnnotatedRecord]], splits: dict[str, list[str]],
                by_file: bool = False) -> tuple[list[str], list[list[str]]]:
    """Header and rows: one column per split (and per file), then the total."""
    by_id = {str(r.id): r for records in corpus.values() for r in records}
    columns: list[tuple[str, Counter]] = []
    for name in SPLITS:
        columns.append((name, count(by_id[i] for i in dict.fromkeys(splits[name]) if i in by_id)))
    in_split = {i for ids in splits.values() for i in ids}
    unsplit = [r for r in by_id.values() if str(r.id) not in in_split]
    if unsplit:
        columns.append(("no split", count(unsplit)))
    if by_file:
        columns += [(fname, count(records)) for fname, records in corpus.items()]
    columns.append(("total", count(r for records in corpus.values() for r in records)))
    keys = set().union(*(c for _, c in columns))
    extra = lambda prefix, known: sorted(k.split(":", 1)[1] for k in keys  # noqa: E731
                                         if k.startswith(prefix) and k.split(":", 1)[1] not in known)
    table_rows = rows(extra("entity:", ENTITY_LABELS), extra("relation:", RELATION_TYPES),
                      extra("commitment:", STATUSES))
    header = [""] + [name for name, _ in columns]
    body = [[title] + [f"{c[key]:,}" if key == "chars" else str(c[key]) for _, c in columns]
            for title, key in table_rows]
    return header, body


def format_text(header: list[str], body: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = []
    for row in [header, *body]:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def format_markdown(header: list[str], body: list[list[str]]) -> str:
    def cell(text: str) -> str:
        stripped = text.strip()
        return f"&nbsp;&nbsp;{stripped}" if text.startswith("  ") else stripped
    lines = ["| " + " | ".join(cell(h) or " " for h in header) + " |",
             "|" + "---|" + "---:|" * (len(header) - 1)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in body]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--annotations", type=Path, default=ROOT / "annotations",
                        help="folder of *.jsonl files (default: annotations/)")
    parser.add_argument("--splits", type=Path, default=None,
                        help="splits file (default: <annotations>/splits.json)")
    parser.add_argument("--markdown", metavar="FILE",
                        help="also write the table as Markdown to FILE ('-' = stdout only)")
    parser.add_argument("--by-file", action="store_true", help="add one column per file")
    parser.add_argument("--strict", action="store_true",
                        help="exit with code 1 when there is any split warning")
    args = parser.parse_args(argv)
    corpus = load_corpus(args.annotations)
    splits_path = args.splits or args.annotations / "splits.json"
    splits = load_splits(splits_path) if splits_path.is_file() else {s: [] for s in SPLITS}
    if not splits_path.is_file():
        print(f"warning: {splits_path} not found; every record counts as 'no split'",
              file=sys.stderr)
    warnings = split_warnings(corpus, splits)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    header, body = build_table(corpus, splits, by_file=args.by_file)
    if args.markdown == "-":
        sys.stdout.write(format_markdown(header, body))
    else:
        sys.stdout.write(format_text(header, body))
        if args.markdown:
            Path(args.markdown).write_text(format_markdown(header, body), encoding="utf-8")
    return 1 if warnings and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
