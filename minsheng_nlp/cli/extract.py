"""``minsheng extract``: commitments of files and folders (text, HTML, Word, PDF) to a table."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

import typer

from ..batch import extract_files
from ..errors import MinshengError

DASK_FORMATS = ("parquet", "jsonl")


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def report(files_read: int, failures: Sequence[tuple[str, str]], commitments: int,
           warnings: Sequence[tuple[str, str]] = ()) -> None:
    """Skipped files and warnings, then the summary line, on stderr."""
    for _source, reason in failures:
        typer.echo(f"skipped: {reason}", err=True)
    for source, message in warnings:
        typer.echo(f"warning: {source}: {message}", err=True)
    typer.echo(f"{files_read} file(s) read, {len(failures)} skipped, {commitments} commitment(s)", err=True)


def check_dask_options(fmt: str, output: Path | None, n_process: int) -> None:
    """``--dask`` writes parquet or jsonl files into an output folder."""
    if fmt not in DASK_FORMATS:
        raise _fail(f"--dask writes {' or '.join(DASK_FORMATS)} files: add --format parquet (or jsonl)")
    if output is None:
        raise _fail("--dask needs -o OUTPUT_DIR, the folder the results are written to")
    if output.exists() and not output.is_dir():
        raise _fail(f"{output}: --dask writes into a folder, and this is a file")
    if n_process != 1:
        raise _fail("--n-process does not apply with --dask (the scheduler's workers do the work)")


def run_dask(paths: list[Path], scheduler: str, output: Path, model: str | None, year: int | None,
             fmt: str) -> None:
    """The ``--dask`` branch: hand the files to ``distributed.extract_dask``."""
    from ..distributed import extract_dask

    try:
        summary = extract_dask(paths, scheduler=scheduler, output=output, model=model, year=year, fmt=fmt)
    except MinshengError as err:
        raise _fail(str(err)) from None
    report(summary.files_read, summary.skipped, summary.commitments)
    if summary.skipped:
        raise typer.Exit(1)


def extract(
    paths: list[Path] = typer.Argument(..., help="Files (.txt .md .html .htm .shtml .docx .pdf) or folders of them."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Pipeline: 'rules', a shipped name or a saved directory (default: best shipped)."),
    year: Optional[int] = typer.Option(None, "--year", help="Document year (default: inferred from each text)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table | jsonl | csv | xlsx | html (with --dask: parquet | jsonl)"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file (default: standard output; required for xlsx); a folder with --dask."),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", help="Refuse input files (and extracted texts) larger than this (default 50 MB)."),
    n_process: int = typer.Option(1, "--n-process", "-n", help="Worker processes running the pipeline (same output as 1)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr (files and characters)."),
    dask: Optional[str] = typer.Option(None, "--dask", metavar="SCHEDULER", help="Dask scheduler address, or 'local'"),
) -> None:
    """Extract the commitments of each document: one row per commitment, with its source file.

    Prints `N file(s) read, M skipped, K commitment(s)` on stderr; the exit code is 1 when
    a file was skipped.
    """
    from ..io.writers import FORMATS, write_table

    if year is not None and not 1900 <= year <= 2100:
        raise _fail(f"--year must be between 1900 and 2100, got {year}")
    if n_process < 1:
        raise _fail(f"--n-process must be 1 or more, got {n_process}")
    if max_bytes is not None and max_bytes < 1:
        raise _fail(f"--max-bytes must be positive, got {max_bytes}")
    if dask is not None:
        check_dask_options(fmt, output, n_process)
        run_dask(paths, dask, output, model, year, fmt)
        return
    formats = tuple(dict.fromkeys((*FORMATS, "html")))
    if fmt not in formats:
        raise _fail(f"unknown format {fmt!r}; choose one of {', '.join(formats)}")
    if fmt == "xlsx" and output is None:
        raise _fail("xlsx output needs a file: add -o FILE.xlsx")
    try:
        result = extract_files(paths, model, year, n_process=n_process, max_bytes=max_bytes,
                               progress=progress, keep_docs=fmt == "html")
        if fmt == "html":
            from ..io.html import write_report

            write_report(result.docs, output)
        else:
            write_table(result.records, fmt, output)
    except MinshengError as err:
        raise _fail(str(err)) from None
    report(result.files_read, result.failures, len(result.records), result.warnings)
    if result.failures:
        raise typer.Exit(1)
