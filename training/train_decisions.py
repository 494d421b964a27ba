"""Train the relation model and the commitment decisions; score them on dev against the rules.

Both are trained on the train split with GOLD entities and scored on the dev split with
GOLD entities (relations: P/R/F1 per type; commitments: decision and status accuracy),
next to the rule linker and the rule decisions on the same gold input. The test split is
never read.

Usage::

    python3 training/train_decisions.py [--config training/decisions.cfg] [--out DIR] [--json]

With ``--out``, writes ``DIR/relation_model.json`` and ``DIR/commitment_model.json``.
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

from spacy.util import load_config  # noqa: E402

from minsheng_nlp.training.commitments import (evaluate_decisions, model_deciders,  # noqa: E402
                                               rule_deciders, train_commitment_models)
from minsheng_nlp.training.gold_docs import check_not_test, records_of_split  # noqa: E402
from minsheng_nlp.training.relations import (evaluate_linker, model_linker, rules_linker,  # noqa: E402
                                             train_relations)


def relation_rows(name: str, result: dict[str, Any]) -> list[str]:
    rows = []
    for rtype, s in [*result["per_type"].items(), ("micro", result["micro"])]:
        rows.append(f"{name:<6} {rtype:<15} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}"
                    f"  (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})")
    return rows


def decision_rows(name: str, r: dict[str, Any]) -> list[str]:
    c, s, j = r["commitment"], r["status"], r["joint_status"]
    return [f"{name:<6} commitment-or-not accuracy {c['accuracy']:.3f} ({c['correct']}/{r['quantities']})"
            f"  P {c['p']:.3f} R {c['r']:.3f} F1 {c['f1']:.3f}",
            f"{name:<6} status accuracy (gold commitments) {s['accuracy']:.3f} ({s['correct']}/{s['n']})"
            f"  joint {j['accuracy']:.3f} ({j['correct']}/{j['n']})"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", default=str(ROOT / "training" / "decisions.cfg"))
    parser.add_argument("--annotations", default=str(ROOT / "annotations"))
    parser.add_argument("--out", default=None, help="folder for the JSON models")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    config = dict(load_config(args.config, interpolate=True))
    splits = Path(args.annotations) / "splits.json"
    train = records_of_split(args.annotations, splits, "train")
    dev = records_of_split(args.annotations, splits, "dev")
    check_not_test(train + dev, splits)

    t0 = time.time()
    relations = train_relations(train, config)
    t1 = time.time()
    commitments = train_commitment_models(train, config)
    t2 = time.time()
    figures = {
        "relations": {"model": evaluate_linker(model_linker(relations), dev),
                      "rules": evaluate_linker(rules_linker(), dev)},
        "commitments": {"model": evaluate_decisions(*model_deciders(commitments), dev),
                        "rules": evaluate_decisions(*rule_deciders(), dev)},
        "selected": {"relations": {t: {"threshold": m.threshold, **m.info} for t, m in relations.models.items()},
                     "is_commitment": {"threshold": commitments.is_commitment.threshold,
                                       **commitments.is_commitment.info},
                     "status": {"threshold": commitments.status.threshold, **commitments.status.info}},
        "train_seconds": {"relations": round(t1 - t0, 1), "commitments": round(t2 - t1, 1)},
        "records": {"train": len(train), "dev": len(dev)},
    }
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        relations.to_disk(out / "relation_model.json")
        commitments.to_disk(out / "commitment_model.json")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
        return 0
    print(f"train {len(train)} records, dev {len(dev)} records (gold entities)")
    print("\nRelations on dev (gold entities)")
    print("\n".join(relation_rows("model", figures["relations"]["model"])
                    + relation_rows("rules", figures["relations"]["rules"])))
    print("\nCommitment decisions on dev (gold entities and relations)")
    print("\n".join(decision_rows("model", figures["commitments"]["model"])
                    + decision_rows("rules", figures["commitments"]["rules"])))
    print("\nSelected by cross-validation over training sources")
    for name, sel in figures["selected"].items():
        print(f"  {name}: {json.dumps(sel, ensure_ascii=False)}")
    print(f"\ntraining time: {figures['train_seconds']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
