"""The records of a tracking run: a plan, what was reported for it, and the verdict."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..commitments.record import json_number

__all__ = ["Mention", "Report", "TrackedPlan"]


@dataclass(frozen=True)
class Mention:
    """Where a figure is written: ``source``, the quantity's character span and its sentence."""

    source: str
    start: int
    end: int
    text: str
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "start": self.start, "end": self.end, "text": self.text,
                "sentence": self.sentence}


@dataclass(frozen=True)
class Report:
    """A reported result matched to a plan.

    ``value_in_plan_unit``: the reported value converted to the plan's unit (13.6万米 →
    136 for a plan in 公里); ``ratio``: that over the planned value; ``score``: the match
    score in [0, 1]; ``verdict``: ``met``/``not met``/``unclear`` for this report alone;
    ``also``: the same figure written elsewhere (another document, a later paragraph);
    ``focus``: the part of ``task`` that belongs to this quantity.
    """

    mention: Mention
    task: str
    value: Decimal
    value_max: Decimal | None
    unit: str | None
    comparator: str
    year: int | None
    value_in_plan_unit: Decimal
    ratio: float | None
    score: float
    verdict: str
    also: tuple[Mention, ...] = ()
    focus: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.mention.to_dict(),
            "task": self.task,
            "focus": self.focus,
            "value": json_number(self.value),
            "value_max": json_number(self.value_max),
            "unit": self.unit,
            "comparator": self.comparator,
            "year": self.year,
            "value_in_plan_unit": json_number(self.value_in_plan_unit),
            "ratio": None if self.ratio is None else round(self.ratio, 4),
            "score": round(self.score, 4),
            "verdict": self.verdict,
            "also": [m.to_dict() for m in self.also],
        }


@dataclass(frozen=True)
class TrackedPlan:
    """One planned commitment, its verdict, its matched report and near-tied alternatives.

    ``verdict``: ``met``, ``not met``, ``unclear`` (the report's bound cannot decide),
    ``ambiguous`` (near-tied reports disagree: all are listed) or ``no report found``.
    ``focus``: the part of ``task`` that belongs to this quantity (when a task holds several).
    """

    mention: Mention
    task: str
    year: int | None
    value: Decimal
    value_max: Decimal | None
    unit: str | None
    comparator: str
    verdict: str
    match: Report | None = None
    alternatives: tuple[Report, ...] = field(default=())
    focus: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the plan's fields, ``verdict``, ``match`` and ``alternatives``."""
        return {
            **self.mention.to_dict(),
            "task": self.task,
            "focus": self.focus,
            "year": self.year,
            "value": json_number(self.value),
            "value_max": json_number(self.value_max),
            "unit": self.unit,
            "comparator": self.comparator,
            "verdict": self.verdict,
            "match": None if self.match is None else self.match.to_dict(),
            "alternatives": [a.to_dict() for a in self.alternatives],
        }
