"""``extract_files(n_process=2)`` without Docs: worker processes, same records, failures by name."""
from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pytest
from spacy.language import Language

import minsheng_nlp
from minsheng_nlp import batch
from minsheng_nlp.batch import process_in_workers, start_method
from tests.conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))
POISON = "【中毒】"
LETHAL = "【致命】"
PARENT = os.getpid()

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")


@Language.component("test_raises_on_poison")
def raises_on_poison(doc):
    """Raises on documents holding POISON (stands in for any pipeline bug)."""
    if POISON in doc.text:
        raise RuntimeError("poisoned document")
    return doc


@Language.component("test_kills_its_worker")
def kills_its_worker(doc):
    """Kills the worker process running it on documents holding LETHAL (never this test process)."""
    if LETHAL in doc.text:
        if os.getpid() == PARENT:
            raise RuntimeError("lethal document processed in the test process")
        os.kill(os.getpid(), signal.SIGKILL)
    return doc


def _copy_seeds(folder: Path, extra: dict[str, str]) -> list[Path]:
    """The seeds and ``extra`` files (name → text) in ``folder``, in name order."""
    for path in SEED_FILES:
        (folder / path.name).write_bytes(path.read_bytes())
    for name, text in extra.items():
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(folder.iterdir())


def _without(records: list[dict], source: Path) -> list[dict]:
    return [r for r in records if r["source"] != str(source)]


def test_two_processes_give_the_records_of_one(nlp) -> None:
    one = minsheng_nlp.extract_files(SEED_FILES, model=nlp, year=2030)
    two = minsheng_nlp.extract_files(SEED_FILES, model=nlp, year=2030, n_process=2)
    assert len(one.records) > 400
    assert two.records == one.records
    assert (two.files_read, two.chars_read, two.failures, two.docs) == (5, one.chars_read, [], [])
    assert multiprocessing.active_children() == []


def test_a_poisoned_document_among_two_processes_is_named(tmp_path) -> None:
    files = _copy_seeds(tmp_path, {"002_poisoned.txt": "2025年计划新建学校3所。" + POISON})
    nlp = minsheng_nlp.load("rules")
    nlp.add_pipe("test_raises_on_poison", first=True)
    one = minsheng_nlp.extract_files(files, model=nlp)
    two = minsheng_nlp.extract_files(files, model=nlp, n_process=2, batch_size=2)
    poisoned = tmp_path / "002_poisoned.txt"
    expected = [(str(poisoned), f"{poisoned}: processing failed (RuntimeError: poisoned document)")]
    assert one.failures == two.failures == expected
    assert two.records == one.records == _without(one.records, poisoned)
    assert two.files_read == 5


def test_a_document_that_kills_its_worker_is_named_and_the_others_kept(tmp_path) -> None:
    files = _copy_seeds(tmp_path, {"001_lethal.txt": "计划改造公厕40座。" + LETHAL})
    lethal = tmp_path / "001_lethal.txt"
    nlp = minsheng_nlp.load("rules")
    expected = minsheng_nlp.extract_files([f for f in files if f != lethal], model=nlp).records
    nlp.add_pipe("test_kills_its_worker", first=True)
    result = minsheng_nlp.extract_files(files, model=nlp, n_process=2, batch_size=2)
    assert result.failures == [(str(lethal), f"{lethal}: processing failed "
                                "(the worker process died: killed by signal 9 (SIGKILL))")]
    assert result.records == expected
    assert result.files_read == 5
    assert multiprocessing.active_children() == []


def test_documents_are_read_a_few_at_a_time(nlp) -> None:
    read = []

    def texts():
        for i in range(200):
            read.append(i)
            yield f"doc-{i}", f"计划新建学校{i + 1}所。"

    outcomes = process_in_workers(nlp, texts(), None, n_process=2, batch_size=2)
    first = next(outcomes)
    assert first[:2] == ("doc-0", 9) and first[2][0]["value"] == 1 and first[3] is None
    assert len(read) <= batch.READ_AHEAD * 2 * 2 + 2
    outcomes.close()  # stops the workers
    assert multiprocessing.active_children() == []
    read.clear()
    every = list(process_in_workers(nlp, texts(), None, n_process=2, batch_size=1))
    assert [(source, commitments[0]["value"]) for source, _, commitments, _ in every] == [
        (f"doc-{i}", i + 1) for i in range(200)]


def test_spawned_workers_load_the_pipeline_by_name(nlp) -> None:
    texts = [(f"doc-{i}", f"计划新建学校{i + 1}所。") for i in range(3)]
    spawned = list(process_in_workers("rules", iter(texts), 2030, n_process=2, batch_size=1, method="spawn"))
    forked = list(process_in_workers(nlp, iter(texts), 2030, n_process=2, batch_size=1))
    assert spawned == forked
    assert [(s, c[0]["value"], c[0]["year"]) for s, _, c, _ in spawned] == [
        ("doc-0", 1, 2030), ("doc-1", 2, 2030), ("doc-2", 3, 2030)]


def test_start_method(monkeypatch, nlp) -> None:
    assert start_method(nlp) == start_method("rules") == "fork"
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert start_method("rules") == "spawn"
    assert start_method(nlp) is None  # a Language object cannot be sent to a spawned worker: nlp.pipe
