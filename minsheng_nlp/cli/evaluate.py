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


def _default_splits(data: list[Path]) -> Path:
    first = data[0]
    return (first if first.is_dir() else first.parent) / "splits.json"


def select_split(records: list, split: str, splits_path: Path) -> list:
    """The records whose id is listed under ``split`` in ``splits_path``."""
    try:
        splits = json.loads(Path(splits_path).read_text(encoding="utf-8"))
    except OSError as err:
        raise InputError(f"cannot read splits ({err.strerror})", source=str(splits_path)) from None
    except ValueError as err:
        raise InputError(f"not valid JSON ({err})", source=str(splits_path)) from None
    if split not in splits or not isinstance(splits[split], list):
        names = ", ".join(k for k, v in splits.items() if isinstance(v, list))
        raise InputError(f"no split {split!r} (splits: {names})", source=str(splits_path))
    wanted = set(splits[split])
    return [r for r in records if r.id in wanted]


def evaluate(
    model: str = typer.Option("rules", "--model",
                              help="Pipeline name or path, as accepted by minsheng_nlp.load."),
    data: list[Path] = typer.Option(..., "--data",
                                    help="Gold JSONL file or folder of *.jsonl (repeatable)."),
    json_out: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
    split: str = typer.Option(None, "--split",
                              help="Keep only the records of this split (train/dev/test) of splits.json."),
    splits_file: Path = typer.Option(None, "--splits",
                                     help="splits.json to use with --split (default: next to the data)."),
) -> None:
    """Score a pipeline on gold annotations: entities, relations, commitments, fields."""
    import minsheng_nlp

    try:
        records = read_many(data)
        if split is not None:
            records = select_split(records, split, splits_file or _default_splits(data))
        if not records:
            raise InputError(f"no records in {', '.join(map(str, data))}"
                             + (f" for split {split!r}" if split else ""))
        nlp = minsheng_nlp.load(model)
    except (MinshengError, OSError) as err:
        raise _fail(err) from None
    result = run_evaluation(nlp, records)
    if json_out:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_report(result), nl=False)
