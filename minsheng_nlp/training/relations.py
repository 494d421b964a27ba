"""Training and evaluating the relation model on GOLD entities.

Pairs come from the gold entities of each record (so the model does not depend on the
entity tagger); a pair is positive when the gold relations hold it. One
``DictVectorizer`` + ``LogisticRegression`` per relation type, fixed seeds. With
``tune = true`` the regularization C (from ``C_grid``) and the decision threshold of each
type are chosen by cross-validation that holds out one source document (annotation file)
of the training records at a time — never dev or test; otherwise ``C`` and
``[relations.threshold]`` are used as given. The result is a :class:`RelationModel` (JSON only).

Config (a dict, e.g. the ``[relations]`` section of a ``.cfg`` parsed by spaCy's
``Config``)::

    [relations]
    seed = 0
    C_grid = [0.003, 0.01, 0.03, 0.1, 0.3]
    max_iter = 2000
    class_weight = null
    tune = true
    cv_by_source = true

    # used when tune = false
    C = 0.03

    [relations.threshold]
    HAS_UNIT = 0.5
    HAS_DEADLINE = 0.5
    HAS_DEPARTMENT = 0.5

    [relations.windows.HAS_DEPARTMENT]
    near_before = 12
    after = 8
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ..evaluate import count_matches, micro, prf
from ..io.annotations import AnnotatedRecord
from ..linear import LinearModel
from ..pipelines import blank
from ..relations.candidates import DEFAULT_WINDOWS, Candidate, DocIndex, Window, build_index
from ..relations.model import RelationModel, decide, resolve
from ..relations.types import RELATION_TYPES
from ..rules.linker import RulesLinker
from ..text.docview import DocView
from .fitting import config_section, fit_linear, make_folds, out_of_fold, source_key, source_weights
from .gold_docs import gold_doc, gold_relations

Relation = tuple[int, int, int, int, str]
Features = dict[str, float]


# --------------------------------------------------------------------------- config

@dataclass(frozen=True)
class RelationTrainConfig:
    """Hyperparameters of :func:`train_relations` (defaults = the proposed cfg section)."""

    seed: int = 0
    C: float = 0.03  # used when tune = false
    C_grid: tuple[float, ...] = (0.003, 0.01, 0.03, 0.1, 0.3)
    max_iter: int = 2000
    class_weight: str | None = None
    balance_sources: bool = False
    tune: bool = True
    cv_by_source: bool = True
    cv_folds: int = 5
    threshold_grid: tuple[float, ...] = tuple(round(0.05 * i, 2) for i in range(1, 20))
    threshold: dict[str, float] = field(default_factory=lambda: {t: 0.5 for t in RELATION_TYPES})
    windows: dict[str, Window] = field(default_factory=lambda: dict(DEFAULT_WINDOWS))
    features: str = "minsheng.pair_features.v1"
    candidates: str = "minsheng.relation_candidates.v1"

    @classmethod
    def from_dict(cls, config: Mapping[str, Any] | None) -> "RelationTrainConfig":
        """From the ``[relations]`` section, or a whole config holding one."""
        data = config_section(config, "relations")
        windows = dict(DEFAULT_WINDOWS)
        for rtype, w in dict(data.pop("windows", {}) or {}).items():
            base = DEFAULT_WINDOWS[rtype].to_dict()
            base.update(w)
            windows[rtype] = Window.from_dict(base)
        threshold = {t: 0.5 for t in RELATION_TYPES}
        threshold.update({k: float(v) for k, v in dict(data.pop("threshold", {}) or {}).items()})
        unknown = sorted(set(data) - set(cls.__dataclass_fields__))
        if unknown:
            raise ValueError(f"unknown [relations] settings: {', '.join(unknown)}")
        known = dict(data)
        for key in ("C_grid", "threshold_grid"):
            if key in known:
                known[key] = tuple(float(v) for v in (known[key] or ()))
        return cls(threshold=threshold, windows=windows, **known)


# --------------------------------------------------------------------------- examples

@dataclass
class PairExamples:
    """Featurized candidate pairs of one relation type, with their groups."""

    features: list[Features] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[tuple[int, int]] = field(default_factory=list)  # (record number, quantity)
    records: list[int] = field(default_factory=list)


@dataclass
class ExampleSet:
    """All pairs of a set of records: per type, plus the gold relations of each record."""

    by_type: dict[str, PairExamples]
    gold: list[set[tuple[int, int, str]]]  # per record: (quantity, target, type) entity indices


def index_record(record: AnnotatedRecord, nlp=None, rules: RulesLinker | None = None) -> DocIndex:
    """The :class:`DocIndex` of a record's text with its gold entities."""
    nlp = nlp or blank()
    return build_index(DocView(gold_doc(nlp, record)), rules)


def gold_pairs(index: DocIndex, record: AnnotatedRecord) -> set[tuple[int, int, str]]:
    """The record's gold relations as entity indices of ``index``."""
    by_span = {(e.span.start_char, e.span.end_char): i for i, e in enumerate(index.dv.entities)}
    out = set()
    for hs, he, ts, te, label in gold_relations(record):
        q, t = by_span.get((hs, he)), by_span.get((ts, te))
        if q is not None and t is not None:
            out.add((q, t, label))
    return out


def build_examples(records: Sequence[AnnotatedRecord], config: RelationTrainConfig) -> ExampleSet:
    """Featurize every candidate pair of ``records`` (gold entities) and label it."""
    nlp, rules = blank(), RulesLinker()
    featurize: Callable[[DocIndex, Candidate], Features] = resolve(config.features)
    generate = resolve(config.candidates)
    by_type = {t: PairExamples() for t in RELATION_TYPES}
    golds = []
    for n, record in enumerate(records):
        index = index_record(record, nlp, rules)
        gold = gold_pairs(index, record)
        golds.append(gold)
        for cand in generate(index, config.windows, RELATION_TYPES):
            ex = by_type[cand.label]
            ex.features.append(featurize(index, cand))
            ex.labels.append(int((cand.q, cand.t, cand.label) in gold))
            ex.groups.append((n, cand.q))
            ex.records.append(n)
    return ExampleSet(by_type, golds)


# --------------------------------------------------------------------------- fitting

def decision_counts(groups: Sequence[tuple[int, int]], labels: Sequence[int], probs: Sequence[float],
                    rtype: str, threshold: float) -> tuple[int, int]:
    """(true positives, false positives) of the decision rule at ``threshold``."""
    grouped: dict[tuple[int, int], list[tuple[int, float]]] = {}
    for g, y, p in zip(groups, labels, probs):
        grouped.setdefault(g, []).append((y, p))
    tp = fp = 0
    for items in grouped.values():
        scored = [(i, p) for i, (_, p) in enumerate(items)]
        for i in decide(scored, rtype, threshold):  # type: ignore[arg-type]
            if items[i][0]:
                tp += 1
            else:
                fp += 1
    return tp, fp


def best_threshold(groups: Sequence[tuple[int, int]], labels: Sequence[int], probs: Sequence[float],
                   rtype: str, n_gold: int, grid: Sequence[float]) -> tuple[float, float]:
    """The threshold of ``grid`` maximizing F1 of the decision rule, and that F1."""
    best, best_f1 = 0.5, -1.0
    for th in grid:
        tp, fp = decision_counts(groups, labels, probs, rtype, th)
        f1 = float(prf(tp, fp, n_gold - tp)["f1"])
        if f1 > best_f1 + 1e-12:
            best, best_f1 = th, f1
    return best, best_f1


@dataclass(frozen=True)
class Selection:
    """The hyperparameters chosen for one type, with their cross-validated F1."""

    C: float
    threshold: float
    cv_f1: float | None


def select(ex: "PairExamples", rtype: str, n_gold: int, sources: Sequence[str],
           cfg: "RelationTrainConfig") -> Selection:
    """C (from ``C_grid``) and threshold by cross-validation on the training records."""
    grid_c = list(cfg.C_grid) or [cfg.C]
    if not cfg.tune or len(set(ex.records)) < 2:
        return Selection(cfg.C, cfg.threshold.get(rtype, 0.5), None)
    fold_sets = make_folds(sources, cfg.cv_folds, cfg.seed, cfg.cv_by_source)
    best: Selection | None = None
    for C in grid_c:
        probs = out_of_fold(ex.features, ex.labels, ex.records, fold_sets, C, cfg.max_iter, cfg.seed,
                            cfg.class_weight, sources if cfg.balance_sources else None)
        th, f1 = best_threshold(ex.groups, ex.labels, probs, rtype, n_gold, cfg.threshold_grid)
        if best is None or f1 > (best.cv_f1 or 0.0) + 1e-9:
            best = Selection(C, th, f1)
    assert best is not None
    return best


def train_relations(records: Sequence[AnnotatedRecord], config: Mapping[str, Any] | None = None) -> RelationModel:
    """Train the per-type pair classifiers on ``records`` (gold entities) → RelationModel.

    ``config``: the ``[relations]`` section (or a whole config holding it); see
    :class:`RelationTrainConfig`. Never pass test records.
    """
    cfg = RelationTrainConfig.from_dict(config)
    records = list(records)
    examples = build_examples(records, cfg)
    sources = [source_key(r) for r in records]
    models: dict[str, LinearModel] = {}
    for rtype in RELATION_TYPES:
        ex = examples.by_type[rtype]
        n_gold = sum(1 for gold in examples.gold for g in gold if g[2] == rtype)
        chosen = select(ex, rtype, n_gold, sources, cfg)
        weights = source_weights(ex.records, sources) if cfg.balance_sources and ex.records else None
        models[rtype] = fit_linear(ex.features, ex.labels, chosen.C, cfg.max_iter, cfg.seed,
                                   cfg.class_weight, weights, chosen.threshold)
        models[rtype].info = {"C": chosen.C, "cv_f1": chosen.cv_f1, "pairs": len(ex.labels),
                              "positives": int(sum(ex.labels))}
    return RelationModel(models=models, windows=dict(cfg.windows), features=cfg.features,
                         candidates=cfg.candidates)


# --------------------------------------------------------------------------- evaluation

Linker = Callable[[DocView], list[Relation]]


def evaluate_linker(link: Linker, records: Sequence[AnnotatedRecord]) -> dict[str, Any]:
    """Relation P/R/F1 per type (and micro) of ``link`` on the records' GOLD entities."""
    nlp = blank()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for record in records:
        dv = DocView(gold_doc(nlp, record))
        pred = {tuple(r) for r in link(dv)}
        gold = set(gold_relations(record))
        count_matches(gold, pred, tp, fp, fn)
    per_type = {t: prf(tp[t], fp[t], fn[t]) for t in RELATION_TYPES}
    return {"per_type": per_type, "micro": micro(tp, fp, fn)}


def model_linker(model: RelationModel) -> Linker:
    """A :data:`Linker` of a trained model (the rule linker runs inside, as a feature)."""
    rules = RulesLinker()
    return lambda dv: model.predict(dv, rules)


def rules_linker() -> Linker:
    """The rule linker as a :data:`Linker`."""
    rules = RulesLinker()
    return rules.link
