"""Shared fitting helpers of the trained decisions: logistic regression and CV folds.

scikit-learn is needed here (training) only; prediction uses :class:`LinearModel` (numpy).
Folds hold out whole *source documents* (an annotation file), so cross-validation
measures what the model does on a kind of text it has not seen.
"""
from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ..io.annotations import AnnotatedRecord
from ..linear import LinearModel

Features = dict[str, float]
# Keys that mark a whole config (rather than one section) passed to a trainer
FULL_CONFIG_KEYS = frozenset({"relations", "commitments", "nlp", "training", "paths", "components"})


def config_section(config: Mapping[str, Any] | None, name: str) -> dict[str, Any]:
    """The ``[name]`` section when ``config`` is a whole config, else ``config`` itself."""
    data = dict(config or {})
    if FULL_CONFIG_KEYS & set(data):
        data = dict(data.get(name) or {})
    return data


def source_key(record: AnnotatedRecord) -> str:
    """The document a record comes from (its annotation file): the unit of CV folds."""
    return Path(record.source_file).name or str(record.meta.get("source", ""))


def source_weights(record_of: Sequence[int], sources: Sequence[str]) -> np.ndarray:
    """Sample weights giving every source document the same total weight (mean 1)."""
    per_source = Counter(sources[r] for r in record_of)
    n_sources = len(per_source)
    return np.array([len(record_of) / (n_sources * per_source[sources[r]]) for r in record_of])


def fit_linear(features: Sequence[Features], labels: Sequence[int], C: float, max_iter: int = 2000,
               seed: int = 0, class_weight: str | None = None,
               sample_weight: np.ndarray | None = None, threshold: float = 0.5) -> LinearModel:
    """One L2 logistic regression over named features (``DictVectorizer`` + lbfgs, fixed seed).

    With a single class in ``labels`` the model is a constant (no features).
    """
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(labels)
    if len(set(y.tolist())) < 2:
        constant = 8.0 if y.size and y[0] == 1 else -8.0
        return LinearModel([], np.zeros(0), constant, threshold)
    vectorizer = DictVectorizer(sparse=True, sort=True)
    x = vectorizer.fit_transform(features)
    classifier = LogisticRegression(C=C, max_iter=max_iter, class_weight=class_weight,
                                    random_state=seed, solver="lbfgs")
    classifier.fit(x, y, sample_weight=sample_weight)
    return LinearModel.from_sklearn(vectorizer, classifier, threshold)


def make_folds(sources: Sequence[str], k: int, seed: int, by_source: bool = True) -> list[set[int]]:
    """Held-out record numbers per fold: one fold per source document (``by_source``, when
    there are at least two sources), else ``k`` shuffled folds (seeded)."""
    if by_source and len(set(sources)) >= 2:
        out: dict[str, set[int]] = {}
        for n, src in enumerate(sources):
            out.setdefault(src, set()).add(n)
        return [out[src] for src in sorted(out)]
    order = list(range(len(sources)))
    random.Random(seed).shuffle(order)
    k = max(2, min(k, len(sources)))
    return [set(order[i::k]) for i in range(k)]


def out_of_fold(features: Sequence[Features], labels: Sequence[int], record_of: Sequence[int],
                fold_sets: list[set[int]], C: float, max_iter: int = 2000, seed: int = 0,
                class_weight: str | None = None, sources: Sequence[str] | None = None) -> np.ndarray:
    """Out-of-fold probabilities of every example (folds are sets of record numbers).

    With ``sources``, every source document gets the same total weight in each fit.
    """
    probs = np.zeros(len(labels))
    for held in fold_sets:
        train = [i for i, r in enumerate(record_of) if r not in held]
        test = [i for i, r in enumerate(record_of) if r in held]
        if not test or not train:
            continue
        weights = source_weights([record_of[i] for i in train], sources) if sources is not None else None
        model = fit_linear([features[i] for i in train], [labels[i] for i in train], C, max_iter,
                           seed, class_weight, weights)
        for i in test:
            probs[i] = model.proba(features[i])
    return probs
