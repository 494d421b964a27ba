"""Which reported result answers which plan: candidate scores, then a one-to-one assignment.

A result is a *candidate* for a plan when it reports the plan's year and its unit measures
the same thing (:mod:`.measures`). Its score is the wording similarity of the two
(:mod:`.similarity`: 0.6 the quantity's own focus, 0.2 its task clause, 0.2 its
sentence) times a mild value prior (1 when the reported value equals the planned one,
down to 0.8 as they drift apart by orders of magnitude: a result for the same measure is
rarely 100 times the plan).

The same figure is often reported twice (a press conference and the newspaper): results
with the same year, the same value and similar wording form one *figure*, matched as one
with every place it is written. Figures are then assigned to plans one to one
(:func:`scipy.optimize.linear_sum_assignment`, maximizing the total score over pairs
scoring at least ``min_score``); a figure goes to two plans only when their scores tie
exactly. Other figures scoring within ``near_tie`` of a plan's match are listed as
alternatives, and when they would give another verdict the plan is ``ambiguous``.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from scipy.optimize import linear_sum_assignment

from .items import Item
from .measures import scale_between
from .records import Report, TrackedPlan
from .similarity import cosine, tfidf_vectors
from .verdicts import AMBIGUOUS, NO_REPORT, ratio, verdict

__all__ = ["MatchSettings", "match", "assign", "near_ties", "final_verdict", "figure_groups",
           "value_prior", "FOCUS_WEIGHT", "TASK_WEIGHT", "SENTENCE_WEIGHT", "VALUE_PRIOR_WEIGHT",
           "SAME_FIGURE_SIMILARITY"]

FOCUS_WEIGHT = 0.6            # wording weights: the quantity's own focus,
TASK_WEIGHT = 0.2             # its whole task clause,
SENTENCE_WEIGHT = 0.2         # and its sentence (a list item's programme: 扩大采暖补助范围, …)
VALUE_PRIOR_WEIGHT = 0.2      # how much the value prior can lower a score
SAME_FIGURE_SIMILARITY = 0.5  # equal values with wording at least this alike are one figure
_TIE = 1e-9


@dataclass(frozen=True)
class MatchSettings:
    """``min_score``: the lowest score that counts as a match; ``near_tie``: how close
    another figure's score must be to the match's to be listed as an alternative."""

    min_score: float = 0.3
    near_tie: float = 0.15


def value_prior(ratio_value: float | None) -> float:
    """1.0 when reported == planned, 0.9 at ×10 or ÷10, towards 0.8 beyond; 0.8 if unknown."""
    if ratio_value is None or ratio_value <= 0:
        return 1.0 - VALUE_PRIOR_WEIGHT
    return 1.0 - VALUE_PRIOR_WEIGHT + VALUE_PRIOR_WEIGHT / (1.0 + abs(math.log10(ratio_value)))


def _text_scores(plans: list[Item], results: list[Item]) -> tuple[np.ndarray, np.ndarray]:
    """Plan×result wording scores, and result×result focus similarity (one TF-IDF fit)."""
    texts = ([p.focus for p in plans] + [p.task for p in plans] + [p.mention.sentence for p in plans]
             + [r.focus for r in results] + [r.task for r in results] + [r.mention.sentence for r in results])
    v = tfidf_vectors(texts)
    n, m = len(plans), len(results)
    pf, pt, ps = v[:n], v[n:2 * n], v[2 * n:3 * n]
    rf, rt, rs = v[3 * n:3 * n + m], v[3 * n + m:3 * n + 2 * m], v[3 * n + 2 * m:]
    scores = (FOCUS_WEIGHT * cosine(pf, rf) + TASK_WEIGHT * cosine(pt, rt)
              + SENTENCE_WEIGHT * cosine(ps, rs))
    return scores, cosine(rf, rf)


def _same_figure(a: Item, b: Item) -> bool:
    ca, cb = a.commitment, b.commitment
    if ca.year != cb.year or ca.comparator != cb.comparator:
        return False
    scale = scale_between(ca.unit, cb.unit)
    return scale is not None and cb.value * scale == ca.value


def figure_groups(results: list[Item], focus_sim: np.ndarray) -> list[list[int]]:
    """Results that report one figure (same year, value and comparator; alike wording)."""
    parent = list(range(len(results)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_value: dict[tuple, list[int]] = defaultdict(list)
    for j, r in enumerate(results):
        by_value[(r.commitment.year, r.commitment.value.normalize())].append(j)
    for members in by_value.values():
        for x, j in enumerate(members):
            for k in members[x + 1:]:
                if focus_sim[j, k] >= SAME_FIGURE_SIMILARITY and _same_figure(results[j], results[k]):
                    parent[root(k)] = root(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for j in range(len(results)):
        groups[root(j)].append(j)
    return list(groups.values())


def _tidy(value: Decimal) -> Decimal:
    """4710000000.000 → 4710000000; 136.000 → 136; 0.0666… stays."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _report(plan: Item, results: list[Item], members: list[int], scores: np.ndarray) -> Report:
    """The figure ``members`` as a report for ``plan``: its best-scoring mention first."""
    best = max(members, key=lambda j: (scores[j], -j))
    r, p = results[best].commitment, plan.commitment
    in_plan_unit = _tidy(r.value * scale_between(p.unit, r.unit))
    return Report(
        mention=results[best].mention, task=r.task, value=r.value, value_max=r.value_max,
        unit=r.unit, comparator=r.comparator, year=r.year, value_in_plan_unit=in_plan_unit,
        ratio=ratio(in_plan_unit, p.value), score=float(scores[best]),
        verdict=verdict(p.value, p.comparator, in_plan_unit, r.comparator, p.value_max),
        also=tuple(results[j].mention for j in sorted(members) if j != best), focus=results[best].focus)


def _candidate_scores(plans: list[Item], results: list[Item], text: np.ndarray) -> np.ndarray:
    """Plan×result scores; -inf where the result cannot answer the plan (year, unit)."""
    scores = np.full((len(plans), len(results)), -np.inf)
    by_year: dict[int, list[int]] = defaultdict(list)
    for j, r in enumerate(results):
        if r.commitment.year is not None:
            by_year[r.commitment.year].append(j)
    for i, p in enumerate(plans):
        pc = p.commitment
        for j in by_year.get(pc.year, []) if pc.year is not None else []:
            rc = results[j].commitment
            scale = scale_between(pc.unit, rc.unit)
            if scale is None:
                continue
            q = ratio(rc.value * scale, pc.value)
            scores[i, j] = max(0.0, float(text[i, j])) * value_prior(q)
    return scores


def assign(g_scores: np.ndarray, min_score: float) -> dict[int, int]:
    """Plan → figure, one to one, maximizing the total score of pairs scoring >= ``min_score``.

    A plan left without a figure gets its best figure too when it ties exactly with the
    plan that took it (the same target written in two plan documents).
    """
    if g_scores.size == 0:
        return {}
    eligible = np.where(g_scores >= min_score, g_scores, 0.0)
    rows, cols = linear_sum_assignment(eligible, maximize=True)
    assigned = {int(i): int(g) for i, g in zip(rows, cols) if eligible[i, g] > 0}
    owner = {g: i for i, g in assigned.items()}
    for i in range(g_scores.shape[0]):
        if i in assigned or not np.isfinite(g_scores[i]).any():
            continue
        g = int(np.argmax(g_scores[i]))
        k = owner.get(g)
        if k is not None and g_scores[i, g] >= min_score and abs(g_scores[k, g] - g_scores[i, g]) <= _TIE:
            assigned[i] = g
    return assigned


def near_ties(i: int, g_scores: np.ndarray, assigned: dict[int, int], settings: MatchSettings) -> list[int]:
    """Figures other than plan ``i``'s match scoring within ``near_tie`` of it (best first).

    A figure that another plan took with a clearly higher score (by more than ``near_tie``)
    is that plan's, not an alternative.
    """
    g = assigned.get(i)
    floor = settings.min_score if g is None else max(settings.min_score, g_scores[i, g] - settings.near_tie)
    out = []
    for h in np.argsort(-g_scores[i], kind="stable"):
        h, s = int(h), g_scores[i, h]
        if s < floor:
            break
        taken = any(g_scores[k, h] > s + settings.near_tie for k, owned in assigned.items() if owned == h and k != i)
        if h != g and not taken:
            out.append(h)
    return out


def final_verdict(matched: Report | None, alternatives: list[Report]) -> str:
    """The match's verdict, ``ambiguous`` when a near-tied report disagrees (or only
    contested reports exist), ``no report found`` when there is nothing."""
    if matched is None:
        return AMBIGUOUS if alternatives else NO_REPORT
    if any(a.verdict != matched.verdict for a in alternatives):
        return AMBIGUOUS
    return matched.verdict


def match(plans: list[Item], results: list[Item], settings: MatchSettings = MatchSettings()) -> list[TrackedPlan]:
    """Track every plan against the results: one :class:`TrackedPlan` per plan, in order."""
    if not plans:
        return []
    if results:
        text, focus_sim = _text_scores(plans, results)
        groups = figure_groups(results, focus_sim)
    else:
        text, groups = np.zeros((len(plans), 0)), []
    scores = _candidate_scores(plans, results, text)
    g_scores = np.full((len(plans), len(groups)), -np.inf)
    for g, members in enumerate(groups):
        g_scores[:, g] = scores[:, members].max(axis=1)
    assigned = assign(g_scores, settings.min_score)
    out = []
    for i, plan in enumerate(plans):
        g = assigned.get(i)
        matched = None if g is None else _report(plan, results, groups[g], scores[i])
        alternatives = [_report(plan, results, groups[h], scores[i])
                        for h in near_ties(i, g_scores, assigned, settings)]
        c = plan.commitment
        out.append(TrackedPlan(plan.mention, c.task, c.year, c.value, c.value_max, c.unit, c.comparator,
                               final_verdict(matched, alternatives), matched, tuple(alternatives), plan.focus))
    return out
