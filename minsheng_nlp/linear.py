"""A sparse logistic scorer over named features, stored as plain JSON (never pickled).

Trained models (relation and commitment decisions) are fitted with scikit-learn's
``DictVectorizer`` + ``LogisticRegression`` and reduced to what prediction needs: the
feature vocabulary, one coefficient per feature, the intercept and a decision threshold.
Prediction needs only numpy, so a saved pipeline loads without scikit-learn, and
JSON floats round-trip exactly (``repr``), so a reloaded model predicts identically.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np

FORMAT = "minsheng.linear.v1"


@dataclass
class LinearModel:
    """``p(y=1 | x) = sigmoid(w · x + b)`` over sparse named features."""

    features: list[str]
    coef: np.ndarray
    intercept: float
    threshold: float = 0.5
    info: dict[str, Any] = field(default_factory=dict)  # how it was trained (for reports)
    weights: dict[str, float] = field(init=False, repr=False)  # feature → coefficient

    def __post_init__(self) -> None:
        self.coef = np.asarray(self.coef, dtype=np.float64)
        if self.coef.shape != (len(self.features),):
            raise ValueError(f"{len(self.features)} features but {self.coef.shape} coefficients")
        self.weights = dict(zip(self.features, self.coef.tolist()))

    def margin(self, x: Mapping[str, float]) -> float:
        """``w · x + b``, summed in the order of ``x``; unknown features are ignored (as
        DictVectorizer does)."""
        total = 0.0
        weights = self.weights
        for name, value in x.items():
            w = weights.get(name)
            if w is not None:
                total += w * float(value)
        return total + self.intercept

    def proba(self, x: Mapping[str, float]) -> float:
        """The probability of the positive class."""
        return sigmoid(self.margin(x))

    def proba_many(self, xs: Iterable[Mapping[str, float]]) -> np.ndarray:
        return np.array([self.proba(x) for x in xs], dtype=np.float64)

    def top_features(self, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` features with the largest absolute weight (for reports)."""
        order = np.argsort(-np.abs(self.coef), kind="stable")[:k]
        return [(self.features[i], float(self.coef[i])) for i in order]

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "features": list(self.features),
                "coef": [float(c) for c in self.coef], "intercept": float(self.intercept),
                "threshold": float(self.threshold), "info": dict(self.info)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "LinearModel":
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model (format: {data.get('format')!r})")
        return cls(features=[str(f) for f in data["features"]],
                   coef=np.asarray(data["coef"], dtype=np.float64),
                   intercept=float(data["intercept"]), threshold=float(data["threshold"]),
                   info=dict(data.get("info") or {}))

    @classmethod
    def from_sklearn(cls, vectorizer: Any, classifier: Any, threshold: float = 0.5) -> "LinearModel":
        """From a fitted ``DictVectorizer`` and a binary ``LogisticRegression``."""
        return cls(features=[str(f) for f in vectorizer.get_feature_names_out()],
                   coef=np.asarray(classifier.coef_[0], dtype=np.float64),
                   intercept=float(classifier.intercept_[0]), threshold=threshold)


def sigmoid(z: float) -> float:
    """``1 / (1 + e^-z)``, without overflow: the probability of a margin."""
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def write_json(path: str | Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` as UTF-8 JSON (the only on-disk format of trained decisions)."""
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_json(path: str | Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


class JsonFile:
    """``to_disk``/``from_disk`` for a model with ``to_dict``/``from_dict`` and a ``FILE_NAME``.

    ``path`` is a file, or a folder holding ``FILE_NAME``.
    """

    FILE_NAME = "model.json"

    def to_disk(self, path: str | Path) -> Path:
        """Write the model as JSON and return the file written."""
        path = Path(path)
        if path.is_dir() or not path.suffix:
            path.mkdir(parents=True, exist_ok=True)
            path = path / self.FILE_NAME
        write_json(path, self.to_dict())  # type: ignore[attr-defined]
        return path

    @classmethod
    def from_disk(cls, path: str | Path):
        path = Path(path)
        if path.is_dir():
            path = path / cls.FILE_NAME
        return cls.from_dict(read_json(path))  # type: ignore[attr-defined]

