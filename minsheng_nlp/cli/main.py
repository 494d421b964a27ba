"""The typer application that gathers the commands."""
from __future__ import annotations

import typer

from . import convert as convert_cmd
from . import evaluate as evaluate_cmd
from . import extract as extract_cmd
from . import preannotate as preannotate_cmd
from . import track as track_cmd
from . import train as train_cmd
from . import validate as validate_cmd

app = typer.Typer(
    name="minsheng",
    help="Extract livelihood commitments (民生实事) from Chinese government texts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("extract")(extract_cmd.extract)
app.command("validate")(validate_cmd.validate)
app.command("evaluate")(evaluate_cmd.evaluate)
app.command("train")(train_cmd.train)
app.command("convert")(convert_cmd.convert)
app.command("preannotate")(preannotate_cmd.preannotate)
app.command("track", cls=track_cmd.TrackCommand)(track_cmd.track)


def main() -> None:
    """Console-script entry point."""
    app()
