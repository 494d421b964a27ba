"""The fulfilment table: one row per tracked plan, as a DataFrame, CSV, XLSX, JSONL or text."""
from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..commitments.record import json_number
from ..errors import InputError
from .records import Report, TrackedPlan

__all__ = ["COLUMNS", "FORMATS", "flatten", "to_frame", "write_tracking", "render_text"]

COLUMNS = ("plan_source", "plan_start", "plan_end", "plan_quantity", "year", "plan_task",
           "planned", "plan_unit", "comparator", "verdict", "reported", "reported_value",
           "reported_unit", "reported_comparator", "ratio", "score", "result_source",
           "result_start", "result_end", "result_task", "plan_evidence", "result_evidence",
           "also_reported", "alternatives")
FORMATS = ("table", "csv", "xlsx", "jsonl")
_INT_COLUMNS = ("plan_start", "plan_end", "year", "result_start", "result_end")


def _where(source: str, start: int, end: int) -> str:
    return f"{Path(source).name}:{start}-{end}"


def _alternative(report: Report) -> str:
    return (f"{_amount(report.value_in_plan_unit)} ({report.verdict}, score {report.score:.2f}, "
            f"{_where(report.mention.source, report.mention.start, report.mention.end)})")


def flatten(row: TrackedPlan) -> dict[str, Any]:
    """One tracked plan as a flat table row (see :data:`COLUMNS`)."""
    m = row.match
    return {
        "plan_source": row.mention.source,
        "plan_start": row.mention.start,
        "plan_end": row.mention.end,
        "plan_quantity": row.mention.text,
        "year": row.year,
        "plan_task": row.task,
        "planned": json_number(row.value),
        "plan_unit": row.unit,
        "comparator": row.comparator,
        "verdict": row.verdict,
        "reported": None if m is None else json_number(m.value_in_plan_unit),
        "reported_value": None if m is None else json_number(m.value),
        "reported_unit": None if m is None else m.unit,
        "reported_comparator": None if m is None else m.comparator,
        "ratio": None if m is None or m.ratio is None else round(m.ratio, 4),
        "score": None if m is None else round(m.score, 4),
        "result_source": None if m is None else m.mention.source,
        "result_start": None if m is None else m.mention.start,
        "result_end": None if m is None else m.mention.end,
        "result_task": None if m is None else m.task,
        "plan_evidence": row.mention.sentence,
        "result_evidence": None if m is None else m.mention.sentence,
        "also_reported": "" if m is None else "; ".join(_where(a.source, a.start, a.end) for a in m.also),
        "alternatives": "; ".join(_alternative(a) for a in row.alternatives),
    }


def to_frame(rows: Iterable[TrackedPlan]) -> pd.DataFrame:
    """Tracked plans as a DataFrame with the :data:`COLUMNS`, in order."""
    frame = pd.DataFrame([flatten(r) for r in rows], columns=list(COLUMNS), dtype=object)
    return frame.astype({c: "Int64" for c in _INT_COLUMNS})


def _amount(value: Decimal | int | float | None, unit: str | None = None, comparator: str = "=") -> str:
    if value is None:
        return ""
    number = json_number(Decimal(str(value)))
    text = f"{number:,}" if isinstance(number, int) else f"{number:,.4g}"
    prefix = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "≈"}.get(comparator, "")
    return f"{prefix}{text}{' ' + unit if unit else ''}"


def _cut(text: str | None, width: int, keep: str = "") -> str:
    """``text`` cut to ``width`` characters with …, keeping ``keep`` (the quantity) in view."""
    text = text or ""
    if len(text) <= width:
        return text
    at = text.find(keep) if keep else -1
    if at < 0 or at + len(keep) <= width - 1:
        return text[: width - 1] + "…"
    start = min(max(0, at + len(keep) - width + 2), len(text) - width + 1)
    end = start + width - 2
    return "…" + text[start:end] + ("…" if end < len(text) else text[end:end + 1])


def render_text(rows: list[TrackedPlan], width: int = 26) -> str:
    """A readable terminal table: plan, planned, reported, ratio, verdict, score, result, where."""
    if not rows:
        return "(no planned commitment found in the plan documents)\n"
    lines = []
    for r in rows:
        m = r.match
        lines.append({
            "plan": _cut(r.focus or r.task, width, "".join(r.mention.text.split())),
            "planned": _amount(r.value, r.unit, r.comparator),
            "reported": "" if m is None else _amount(m.value_in_plan_unit, r.unit, m.comparator),
            "ratio": "" if m is None or m.ratio is None else f"{m.ratio:.0%}",
            "verdict": r.verdict,
            "score": "" if m is None else f"{m.score:.2f}",
            "result": "" if m is None else _cut(m.focus or m.task, width, "".join(m.mention.text.split())),
            "source": "" if m is None else Path(m.mention.source).name + (f" +{len(m.also)}" if m.also else ""),
            "alternatives": "; ".join(f"{_amount(a.value_in_plan_unit, r.unit, a.comparator)} ({a.score:.2f})"
                                      for a in r.alternatives),
        })
    frame = pd.DataFrame(lines, columns=["plan", "planned", "reported", "ratio", "verdict", "score",
                                         "result", "source", "alternatives"])
    if not frame["alternatives"].astype(bool).any():
        frame = frame.drop(columns=["alternatives"])
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 10_000,
                           "display.max_colwidth", 200):
        return frame.to_string(index=False) + "\n"


def _open(path: Path | None):
    if path is None:
        return sys.stdout
    try:
        return path.open("w", encoding="utf-8", newline="")
    except OSError as err:
        raise InputError(f"cannot write output ({err.strerror})", source=str(path)) from None


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    try:
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name="tracking")
            sheet = writer.sheets["tracking"]
            sheet.freeze_panes = "A2"
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for i, col in enumerate(frame.columns, start=1):
                longest = max([len(str(col))] + [len(str(v)) for v in frame[col].head(500)])
                sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest * 1.6 + 2))
    except OSError as err:
        raise InputError(f"cannot write output ({err.strerror})", source=str(path)) from None


def write_tracking(rows: list[TrackedPlan], fmt: str, path: Path | None = None) -> None:
    """Write the fulfilment table in ``fmt`` (:data:`FORMATS`) to ``path`` or stdout."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        if path is None:
            raise InputError("xlsx output needs a file: add -o FILE.xlsx")
        _write_xlsx(to_frame(rows), path)
        return
    out = _open(path)
    try:
        if fmt == "jsonl":
            for r in rows:
                out.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        elif fmt == "csv":
            to_frame(rows).to_csv(out, index=False)
        else:
            out.write(render_text(rows))
    finally:
        if out is not sys.stdout:
            out.close()
