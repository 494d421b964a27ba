"""Invariants of the gold corpus in ``annotations/`` (GUIDELINE.md §1-§4, GUIDELINE-NOTES N1-N3).

Every ``annotations/*.jsonl`` file (the corpus, synthetic files included) and every
``annotations/agreement/*.jsonl`` file (double annotation, in no split) is read from its raw
JSON, so that the checks do not depend on the library's reader, and is checked for:
offsets, span texts, unique ids, relation endpoints and labels, commitment references, the
record text against the seed file it was cut from, and membership in ``splits.json``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from minsheng_nlp.io import ENTITY_LABELS, check_file, read_annotations
from minsheng_nlp.relations.types import RELATION_TYPES, TARGET_LABEL

ROOT = Path(__file__).resolve().parents[2]
ANNOTATIONS = ROOT / "annotations"
SEEDS = ROOT / "seeds"
SPLITS_FILE = ANNOTATIONS / "splits.json"
SPLIT_NAMES = ("train", "dev", "test")

MAIN_FILES = sorted(ANNOTATIONS.glob("*.jsonl"))
AGREEMENT_FILES = sorted((ANNOTATIONS / "agreement").glob("*.jsonl"))
ALL_FILES = MAIN_FILES + AGREEMENT_FILES


def _name(path: Path) -> str:
    return str(path.relative_to(ANNOTATIONS))


def raw_records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, parsed JSON object) for every non-blank line of ``path``."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.strip():
            out.append((number, json.loads(line)))
    return out


def is_synthetic(path: Path, record: dict[str, Any]) -> bool:
    meta = record.get("meta") or {}
    return (bool(meta.get("synthetic")) or path.name.startswith("synthetic")
            or str(record.get("id", "")).startswith("syn-"))


RECORDS = [(path, number, record) for path in ALL_FILES for number, record in raw_records(path)]
RECORD_IDS = [f"{_name(p)}:{n}" for p, n, _ in RECORDS]


@pytest.fixture(scope="module")
def splits() -> dict[str, list[str]]:
    assert SPLITS_FILE.is_file(), "annotations/splits.json is missing"
    data = json.loads(SPLITS_FILE.read_text(encoding="utf-8"))
    assert isinstance(data.get("description"), str) and data["description"].strip()
    for name in SPLIT_NAMES:
        assert isinstance(data.get(name), list), f"splits.json has no list {name!r}"
    return {name: [str(i) for i in data[name]] for name in SPLIT_NAMES}


def test_there_are_annotation_files() -> None:
    assert MAIN_FILES, "no annotations/*.jsonl"
    assert AGREEMENT_FILES, "no annotations/agreement/*.jsonl"


# --------------------------------------------------------------------------- whole files

@pytest.mark.parametrize("path", ALL_FILES, ids=_name)
def test_file_passes_the_validator(path: Path) -> None:
    report = check_file(path)
    assert report.problems == [], "\n".join(map(str, report.problems[:20]))


@pytest.mark.parametrize("path", ALL_FILES, ids=_name)
def test_reader_agrees_with_raw_json(path: Path) -> None:
    """read_annotations gives the same texts and spans as the raw JSON."""
    raw = raw_records(path)
    records = read_annotations(path)
    assert len(records) == len(raw)
    for record, (_, data) in zip(records, raw):
        assert record.text == data["text"]
        got = [(e.id, e.label, record.span_text(e)) for e in record.entities]
        want = [(e["id"], e["label"], data["text"][e["start_offset"]:e["end_offset"]])
                for e in data["entities"]]
        assert got == want


@pytest.mark.parametrize("path", ALL_FILES, ids=_name)
def test_record_ids_unique_in_file(path: Path) -> None:
    ids = [str(r.get("id")) for _, r in raw_records(path)]
    assert all(i and i != "None" for i in ids), "record without id"
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate record ids: {dupes}"


def test_record_ids_unique_across_files() -> None:
    seen: dict[str, str] = {}
    dupes = []
    for path, _, record in RECORDS:
        rid = str(record["id"])
        if rid in seen and seen[rid] != _name(path):
            dupes.append(f"{rid} in {seen[rid]} and {_name(path)}")
        seen.setdefault(rid, _name(path))
    assert not dupes, dupes


# --------------------------------------------------------------------------- records

@pytest.mark.parametrize("path,number,record", RECORDS, ids=RECORD_IDS)
def test_entities(path: Path, number: int, record: dict[str, Any]) -> None:
    text = record["text"]
    ids = [e["id"] for e in record["entities"]]
    assert len(ids) == len(set(ids)), f"duplicate entity ids in {record['id']}"
    placed = []
    for e in record["entities"]:
        start, end = e["start_offset"], e["end_offset"]
        assert e["label"] in ENTITY_LABELS, e
        assert isinstance(start, int) and isinstance(end, int), e
        assert 0 <= start < end <= len(text), f"offsets out of range: {e}"
        span = text[start:end]
        if "text" in e:  # doccano exports may carry the span text
            assert e["text"] == span, e
        assert span.strip() == span, f"span {span!r} starts or ends with whitespace"
        placed.append((start, end, span))
    placed.sort()
    for (s1, e1, t1), (s2, e2, t2) in zip(placed, placed[1:]):
        assert s2 >= e1, f"entities overlap: {t1!r}@{s1} and {t2!r}@{s2}"


@pytest.mark.parametrize("path,number,record", RECORDS, ids=RECORD_IDS)
def test_relations(path: Path, number: int, record: dict[str, Any]) -> None:
    labels = {e["id"]: e["label"] for e in record["entities"]}
    ids = [r["id"] for r in record["relations"]]
    assert len(ids) == len(set(ids)), f"duplicate relation ids in {record['id']}"
    links = set()
    for r in record["relations"]:
        assert r["type"] in RELATION_TYPES, r
        assert r["from_id"] in labels, f"from_id of {r} is not an entity"
        assert r["to_id"] in labels, f"to_id of {r} is not an entity"
        assert labels[r["from_id"]] == "QUANTITY", f"{r} does not start at a QUANTITY"
        assert labels[r["to_id"]] == TARGET_LABEL[r["type"]], \
            f"{r} points to a {labels[r['to_id']]}"
        key = (r["from_id"], r["to_id"], r["type"])
        assert key not in links, f"relation repeated: {r}"
        links.add(key)


@pytest.mark.parametrize("path,number,record", RECORDS, ids=RECORD_IDS)
def test_commitments(path: Path, number: int, record: dict[str, Any]) -> None:
    labels = {e["id"]: e["label"] for e in record["entities"]}
    links = {(r["from_id"], r["to_id"]) for r in record["relations"]
             if r["type"] == "HAS_DEPARTMENT"}
    quantities = [c["quantity"] for c in record.get("commitments", [])]
    assert len(quantities) == len(set(quantities)), "two commitments for one quantity"
    for c in record.get("commitments", []):
        assert labels.get(c["quantity"]) == "QUANTITY", \
            f"commitment quantity {c['quantity']} is not a QUANTITY entity"
        for d in c["departments"]:
            assert labels.get(d) == "DEPARTMENT", f"department {d} is not a DEPARTMENT entity"
            assert (c["quantity"], d) in links, f"department {d} not linked by HAS_DEPARTMENT"
        assert c["status"] in ("planned", "achieved")
        if c["status"] == "achieved":
            assert c["deadline"] is None


SEED_RECORDS = [(p, n, r) for p, n, r in RECORDS
                if not is_synthetic(p, r) and (r.get("meta") or {}).get("source")]


@pytest.mark.parametrize("path,number,record", SEED_RECORDS,
                         ids=[f"{_name(p)}:{n}" for p, n, _ in SEED_RECORDS])
def test_seed_record_text_is_the_seed_slice(path: Path, number: int,
                                            record: dict[str, Any]) -> None:
    meta = record["meta"]
    seed = SEEDS / meta["source"]
    assert seed.is_file(), f"seed file {meta['source']} not found in seeds/"
    with open(seed, encoding="utf-8", newline="") as handle:
        source = handle.read()
    offset = meta["offset"]
    assert isinstance(offset, int) and offset >= 0
    assert record["text"] == source[offset:offset + len(record["text"])]


def test_main_seed_records_do_not_overlap() -> None:
    """No two records of the corpus cover the same characters of a seed file."""
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for path, _, record in RECORDS:
        meta = record.get("meta") or {}
        if path in MAIN_FILES and not is_synthetic(path, record) and meta.get("source"):
            spans.setdefault(meta["source"], []).append(
                (meta["offset"], meta["offset"] + len(record["text"]), str(record["id"])))
    for source, items in spans.items():
        items.sort()
        for (s1, e1, id1), (s2, e2, id2) in zip(items, items[1:]):
            assert s2 >= e1, f"{id1} and {id2} overlap in {source}"


# --------------------------------------------------------------------------- splits

def _main_ids() -> dict[str, tuple[Path, dict[str, Any]]]:
    return {str(r["id"]): (p, r) for p, _, r in RECORDS if p in MAIN_FILES}


def test_every_main_record_is_in_exactly_one_split(splits: dict[str, list[str]]) -> None:
    membership: dict[str, list[str]] = {}
    for name, ids in splits.items():
        for rid in ids:
            membership.setdefault(rid, []).append(name)
    missing = [rid for rid in _main_ids() if rid not in membership]
    several = {rid: names for rid, names in membership.items() if len(names) > 1}
    assert not missing, f"records in no split (rerun training/make_splits.py): {missing}"
    assert not several, f"records in several splits (or listed twice): {several}"


def test_split_ids_exist(splits: dict[str, list[str]]) -> None:
    main = _main_ids()
    unknown = [rid for ids in splits.values() for rid in ids if rid not in main]
    assert not unknown, f"split ids with no record in annotations/*.jsonl: {unknown}"


def test_no_record_id_in_two_splits(splits: dict[str, list[str]]) -> None:
    for i, a in enumerate(SPLIT_NAMES):
        for b in SPLIT_NAMES[i + 1:]:
            both = set(splits[a]) & set(splits[b])
            assert not both, f"in {a} and {b}: {sorted(both)}"


def test_test_split_has_no_synthetic_records(splits: dict[str, list[str]]) -> None:
    main = _main_ids()
    synthetic = [rid for rid in splits["test"] if rid in main and is_synthetic(*main[rid])]
    assert not synthetic, synthetic


def test_test_split_is_the_whole_held_out_section(splits: dict[str, list[str]]) -> None:
    """test = every record of seed_004_part2.jsonl, and nothing else."""
    held_out = [str(r["id"]) for _, r in raw_records(ANNOTATIONS / "seed_004_part2.jsonl")]
    assert sorted(splits["test"]) == sorted(held_out)


def test_dev_split_holds_seed_000_and_002(splits: dict[str, list[str]]) -> None:
    dev = [str(r["id"]) for name in ("seed_000.jsonl", "seed_002.jsonl")
           for _, r in raw_records(ANNOTATIONS / name)]
    assert set(dev) <= set(splits["dev"])


def test_agreement_records_are_in_no_split(splits: dict[str, list[str]]) -> None:
    in_splits = {rid for ids in splits.values() for rid in ids}
    agreement = [str(r["id"]) for p, _, r in RECORDS if p in AGREEMENT_FILES]
    assert not in_splits & set(agreement)
