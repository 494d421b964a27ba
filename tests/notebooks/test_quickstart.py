"""``notebooks/quickstart.ipynb`` runs offline in a fresh kernel, and its saved copy is current.

The notebook is executed with nbclient, working directory ``notebooks/`` (as Jupyter starts
it), its files written to a temporary folder. When a test here fails after a change of the
library or of the shipped model, rebuild the notebook: ``python notebooks/build_quickstart.py``.
"""
from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path

import pytest

import nbformat  # nbformat, nbclient and ipykernel come with the dev extra: pip install -e ".[dev]"
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
REBUILD = "rebuild it: python notebooks/build_quickstart.py"


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_quickstart", NOTEBOOKS / "build_quickstart.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


def kernel_env(tmp: Path) -> dict[str, str]:
    """Environment that makes kernel ``python3`` start with this interpreter (``sys.executable``).

    The ``python3`` kernelspec that ipykernel installs runs ``python``, which jupyter_client
    replaces by ``sys.executable``; a spec pointing at another interpreter (or none at all) is
    overridden by one written to ``tmp`` and put first on ``JUPYTER_PATH``.
    """
    try:
        import ipykernel.kernelspec
    except ImportError:
        pytest.fail("ipykernel is not installed, so no Python kernel can start: pip install -e '.[dev]'")
    ours = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}
    try:
        command = KernelSpecManager().get_kernel_spec(builder.KERNEL_NAME).argv[0]
        if command in ours or Path(command).resolve() == Path(sys.executable).resolve():
            return {}
    except NoSuchKernel:
        pass
    ipykernel.kernelspec.install(kernel_name=builder.KERNEL_NAME, prefix=str(tmp))
    return {"JUPYTER_PATH": str(tmp / "share" / "jupyter")}


def saved() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / "quickstart.ipynb", as_version=4)


def code_cells(notebook) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def text_outputs(cell) -> list[tuple[str, str]]:
    """What a reader sees as text: stdout (consecutive chunks joined) and the plain-text results."""
    shown: list[tuple[str, str]] = []
    for out in cell.outputs:
        if out.output_type == "stream":
            if out.name != "stdout":
                continue
            if shown and shown[-1][0] == "stdout":
                shown[-1] = ("stdout", shown[-1][1] + out.text)
            else:
                shown.append(("stdout", out.text))
        elif "data" in out:
            shown.append((out.output_type, out.data.get("text/plain", "")))
    return shown


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The saved notebook executed afresh: ``(notebook, folder its files were written to)``."""
    out = tmp_path_factory.mktemp("notebook-out")
    with pytest.MonkeyPatch.context() as mp:
        for name, value in kernel_env(tmp_path_factory.mktemp("kernel")).items():
            mp.setenv(name, value)
        mp.setenv(builder.OUT_ENV, str(out))
        notebook = copy.deepcopy(saved())
        try:
            builder.execute(notebook, cwd=NOTEBOOKS)
        except CellExecutionError as err:
            pytest.fail(f"a cell of notebooks/quickstart.ipynb failed:\n{err}")
    return notebook, out


def stdout_of(notebook, marker: str) -> str:
    """The stdout of the one code cell whose source contains ``marker``."""
    cells = [c for c in code_cells(notebook) if marker in c.source]
    assert len(cells) == 1, f"{len(cells)} code cells contain {marker!r}"
    return "".join(text for kind, text in text_outputs(cells[0]) if kind == "stdout")


def test_saved_notebook_is_what_the_builder_writes():
    expected = builder.build_notebook()
    got = saved()
    assert [(c.cell_type, c.id, c.source) for c in got.cells] == \
        [(c.cell_type, c.id, c.source) for c in expected.cells], f"quickstart.ipynb is not built from build_quickstart.py: {REBUILD}"
    assert got.metadata.kernelspec.name == "python3"


def test_saved_notebook_has_outputs_and_no_errors():
    cells = code_cells(saved())
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1)), f"not executed top to bottom: {REBUILD}"
    assert all(c.outputs for c in cells), f"a code cell has no saved output: {REBUILD}"
    assert not [o for c in cells for o in c.outputs if o.output_type == "error"]
    assert sum(len(nbformat.writes(c)) for c in cells) < 60_000, "saved outputs should stay small"


def test_runs_in_a_fresh_kernel_from_the_notebooks_folder(executed):
    notebook, _ = executed
    cells = code_cells(notebook)
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1))
    assert not [o for c in cells for o in c.outputs if o.output_type == "error"]


def test_default_and_rules_pipelines_are_shown(executed):
    text = stdout_of(executed[0], 'nlp.meta["name"]')
    assert text.startswith("default pipeline: fast [")
    assert "'ner'" in text.splitlines()[0]
    assert text.splitlines()[1] == "rules pipeline:   rules ['minsheng_rules_ner', 'minsheng_rules_linker', 'minsheng_commitments']"


def test_displacy_marks_the_passage(executed):
    cell = next(c for c in code_cells(executed[0]) if "displacy.render" in c.source)
    html = "".join(o.data["text/html"] for o in cell.outputs if o.output_type == "display_data")
    assert html.count("<mark") == 6  # 2024年 省住建厅 9800 套 5万 户
    assert "省住建厅" in html and "DEPARTMENT" in html
    assert " 9800 HAS_UNIT        套\n" in stdout_of(executed[0], "displacy.render")


def test_report_and_spreadsheets_are_written(executed):
    notebook, out = executed
    assert sorted(p.name for p in out.iterdir()) == ["003_commitments.xlsx", "003_report.html", "003_tracking.xlsx"]
    assert (out / "003_report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    text = stdout_of(notebook, "write_report(")
    commitments = int(text.split(" commitments")[0].rsplit(" ", 1)[1])
    assert f"003_commitments.xlsx: {commitments} rows x 14 columns" in text


def test_tracking_table_and_gold_scores(executed):
    notebook, _ = executed
    counts = stdout_of(notebook, "minsheng_nlp.track(")
    verdicts = {line.rsplit(None, 1)[0]: int(line.rsplit(None, 1)[1]) for line in counts.splitlines()[2:]}
    assert set(verdicts) <= {"met", "not met", "unclear", "ambiguous", "no report found"}
    assert verdicts["met"] > 0 and verdicts["no report found"] > 0
    assert counts.startswith(f"{sum(verdicts.values())} plans tracked\n")
    table = next(c for c in code_cells(notebook) if "examples = [" in c.source).outputs[0].data["text/plain"]
    assert "met" in table and "no report found" in table
    scores = stdout_of(notebook, "score_tracking(")
    assert scores.startswith("promise tracking — pairs_2023.jsonl\nlinks     predicted ")
    assert "verdicts  gold plans 66  tracked 66" in scores


def test_saved_outputs_are_current(executed):
    fresh, saved_cells = code_cells(executed[0]), code_cells(saved())
    for new, old in zip(fresh, saved_cells):
        assert text_outputs(new) == text_outputs(old), \
            f"the saved outputs of this cell are stale ({REBUILD}):\n{new.source}"
