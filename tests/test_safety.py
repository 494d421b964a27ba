"""Safety: nothing the library loads is unpickled; oversized input is refused before any work."""
from __future__ import annotations

import pickle
import sys
import tracemalloc
from pathlib import Path

import numpy
import pytest
import spacy
from spacy.tokens import Doc

import minsheng_nlp
from minsheng_nlp.pipelines import shipped_models
from minsheng_nlp.text.docview import LAYOUT_KEY
from tests.conftest import seed_text

_UNPICKLED: list[str] = []  # classes an unpickler resolved while _WATCHING is on
_WATCHING: list[bool] = []


def _audit(event: str, args: tuple) -> None:
    """Every unpickler resolving a class or function raises the ``pickle.find_class`` audit event."""
    if _WATCHING and event == "pickle.find_class":
        _UNPICKLED.append(f"{args[0]}.{args[1]}")


sys.addaudithook(_audit)  # audit hooks cannot be removed: it records only while _WATCHING


def _forbidden(*args, **kwargs):
    raise AssertionError("the library tried to unpickle")


@pytest.fixture
def no_unpickling(monkeypatch):
    """Make every usual unpickling entry point raise, and record any other unpickling."""
    import srsly

    for module, name in ((pickle, "load"), (pickle, "loads"), (srsly, "pickle_loads")):
        monkeypatch.setattr(module, name, _forbidden)
    real_numpy_load = numpy.load

    def numpy_load(*args, **kwargs):
        if kwargs.get("allow_pickle"):
            _forbidden()
        return real_numpy_load(*args, **kwargs)

    monkeypatch.setattr(numpy, "load", numpy_load)
    _UNPICKLED.clear()
    _WATCHING.append(True)
    yield _UNPICKLED
    _WATCHING.clear()


def _is_pickle(data: bytes) -> bool:
    """A pickle of protocol 2+ starts with PROTO (0x80, version) and ends with STOP (``.``)."""
    return data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05") and data.endswith(b".")


def test_the_audit_hook_sees_unpickling() -> None:
    """The check below can fail: unpickling an object is caught by the hook."""
    data = pickle.dumps(Path("x"))
    _UNPICKLED.clear()
    _WATCHING.append(True)
    try:
        pickle.loads(data)
    finally:
        _WATCHING.clear()
    assert _UNPICKLED == ["pathlib.PosixPath"] or _UNPICKLED == ["pathlib.Path"]
    assert _is_pickle(data)


@pytest.mark.parametrize("name", ["rules", *shipped_models()])
def test_shipped_pipelines_load_and_run_without_unpickling(name: str, no_unpickling) -> None:
    nlp = minsheng_nlp.load(name)
    records = minsheng_nlp.extract(seed_text("003_2c6c425c22f525ff.txt"), model=nlp)
    assert len(records) > 0
    assert no_unpickling == []


def test_a_saved_pipeline_is_safe_formats_only_and_loads_without_unpickling(tmp_path: Path, no_unpickling) -> None:
    minsheng_nlp.load("rules").to_disk(tmp_path / "pipe")
    files = [p for p in (tmp_path / "pipe").rglob("*") if p.is_file()]
    assert not [p for p in files if _is_pickle(p.read_bytes())]
    assert {p.suffix for p in files} <= {".cfg", ".json", ".txt", ".bin", ""}
    text = "2024年，省住建厅计划发展保障性租赁住房9800套。"
    for nlp in (minsheng_nlp.load(tmp_path / "pipe"), spacy.load(tmp_path / "pipe")):
        assert [r["value"] for r in minsheng_nlp.extract(text, model=nlp)] == [9800]
    assert no_unpickling == []


def test_oversized_text_is_refused_before_any_allocation(monkeypatch) -> None:
    text = "两" * (minsheng_nlp.MAX_CHARS + 1)
    monkeypatch.setattr(minsheng_nlp, "load", _forbidden)  # refused before a pipeline is even loaded
    tracemalloc.start()
    try:
        with pytest.raises(minsheng_nlp.InputError, match=rf"\(offset {minsheng_nlp.MAX_CHARS}\): text is "
                                                          rf"{len(text):,} characters, above the limit"):
            minsheng_nlp.extract(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # no tokens, no view: the text (10 MB) is all there is


def test_the_limit_is_configurable(nlp) -> None:
    with pytest.raises(minsheng_nlp.InputError, match=r"text is 13 characters, above the limit of 10"):
        minsheng_nlp.make_doc(nlp, "计划新建学校3所。两年完成", max_chars=10)
    doc = minsheng_nlp.make_doc(nlp, "a" * 1_200_000, max_chars=None)  # above spaCy's own 1,000,000
    assert len(doc) == 1_200_000


def test_docs_serialize_whatever_part_of_the_pipeline_ran(nlp) -> None:
    """The layout shared by the components is a cache: never output, never a serialization error."""
    text = seed_text("003_2c6c425c22f525ff.txt")
    full = nlp(text)
    assert LAYOUT_KEY not in full.user_data
    with nlp.select_pipes(enable=["minsheng_rules_ner", "minsheng_rules_linker"]):
        partial = nlp(text)
    assert LAYOUT_KEY in partial.user_data
    restored = Doc(nlp.vocab).from_bytes(partial.to_bytes())
    assert restored.user_data[LAYOUT_KEY] is None
    assert [(e.start_char, e.end_char, e.label_) for e in restored.ents] == [
        (e.start_char, e.end_char, e.label_) for e in full.ents]
    again = nlp.get_pipe("minsheng_commitments")(restored)  # the cache is rebuilt from the text
    assert [c.to_dict() for c in again._.commitments] == [c.to_dict() for c in full._.commitments]
    assert LAYOUT_KEY not in again.user_data
