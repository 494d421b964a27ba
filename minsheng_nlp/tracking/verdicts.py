"""Was a target met? Comparator-aware verdicts on one planned and one reported value.

A plan states a floor (``=`` ``>=`` ``>`` ``~``: 城镇新增就业23万人, 1200名以上, 200个左右
— delivering more is meeting it) or a cap (``<=`` ``<``: 控制在5.5%以内, 3个工作日内办结 —
staying below is meeting it). A reported value is a point, or a ray when the report
hedges (7000余户 is more than 7000; 不足500人 is less than 500). The verdict is ``met``
when every value the report allows meets the target, ``not met`` when none does, and
``unclear`` otherwise (不足8000人 against a target of 7000).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ["MET", "NOT_MET", "UNCLEAR", "AMBIGUOUS", "NO_REPORT", "VERDICTS", "Bounds",
           "reported_bounds", "verdict", "ratio"]

MET = "met"
NOT_MET = "not met"
UNCLEAR = "unclear"          # the report's bound cannot decide
AMBIGUOUS = "ambiguous"      # near-tied reports disagree (decided in match.py)
NO_REPORT = "no report found"
VERDICTS = (MET, NOT_MET, UNCLEAR, AMBIGUOUS, NO_REPORT)

_CAPS = ("<=", "<")


@dataclass(frozen=True)
class Bounds:
    """An interval of values; ``None`` is unbounded, ``*_closed`` includes the end."""

    low: Decimal | None
    low_closed: bool
    high: Decimal | None
    high_closed: bool


def reported_bounds(value: Decimal, comparator: str = "=") -> Bounds:
    """The values a report allows: ``(7000, ">")`` → (7000, ∞); ``"~"`` and ``"="`` → the point."""
    if comparator == ">=":
        return Bounds(value, True, None, False)
    if comparator == ">":
        return Bounds(value, False, None, False)
    if comparator == "<=":
        return Bounds(None, False, value, True)
    if comparator == "<":
        return Bounds(None, False, value, False)
    return Bounds(value, True, value, True)


def _target(value: Decimal, value_max: Decimal | None, comparator: str) -> Bounds:
    """The values that meet a plan: a floor at ``value`` or a cap at ``value_max or value``."""
    if comparator in _CAPS:
        cap = value_max if value_max is not None else value
        return Bounds(None, False, cap, comparator == "<=")
    return Bounds(value, comparator != ">", None, False)


def _inside(r: Bounds, t: Bounds) -> bool:
    """Every value of ``r`` lies in ``t``."""
    if t.low is not None:
        if r.low is None or r.low < t.low or (r.low == t.low and r.low_closed and not t.low_closed):
            return False
    if t.high is not None:
        if r.high is None or r.high > t.high or (r.high == t.high and r.high_closed and not t.high_closed):
            return False
    return True


def _disjoint(r: Bounds, t: Bounds) -> bool:
    """No value of ``r`` lies in ``t``."""
    if t.low is not None and r.high is not None:
        if r.high < t.low or (r.high == t.low and not (r.high_closed and t.low_closed)):
            return True
    if t.high is not None and r.low is not None:
        if r.low > t.high or (r.low == t.high and not (r.low_closed and t.high_closed)):
            return True
    return False


def verdict(planned: Decimal, comparator: str, reported: Decimal, reported_comparator: str = "=",
            planned_max: Decimal | None = None) -> str:
    """``met``, ``not met`` or ``unclear`` for a reported value against a plan (same unit).

    ``verdict(230000, "=", 257900)`` → met; ``verdict(Decimal("5.5"), "<=", Decimal("5.8"))``
    → not met; ``verdict(7000, "=", 7000, ">")`` → met; ``verdict(7000, "=", 8000, "<")`` → unclear.
    A planned range (``3-5万``) is a floor at its lower end (a cap at its upper end).
    """
    r = reported_bounds(Decimal(reported), reported_comparator)
    t = _target(Decimal(planned), None if planned_max is None else Decimal(planned_max), comparator)
    if _inside(r, t):
        return MET
    if _disjoint(r, t):
        return NOT_MET
    return UNCLEAR


def ratio(reported: Decimal, planned: Decimal) -> float | None:
    """reported / planned (1.12 for 25.79万 against 23万); None when the plan is 0."""
    if planned == 0:
        return None
    return float(Decimal(reported) / Decimal(planned))
