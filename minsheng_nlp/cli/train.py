"""``minsheng train``: train the whole pipeline from annotation files and a config."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import MinshengError


def _overrides(pairs: list[str]) -> dict[str, object]:
    """``key=value`` overrides (values parsed as JSON when they can be: 10, 0.2, true)."""
    import json

    out: dict[str, object] = {}
    for pair in pairs:
        if "=" not in pair:
            raise typer.BadParameter(f"override {pair!r} is not key=value")
        key, value = pair.split("=", 1)
        try:
            out[key.strip()] = json.loads(value)
        except ValueError:
            out[key.strip()] = value
    return out


def train(
    config: Path = typer.Option(..., "--config", help="Training config, e.g. training/fast.cfg."),
    data: Path = typer.Option(..., "--data", help="Folder of annotation JSONL files with splits.json."),
    output: Path = typer.Option(..., "--output", "-o", help="Directory for the trained pipeline."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Config override key=value (repeatable), e.g. training.max_steps=20."),
    augment_copies: int = typer.Option(2, "--augment-copies", help="Noisy copies of each training chunk."),
) -> None:
    """Train NER + relations + commitment decisions on the train split; save a spaCy pipeline."""
    from ..training.pipeline import train_pipeline

    try:
        path = train_pipeline(config, data, output, _overrides(set_ or []), augment_copies)
    except MinshengError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2)
    typer.echo(f"trained pipeline saved to {path}; evaluate it with: "
               f"minsheng evaluate --model {path} --data {data} --split dev")
