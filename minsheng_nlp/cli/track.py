"""``minsheng track``: planned commitments against the results reported later (fulfilment table)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from tqdm import tqdm
from typer.core import TyperCommand

from ..errors import MinshengError

_RESULTS_FLAGS = ("--results", "-r")


class TrackCommand(TyperCommand):
    """Lets ``--results`` take several files: ``--results a.txt b.txt`` (as a shell glob gives them).

    Click options take one value each; the arguments are rewritten to
    ``--results a.txt --results b.txt`` before parsing, up to the next option.
    """

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        return super().parse_args(ctx, expand_results(args))


def expand_results(args: list[str]) -> list[str]:
    """``["p", "--results", "a", "b", "-f", "csv"]`` → ``["p", "--results", "a", "--results", "b", "-f", "csv"]``."""
    out: list[str] = []
    greedy = False
    for arg in args:
        if arg == "--":
            greedy = False
            out.append(arg)
        elif arg in _RESULTS_FLAGS:
            greedy = True
            out.append(arg)
        elif arg.startswith("-") and arg != "-":
            greedy = False
            out.append(arg)
        elif greedy and out and out[-1] not in _RESULTS_FLAGS:
            out.extend([_RESULTS_FLAGS[0], arg])
        else:
            out.append(arg)
    return out


def read_documents(nlp, paths: list[Path], year: int | None, role: str, progress: bool = True):
    """``([(source, Doc)], [(path, reason)])`` for the files and folders ``paths``."""
    from .. import make_doc
    from ..io.readers import expand_paths, read_document

    docs, failures = [], []
    files = list(expand_paths(paths))
    for path in tqdm(files, desc=f"{role} files", unit="file", file=sys.stderr,
                     disable=not progress or len(files) < 2 or not sys.stderr.isatty()):
        try:
            document = read_document(path)
        except MinshengError as err:
            failures.append((str(path), str(err)))
            continue
        docs.append((document.source, nlp(make_doc(nlp, document.text, year))))
    return docs, failures


def _summary(rows) -> str:
    from collections import Counter

    counts = Counter(r.verdict for r in rows)
    return ", ".join(f"{n} {v}" for v, n in counts.most_common())


def track(
    plans: list[Path] = typer.Argument(..., help="Plan documents (files or folders)."),
    results: list[Path] = typer.Option(..., "--results", "-r",
                                       help="Result documents reported later: --results FILE... (files or folders)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table | csv | xlsx | jsonl"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file (default: standard output; required for xlsx)."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Pipeline: 'rules', a shipped name or a saved directory (default: best shipped)."),
    min_score: float = typer.Option(0.3, "--min-score", help="Lowest match score (0-1) accepted as a report of a plan."),
    near_tie: float = typer.Option(0.15, "--near-tie", help="Other reports scoring within this of the match are listed as alternatives."),
    plans_year: Optional[int] = typer.Option(None, "--plans-year", help="Year of the plan documents (default: inferred from each text)."),
    results_year: Optional[int] = typer.Option(None, "--results-year", help="Year of the result documents, e.g. 2024 for a 2024 press conference on 2023 (default: inferred)."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Score the links and verdicts against a gold pairs file instead of printing the table."),
    json_out: bool = typer.Option(False, "--json", help="With --gold: print the scores as JSON."),
) -> None:
    """Did the government do what it promised? Match the planned commitments of PLANS with the
    results reported for the same year in the --results documents: one row per plan with the
    reported value, the ratio, the verdict (met / not met / unclear / ambiguous / no report found)
    and the evidence of both."""
    from .. import load
    from ..tracking import track_documents
    from ..tracking.gold import format_scores, read_gold, score_tracking
    from ..tracking.table import FORMATS, write_tracking

    if fmt not in FORMATS:
        typer.echo(f"error: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    for name, year in (("--plans-year", plans_year), ("--results-year", results_year)):
        if year is not None and not 1900 <= year <= 2100:
            typer.echo(f"error: {name} must be between 1900 and 2100, got {year}", err=True)
            raise typer.Exit(2)
    if not 0.0 <= min_score <= 1.0 or not 0.0 <= near_tie <= 1.0:
        typer.echo("error: --min-score and --near-tie must be between 0 and 1", err=True)
        raise typer.Exit(2)
    try:
        pairs = read_gold(gold) if gold is not None else None
        nlp = load(model)
        plan_docs, plan_failures = read_documents(nlp, plans, plans_year, "plan")
        result_docs, result_failures = read_documents(nlp, results, results_year, "result")
        rows = track_documents(plan_docs, result_docs, min_score, near_tie)
        if pairs is None or output is not None:
            write_tracking(rows, fmt, output)
    except MinshengError as err:
        typer.echo(f"error: {' '.join(str(err).split())}", err=True)
        raise typer.Exit(2)
    failures = plan_failures + result_failures
    for _, reason in failures:
        typer.echo(f"skipped: {reason}", err=True)
    typer.echo(f"{len(plan_docs)} plan file(s), {len(result_docs)} result file(s) read, {len(failures)} skipped; "
               f"{len(rows)} plan(s): {_summary(rows) or 'none'}", err=True)
    if pairs is not None:
        scores = score_tracking(rows, pairs)
        if json_out:
            typer.echo(json.dumps(scores.to_dict(), ensure_ascii=False, indent=2))
        else:
            typer.echo(format_scores(scores, str(gold)), nl=False)
    if failures:
        raise typer.Exit(1)
