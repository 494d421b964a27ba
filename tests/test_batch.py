"""``extract_files``: folders of mixed formats, failures by name, processes, laziness."""
from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

import minsheng_nlp
from minsheng_nlp.batch import BatchResult, read_texts
from minsheng_nlp.io.readers import read_document
from tests.io.test_formats_docx import write_plan_docx
from tests.io.test_formats_html import PLAN_PAGE

PLANS = {
    "a_jobs.txt": "2025年，市人社局计划城镇新增就业3.2万人。",
    "b_parking.txt": "计划新增公共停车位3000个，年底前完成。",
    "c_toilets.txt": "2025年，区城管局计划改造提升城市公厕40座。",
}
FAULT = "【故障】"


@Language.component("test_fails_on_marked_docs")
def fails_on_marked_docs(doc):
    """A component that raises on documents holding FAULT (stands in for any pipeline bug)."""
    if FAULT in doc.text:
        raise RuntimeError("cannot handle this document")
    return doc


def _folder(tmp_path: Path) -> Path:
    for name, text in PLANS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _summary(result: BatchResult) -> list[tuple[str, object, str, str, int]]:
    return [(Path(r["source"]).name, r["value"], r["unit"], r["status"], r["year"]) for r in result.records]


def test_folder_of_mixed_formats(tmp_path, nlp) -> None:
    (tmp_path / "plan.html").write_text(PLAN_PAGE, encoding="utf-8")
    write_plan_docx(tmp_path / "county.docx")
    (tmp_path / "notes.txt").write_text(PLANS["c_toilets.txt"], encoding="utf-8")
    result = minsheng_nlp.extract_files([tmp_path], model=nlp)
    assert _summary(result) == [
        ("county.docx", 150, "公里", "planned", 2025),
        ("county.docx", 120, "公里", "planned", 2025),
        ("county.docx", 700, "元", "planned", 2025),
        ("notes.txt", 40, "座", "planned", 2025),
        ("plan.html", 25000, "人", "planned", 2025),
        ("plan.html", 86, "个", "planned", 2025),
    ]
    assert (result.files_read, result.failures, result.warnings, result.docs) == (3, [], [], [])
    texts = [read_document(p).text for p in sorted(tmp_path.iterdir())]
    assert result.chars_read == sum(map(len, texts))
    assert set(result.records[0]) == {"source", "quantity", "value", "value_max", "unit", "comparator",
                                      "status", "year", "deadline", "deadline_text", "departments", "task"}


def test_year_travels_and_docs_are_kept_across_processes(tmp_path, nlp) -> None:
    folder = _folder(tmp_path)
    one = minsheng_nlp.extract_files([folder], model=nlp, year=2030, keep_docs=True)
    two = minsheng_nlp.extract_files([folder], model=nlp, year=2030, keep_docs=True, n_process=2, batch_size=1)
    assert two.records == one.records
    assert _summary(one) == [("a_jobs.txt", 32000, "人", "planned", 2025),
                             ("b_parking.txt", 3000, "个", "planned", 2030),
                             ("c_toilets.txt", 40, "座", "planned", 2025)]
    assert [(Path(s).name, d._.year, len(d._.relations)) for s, d in two.docs] == [
        ("a_jobs.txt", 2030, 3), ("b_parking.txt", 2030, 2), ("c_toilets.txt", 2030, 3)]


@pytest.mark.parametrize("n_process", [1, 2])
def test_a_document_that_breaks_the_pipeline_is_named(tmp_path, n_process) -> None:
    folder = _folder(tmp_path)
    (folder / "b_parking.txt").write_text(PLANS["b_parking.txt"] + FAULT, encoding="utf-8")
    (folder / "d_broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj")
    nlp = minsheng_nlp.load("rules")
    nlp.add_pipe("test_fails_on_marked_docs", first=True)
    result = minsheng_nlp.extract_files([folder], model=nlp, n_process=n_process, batch_size=2)
    assert sorted(result.failures) == [
        (str(folder / "b_parking.txt"),
         f"{folder / 'b_parking.txt'}: processing failed (RuntimeError: cannot handle this document)"),
        (str(folder / "d_broken.pdf"),
         f"{folder / 'd_broken.pdf'}: truncated PDF (no %%EOF marker at its end; download it again)"),
    ]
    assert _summary(result) == [("a_jobs.txt", 32000, "人", "planned", 2025),
                                ("c_toilets.txt", 40, "座", "planned", 2025)]
    assert result.files_read == 2


def test_files_are_read_one_at_a_time(tmp_path) -> None:
    first, second = tmp_path / "1.txt", tmp_path / "2.txt"
    first.write_text(PLANS["a_jobs.txt"], encoding="utf-8")
    result = BatchResult()
    texts = read_texts([first, second], 1_000_000, result, on_failure=lambda: None)
    assert next(texts) == (str(first), PLANS["a_jobs.txt"])
    second.write_text(PLANS["c_toilets.txt"], encoding="utf-8")  # did not exist until now
    assert list(texts) == [(str(second), PLANS["c_toilets.txt"])]
    assert result.failures == []


def test_bad_arguments(tmp_path, nlp) -> None:
    with pytest.raises(ValueError, match="n_process must be a positive int, got 0"):
        minsheng_nlp.extract_files([tmp_path], model=nlp, n_process=0)
    with pytest.raises(ValueError, match="year must be between 1900 and 2100, got 25"):
        minsheng_nlp.extract_files([tmp_path], model=nlp, year=25)
