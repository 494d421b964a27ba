"""``minsheng extract``: commitments of files and folders to a table."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from tqdm import tqdm

from ..errors import MinshengError


def extract_files(paths: list[Path], model: str | None = None, year: int | None = None,
                  max_bytes: int | None = None, progress: bool = True):
    """Extract from every file; returns (records with ``source``, failures [(path, reason)], files read)."""
    from .. import load, make_doc
    from ..io.readers import DEFAULT_MAX_BYTES, expand_paths, read_document

    nlp = load(model)
    files = list(expand_paths(paths))
    records: list[dict] = []
    failures: list[tuple[str, str]] = []
    read = 0
    for path in tqdm(files, desc="files", unit="file", disable=not progress or len(files) < 2, file=sys.stderr):
        try:
            document = read_document(path, max_bytes or DEFAULT_MAX_BYTES)
        except MinshengError as err:
            failures.append((str(path), str(err)))
            continue
        doc = nlp(make_doc(nlp, document.text, year))
        read += 1
        for commitment in doc._.commitments:
            records.append({"source": document.source, **commitment.to_dict()})
    return records, failures, read


def extract(
    paths: list[Path] = typer.Argument(..., help="Text files (.txt/.md) or folders of them."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Pipeline: 'rules', a shipped name or a saved directory (default: best shipped)."),
    year: Optional[int] = typer.Option(None, "--year", help="Document year (default: inferred from each text)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table | jsonl | csv | xlsx"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file (default: standard output; required for xlsx)."),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", help="Refuse input files larger than this (default 50 MB)."),
) -> None:
    """Extract the commitments of each document: one row per commitment, with its source file."""
    from ..io.writers import FORMATS, write_table

    if fmt not in FORMATS:
        typer.echo(f"error: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    if year is not None and not 1900 <= year <= 2100:
        typer.echo(f"error: --year must be between 1900 and 2100, got {year}", err=True)
        raise typer.Exit(2)
    try:
        records, failures, read = extract_files(paths, model, year, max_bytes)
        write_table(records, fmt, output)
    except MinshengError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2)
    for source, reason in failures:
        typer.echo(f"skipped: {reason}", err=True)
    typer.echo(f"{read} file(s) read, {len(failures)} skipped, {len(records)} commitment(s)", err=True)
    if failures:
        raise typer.Exit(1)
