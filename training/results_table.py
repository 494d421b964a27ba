"""The README's results table: every pipeline on every split, per label and per field.

For each pipeline (``rules`` and each shipped trained tier, or the ones named) and each
split, runs :func:`minsheng_nlp.evaluate.evaluate` (end to end, the pipeline's own
entities) and, for relations, also the pipeline's linker on GOLD entities. Prints a
Markdown table and writes the figures as JSON.

Usage::

    python training/results_table.py [--pipelines rules,fast,accurate] [--splits dev,test]
                                     [--json training/results.json]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import minsheng_nlp  # noqa: E402
from minsheng_nlp.cli.evaluate import select_split  # noqa: E402
from minsheng_nlp.evaluate import evaluate  # noqa: E402
from minsheng_nlp.io.annotations import read_many  # noqa: E402
from minsheng_nlp.pipelines import shipped_models  # noqa: E402
from minsheng_nlp.training.relations import evaluate_linker, model_linker, rules_linker  # noqa: E402

LABELS = ("QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE")
RELATIONS = ("HAS_UNIT", "HAS_DEPARTMENT", "HAS_DEADLINE")
FIELDS = ("value", "unit", "comparator", "status", "year", "deadline", "departments")


def gold_entity_linker(nlp):
    """The pipeline's relation step as a linker over gold entities."""
    if "minsheng_relation_model" in nlp.pipe_names:
        return model_linker(nlp.get_pipe("minsheng_relation_model").model)
    return rules_linker()


def score(name: str, records: list) -> dict[str, Any]:
    """End-to-end figures plus relation figures on gold entities, and the time taken."""
    nlp = minsheng_nlp.load(name)
    start = time.perf_counter()
    result = evaluate(nlp, records)
    result["seconds"] = round(time.perf_counter() - start, 2)
    result["relations_gold_entities"] = evaluate_linker(gold_entity_linker(nlp), records)
    return result


def rows(results: dict[str, dict[str, dict[str, Any]]]) -> list[tuple[str, list[float | None]]]:
    """(row name, [value per (pipeline, split) column]) in the README's order."""
    cols = [(p, s) for p in results for s in results[p]]

    def col(get) -> list[float | None]:
        """One value per column; None where the figure does not exist (no gold and no
        predicted relation of a type in that split)."""
        out = []
        for p, s in cols:
            try:
                out.append(get(results[p][s]))
            except KeyError:
                out.append(None)
        return out

    out = [(f"entity F1 {label}", col(lambda r, l=label: r["entities"]["per_label"][l]["f1"])) for label in LABELS]
    out.append(("**entity micro-F1**", col(lambda r: r["entities"]["micro"]["f1"])))
    out += [(f"relation F1 {t} (end to end)", col(lambda r, t=t: r["relations"]["per_type"][t]["f1"])) for t in RELATIONS]
    out.append(("relation micro-F1 (end to end)", col(lambda r: r["relations"]["micro"]["f1"])))
    out += [(f"relation F1 {t} (gold entities)", col(lambda r, t=t: r["relations_gold_entities"]["per_type"][t]["f1"]))
            for t in RELATIONS]
    out.append(("relation micro-F1 (gold entities)", col(lambda r: r["relations_gold_entities"]["micro"]["f1"])))
    out.append(("**commitment F1**", col(lambda r: r["commitments"]["f1"])))
    out += [(f"field accuracy {f}", col(lambda r, f=f: r["fields"][f]["accuracy"])) for f in FIELDS]
    out.append(("**full-record F1**", col(lambda r: r["full"]["f1"])))
    return out


def markdown(results: dict[str, dict[str, dict[str, Any]]]) -> str:
    """The figures as a Markdown table, one column per (pipeline, split)."""
    header = [""] + [f"{p} {s}" for p in results for s in results[p]]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    for name, values in rows(results):
        lines.append("| " + " | ".join([name] + ["—" if v is None else f"{v:.3f}" for v in values]) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pipelines", default=",".join(["rules", *shipped_models()]))
    parser.add_argument("--splits", default="dev,test")
    parser.add_argument("--data", default=str(ROOT / "annotations"))
    parser.add_argument("--json", default=None, help="write the figures to this JSON file")
    args = parser.parse_args(argv)
    data = Path(args.data)
    records = read_many([data])
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for name in args.pipelines.split(","):
        results[name] = {}
        for split in args.splits.split(","):
            chosen = select_split(records, split, data / "splits.json")
            results[name][split] = score(name, chosen)
            print(f"{name} {split}: entity micro-F1 {results[name][split]['entities']['micro']['f1']:.3f}",
                  file=sys.stderr, flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
