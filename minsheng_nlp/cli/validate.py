"""``minsheng validate``: check annotation files against the data contract."""
from __future__ import annotations

from pathlib import Path

import typer

from ..io.annotations import FileReport, Problem, check_file, iter_annotation_files


def _empty_folder_reports(paths: list[Path]) -> list[FileReport]:
    """A problem for every folder given that holds no ``*.jsonl`` file."""
    return [FileReport(str(p), 0, [Problem(str(p), None, "no *.jsonl files in this folder")])
            for p in paths if p.is_dir() and not any(p.glob("*.jsonl"))]


def validate(
    files: list[Path] = typer.Argument(
        ..., help="Annotation JSONL files, or folders whose *.jsonl files are checked."),
) -> None:
    """Check annotation files: print every problem as file:line: message, then a summary.

    Exit code 1 when there is any problem, 0 otherwise.
    """
    checked = [check_file(path) for path in iter_annotation_files(files)]
    problems = [p for r in _empty_folder_reports(files) + checked for p in r.problems]
    for problem in problems:
        typer.echo(str(problem))
    records = sum(r.records for r in checked)
    typer.echo(f"{len(checked)} files, {records} records, {len(problems)} problems")
    if problems:
        raise typer.Exit(1)
