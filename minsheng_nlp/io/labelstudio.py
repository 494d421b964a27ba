"""Label Studio JSON exports to our annotation records (GUIDELINE.md §1).

A Label Studio export is a JSON list of tasks::

    {"id": 12, "data": {"text": "...", "meta": {...}},
     "annotations": [{"result": [...]}]}

Results of type ``labels`` become entities (ids 1..n in order of ``start``), results
of type ``relation`` become relations (ids 1..m in export order, type ``labels[0]``,
``direction: "left"`` swaps ``from_id``/``to_id``). The last non-cancelled annotation
of a task is used; tasks without one are skipped and counted.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import AnnotationError
from ..relations.types import RELATION_TYPES
from .annotations import ENTITY_LABELS


def _fail(source: str, task_id: Any, message: str) -> AnnotationError:
    return AnnotationError(f"task {task_id}: {message}", source=source)


def _task_text(data: dict[str, Any]) -> str | None:
    """``data["text"]``, else the first string value of ``data``."""
    if isinstance(data.get("text"), str):
        return data["text"]
    return next((v for v in data.values() if isinstance(v, str)), None)


def _last_annotation(task: dict[str, Any]) -> dict[str, Any] | None:
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        return None
    usable = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    return usable[-1] if usable else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _entity(result: dict[str, Any], text: str, fail) -> tuple[int, int, str]:
    value = result.get("value")
    if not isinstance(value, dict):
        raise fail(f'labels result {result.get("id")!r} has no "value"')
    start, end = value.get("start"), value.get("end")
    rid = result.get("id")
    if not (_is_int(start) and _is_int(end) and 0 <= start < end <= len(text)):
        raise fail(f"labels result {rid!r}: offsets {start!r}..{end!r} are not a span "
                   f"of the text (length {len(text)})")
    if "text" in value and value["text"] != text[start:end]:
        raise fail(f"labels result {rid!r}: text {value['text']!r} does not match "
                   f"text[{start}:{end}] {text[start:end]!r}")
    labels = value.get("labels")
    if not (isinstance(labels, list) and len(labels) == 1):
        raise fail(f"labels result {rid!r}: expected exactly one label, got {labels!r}")
    label = labels[0]
    if label not in ENTITY_LABELS:
        raise fail(f"labels result {rid!r}: unknown label {label!r} "
                   f"(expected one of {', '.join(ENTITY_LABELS)})")
    return start, end, label


def _convert_task(task: Any, index: int, source: str) -> dict[str, Any] | None:
    """One record, or None when the task has no annotation."""
    if not isinstance(task, dict):
        raise AnnotationError(f"task #{index}: must be a JSON object, got "
                              f"{type(task).__name__}", source=source)
    task_id = task.get("id", f"#{index}")

    def fail(message: str) -> AnnotationError:
        return _fail(source, task_id, message)

    data = task.get("data")
    if not isinstance(data, dict):
        raise fail('missing "data" object')
    text = _task_text(data)
    if text is None:
        raise fail('missing text ("data" has no string value)')
    meta = data.get("meta", {})
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise fail(f'"data.meta" must be an object, got {type(meta).__name__}')
    annotation = _last_annotation(task)
    if annotation is None:
        return None
    results = annotation.get("result") or []
    if not isinstance(results, list):
        raise fail('"result" must be a list')

    spans: list[tuple[int, int, str, Any]] = []
    links: list[dict[str, Any]] = []
    for result in results:
        if not isinstance(result, dict):
            raise fail(f"result must be an object, got {type(result).__name__}")
        kind = result.get("type")
        if kind == "labels":
            start, end, label = _entity(result, text, fail)
            spans.append((start, end, label, result.get("id")))
        elif kind == "relation":
            links.append(result)
        # other result types (choices, textarea, ...) carry nothing we store

    spans.sort(key=lambda s: (s[0], s[1]))
    ids: dict[Any, int] = {}
    entities = []
    for number, (start, end, label, rid) in enumerate(spans, 1):
        if rid is not None:
            if rid in ids:
                raise fail(f"result id {rid!r} used twice")
            ids[rid] = number
        entities.append({"id": number, "label": label, "start_offset": start,
                         "end_offset": end})

    relations = []
    for number, link in enumerate(links, 1):
        ends = []
        for key in ("from_id", "to_id"):
            if link.get(key) not in ids:
                raise fail(f"relation {key} {link.get(key)!r} is not a labels result")
            ends.append(ids[link[key]])
        direction = link.get("direction", "right")
        if direction == "left":
            ends.reverse()
        elif direction != "right":
            raise fail(f"relation {link['from_id']!r} -> {link['to_id']!r}: direction "
                       f"{direction!r} is not supported (use right or left)")
        labels = link.get("labels")
        if not (isinstance(labels, list) and labels):
            raise fail(f"relation {link['from_id']!r} -> {link['to_id']!r} has no label")
        if labels[0] not in RELATION_TYPES:
            raise fail(f"relation {link['from_id']!r} -> {link['to_id']!r}: unknown label "
                       f"{labels[0]!r} (expected one of {', '.join(RELATION_TYPES)})")
        relations.append({"id": number, "from_id": ends[0], "to_id": ends[1],
                          "type": labels[0]})

    return {"id": task_id, "text": text, "meta": {**meta, "labelstudio_task": task_id},
            "entities": entities, "relations": relations}


def labelstudio_to_records(tasks: list[dict], source: str = "<labelstudio>") -> list[dict]:
    """Our records for the annotated tasks of a Label Studio JSON export.

    Tasks without annotations are left out (see :func:`convert_tasks` for the count).
    """
    return convert_tasks(tasks, source)[0]


def convert_tasks(tasks: Any, source: str = "<labelstudio>") -> tuple[list[dict], int]:
    """``(records, skipped)``: the records and the number of tasks without annotations."""
    if not isinstance(tasks, list):
        raise AnnotationError(f"a Label Studio export must be a JSON list of tasks, got "
                              f"{type(tasks).__name__}", source=source)
    records: list[dict] = []
    skipped = 0
    for index, task in enumerate(tasks, 1):
        record = _convert_task(task, index, source)
        if record is None:
            skipped += 1
        else:
            records.append(record)
    return records, skipped


def convert_file(in_path: str | Path, out_path: str | Path) -> tuple[int, int]:
    """Convert a Label Studio JSON export to JSONL; ``(written, skipped)``."""
    in_path = Path(in_path)
    name = str(in_path)
    try:
        raw = in_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnnotationError("file not found", source=name) from None
    except UnicodeDecodeError as err:
        raise AnnotationError(f"not UTF-8: {err.reason} at byte {err.start}",
                              source=name) from None
    except OSError as err:
        raise AnnotationError(f"cannot read: {err.strerror or err}", source=name) from None
    try:
        tasks = json.loads(raw)
    except json.JSONDecodeError as err:
        raise AnnotationError(f"invalid JSON: {err.msg} (line {err.lineno}, column "
                              f"{err.colno})", source=name) from None
    records, skipped = convert_tasks(tasks, name)
    out_path = Path(out_path)
    with open(out_path, "w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    return len(records), skipped
