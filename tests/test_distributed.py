"""Extraction on a Dask LocalCluster (2 workers) equals the single-process extraction."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

from distributed import LocalCluster  # noqa: E402

from minsheng_nlp.batch import extract_files  # noqa: E402
from minsheng_nlp.distributed import extract_dask, partition  # noqa: E402
from minsheng_nlp.errors import InputError  # noqa: E402
from minsheng_nlp.io.writers import COLUMNS, flatten, to_dataframe  # noqa: E402
from tests.conftest import SEEDS  # noqa: E402

SEED_FILES = sorted(str(p) for p in SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of 2 workers in this process (threads: no interpreter start-up per worker)."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def single_process(nlp):
    """The seeds' commitments as ``minsheng extract`` computes them in one process."""
    return extract_files(SEED_FILES, model=nlp).records


def test_partitions_are_contiguous_and_cover_every_file() -> None:
    files = [f"f{i}" for i in range(7)]
    assert partition(files, 3) == [["f0", "f1", "f2"], ["f3", "f4"], ["f5", "f6"]]
    assert partition(files[:2], 4) == [["f0"], ["f1"]]
    assert partition([], 4) == []


def test_jsonl_parts_equal_the_single_process_rows(scheduler, single_process, tmp_path) -> None:
    summary = extract_dask(SEED_FILES, scheduler=scheduler, output=tmp_path, model="rules", fmt="jsonl")
    assert (summary.files_read, summary.skipped) == (5, [])
    assert [Path(f).name for f in summary.output_files] == [f"part-0000{i}.jsonl" for i in range(4)]
    rows = [json.loads(line) for f in summary.output_files for line in Path(f).read_text(encoding="utf-8").splitlines()]
    assert summary.commitments == len(rows) == len(single_process) == 491
    assert rows == [flatten(r, r["source"]) for r in single_process]
    assert list(rows[0]) == list(COLUMNS)


def test_parquet_parts_equal_the_single_process_table(scheduler, single_process, tmp_path) -> None:
    summary = extract_dask(SEED_FILES, scheduler=scheduler, output=tmp_path / "out", model="rules",
                           fmt="parquet", partitions=2)
    assert len(summary.output_files) == 2
    table = pd.concat([pd.read_parquet(f) for f in summary.output_files], ignore_index=True)
    pd.testing.assert_frame_equal(table, to_dataframe(single_process))
    jobs = table[table["task"] == "城镇新增就业23万人"].iloc[0]
    assert (jobs["value"], jobs["unit"], jobs["year"]) == (230000, "人", 2023)


def test_a_poisoned_file_is_skipped_by_name(scheduler, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEED_FILES[:2]:
        shutil.copy(seed, folder)
    (folder / "poisoned.txt").write_bytes(b"\x00\x01PK\x03\x04 not text")
    summary = extract_dask([folder], scheduler=scheduler, output=tmp_path / "out", model="rules", fmt="jsonl")
    assert summary.files_read == 2
    assert [(Path(s).name, "binary data" in reason) for s, reason in summary.skipped] == [("poisoned.txt", True)]
    sources = {json.loads(line)["source"] for f in summary.output_files for line in Path(f).read_text().splitlines()}
    assert {Path(s).name for s in sources} == {Path(s).name for s in SEED_FILES[:2]}


def test_an_unwritable_output_is_refused_before_any_work(tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(InputError, match="a-file.*cannot write output folder"):
        extract_dask(SEED_FILES, scheduler="tcp://127.0.0.1:9", output=blocker / "out", fmt="parquet")
    with pytest.raises(InputError, match="unknown output format 'csv'"):
        extract_dask(SEED_FILES, scheduler="tcp://127.0.0.1:9", output=tmp_path, fmt="csv")
