"""Hostile input, table-driven: every bad input gets one clear outcome, never a traceback.

Each table row is a real kind of bad input and the exact outcome expected: a result, or an
error of a given type whose message names the argument, file, line or offset. The 10 MB
cases test reading and the size limit (cheap); the throughput of a 10 MB extraction is
measured by ``benchmarks/bench.py`` (README, "Speed and memory").
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
from typer.testing import CliRunner

import minsheng_nlp
from minsheng_nlp.cli.main import app
from minsheng_nlp.errors import InputError, ModelLoadError
from minsheng_nlp.io.readers import read_document
from tests.conftest import SEEDS

runner = CliRunner()
RULES = minsheng_nlp.load("rules")  # the fast one to run; the default pipeline gets one case of its own
SEED = SEEDS / "003_2c6c425c22f525ff.txt"
PLAN = "2024年，省住建厅计划发展保障性租赁住房9800套。"


@dataclass(frozen=True)
class Case:
    """One hostile input: ``call()`` runs it; ``raises``/``match`` or ``check`` say what must happen."""

    name: str
    call: Callable[[], Any]
    raises: type[BaseException] | None = None
    match: str = ""
    check: Callable[[Any], bool] | None = None


def _values(records: list[dict]) -> list[tuple[str, Any, Any]]:
    return [(r["quantity"]["text"], r["value"], r["unit"]) for r in records]


def _exact_offsets(text: str) -> Callable[[list[dict]], bool]:
    def check(records: list[dict]) -> bool:
        return all(text[r["quantity"]["start"]:r["quantity"]["end"]] == r["quantity"]["text"] for r in records)
    return check


def extract(text: Any, **options: Any) -> list[dict]:
    return minsheng_nlp.extract(text, model=RULES, **options)


EMOJI_TEXT = "🏠2024年，省住建厅计划发展保障性租赁住房\x00\x079800套🎉\u200b。"
API_CASES = [
    Case("the default pipeline, emoji and controls", lambda: minsheng_nlp.extract(EMOJI_TEXT),
         check=lambda r: _values(r) == [("9800", 9800, "套")] and _exact_offsets(EMOJI_TEXT)(r)),
    Case("empty text", lambda: extract(""), check=lambda r: r == []),
    Case("whitespace only", lambda: extract(" \n\t\u3000\r\n  \xa0"), check=lambda r: r == []),
    Case("None", lambda: extract(None), TypeError, r"^text must be str, not NoneType$"),
    Case("bytes", lambda: extract(PLAN.encode()), TypeError,
         r"^text must be str, not bytes \(decode bytes first"),
    Case("bytes to make_doc", lambda: minsheng_nlp.make_doc(RULES, bytearray(b"x")),
         TypeError, r"^text must be str, not bytearray"),
    Case("year as a string", lambda: extract(PLAN, year="2024"), TypeError,
         r"^year must be int or None, not str$"),
    Case("no Chinese at all", lambda: extract(
        "In 2024 the province will build 9,800 homes and 50 schools (phase 2, 3.5 km)."),
        check=lambda r: r == []),
    Case("emoji and control characters around a commitment", lambda: extract(EMOJI_TEXT),
         check=lambda r: _values(r) == [("9800", 9800, "套")] and _exact_offsets(EMOJI_TEXT)(r)),
    Case("emoji only", lambda: extract("😀🎉👍" * 1000), check=lambda r: r == []),
    Case("a lone surrogate", lambda: extract("2024年计划新建学校3所\ud800。"), InputError,
         r"^\(offset 13\): lone surrogate U\+D800 is not valid Unicode text"),
    Case("text above max_chars", lambda: extract("一" * 101, max_chars=100), InputError,
         r"^\(offset 100\): text is 101 characters, above the limit of 100 \(pass max_chars="),
    Case("above the default limit, refused before any work",
         lambda: extract("a" * (minsheng_nlp.MAX_CHARS + 1)), InputError,
         rf"text is {minsheng_nlp.MAX_CHARS + 1:,} characters, above the limit of {minsheng_nlp.MAX_CHARS:,}"),
    Case("a number of 40 digits (beyond Decimal's default 28)",
         lambda: extract("计划新建" + "1" * 40 + ".5万个"),
         check=lambda r: _values(r) == [("1" * 40 + ".5万", int("1" * 40 + "5000"), "个")]),
    Case("29 digits with a unit", lambda: extract("10000000000000000000000000000个"),
         check=lambda r: [x["value"] for x in r] == [10**28]),
    Case("50,000 numbers, one per line", lambda: extract("\n".join(map(str, range(50_000)))),
         check=lambda r: r == []),
    Case("50,000 numbers in a Chinese list", lambda: extract("、".join(map(str, range(50_000)))),
         check=lambda r: r == []),
]


@pytest.mark.parametrize("case", API_CASES, ids=[c.name for c in API_CASES])
def test_api_input(case: Case) -> None:
    if case.raises is not None:
        with pytest.raises(case.raises, match=case.match):
            case.call()
    else:
        assert case.check(case.call())


def _ten_megabytes_of_seeds() -> bytes:
    """The seeds repeated to exactly 10,000,000 bytes of UTF-8 (cut at a character, padded with newlines)."""
    data = b"".join(p.read_bytes() for p in sorted(SEEDS.glob("*.txt")))
    text = (data * (10_000_000 // len(data) + 1))[:10_000_000].decode("utf-8", "ignore").encode("utf-8")
    return text + b"\n" * (10_000_000 - len(text))


FILE_CASES = [
    ("invalid UTF-8 (nor GB18030)", b"2024\xe5\xb9\xb4\xff\x80 plan", InputError,
     r"bad\.txt \(offset 7\): not valid UTF-8 \(invalid byte 0xff\) nor GB18030/GBK text"),
    ("GBK-encoded report", "2024年，计划改造农村危房3400户。".encode("gbk"), None, "农村危房3400户"),
    ("UTF-8 with a BOM", "\ufeff2024年，计划改造农村危房3400户。".encode("utf-8"), None, "2024年，计划"),
    ("PNG renamed .txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", InputError,
     r"bad\.txt \(offset 8\): binary data, not a text file \(NUL byte found"),
    ("empty file", b"", None, ""),
]


@pytest.mark.parametrize("name, data, raises, expected", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_file_input(tmp_path: Path, name: str, data: bytes, raises: type | None, expected: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    if raises is not None:
        with pytest.raises(raises, match=expected):
            read_document(path)
    else:
        assert expected in read_document(path).text


def test_ten_megabyte_document_is_read_then_refused_above_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(_ten_megabytes_of_seeds())
    with pytest.raises(InputError, match=r"big\.txt: file is 10,000,000 bytes, above the limit of 1,000,000 bytes"):
        read_document(big, max_bytes=1_000_000)
    text = read_document(big).text
    assert 3_000_000 < len(text) < minsheng_nlp.MAX_CHARS  # about 3.4 M characters: under the default limit
    with pytest.raises(InputError, match=rf"text is {len(text):,} characters, above the limit of 1,000,000"):
        minsheng_nlp.extract(text, max_chars=1_000_000)


def test_a_batch_with_one_poisoned_file_in_a_hundred(tmp_path: Path) -> None:
    for i in range(100):
        (tmp_path / f"report-{i:03d}.txt").write_text(f"2024年，计划新建社区食堂{i + 1}个。", encoding="utf-8")
    (tmp_path / "report-042.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00")  # a binary in disguise
    result = runner.invoke(app, ["extract", str(tmp_path), "-f", "jsonl", "--no-progress"])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["value"] for r in rows) == [i + 1 for i in range(100) if i != 42]
    assert "report-042.txt" in result.stderr and "binary data" in result.stderr
    assert "99 file(s) read, 1 skipped, 99 commitment(s)" in result.stderr
    assert "Traceback" not in result.output


VALID = {"id": "r1", "text": "2024年计划新建学校3所", "meta": {"year": 2024},
         "entities": [{"id": 1, "label": "DEADLINE", "start_offset": 0, "end_offset": 5},
                      {"id": 2, "label": "QUANTITY", "start_offset": 11, "end_offset": 12},
                      {"id": 3, "label": "UNIT", "start_offset": 12, "end_offset": 13}],
         "relations": [{"id": 1, "from_id": 2, "to_id": 3, "type": "HAS_UNIT"},
                       {"id": 2, "from_id": 2, "to_id": 1, "type": "HAS_DEADLINE"}]}


def _mutated(change: Callable[[dict], None]) -> str:
    record = {**json.loads(json.dumps(VALID)), "id": "r2"}
    change(record)
    return json.dumps(record, ensure_ascii=False)


JSONL_CASES = [
    ("bad JSON", '{"id": "r1", "text": ', r":2: invalid JSON at column 22"),
    ("offsets out of range", _mutated(lambda r: r["entities"][1].update(end_offset=99)),
     r":2: entity 2: offsets 11-99 outside 0 <= start < end <= 13"),
    ("overlapping spans", _mutated(lambda r: r["entities"][2].update(start_offset=11)),
     r':2: entity 2 "3" overlaps entity 3 "3所"'),
    ("unknown label", _mutated(lambda r: r["entities"][2].update(label="MEASURE")),
     r':2: entity 3: unknown label "MEASURE"'),
    ("dangling relation id", _mutated(lambda r: r["relations"][0].update(to_id=7)),
     r":2: relation 1: to_id 7 is not an entity id"),
]


@pytest.mark.parametrize("name, line, expected", JSONL_CASES, ids=[c[0] for c in JSONL_CASES])
def test_malformed_jsonl_is_reported_as_file_line_message(tmp_path: Path, name: str, line: str,
                                                            expected: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(VALID, ensure_ascii=False) + "\n" + line + "\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert problems and all(line.startswith(f"{path}:2: ") for line in problems), result.output
    assert any(re.match(re.escape(str(path)) + expected, line) for line in problems), result.output
    assert "Traceback" not in result.output


OUTPUT_CASES = [
    ("a missing folder", lambda tmp: tmp / "missing" / "out.csv", "No such file or directory"),
    ("below a file", lambda tmp: tmp / "seed-copy.txt" / "out.csv", "Not a directory"),
    ("a folder, not a file", lambda tmp: tmp, "Is a directory"),
]


@pytest.mark.parametrize("name, target, reason", OUTPUT_CASES, ids=[c[0] for c in OUTPUT_CASES])
def test_unwritable_output_path(tmp_path: Path, name: str, target: Callable[[Path], Path], reason: str) -> None:
    shutil.copy(SEED, tmp_path / "seed-copy.txt")
    out = target(tmp_path)
    result = runner.invoke(app, ["extract", str(SEED), "-f", "csv", "-o", str(out), "--no-progress"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == f"error: {out}: cannot write output ({reason})"


@pytest.fixture(scope="module")
def saved_rules(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pipelines") / "rules"
    minsheng_nlp.load("rules").to_disk(path)
    return path


def _remove(rel: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        target = root / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return change


def _write(rel: str, data: bytes) -> Callable[[Path], None]:
    return lambda root: (root / rel).write_bytes(data)


PIPELINE_CASES = [
    ("config.cfg missing", _remove("config.cfg"), r"not a saved pipeline \(config\.cfg is missing\)"),
    ("config.cfg garbage", _write("config.cfg", b"[nlp\nlang = "), r"config\.cfg: cannot load pipeline \(ConfigValidationError"),
    ("config.cfg binary", _write("config.cfg", b"\xff\xfe\x00\x01"), r"config\.cfg: corrupted or unreadable \(UnicodeDecodeError"),
    ("meta.json corrupted", _write("meta.json", b"{not json"), r"meta\.json: corrupted or unreadable \(JSONDecodeError"),
    ("vocab strings corrupted", _write("vocab/strings.json", b"{{{"), r"strings\.json: corrupted or unreadable"),
    ("component folder missing", _remove("minsheng_rules_ner"), r"lexicons: missing lexicon file\(s\) units\.txt"),
    ("lexicon missing", _remove("minsheng_rules_ner/lexicons/places.txt"), r"missing lexicon file\(s\) places\.txt"),
    ("lexicon binary", _write("minsheng_rules_ner/lexicons/units.txt", b"\xff\xfe\x00"), r"units\.txt: unreadable lexicon"),
    ("component config corrupted", _write("minsheng_rules_ner/cfg.json", b"[1,"), r"cfg\.json: corrupted or unreadable"),
]


@pytest.mark.parametrize("name, damage, message", PIPELINE_CASES, ids=[c[0] for c in PIPELINE_CASES])
def test_broken_saved_pipeline(saved_rules: Path, tmp_path: Path, name: str, damage: Callable[[Path], None],
                               message: str) -> None:
    broken = tmp_path / "pipeline"
    shutil.copytree(saved_rules, broken)
    damage(broken)
    with pytest.raises(ModelLoadError, match=message):
        minsheng_nlp.load(broken)
    result = runner.invoke(app, ["extract", str(SEED), "--model", str(broken), "--no-progress"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {broken}")
    assert "Traceback" not in result.output
