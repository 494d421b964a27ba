"""Annotation files: doccano JSONL with our ``meta`` and ``commitments`` (GUIDELINE.md §1-§4).

Two entry points share one set of checks:

* :func:`read_annotations` turns a file into :class:`AnnotatedRecord` objects and raises
  :class:`~minsheng_nlp.errors.AnnotationError` (``file:line: message``) on input whose
  *shape* is wrong (not UTF-8, not JSON, missing text, wrong types);
* :func:`validate_file` / :func:`validate_record` report *every* violation of the data
  contract (shape and content) without stopping.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..commitments.record import COMPARATORS, STATUSES, json_number
from ..errors import AnnotationError
from ..relations.types import RELATION_TYPES, TARGET_LABEL

ENTITY_LABELS = ("QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE")
COMMITMENT_KEYS = ("quantity", "value", "value_max", "unit", "comparator", "status", "year",
                   "deadline", "departments", "task")
# Keys a pipeline-made record may carry; accepted in gold files and ignored.
IGNORED_COMMITMENT_KEYS = ("deadline_text",)
YEAR_MIN, YEAR_MAX = 1949, 2100
SEEDS_DIR = "seeds"

SourceLoader = Callable[[str], "str | None"]
Items = list[tuple[str, Any]]  # (where, raw item), e.g. ("entities[2]", {...})


# --------------------------------------------------------------------------- records

@dataclass(frozen=True)
class Entity:
    """A labelled character span ``text[start:end]``."""

    id: int
    label: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "start_offset": self.start,
                "end_offset": self.end}


@dataclass(frozen=True)
class RelationRecord:
    """A relation from a QUANTITY entity (``from_id``) to its attribute (``to_id``)."""

    id: int
    from_id: int
    to_id: int
    type: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "from_id": self.from_id, "to_id": self.to_id, "type": self.type}


@dataclass
class GoldCommitment:
    """A gold commitment (§4); ``quantity`` and ``departments`` are entity ids."""

    quantity: int
    value: Decimal
    value_max: Decimal | None = None
    unit: str | None = None
    comparator: str = "="
    status: str = "planned"
    year: int | None = None
    deadline: date | None = None
    departments: list[int] = field(default_factory=list)
    task: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"quantity": self.quantity, "value": json_number(self.value),
                "value_max": json_number(self.value_max), "unit": self.unit,
                "comparator": self.comparator, "status": self.status, "year": self.year,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "departments": list(self.departments), "task": self.task}


@dataclass
class AnnotatedRecord:
    """One annotated document (one JSONL line) and where it came from."""

    id: str | int | None
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    commitments: list[GoldCommitment] = field(default_factory=list)
    source_file: str = ""
    line: int = 0

    @property
    def year(self) -> int | None:
        """The document year (``meta.year``) when it is an integer, else None."""
        year = self.meta.get("year")
        return year if _is_int(year) else None

    def entity_map(self) -> dict[int, Entity]:
        """Entities by id (the first one wins if an id repeats)."""
        out: dict[int, Entity] = {}
        for entity in self.entities:
            out.setdefault(entity.id, entity)
        return out

    def span_text(self, entity: Entity) -> str:
        return self.text[entity.start:entity.end]

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON object in the file format of §1."""
        return {"id": self.id, "text": self.text, "meta": dict(self.meta),
                "entities": [e.to_json() for e in self.entities],
                "relations": [r.to_json() for r in self.relations],
                "commitments": [c.to_json() for c in self.commitments]}


@dataclass(frozen=True)
class Problem:
    """One violation of the data contract, located by file and line (None: whole file)."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class FileReport:
    """The result of checking one file: how many records it holds and what is wrong."""

    file: str
    records: int
    problems: list[Problem]


# --------------------------------------------------------------------------- small helpers

def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_number(value: Any) -> bool:
    if _is_int(value):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Decimal):
        return value.is_finite()
    return False


def _is_iso_date(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_id_list(value: Any) -> bool:
    return isinstance(value, list) and all(_is_int(v) for v in value)


def _optional(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: value is None or check(value)


def _show(value: Any) -> str:
    """A short JSON rendering of a value for messages."""
    text = str(value) if isinstance(value, Decimal) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _prefix(where: str) -> str:
    return f"{where}: " if where else ""


def _need(obj: dict[str, Any], key: str, check: Callable[[Any], bool], expected: str,
          where: str = "") -> list[str]:
    """``missing "key"`` or ``"key" must be <expected>, got <value>``, or nothing."""
    if key not in obj:
        return [f'{_prefix(where)}missing "{key}"']
    if not check(obj[key]):
        return [f'{_prefix(where)}"{key}" must be {expected}, got {_show(obj[key])}']
    return []


def _choices(values: Iterable[str]) -> str:
    return ", ".join(values)


def _to_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _squash(text: str) -> str:
    return "".join(text.split())


# --------------------------------------------------------------------------- lines and JSON

def _lines(data: bytes) -> Iterator[tuple[int, str | None, str | None]]:
    """Non-blank lines as ``(line number, text, None)`` or ``(line number, None, error)``.

    Lines are split on ``\\n`` only: U+2028 and friends may stand unescaped in JSON strings.
    """
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield number, raw.decode("utf-8"), None
        except UnicodeDecodeError as err:
            yield number, None, (f"invalid UTF-8: byte 0x{err.object[err.start]:02x} "
                                 f"at byte {err.start + 1} of the line")


def _parse_json(line: str) -> Any:
    """``json.loads`` whose error message names the column."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as err:
        raise ValueError(f"invalid JSON at column {err.colno}: {err.msg}") from None


# --------------------------------------------------------------------------- shape checks

_COMMITMENT_TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "quantity": (_is_int, "an entity id (integer)"),
    "value": (_is_number, "a number"),
    "value_max": (_optional(_is_number), "null or a number"),
    "unit": (_optional(_is_str), "null or a string"),
    "comparator": (_is_str, "a string"),
    "status": (_is_str, "a string"),
    "year": (_optional(_is_int), "null or an integer"),
    "deadline": (_optional(_is_iso_date), "null or an ISO date (YYYY-MM-DD)"),
    "departments": (_is_id_list, "a list of entity ids"),
    "task": (_is_str, "a string"),
}


def _top_shape(raw: dict[str, Any]) -> list[str]:
    """Types of the record's own keys."""
    out: list[str] = []
    if "id" in raw and not (_is_str(raw["id"]) or _is_int(raw["id"])):
        out.append(f'"id" must be a string or an integer, got {_show(raw["id"])}')
    out += _need(raw, "text", _is_str, "a string")
    if raw.get("meta") is not None and not isinstance(raw["meta"], dict):
        out.append(f'"meta" must be an object, got {_show(raw["meta"])}')
    for key in ("entities", "relations", "commitments"):
        if key in raw and not isinstance(raw[key], list):
            out.append(f'"{key}" must be a list, got {_show(raw[key])}')
    if "entities" not in raw and "label" in raw and not isinstance(raw["label"], list):
        out.append(f'"label" must be a list of [start, end, "LABEL"], got {_show(raw["label"])}')
    return out


def _list(raw: dict[str, Any], key: str) -> Items:
    value = raw.get(key)
    if not isinstance(value, list):
        return []
    return [(f"{key}[{i}]", item) for i, item in enumerate(value)]


def _is_label_triple(item: Any) -> bool:
    return (isinstance(item, list) and len(item) == 3 and _is_int(item[0]) and _is_int(item[1])
            and _is_str(item[2]))


def _entity_items(raw: dict[str, Any]) -> tuple[Items, list[str]]:
    """The raw entities; doccano's sequence-labeling ``label`` list gets ids 1..n."""
    if "entities" in raw or not isinstance(raw.get("label"), list):
        return _list(raw, "entities"), []
    items: Items = []
    problems: list[str] = []
    for i, item in enumerate(raw["label"]):
        where = f"label[{i}]"
        if _is_label_triple(item):
            items.append((where, {"id": i + 1, "label": item[2], "start_offset": item[0],
                                  "end_offset": item[1]}))
        else:
            problems.append(f'{where} must be [start, end, "LABEL"], got {_show(item)}')
    return items, problems


def _entity_shape(item: Any, where: str) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where} must be an object, got {_show(item)}"]
    return (_need(item, "id", _is_int, "an integer", where)
            + _need(item, "label", _is_str, "a string", where)
            + _need(item, "start_offset", _is_int, "an integer", where)
            + _need(item, "end_offset", _is_int, "an integer", where))


def _relation_shape(item: Any, where: str) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where} must be an object, got {_show(item)}"]
    return (_need(item, "id", _is_int, "an integer", where)
            + _need(item, "from_id", _is_int, "an integer", where)
            + _need(item, "to_id", _is_int, "an integer", where)
            + _need(item, "type", _is_str, "a string", where))


def _commitment_shape(item: Any, where: str, required: Iterable[str]) -> list[str]:
    """Missing ``required`` keys and present keys of the wrong type."""
    if not isinstance(item, dict):
        return [f"{where} must be an object, got {_show(item)}"]
    out = [f'{where}: missing "{key}"' for key in required if key not in item]
    for key, (check, expected) in _COMMITMENT_TYPES.items():
        if key in item and not check(item[key]):
            out.append(f'{where}: "{key}" must be {expected}, got {_show(item[key])}')
    return out


def _shape_problems(raw: Any) -> list[str]:
    """Everything that keeps ``raw`` from becoming an :class:`AnnotatedRecord`."""
    if not isinstance(raw, dict):
        return [f"record must be a JSON object, got {_show(raw)}"]
    entities, out = _entity_items(raw)
    out = _top_shape(raw) + out
    out += [p for where, item in entities for p in _entity_shape(item, where)]
    out += [p for where, item in _list(raw, "relations") for p in _relation_shape(item, where)]
    out += [p for where, item in _list(raw, "commitments")
            for p in _commitment_shape(item, where, ("quantity", "value"))]
    return out


# --------------------------------------------------------------------------- content checks

@dataclass
class _Context:
    """What the relation and commitment checks need to know about the entities."""

    text: str | None
    ids: set[int]
    labels: dict[int, str]
    spans: dict[int, tuple[int, int]]
    links: set[tuple[int, int, str]]


def _offsets_ok(start: int, end: int, text: str | None) -> bool:
    return text is not None and 0 <= start < end <= len(text)


def _entity_problems(items: Items, text: str | None) -> tuple[list[str], _Context]:
    out: list[str] = []
    ctx = _Context(text, set(), {}, {}, set())
    placed: list[tuple[int, int, int]] = []
    for where, item in items:
        shape = _entity_shape(item, where)
        if isinstance(item, dict) and _is_int(item.get("id")):
            if item["id"] in ctx.ids:
                out.append(f"duplicate entity id {item['id']}")
            ctx.ids.add(item["id"])
        if shape:
            out += shape
            continue
        eid, label, start, end = item["id"], item["label"], item["start_offset"], item["end_offset"]
        ctx.labels.setdefault(eid, label)
        if label not in ENTITY_LABELS:
            out.append(f'entity {eid}: unknown label "{label}" '
                       f"(expected {_choices(ENTITY_LABELS)})")
        if text is None:
            continue
        if not _offsets_ok(start, end, text):
            out.append(f"entity {eid}: offsets {start}-{end} outside "
                       f"0 <= start < end <= {len(text)}")
            continue
        ctx.spans.setdefault(eid, (start, end))
        span = text[start:end]
        if span[0].isspace():
            out.append(f"entity {eid}: span {_show(span)} starts with whitespace")
        if span[-1].isspace():
            out.append(f"entity {eid}: span {_show(span)} ends with whitespace")
        placed.append((start, end, eid))
    return out + _overlap_problems(placed, text or ""), ctx


def _overlap_problems(placed: list[tuple[int, int, int]], text: str) -> list[str]:
    out: list[str] = []
    ordered = sorted(placed)
    for i, (start, end, eid) in enumerate(ordered):
        for other_start, other_end, other in ordered[i + 1:]:
            if other_start >= end:
                break
            out.append(f"entity {eid} {_show(text[start:end])} overlaps entity {other} "
                       f"{_show(text[other_start:other_end])}")
    return out


def _relation_problems(items: Items, ctx: _Context) -> list[str]:
    out: list[str] = []
    seen: set[int] = set()
    for where, item in items:
        shape = _relation_shape(item, where)
        if shape:
            out += shape
            continue
        rid, head, tail, rtype = item["id"], item["from_id"], item["to_id"], item["type"]
        name = f"relation {rid}"
        if rid in seen:
            out.append(f"duplicate relation id {rid}")
        seen.add(rid)
        ctx.links.add((head, tail, rtype))
        if rtype not in RELATION_TYPES:
            out.append(f'{name}: unknown type "{rtype}" (expected {_choices(RELATION_TYPES)})')
        if head not in ctx.ids:
            out.append(f"{name}: from_id {head} is not an entity id")
        elif head in ctx.labels and ctx.labels[head] != "QUANTITY":
            out.append(f"{name}: from_id {head} is a {ctx.labels[head]}, not a QUANTITY")
        if tail not in ctx.ids:
            out.append(f"{name}: to_id {tail} is not an entity id")
        elif rtype in TARGET_LABEL and tail in ctx.labels \
                and ctx.labels[tail] != TARGET_LABEL[rtype]:
            out.append(f"{name}: to_id {tail} is a {ctx.labels[tail]}, "
                       f"but {rtype} needs a {TARGET_LABEL[rtype]}")
    return out


def _entity_ref_problem(eid: int, wanted: str, what: str, ctx: _Context) -> str | None:
    if eid not in ctx.ids:
        return f"{what} {eid} is not an entity id"
    if eid in ctx.labels and ctx.labels[eid] != wanted:
        return f"{what} {eid} is a {ctx.labels[eid]}, not a {wanted}"
    return None


def _department_problems(c: dict[str, Any], ok: set[str], ctx: _Context) -> list[str]:
    out: list[str] = []
    quantity = c["quantity"] if "quantity" in ok else None
    listed: set[int] = set()
    for dept in c["departments"]:
        if dept in listed:
            out.append(f"department {dept} listed twice")
            continue
        listed.add(dept)
        problem = _entity_ref_problem(dept, "DEPARTMENT", "department", ctx)
        if problem:
            out.append(problem)
        elif quantity is not None and (quantity, dept, "HAS_DEPARTMENT") not in ctx.links:
            out.append(f"department {dept} is not linked from quantity {quantity} "
                       f"by HAS_DEPARTMENT")
    if quantity is not None:
        linked = sorted(t for h, t, r in ctx.links if h == quantity and r == "HAS_DEPARTMENT")
        out += [f'department {dept} is linked from quantity {quantity} by HAS_DEPARTMENT '
                f'but missing from "departments"' for dept in linked if dept not in listed]
    return out


def _commitment_field_problems(c: dict[str, Any], ok: set[str], ctx: _Context,
                               seen: dict[int, str], where: str) -> list[str]:
    """Content checks of the fields whose type is right (``ok``)."""
    out: list[str] = []
    if "quantity" in ok:
        quantity = c["quantity"]
        problem = _entity_ref_problem(quantity, "QUANTITY", "quantity", ctx)
        if problem:
            out.append(problem)
        if quantity in seen:
            out.append(f"second commitment for quantity {quantity} (first is {seen[quantity]})")
        seen.setdefault(quantity, where)
    if {"value", "value_max"} <= ok and c["value_max"] is not None \
            and _to_decimal(c["value_max"]) < _to_decimal(c["value"]):
        out.append(f'"value_max" {_show(c["value_max"])} is less than "value" {_show(c["value"])}')
    if "comparator" in ok and c["comparator"] not in COMPARATORS:
        out.append(f'"comparator" must be one of {_choices(COMPARATORS)}, '
                   f'got {_show(c["comparator"])}')
    if "status" in ok and c["status"] not in STATUSES:
        out.append(f'"status" must be one of {_choices(STATUSES)}, got {_show(c["status"])}')
    if "year" in ok and c["year"] is not None and not YEAR_MIN <= c["year"] <= YEAR_MAX:
        out.append(f'"year" {c["year"]} is outside {YEAR_MIN}..{YEAR_MAX}')
    if "deadline" in ok and "status" in ok:
        if c["status"] == "achieved" and c["deadline"] is not None:
            out.append('"deadline" must be null when status is achieved')
        if c["status"] == "planned" and c["deadline"] is None and "year" in ok \
                and c["year"] is not None:
            out.append(f'"deadline" must be set for a planned commitment '
                       f'(the end of "year" {c["year"]} when no due date is written)')
    if "departments" in ok:
        out += _department_problems(c, ok, ctx)
    if "task" in ok:
        out += _task_problems(c, ok, ctx)
    return out


def _task_problems(c: dict[str, Any], ok: set[str], ctx: _Context) -> list[str]:
    task = c["task"]
    if not task.strip():
        return [f'"task" must be a non-empty string, got {_show(task)}']
    span = ctx.spans.get(c["quantity"]) if "quantity" in ok else None
    if span is None or ctx.text is None or ctx.labels.get(c["quantity"]) != "QUANTITY":
        return []
    quantity = ctx.text[span[0]:span[1]]
    if _squash(quantity) not in _squash(task):
        return [f'"task" does not contain the quantity {_show(quantity)}']
    return []


def _commitment_problems(items: Items, ctx: _Context) -> list[str]:
    out: list[str] = []
    seen: dict[int, str] = {}
    for where, item in items:
        shape = _commitment_shape(item, where, COMMITMENT_KEYS)
        out += shape
        if not isinstance(item, dict):
            continue
        known = COMMITMENT_KEYS + IGNORED_COMMITMENT_KEYS
        out += [f'{where}: unknown key "{key}"' for key in item if key not in known]
        ok = {k for k, (check, _) in _COMMITMENT_TYPES.items() if k in item and check(item[k])}
        out += [f"{where}: {p}" for p in _commitment_field_problems(item, ok, ctx, seen, where)]
    return out


def _meta_problems(meta: dict[str, Any]) -> list[str]:
    out: list[str] = []
    year = meta.get("year")
    if year is not None:
        if not _is_int(year):
            out.append(f'"meta.year" must be null or an integer, got {_show(year)}')
        elif not YEAR_MIN <= year <= YEAR_MAX:
            out.append(f'"meta.year" {year} is outside {YEAR_MIN}..{YEAR_MAX}')
    if "offset" in meta and not (_is_int(meta["offset"]) and meta["offset"] >= 0):
        out.append(f'"meta.offset" must be a non-negative integer, got {_show(meta["offset"])}')
    if "source" in meta and not _is_file_name(meta["source"]):
        out.append(f'"meta.source" must be a file name, got {_show(meta["source"])}')
    return out


def _is_file_name(value: Any) -> bool:
    return (isinstance(value, str) and value not in ("", ".", "..")
            and "/" not in value and "\\" not in value)


def _source_problems(meta: dict[str, Any], text: Any, load: SourceLoader) -> list[str]:
    """``text == source_text[offset:offset+len(text)]`` when ``seeds/<source>`` exists."""
    source, offset = meta.get("source"), meta.get("offset")
    if not (_is_file_name(source) and _is_int(offset) and offset >= 0 and isinstance(text, str)):
        return []
    where = f"{SEEDS_DIR}/{source}"
    try:
        source_text = load(source)
    except (OSError, UnicodeDecodeError) as err:
        return [f"cannot read {where}: {err}"]
    if source_text is None:
        return []
    stored = source_text[offset:offset + len(text)]
    if stored == text:
        return []
    k = next((i for i, (a, b) in enumerate(zip(text, stored)) if a != b), len(stored))
    head = f"text does not match {where} at offset {offset}"
    if k >= len(stored):
        return [f"{head}: the source ends at text[{k}] (source length {len(source_text)})"]
    return [f"{head}: first difference at text[{k}] ({_show(text[k])} vs {_show(stored[k])})"]


def _record_problems(raw: Any, load: SourceLoader) -> list[str]:
    """Every contract violation of one parsed JSON line."""
    if not isinstance(raw, dict):
        return [f"record must be a JSON object, got {_show(raw)}"]
    out = _top_shape(raw)
    text = raw.get("text") if isinstance(raw.get("text"), str) else None
    meta = raw.get("meta") if isinstance(raw.get("meta"), dict) else {}
    out += _meta_problems(meta) + _source_problems(meta, text, load)
    items, label_problems = _entity_items(raw)
    entity_problems, ctx = _entity_problems(items, text)
    out += label_problems + entity_problems
    out += _relation_problems(_list(raw, "relations"), ctx)
    out += _commitment_problems(_list(raw, "commitments"), ctx)
    return out


# --------------------------------------------------------------------------- seeds

def find_seeds_dir(path: str | Path) -> Path | None:
    """The ``seeds/`` folder of the nearest ancestor of ``path`` that has one."""
    start = Path(path).resolve()
    for folder in (start, *start.parents) if start.is_dir() else start.parents:
        if (folder / SEEDS_DIR).is_dir():
            return folder / SEEDS_DIR
    return None


def _source_loader(seeds_dir: Path | None) -> SourceLoader:
    """A cached reader of ``seeds_dir/<name>`` (exact text, no newline translation)."""
    @lru_cache(maxsize=None)
    def load(name: str) -> str | None:
        if seeds_dir is None or not (seeds_dir / name).is_file():
            return None
        with open(seeds_dir / name, encoding="utf-8", newline="") as handle:
            return handle.read()
    return load


# --------------------------------------------------------------------------- public API

def _build_record(raw: dict[str, Any], source_file: str, line: int) -> AnnotatedRecord:
    """An :class:`AnnotatedRecord` from a dict whose shape has been checked."""
    items, _ = _entity_items(raw)
    entities = [Entity(e["id"], e["label"], e["start_offset"], e["end_offset"]) for _, e in items]
    relations = [RelationRecord(r["id"], r["from_id"], r["to_id"], r["type"])
                 for r in raw.get("relations") or []]
    commitments = [
        GoldCommitment(
            quantity=c["quantity"], value=_to_decimal(c["value"]),
            value_max=_to_decimal(c.get("value_max")), unit=c.get("unit"),
            comparator=c.get("comparator", "="), status=c.get("status", "planned"),
            year=c.get("year"),
            deadline=date.fromisoformat(c["deadline"]) if c.get("deadline") else None,
            departments=list(c.get("departments", [])), task=c.get("task", ""))
        for c in raw.get("commitments") or []]
    return AnnotatedRecord(id=raw.get("id"), text=raw["text"], meta=dict(raw.get("meta") or {}),
                           entities=entities, relations=relations, commitments=commitments,
                           source_file=source_file, line=line)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AnnotationError("file not found", source=str(path)) from None
    except IsADirectoryError:
        raise AnnotationError("is a folder, not a file", source=str(path)) from None
    except OSError as err:
        raise AnnotationError(f"cannot read: {err.strerror or err}", source=str(path)) from None


def read_annotations(path: str | Path) -> list[AnnotatedRecord]:
    """The records of one JSONL file; blank lines are skipped.

    Accepts our format, a plain doccano relation export and doccano's sequence-labeling
    export. Raises :class:`AnnotationError` (``file:line: message``) on invalid UTF-8,
    invalid JSON, a missing ``text`` or values of the wrong type. Content problems
    (unknown labels, bad offsets, ...) are left to :func:`validate_record`.
    """
    path = Path(path)
    name = str(path)
    records: list[AnnotatedRecord] = []
    for number, line, error in _lines(_read_bytes(path)):
        if error is not None:
            raise AnnotationError(error, source=name, line=number)
        try:
            raw = _parse_json(line)
        except ValueError as err:
            raise AnnotationError(str(err), source=name, line=number) from None
        problems = _shape_problems(raw)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise AnnotationError(problems[0] + more, source=name, line=number)
        records.append(_build_record(raw, name, number))
    return records


def iter_annotation_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; folders expand to their ``*.jsonl`` files (sorted, not recursive)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.glob("*.jsonl") if p.is_file())
        else:
            yield path


def read_many(paths: Iterable[str | Path]) -> list[AnnotatedRecord]:
    """The records of all files (folders expanded), in order."""
    return [record for path in iter_annotation_files(paths) for record in read_annotations(path)]


def validate_record(record: AnnotatedRecord, seeds_dir: Path | None = None) -> list[str]:
    """Every contract violation of one record (messages without file and line).

    The seeds check uses ``seeds_dir``, else the ``seeds/`` found above ``record.source_file``.
    """
    if seeds_dir is None and record.source_file:
        seeds_dir = find_seeds_dir(record.source_file)
    return _record_problems(record.to_json(), _source_loader(seeds_dir))


def check_file(path: str | Path) -> FileReport:
    """Check one file completely: its record count and all its problems."""
    path = Path(path)
    name = str(path)
    try:
        data = _read_bytes(path)
    except AnnotationError as err:
        return FileReport(name, 0, [Problem(name, None, err.reason)])
    load = _source_loader(find_seeds_dir(path))
    problems: list[Problem] = []
    first_line: dict[str | int, int] = {}
    records = 0
    for number, line, error in _lines(data):
        records += 1
        if error is None:
            try:
                raw = _parse_json(line)
            except ValueError as err:
                error = str(err)
        if error is not None:
            problems.append(Problem(name, number, error))
            continue
        problems += [Problem(name, number, message) for message in _record_problems(raw, load)]
        rid = raw.get("id") if isinstance(raw, dict) else None
        if _is_str(rid) or _is_int(rid):
            if rid in first_line:
                problems.append(Problem(name, number, f"duplicate record id {_show(rid)} "
                                                      f"(first on line {first_line[rid]})"))
            first_line.setdefault(rid, number)
    return FileReport(name, records, problems)


def validate_file(path: str | Path) -> list[Problem]:
    """All problems of one file (``str(problem)`` is ``file:line: message``)."""
    return check_file(path).problems
