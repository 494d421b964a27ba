"""``minsheng evaluate``: score a pipeline against annotated data."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from ..errors import InputError, MinshengError
from ..evaluate import evaluate as run_evaluation
from ..evaluate import format_report
from ..io.annotations import read_many


def _fail(err: BaseException) -> typer.Exit:
    """Print a one-line error on stderr; the caller raises the returned exit (code 2)."""
    message = " ".join(str(err).split()) or type(err).__name__
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def evaluate(
    model: str = typer.Option("rules", "--model",
                              help="Pipeline name or path, as accepted by minsheng_nlp.load."),
    data: list[Path] = typer.Option(..., "--data",
                                    help="Gold JSONL file or folder of *.jsonl (repeatable)."),
    json_out: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
) -> None:
    """Score a pipeline on gold annotations: entities, relations, commitments, fields."""
    import minsheng_nlp

    try:
        records = read_many(data)
        if not records:
            raise InputError(f"no records in {', '.join(map(str, data))}")
        nlp = minsheng_nlp.load(model)
    except (MinshengError, OSError) as err:
        raise _fail(err) from None
    result = run_evaluation(nlp, records)
    if json_out:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_report(result), nl=False)
