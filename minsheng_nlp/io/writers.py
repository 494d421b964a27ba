"""Writing commitment tables: JSONL, CSV, XLSX, a readable terminal table, and DataFrames.

The HTML report needs the documents themselves, not table rows: see :mod:`.html`.
"""
from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any, Iterable, TextIO

import pandas as pd
from spacy.tokens import Doc

from ..commitments.record import Commitment
from ..errors import InputError

COLUMNS = ("source", "year", "status", "task", "value", "value_max", "unit", "comparator",
           "deadline", "deadline_text", "departments", "quantity", "start", "end")
FORMATS = ("table", "jsonl", "csv", "xlsx", "html")
#: The dtypes of :func:`to_dataframe`: nullable numbers and strings, missing = ``pd.NA``.
DTYPES = {"source": "string", "year": "Int64", "status": "string", "task": "string",
          "value": "Float64", "value_max": "Float64", "unit": "string", "comparator": "string",
          "deadline": "string", "deadline_text": "string", "departments": "string",
          "quantity": "string", "start": "Int64", "end": "Int64"}


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


def _rows(items: Iterable[Any]) -> Iterable[dict[str, Any]]:
    """Flat rows of Docs, (source, Doc) pairs, Commitments and commitment dicts, in order."""
    for i, item in enumerate(items):
        if isinstance(item, Doc):
            yield from (flatten(c.to_dict()) for c in item._.commitments)
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Doc):
            yield from (flatten(c.to_dict(), str(item[0])) for c in item[1]._.commitments)
        elif isinstance(item, Commitment):
            yield flatten(item.to_dict())
        elif isinstance(item, dict):
            missing = [k for k in ("quantity", "value", "unit", "status", "task") if k not in item]
            if missing:
                raise InputError(f"item {i} is not a commitment record: no {', '.join(map(repr, missing))} key")
            yield flatten(item, item.get("source"))
        else:
            raise TypeError(f"item {i}: expected a Doc, a (source, Doc) pair, a Commitment or a "
                            f"commitment dict, got {type(item).__name__}")


def to_dataframe(items: Iterable[Any]) -> pd.DataFrame:
    """The commitments of ``items`` as a DataFrame with the spreadsheet columns (:data:`COLUMNS`).

    ``items`` may mix processed Docs (source left empty), ``(source, Doc)`` pairs,
    :class:`Commitment` objects and commitment dicts (``Commitment.to_dict()``, with an
    optional ``source`` key). Types (:data:`DTYPES`): year/start/end ``Int64``; value and
    value_max ``Float64`` (exact for integers up to 2**53 and the decimals reports write, so
    they can be summed and compared; the JSONL/CSV/XLSX writers keep the exact JSON numbers);
    the rest ``string``; missing values are ``pd.NA``. ``departments`` joins names with "、".
    """
    frame = pd.DataFrame(list(_rows(items)), columns=list(COLUMNS), dtype=object)
    return frame.astype(DTYPES)


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
    if fmt == "html":
        raise InputError("the HTML report needs the processed documents, not table rows: "
                         "call minsheng_nlp.io.html.write_report([(source, doc), ...], path)")
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


def display_width(value: Any) -> int:
    """Width of ``str(value)`` in character cells: CJK and full-width characters count 2."""
    if value is None or value is pd.NA:
        return 0
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


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
                longest = max([display_width(col)] + [display_width(v) for v in frame[col].head(500)])
                sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    except OSError as err:
        raise InputError(f"cannot write output ({err.strerror})", source=str(path)) from None
