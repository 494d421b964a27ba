"""Writing commitment tables: JSONL, CSV, XLSX, and a readable terminal table."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Iterable, TextIO

import pandas as pd

from ..errors import InputError

COLUMNS = ("source", "year", "status", "task", "value", "value_max", "unit", "comparator",
           "deadline", "deadline_text", "departments", "quantity", "start", "end")
FORMATS = ("table", "jsonl", "csv", "xlsx")


def flatten(record: dict[str, Any], source: str | None = None) -> dict[str, Any]:
    """One commitment dict (``Commitment.to_dict``) as a flat table row."""
    q = record["quantity"]
    return {
        "source": source,
        "year": record["year"],
        "status": record["status"],
        "task": record["task"],
        "value": record["value"],
        "value_max": record["value_max"],
        "unit": record["unit"],
        "comparator": record["comparator"],
        "deadline": record["deadline"],
        "deadline_text": record["deadline_text"],
        "departments": "、".join(d["text"] for d in record["departments"]),
        "quantity": q["text"],
        "start": q["start"],
        "end": q["end"],
    }


def to_frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Flat rows as a DataFrame with the standard columns, in order."""
    frame = pd.DataFrame(list(rows), columns=list(COLUMNS), dtype=object)
    return frame.astype({"year": "Int64", "start": "Int64", "end": "Int64"})


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def _open_target(path: Path | None):
    if path is None:
        return sys.stdout
    try:
        return path.open("w", encoding="utf-8", newline="")
    except OSError as err:
        raise InputError(f"cannot write output ({err.strerror})", source=str(path)) from None


def write_table(records: list[dict[str, Any]], fmt: str, path: Path | None = None) -> None:
    """Write full records (each with a ``source`` key) in ``fmt`` to ``path`` or stdout."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        if path is None:
            raise InputError("xlsx output needs a file: add -o FILE.xlsx")
        _write_xlsx(to_frame(flatten(r, r.get("source")) for r in records), path)
        return
    out = _open_target(path)
    try:
        if fmt == "jsonl":
            write_jsonl(records, out)
        elif fmt == "csv":
            to_frame(flatten(r, r.get("source")) for r in records).to_csv(out, index=False)
        else:
            frame = to_frame(flatten(r, r.get("source")) for r in records)
            cols = ["source", "year", "status", "value", "unit", "comparator", "deadline", "departments", "task"]
            frame = frame[cols].assign(
                source=frame["source"].map(lambda s: Path(str(s)).name),
                task=frame["task"].map(lambda t: t if len(t) <= 30 else t[:29] + "…"),
                value=frame["value"].map(lambda v: "" if v is None else f"{v:,}"),
            )
            with pd.option_context("display.unicode.east_asian_width", True):
                out.write(frame.to_string(index=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """An XLSX sheet with a bold header, frozen first row and readable column widths."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    try:
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name="commitments")
            sheet = writer.sheets["commitments"]
            sheet.freeze_panes = "A2"
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for i, col in enumerate(frame.columns, start=1):
                longest = max([len(str(col))] + [len(str(v)) for v in frame[col].head(500)])
                sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest * 1.6 + 2))
    except OSError as err:
        raise InputError(f"cannot write output ({err.strerror})", source=str(path)) from None
