"""The trained relation model: one binary pair classifier per relation type.

Decisions (guideline §3): HAS_UNIT and HAS_DEADLINE take the best-scoring candidate of a
quantity when its probability reaches the type's threshold (at most one); HAS_DEPARTMENT
takes every candidate at or above its threshold. The model is saved as JSON only
(vocabulary, coefficients, intercept, threshold per type, the candidate windows and the
registered names of the candidate generator and featurizer).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import spacy

from ..linear import JsonFile, LinearModel, sigmoid
from ..rules.linker import RulesLinker
from ..text.docview import DocView
from . import candidates as _candidates  # noqa: F401  (registers minsheng.relation_candidates.v1)
from . import features as _features  # noqa: F401  (registers minsheng.pair_features.v1)
from .candidates import DEFAULT_WINDOWS, Candidate, DocIndex, Window, build_index, windows_from_dict
from .features import margin_function
from .types import RELATION_TYPES

FORMAT = "minsheng.relation_model.v1"
FILE_NAME = "relation_model.json"
SINGLE = frozenset({"HAS_UNIT", "HAS_DEADLINE"})  # at most one target per quantity
Relation = tuple[int, int, int, int, str]
Scored = tuple[Candidate, float]


def resolve(name: str) -> Callable:
    """The function registered under ``name`` in ``spacy.registry.misc``."""
    return spacy.registry.misc.get(name)()


def decide(scored: list[Scored], rtype: str, threshold: float) -> list[Candidate]:
    """The chosen candidates of one quantity and one type (see the module docstring)."""
    above = [(c, p) for c, p in scored if p >= threshold]
    if not above:
        return []
    if rtype in SINGLE:
        return [max(above, key=lambda cp: cp[1])[0]]  # ties: the first in text order
    return [c for c, _ in above]


@dataclass
class RelationModel(JsonFile):
    """Per-type :class:`LinearModel` plus the windows and registered function names."""

    FILE_NAME = FILE_NAME

    models: dict[str, LinearModel]
    windows: dict[str, Window] = field(default_factory=lambda: dict(DEFAULT_WINDOWS))
    features: str = "minsheng.pair_features.v1"
    candidates: str = "minsheng.relation_candidates.v1"

    def scored(self, index: DocIndex) -> Iterator[Scored]:
        """Every candidate of the document with its probability, in generation order."""
        featurize = resolve(self.features)
        generate = resolve(self.candidates)
        types = tuple(t for t in RELATION_TYPES if t in self.models)
        margins = {t: margin_function(featurize, index, self.models[t]) for t in types}
        for cand in generate(index, self.windows, types):
            yield cand, sigmoid(margins[cand.label](cand))  # = models[label].proba(featurize(index, cand))

    def score(self, index: DocIndex) -> dict[tuple[int, str], list[Scored]]:
        """Probabilities of every candidate, grouped by (quantity, type)."""
        grouped: dict[tuple[int, str], list[Scored]] = {}
        for cand, p in self.scored(index):
            grouped.setdefault((cand.q, cand.label), []).append((cand, p))
        return grouped

    def predict_index(self, index: DocIndex) -> list[Relation]:
        """The relations of an indexed document, as stored by ``set_relations``.

        :func:`decide` over :meth:`score`, keeping only the candidates at or above threshold
        while they stream by (all candidates of a long report at once took ~60 bytes per
        character)."""
        thresholds = {t: m.threshold for t, m in self.models.items()}
        kept: dict[tuple[int, str], list[Scored]] = {}
        for cand, p in self.scored(index):
            group = kept.setdefault((cand.q, cand.label), [])  # first-appearance order, as score()
            if p >= thresholds[cand.label]:
                group.append((cand, p))
        ents = index.dv.entities
        out: list[Relation] = []
        for (_, rtype), scored in kept.items():
            for cand in decide(scored, rtype, thresholds[rtype]):
                q, t = ents[cand.q].span, ents[cand.t].span
                out.append((q.start_char, q.end_char, t.start_char, t.end_char, rtype))
        return out

    def predict(self, dv: DocView, rules: RulesLinker | None = None) -> list[Relation]:
        """The relations of a document (its entities as they are in ``dv``)."""
        return self.predict_index(build_index(dv, rules))

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "features": self.features, "candidates": self.candidates,
                "windows": {k: w.to_dict() for k, w in self.windows.items()},
                "models": {k: m.to_dict() for k, m in self.models.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RelationModel":
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file (format: {data.get('format')!r})")
        unknown = set(data["models"]) - set(RELATION_TYPES)
        if unknown:
            raise ValueError(f"unknown relation types: {', '.join(sorted(unknown))}")
        return cls(models={k: LinearModel.from_dict(v) for k, v in data["models"].items()},
                   windows=windows_from_dict(data.get("windows")),
                   features=str(data["features"]), candidates=str(data["candidates"]))
