"""Extraction on a Dask cluster: files partitioned across workers, partitioned output.

``extract_dask(paths, scheduler="local" | "tcp://host:8786", output=DIR, fmt="parquet" | "jsonl")``
splits the files (folders are expanded first) into contiguous partitions, one Dask task
each. Every worker loads the pipeline once (a worker plugin) and runs
:func:`minsheng_nlp.batch.extract_files` on its partition, exactly as ``minsheng extract``
does in one process, then writes ``DIR/part-00000.parquet`` (or ``.jsonl``) itself:
one row per commitment with the columns of the CSV (:data:`~minsheng_nlp.io.writers.COLUMNS`),
in file order. Files that cannot be read or processed are reported, never fatal.

On a real cluster the input paths and the output folder must be visible to every worker
(a shared file system), and each worker needs ``minsheng-nlp`` installed (``pip install
"minsheng-nlp[dask]"``). Needs the ``dask`` extra: ``dask[distributed]`` and ``pyarrow``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .errors import InputError, MinshengError, ModelLoadError

FORMATS = ("parquet", "jsonl")
PART_PATTERN = "part-{index:05d}.{ext}"
_EXT = {"parquet": "parquet", "jsonl": "jsonl"}


@dataclass
class DaskSummary:
    """What :func:`extract_dask` did: counts, skipped files ``(source, reason)`` and part files."""

    files_read: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    commitments: int = 0
    output_files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PartResult:
    """One partition's outcome, sent back from a worker (plain data only)."""

    index: int
    files_read: int
    skipped: list[tuple[str, str]]
    commitments: int
    output_file: str


def partition(files: list[str], n_partitions: int) -> list[list[str]]:
    """``files`` cut into at most ``n_partitions`` contiguous, near-equal, non-empty chunks."""
    n = max(1, min(n_partitions, len(files)))
    size, extra = divmod(len(files), n)
    chunks, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        if end > start:
            chunks.append(files[start:end])
        start = end
    return chunks


def _pipeline_plugin_class():
    """The worker plugin class (built on use, so that importing this module needs no Dask)."""
    from distributed import WorkerPlugin

    class PipelinePlugin(WorkerPlugin):
        """Loads the pipeline ``model`` once when a worker starts (or joins) and keeps it."""

        def __init__(self, model: str | None) -> None:
            self.model = model
            self.nlp = None

        def setup(self, worker: Any) -> None:
            from . import load

            self.nlp = load(self.model)

    return PipelinePlugin


def plugin_name(model: str | None) -> str:
    """The worker plugin's name for pipeline ``model`` (one loaded pipeline per name)."""
    return f"minsheng-pipeline:{model or 'default'}"


def write_part(records: list[dict[str, Any]], path: str, fmt: str) -> None:
    """Commitment records (each with ``source``) as one Parquet or JSONL part file."""
    from .io.writers import flatten, to_dataframe

    if fmt == "parquet":
        to_dataframe(records).to_parquet(path, index=False)
    else:
        with open(path, "w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(flatten(record, record["source"]), ensure_ascii=False) + "\n")


def extract_partition(files: list[str], index: int, output: str, fmt: str, model: str | None,
                      year: int | None) -> PartResult:
    """Run on a worker: extract ``files`` with the worker's pipeline and write part ``index``."""
    from distributed import get_worker

    from .batch import extract_files

    plugin = get_worker().plugins[plugin_name(model)]
    result = extract_files(files, model=plugin.nlp, year=year)
    path = str(Path(output) / PART_PATTERN.format(index=index, ext=_EXT[fmt]))
    write_part(result.records, path, fmt)
    return PartResult(index, result.files_read, list(result.failures), len(result.records), path)


def _prepare_output(output: str | Path, fmt: str) -> Path:
    """Create the output folder (or fail clearly) and remove part files of an earlier run."""
    out = Path(output)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".minsheng-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise InputError(f"cannot write output folder ({err.strerror})", source=str(out)) from None
    for old in out.glob(f"part-*.{_EXT[fmt]}"):
        old.unlink()
    return out


def _check_model(model: str | None) -> None:
    """Fail on this machine, before any worker tries, when ``model`` names no pipeline."""
    from .pipelines import shipped_models

    if model is not None and model != "rules" and model not in shipped_models() and not Path(model).is_dir():
        known = ", ".join(["rules", *shipped_models()])
        raise ModelLoadError(f"unknown pipeline {model!r}: not a shipped name ({known}) nor a directory")


def _client(scheduler: str, n_workers: int | None, timeout: float):
    """A Dask client: ``"local"`` starts a LocalCluster (closed with the client), else connects."""
    from distributed import Client, LocalCluster

    if scheduler == "local":
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout=timeout), None
    except (OSError, TimeoutError, ValueError) as err:
        raise MinshengError(f"cannot reach the Dask scheduler {scheduler!r} ({err})") from None


def extract_dask(paths: Iterable[str | Path], scheduler: str = "local", output: str | Path = "minsheng-output",
                 model: str | None = None, year: int | None = None, fmt: str = "parquet",
                 partitions: int | None = None, n_workers: int | None = None,
                 connect_timeout: float = 10.0) -> DaskSummary:
    """Extract the commitments of ``paths`` on a Dask cluster; write partitioned output.

    ``scheduler``: ``"local"`` (a LocalCluster on this machine, ``n_workers`` processes,
    default one per core) or an address such as ``tcp://host:8786``; ``output``: the folder
    receiving ``part-NNNNN.parquet`` / ``.jsonl`` (earlier part files there are replaced);
    ``model``/``year`` as for :func:`minsheng_nlp.extract`; ``partitions``: number of
    tasks (default: two per worker, at most one per file); ``connect_timeout``: seconds
    to wait for the scheduler. Returns a :class:`DaskSummary`.
    """
    from . import _check_year
    from .io.readers import expand_paths

    if fmt not in FORMATS:
        raise InputError(f"unknown output format {fmt!r} for Dask; choose one of {', '.join(FORMATS)}")
    if model is not None and not isinstance(model, (str, Path)):
        raise TypeError(f"model must be a pipeline name or directory, not {type(model).__name__}")
    year = _check_year(year)
    model = str(model) if model is not None else None
    _check_model(model)
    files = [str(p) for p in expand_paths(paths)]
    out = _prepare_output(output, fmt)
    summary = DaskSummary()
    if not files:
        return summary
    client, cluster = _client(scheduler, n_workers, connect_timeout)
    try:
        client.register_plugin(_pipeline_plugin_class()(model), name=plugin_name(model))
        workers = max(1, len(client.scheduler_info()["workers"]))
        chunks = partition(files, partitions or 2 * workers)
        futures = [client.submit(extract_partition, chunk, i, str(out), fmt, model, year, pure=False)
                   for i, chunk in enumerate(chunks)]
        parts: list[PartResult] = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    for part in sorted(parts, key=lambda p: p.index):
        summary.files_read += part.files_read
        summary.skipped += [tuple(s) for s in part.skipped]
        summary.commitments += part.commitments
        summary.output_files.append(part.output_file)
    return summary


__all__ = ["DaskSummary", "extract_dask", "extract_partition", "partition", "write_part", "FORMATS"]
