"""``minsheng convert``: turn an annotation-tool export into our JSONL (GUIDELINE.md §1)."""
from __future__ import annotations

from pathlib import Path

import typer

from ..errors import MinshengError
from ..io.annotations import validate_file
from ..io.labelstudio import convert_file

FORMATS = ("labelstudio",)


def convert(
    input: Path = typer.Argument(..., help="The export file (Label Studio JSON)."),
    output: Path = typer.Option(..., "--output", "-o", help="The JSONL file to write."),
    fmt: str = typer.Option("labelstudio", "--from", help="labelstudio"),
) -> None:
    """Convert an annotation export to annotation JSONL, then validate the result.

    Exit code 1 when the written file has contract problems, 2 when it cannot be converted.
    """
    if fmt not in FORMATS:
        typer.echo(f"error: unknown format {fmt!r} (expected one of {', '.join(FORMATS)})",
                   err=True)
        raise typer.Exit(2)
    try:
        written, skipped = convert_file(input, output)
    except (MinshengError, OSError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{written} records written, {skipped} tasks without annotations skipped")
    problems = validate_file(output)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        raise typer.Exit(1)
