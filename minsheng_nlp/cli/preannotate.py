"""``minsheng preannotate``: a pipeline's output as annotation JSONL to correct in doccano."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from ..errors import MinshengError

FORMATS = ("jsonl", "labelstudio")


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _unique_prefix(stem: str, used: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3``… when another input file has the same stem."""
    prefix, n = stem, 1
    while prefix in used:
        n += 1
        prefix = f"{stem}-{n}"
    used.add(prefix)
    return prefix


def _complete(nlp, path: Path, redo: bool) -> tuple[list, int]:
    """The records of an annotation file, commitments added where a record has none (every
    record's recomputed with ``redo``); ``(records, records left unchanged)``. A record whose
    entities or relations are invalid raises InputError."""
    from dataclasses import replace

    from ..errors import InputError
    from ..io.annotations import read_annotations, validate_record
    from ..io.preannotate import add_commitments

    out, kept = [], 0
    for record in read_annotations(path):
        if record.commitments and not redo:
            out.append(record)
            kept += 1
            continue
        record = replace(record, commitments=[])
        problems = validate_record(record)
        if problems:
            raise InputError(f"record {record.id!r} is not valid ({problems[0]}); "
                             f"see minsheng validate {path}", source=str(path), line=record.line)
        out.append(add_commitments(nlp, record))
    return out, kept


def _write(records: list, output: Path, fmt: str) -> None:
    from ..io.preannotate import to_labelstudio_task

    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="utf-8", newline="\n") as handle:
        if fmt == "labelstudio":
            json.dump([to_labelstudio_task(r) for r in records], handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        else:
            handle.writelines(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in records)


def preannotate(
    paths: list[Path] = typer.Argument(..., help="Reports to pre-annotate (.txt .md .html .docx .pdf) or folders of them; annotation .jsonl files get their missing commitments."),
    output: Path = typer.Option(..., "--output", "-o", help="The file to write: annotation JSONL (or Label Studio JSON with --format labelstudio)."),
    model: str = typer.Option("rules", "--model", "-m", help="Pipeline: 'rules' (default), a shipped name such as 'fast', or a saved pipeline directory."),
    year: int | None = typer.Option(None, "--year", help="Document year, written to meta.year (default: inferred from each text)."),
    region: str | None = typer.Option(None, "--region", help="Region written to meta.region, e.g. 河南省信阳市光山县."),
    max_chars: int = typer.Option(1500, "--max-chars", help="Largest record, in characters: longer texts are cut at paragraph breaks (0: one record per file)."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (doccano import) | labelstudio (import JSON with predictions)."),
    redo: bool = typer.Option(False, "--redo-commitments", help="Annotation .jsonl inputs: recompute the commitments of every record, also where some exist (a doccano export renumbers entity ids)."),
) -> None:
    """Pre-annotate reports with a pipeline: records to correct in doccano or Label Studio.

    One record per paragraph group of at most --max-chars characters (meta.offset = its
    offset in the text read from the file); entities, relations and commitments from the
    pipeline; meta.preannotated names the pipeline. The JSONL written is checked like
    `minsheng validate` does. An annotation file (.jsonl, e.g. a converted Label Studio
    export) keeps its records, entities and relations: records without commitments get
    those the pipeline draws from their entities and relations (every record with
    --redo-commitments). Exit code 1 when a file was skipped or the output has problems.
    """
    import minsheng_nlp

    from ..io.annotations import validate_file, validate_record
    from ..io.preannotate import preannotate_text
    from ..io.readers import expand_paths, read_document

    if fmt not in FORMATS:
        raise _fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if year is not None and not 1949 <= year <= 2100:
        raise _fail(f"--year must be between 1949 and 2100, got {year}")
    if max_chars < 0:
        raise _fail(f"--max-chars must be 0 or more, got {max_chars}")
    try:
        nlp = minsheng_nlp.load(model)
    except MinshengError as err:
        raise _fail(str(err)) from None
    records, skipped, used, files = [], 0, set(), 0
    for path in expand_paths(paths):
        try:
            if path.suffix.lower() == ".jsonl":
                completed, kept = _complete(nlp, path, redo)
                records += completed
                files += 1
                if kept:
                    typer.echo(f"{path}: {kept} record(s) already had commitments, left unchanged "
                               "(--redo-commitments recomputes them)", err=True)
                continue
            document = read_document(path)
            prefix = _unique_prefix(path.stem or path.name, used)
            records += preannotate_text(nlp, document.text, path.name, year=year, region=region,
                                        max_chars=max_chars, id_prefix=prefix)
            files += 1
        except MinshengError as err:
            typer.echo(f"skipped: {err}", err=True)
            skipped += 1
        except ValueError as err:  # a pipeline whose output is inconsistent (doc_to_record)
            typer.echo(f"skipped: {path}: {err}", err=True)
            skipped += 1
    try:
        _write(records, output, fmt)
    except OSError as err:
        raise _fail(f"{output}: cannot write ({err.strerror or err})") from None
    counts = (f"{sum(len(r.entities) for r in records)} entities, "
              f"{sum(len(r.relations) for r in records)} relations, "
              f"{sum(len(r.commitments) for r in records)} commitments")
    typer.echo(f"{files} file(s) read, {skipped} skipped, {len(records)} record(s) "
               f"({counts}) written to {output}", err=True)
    if fmt == "jsonl":
        problems = [str(p) for p in validate_file(output)]
    else:
        problems = [f"{output}: record {r.id}: {m}" for r in records for m in validate_record(r)]
    for problem in problems:
        typer.echo(problem, err=True)
    if skipped or problems:
        raise typer.Exit(1)
