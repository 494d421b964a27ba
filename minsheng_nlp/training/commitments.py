"""Training and evaluating the learned commitment decisions on GOLD entities and relations.

Every QUANTITY of a record gets the :class:`DecisionContext` the assembler builds for it
(its clauses, unit, year, links — from the gold entities and gold relations, so the
decisions do not depend on the tagger or the linker). Labels: commitment or not (the
gold ``commitments``), and for commitments achieved (1) or planned (0). One logistic
regression each; C and the threshold are chosen by cross-validation over source documents
of the training records. The result is a :class:`CommitmentModel` (JSON only).

Config (the ``[commitments]`` section of a ``.cfg``, parsed into a dict)::

    [commitments]
    seed = 0
    C_grid = [0.003, 0.01, 0.03, 0.1, 0.3, 1.0]
    max_iter = 2000
    tune = true
    # used when tune = false
    C = 0.03
    threshold = 0.5
    status_threshold = 0.5
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..commitments.assemble import CommitmentAssembler, DecisionContext, rule_decision, rule_status
from ..commitments.model import CommitmentModel, clause_features
from ..evaluate import prf
from ..io.annotations import AnnotatedRecord
from ..linear import LinearModel
from ..pipelines import blank
from .fitting import config_section, fit_linear, make_folds, out_of_fold, source_key
from .gold_docs import gold_doc

Features = dict[str, float]


@dataclass(frozen=True)
class CommitmentTrainConfig:
    """Hyperparameters of :func:`train_commitment_models` (defaults = the proposed section)."""

    seed: int = 0
    C: float = 0.03  # used when tune = false
    C_grid: tuple[float, ...] = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
    max_iter: int = 2000
    class_weight: str | None = None
    tune: bool = True
    cv_by_source: bool = True
    cv_folds: int = 5
    threshold: float = 0.5
    status_threshold: float = 0.5
    threshold_grid: tuple[float, ...] = tuple(round(0.05 * i, 2) for i in range(2, 19))
    features: str = "minsheng.commitment_features.v1"

    @classmethod
    def from_dict(cls, config: Mapping[str, Any] | None) -> "CommitmentTrainConfig":
        """From the ``[commitments]`` section, or a whole config holding one."""
        data = config_section(config, "commitments")
        unknown = sorted(set(data) - set(cls.__dataclass_fields__))
        if unknown:
            raise ValueError(f"unknown [commitments] settings: {', '.join(unknown)}")
        known = dict(data)
        for key in ("C_grid", "threshold_grid"):
            if key in known:
                known[key] = tuple(float(v) for v in (known[key] or ()))
        return cls(**known)


# --------------------------------------------------------------------------- contexts

class _ContextCollector(CommitmentAssembler):
    """An assembler that records every decision context and makes no records."""

    def __init__(self) -> None:
        super().__init__("collector")
        self.contexts: list[DecisionContext] = []

    def decide(self, ctx: DecisionContext) -> str | None:
        self.contexts.append(ctx)
        return None


def decision_contexts(record: AnnotatedRecord, nlp=None) -> list[DecisionContext]:
    """The decision context of every (parsable) QUANTITY of a record, gold entities and relations."""
    collector = _ContextCollector()
    collector.assemble(gold_doc(nlp or blank(), record, with_relations=True))
    return collector.contexts


def gold_decisions(record: AnnotatedRecord) -> dict[tuple[int, int], str]:
    """Gold commitments by quantity span: ``{(start, end): status}``."""
    entities = record.entity_map()
    return {(entities[c.quantity].start, entities[c.quantity].end): c.status
            for c in record.commitments if c.quantity in entities}


@dataclass
class DecisionExamples:
    """One row per decidable quantity: features, gold labels and where it comes from."""

    features: list[Features] = field(default_factory=list)
    contexts: list[DecisionContext] = field(default_factory=list)
    is_commitment: list[int] = field(default_factory=list)
    achieved: list[int | None] = field(default_factory=list)  # None: not a commitment
    records: list[int] = field(default_factory=list)
    undecidable: int = 0  # quantities without a context (value not parsable)


def build_decision_examples(records: Sequence[AnnotatedRecord],
                            featurize: Callable[[DecisionContext], Features] = clause_features) -> DecisionExamples:
    """Contexts, features and gold labels of every quantity of ``records``."""
    nlp = blank()
    out = DecisionExamples()
    for n, record in enumerate(records):
        gold = gold_decisions(record)
        contexts = decision_contexts(record, nlp)
        seen = set()
        for ctx in contexts:
            key = (ctx.ent.span.start_char, ctx.ent.span.end_char)
            seen.add(key)
            status = gold.get(key)
            out.features.append(featurize(ctx))
            out.contexts.append(ctx)
            out.is_commitment.append(int(status is not None))
            out.achieved.append(None if status is None else int(status == "achieved"))
            out.records.append(n)
        out.undecidable += sum(1 for e in record.entities if e.label == "QUANTITY") - len(seen)
    return out


# --------------------------------------------------------------------------- fitting

def best_accuracy_threshold(labels: Sequence[int], probs: np.ndarray, grid: Sequence[float]) -> tuple[float, float]:
    """The threshold of ``grid`` with the best accuracy (ties: the one nearest 0.5)."""
    y = np.asarray(labels)
    best, best_acc = 0.5, -1.0
    for th in sorted(grid, key=lambda t: abs(t - 0.5)):
        acc = float(np.mean((probs >= th) == (y == 1))) if y.size else 0.0
        if acc > best_acc + 1e-12:
            best, best_acc = th, acc
    return best, best_acc


def select_and_fit(features: Sequence[Features], labels: Sequence[int], record_of: Sequence[int],
                   sources: Sequence[str], cfg: CommitmentTrainConfig, default_threshold: float) -> LinearModel:
    """Choose C and the threshold by cross-validation over sources, then fit on everything."""
    grid_c = list(cfg.C_grid) or [cfg.C]
    chosen_c, chosen_th, cv_acc = cfg.C, default_threshold, None
    if cfg.tune and len(set(record_of)) >= 2:
        fold_sets = make_folds(sources, cfg.cv_folds, cfg.seed, cfg.cv_by_source)
        best = -1.0
        for C in grid_c:
            probs = out_of_fold(features, labels, record_of, fold_sets, C, cfg.max_iter, cfg.seed,
                                cfg.class_weight)
            th, acc = best_accuracy_threshold(labels, probs, cfg.threshold_grid)
            if acc > best + 1e-9:
                best, chosen_c, chosen_th = acc, C, th
        cv_acc = best
    model = fit_linear(features, labels, chosen_c, cfg.max_iter, cfg.seed, cfg.class_weight,
                       threshold=chosen_th)
    model.info = {"C": chosen_c, "cv_accuracy": cv_acc, "examples": len(labels),
                  "positives": int(sum(labels))}
    return model


def train_commitment_models(records: Sequence[AnnotatedRecord],
                            config: Mapping[str, Any] | None = None) -> CommitmentModel:
    """Train the commitment-or-not and achieved-or-planned classifiers on ``records``.

    ``config``: the ``[commitments]`` section (or a whole config holding it); see
    :class:`CommitmentTrainConfig`. Never pass test records.
    """
    cfg = CommitmentTrainConfig.from_dict(config)
    records = list(records)
    featurize = _featurizer(cfg.features)
    ex = build_decision_examples(records, featurize)
    sources = [source_key(r) for r in records]
    is_commitment = select_and_fit(ex.features, ex.is_commitment, ex.records, sources, cfg, cfg.threshold)
    rows = [i for i, a in enumerate(ex.achieved) if a is not None]
    status = select_and_fit([ex.features[i] for i in rows], [int(ex.achieved[i] or 0) for i in rows],
                            [ex.records[i] for i in rows], sources, cfg, cfg.status_threshold)
    return CommitmentModel(is_commitment=is_commitment, status=status, features=cfg.features)


def _featurizer(name: str) -> Callable[[DecisionContext], Features]:
    import spacy

    return spacy.registry.misc.get(name)()


# --------------------------------------------------------------------------- evaluation

Decider = Callable[[DecisionContext], "str | None"]
StatusOf = Callable[[DecisionContext], str]


def evaluate_decisions(decide: Decider, status_of: StatusOf,
                       records: Sequence[AnnotatedRecord]) -> dict[str, Any]:
    """Decision figures on GOLD entities and relations.

    ``commitment``: accuracy of commitment-or-not over the decidable quantities and P/R/F1
    of "is a commitment"; ``status``: accuracy of ``status_of`` over the gold commitments
    (whatever the commitment decision), and ``joint``: over gold commitments also decided
    commitments, the accuracy of the status ``decide`` gave.
    """
    ex = build_decision_examples(records, featurize=lambda ctx: {})
    right = tp = fp = fn = 0
    st_right = st_n = joint_right = joint_n = 0
    for ctx, gold_c, gold_a in zip(ex.contexts, ex.is_commitment, ex.achieved):
        decided = decide(ctx)
        pred_c = decided is not None
        right += int(pred_c == bool(gold_c))
        tp += int(pred_c and bool(gold_c))
        fp += int(pred_c and not gold_c)
        fn += int(not pred_c and bool(gold_c))
        if gold_a is not None:
            gold_status = "achieved" if gold_a else "planned"
            st_n += 1
            st_right += int(status_of(ctx) == gold_status)
            if decided is not None:
                joint_n += 1
                joint_right += int(decided == gold_status)
    n = len(ex.contexts)
    return {"quantities": n, "undecidable": ex.undecidable,
            "commitment": {"accuracy": right / n if n else 0.0, "correct": right, **prf(tp, fp, fn)},
            "status": {"accuracy": st_right / st_n if st_n else 0.0, "correct": st_right, "n": st_n},
            "joint_status": {"accuracy": joint_right / joint_n if joint_n else 0.0,
                             "correct": joint_right, "n": joint_n}}


def model_deciders(model: CommitmentModel) -> tuple[Decider, StatusOf]:
    """The trained decisions as (decide, status_of)."""
    def status_of(ctx: DecisionContext) -> str:
        x = model.featurize(ctx)
        return "achieved" if model.status.proba(x) >= model.status.threshold else "planned"

    return model.decide, status_of


def rule_deciders() -> tuple[Decider, StatusOf]:
    """The rules' decisions as (decide, status_of)."""
    return rule_decision, rule_status
