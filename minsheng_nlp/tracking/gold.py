"""Hand-checked plan → result pairs, and the tracker's scores against them.

A gold file (``annotations/tracking/*.jsonl``) has one line per planned commitment of a
plan document: ``plan`` (file, start, end, text, value, unit, comparator, year, task),
``result`` (file, start, end, text, value, unit, comparator — or null when no result is
reported), ``same_result`` (other places where the same figure is written) and
``verdict`` (``met``, ``not met``, ``no report found``); ``note`` is optional.

Scores: a *link* is a plan with its matched result. A predicted link is correct when its
plan is a gold plan and its figure (any place it is written) is one of the gold result's
places. Precision is over all predicted links (a link from a plan that is not in the gold
counts as wrong), recall over the gold plans that have a result. Verdict accuracy is over
all gold plans; a gold plan the tracker did not track counts as wrong.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .records import TrackedPlan
from .verdicts import VERDICTS

__all__ = ["GoldPair", "read_gold", "check_slices", "TrackingScores", "score_tracking", "format_scores",
           "NOT_TRACKED"]

NOT_TRACKED = "(not tracked)"
_PLAN_KEYS = ("file", "start", "end", "text")
_PLACE_KEYS = ("file", "start", "end", "text")

Place = tuple[str, int, int]  # (file name, start, end)


@dataclass(frozen=True)
class GoldPair:
    """One gold line: the plan, its result (or None), other places of the result, the verdict."""

    plan: dict[str, Any]
    result: dict[str, Any] | None
    same_result: tuple[dict[str, Any], ...]
    verdict: str
    note: str | None = None

    @property
    def plan_key(self) -> Place:
        return _place(self.plan)

    @property
    def result_places(self) -> frozenset[Place]:
        if self.result is None:
            return frozenset()
        return frozenset(_place(p) for p in (self.result, *self.same_result))


def _place(d: dict[str, Any]) -> Place:
    return (Path(str(d["file"])).name, int(d["start"]), int(d["end"]))


def _check_place(d: Any, what: str, source: str, line: int) -> None:
    if not isinstance(d, dict) or any(k not in d for k in _PLACE_KEYS):
        raise InputError(f"{what} needs the keys {', '.join(_PLACE_KEYS)}", source=source, line=line)
    if not (isinstance(d["start"], int) and isinstance(d["end"], int) and 0 <= d["start"] < d["end"]):
        raise InputError(f"{what}: start/end must be integers with 0 <= start < end", source=source, line=line)


def read_gold(path: str | Path) -> list[GoldPair]:
    """The pairs of a gold JSONL file; any malformed line is an InputError naming file:line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise InputError(f"cannot read gold file ({err.strerror})", source=str(path)) from None
    except UnicodeDecodeError as err:
        raise InputError("gold file is not UTF-8", source=str(path), offset=err.start) from None
    pairs = []
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as err:
            raise InputError(f"not JSON ({err.msg})", source=str(path), line=n) from None
        if not isinstance(data, dict) or "plan" not in data or "verdict" not in data:
            raise InputError("a gold line needs 'plan' and 'verdict'", source=str(path), line=n)
        _check_place(data["plan"], "plan", str(path), n)
        if data.get("result") is not None:
            _check_place(data["result"], "result", str(path), n)
        for extra in data.get("same_result", []):
            _check_place(extra, "same_result", str(path), n)
        if data["verdict"] not in VERDICTS:
            raise InputError(f"unknown verdict {data['verdict']!r}", source=str(path), line=n)
        if (data.get("result") is None) != (data["verdict"] == "no report found"):
            raise InputError("'result' is null exactly when the verdict is 'no report found'",
                             source=str(path), line=n)
        pairs.append(GoldPair(data["plan"], data.get("result"), tuple(data.get("same_result", [])),
                              data["verdict"], data.get("note")))
    return pairs


def check_slices(pairs: list[GoldPair], root: str | Path = ".") -> list[str]:
    """Problems where a gold span's ``text`` is not the exact slice of its file (under ``root``)."""
    texts: dict[str, str] = {}
    problems = []
    for n, pair in enumerate(pairs, 1):
        places = [("plan", pair.plan)] + ([("result", pair.result)] if pair.result else [])
        places += [("same_result", p) for p in pair.same_result]
        for what, p in places:
            name = str(p["file"])
            if name not in texts:
                texts[name] = (Path(root) / name).read_text(encoding="utf-8")
            got = texts[name][p["start"]:p["end"]]
            if got != p["text"]:
                problems.append(f"pair {n} {what}: {name}[{p['start']}:{p['end']}] is {got!r}, not {p['text']!r}")
    return problems


@dataclass(frozen=True)
class TrackingScores:
    """Link precision/recall/F1 and verdict accuracy of a tracking run against gold pairs."""

    predicted_links: int
    gold_links: int
    correct_links: int
    gold_plans: int
    tracked_gold_plans: int
    correct_verdicts: int
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (gold, predicted) → n

    @property
    def precision(self) -> float:
        return self.correct_links / self.predicted_links if self.predicted_links else 0.0

    @property
    def recall(self) -> float:
        return self.correct_links / self.gold_links if self.gold_links else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def verdict_accuracy(self) -> float:
        return self.correct_verdicts / self.gold_plans if self.gold_plans else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "links": {"predicted": self.predicted_links, "gold": self.gold_links,
                      "correct": self.correct_links, "precision": round(self.precision, 4),
                      "recall": round(self.recall, 4), "f1": round(self.f1, 4)},
            "verdicts": {"gold_plans": self.gold_plans, "tracked": self.tracked_gold_plans,
                         "correct": self.correct_verdicts, "accuracy": round(self.verdict_accuracy, 4)},
            "confusion": [{"gold": g, "predicted": p, "count": n}
                          for (g, p), n in sorted(self.confusion.items())],
        }


def _figure_places(row: TrackedPlan) -> frozenset[Place]:
    m = row.match
    if m is None:
        return frozenset()
    return frozenset((Path(x.source).name, x.start, x.end) for x in (m.mention, *m.also))


def score_tracking(rows: list[TrackedPlan], gold: list[GoldPair]) -> TrackingScores:
    """Score tracked plans against gold pairs (files compared by name, spans exactly)."""
    by_plan = {(Path(r.mention.source).name, r.mention.start, r.mention.end): r for r in rows}
    gold_by_plan = {g.plan_key: g for g in gold}
    predicted = [r for r in rows if r.match is not None]
    correct = 0
    for r in predicted:
        g = gold_by_plan.get((Path(r.mention.source).name, r.mention.start, r.mention.end))
        if g is not None and _figure_places(r) & g.result_places:
            correct += 1
    confusion: Counter[tuple[str, str]] = Counter()
    for g in gold:
        row = by_plan.get(g.plan_key)
        confusion[(g.verdict, row.verdict if row is not None else NOT_TRACKED)] += 1
    return TrackingScores(
        predicted_links=len(predicted),
        gold_links=sum(1 for g in gold if g.result is not None),
        correct_links=correct,
        gold_plans=len(gold),
        tracked_gold_plans=sum(1 for g in gold if g.plan_key in by_plan),
        correct_verdicts=sum(n for (gv, pv), n in confusion.items() if gv == pv),
        confusion=dict(confusion),
    )


def format_scores(scores: TrackingScores, label: str = "") -> str:
    """A short text report of :class:`TrackingScores` (what ``minsheng track --gold`` prints)."""
    s = scores
    lines = [f"promise tracking{' — ' + label if label else ''}",
             (f"links     predicted {s.predicted_links}  correct {s.correct_links}  gold {s.gold_links}  "
              f"precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}"),
             (f"verdicts  gold plans {s.gold_plans}  tracked {s.tracked_gold_plans}  "
              f"correct {s.correct_verdicts}  accuracy {s.verdict_accuracy:.3f}"),
             "confusion (gold → predicted)"]
    for (g, p), n in sorted(s.confusion.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {g:<16} → {p:<16} {n:>4}")
    return "\n".join(lines) + "\n"
