"""The HTML report: documents with their entities marked in displaCy style, and the commitments.

One self-contained file (inline CSS and JS, no network): per document the text with its
entities highlighted like displaCy's "ent" view, every commitment numbered and its
quantity, unit, department(s) and deadline carrying that number; above, a sortable table
of all commitments whose rows link to the text. Everything taken from a document is
escaped, and a Content-Security-Policy lets only the report's own script run.
"""
from __future__ import annotations

import base64
import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from spacy.displacy.render import DEFAULT_LABEL_COLORS
from spacy.tokens import Doc

from ..commitments.record import Commitment, json_number
from ..errors import InputError

#: Our labels drawn in the colours displaCy gives the closest spaCy labels.
LABEL_COLORS = {
    "QUANTITY": DEFAULT_LABEL_COLORS["QUANTITY"],
    "UNIT": DEFAULT_LABEL_COLORS["GPE"],
    "DEPARTMENT": DEFAULT_LABEL_COLORS["ORG"],
    "DEADLINE": DEFAULT_LABEL_COLORS["DATE"],
}
DEFAULT_COLOR = "#ddd"
#: Number badges shown on one mark; the rest are summed up in a "+N" badge.
MAX_BADGES = 3
#: (header, data-type) of the commitment table; "num" columns sort numerically.
TABLE_COLUMNS = (("#", "num"), ("source", "text"), ("year", "num"), ("status", "text"),
                 ("task", "text"), ("value", "num"), ("unit", "text"), ("comparator", "text"),
                 ("deadline", "text"), ("departments", "text"), ("offsets", "num"))

CSS = """
body { margin: 0; color: #222; background: #fff;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
    "Helvetica Neue", Arial, sans-serif; }
header, main { padding: 0 2rem; }
header { border-bottom: 1px solid #ddd; padding-bottom: 0.5rem; }
h1 { font-size: 1.5rem; margin: 1rem 0 0.3rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.3rem; word-break: break-all; }
.meta, .hint { color: #666; font-size: 0.9rem; margin: 0.2rem 0; }
.legend mark.entity { line-height: 2.2; }
.table-wrap { max-height: 60vh; overflow: auto; border: 1px solid #ddd; margin: 1rem 0; }
table.commitments { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
table.commitments th { position: sticky; top: 0; z-index: 1; background: #f3f3f3; cursor: pointer;
  text-align: left; padding: 6px 8px; border-bottom: 2px solid #ccc; white-space: nowrap;
  user-select: none; }
table.commitments th[aria-sort="ascending"]::after { content: " \\25B2"; }
table.commitments th[aria-sort="descending"]::after { content: " \\25BC"; }
table.commitments td { padding: 4px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
table.commitments td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.commitments td.nowrap { white-space: nowrap; }
table.commitments tr { cursor: pointer; }
table.commitments tr.hl td { background: #fff3c4; }
table.commitments tr.active td { background: #ffe08a; }
table.commitments th[data-type="num"] { text-align: right; }
table.commitments a { color: inherit; text-decoration: none; }
table.commitments a:hover { text-decoration: underline; }
.small { color: #777; font-size: 0.85em; }
.text { white-space: pre-wrap; line-height: 2.5; font-size: 1rem; border: 1px solid #eee;
  padding: 1rem; border-radius: 4px; overflow-wrap: anywhere; }
mark.entity { padding: 0.45em 0.6em; margin: 0 0.25em; line-height: 1; border-radius: 0.35em;
  color: inherit; }
mark.entity .label { font-size: 0.8em; font-weight: bold; line-height: 1; border-radius: 0.35em;
  vertical-align: middle; margin-left: 0.5rem; user-select: none; }
.badge { display: inline-block; min-width: 1.3em; padding: 0 0.3em; margin-left: 0.25em;
  border-radius: 0.7em; background: #555; color: #fff; font-size: 0.65em; font-weight: bold;
  line-height: 1.5; text-align: center; vertical-align: super; text-decoration: none;
  user-select: none; }
mark[data-key] { cursor: pointer; }
mark.hl { outline: 2px solid #d62728; outline-offset: 1px; }
mark.active { outline: 3px solid #d62728; outline-offset: 1px; box-shadow: 0 0 0 6px rgba(214, 39, 40, 0.2); }
mark.hl .badge, mark.active .badge { background: #d62728; }
mark:target { animation: flash 1.5s ease-out; }
@keyframes flash { from { box-shadow: 0 0 0 10px rgba(214, 39, 40, 0.5); } to { box-shadow: none; } }
"""

SCRIPT = """(function () {
  "use strict";
  var active = null;
  function parts(key) { return document.querySelectorAll('[data-c~="' + key + '"]'); }
  function paint(key, cls, on) {
    if (key) { parts(key).forEach(function (el) { el.classList.toggle(cls, on); }); }
  }
  function owner(node) { return node && node.closest ? node.closest("[data-key]") : null; }
  document.addEventListener("mouseover", function (ev) {
    var el = owner(ev.target);
    if (el && owner(ev.relatedTarget) !== el) { paint(el.dataset.key, "hl", true); }
  });
  document.addEventListener("mouseout", function (ev) {
    var el = owner(ev.target);
    if (el && owner(ev.relatedTarget) !== el) { paint(el.dataset.key, "hl", false); }
  });
  document.addEventListener("click", function (ev) {
    var el = owner(ev.target);
    if (!el) { return; }
    var key = el.dataset.key;
    paint(active, "active", false);
    active = (active === key && !ev.target.closest("a")) ? null : key;
    paint(active, "active", true);
  });
  function sortKey(cell, numeric) {
    var raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    if (raw === "") { return null; }
    return numeric ? parseFloat(raw) : raw;
  }
  function sortBy(th) {
    var table = th.closest("table"), body = table.tBodies[0], col = th.cellIndex;
    var numeric = th.dataset.type === "num";
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var rows = Array.prototype.map.call(body.rows, function (row, i) {
      return { key: sortKey(row.cells[col], numeric), index: i, row: row };
    });
    rows.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        return a.key === b.key ? a.index - b.index : (a.key === null ? 1 : -1);
      }
      var c = numeric ? a.key - b.key : a.key.localeCompare(b.key, "zh-Hans-CN");
      return c !== 0 ? dir * c : a.index - b.index;
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r.row); });
    body.appendChild(frag);
  }
  document.querySelectorAll("table.commitments th").forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
  });
})();
"""


@dataclass(frozen=True)
class Mark:
    """A highlighted span: character offsets, label and the numbers of its commitments."""

    start: int
    end: int
    label: str
    commitments: tuple[int, ...] = ()
    quantity_of: int | None = None


def commitment_key(number: int) -> str:
    """The id shared by a commitment's row, its quantity mark and its parts' ``data-c``."""
    return f"c{number}"


def commitment_parts(doc: Doc, commitments: Sequence[Commitment], first: int) -> dict[tuple[int, int], list[int]]:
    """Character spans → numbers of the commitments they belong to (quantity, unit, departments, deadline).

    Commitments are numbered from ``first``; the unit and deadline come from
    ``doc._.relations``, the departments from the commitment itself and its relations.
    """
    by_quantity = {(c.quantity.start, c.quantity.end): first + i for i, c in enumerate(commitments)}
    parts: dict[tuple[int, int], list[int]] = {span: [n] for span, n in by_quantity.items()}
    for i, commitment in enumerate(commitments):
        for dept in commitment.departments:
            _add(parts, (dept.start, dept.end), first + i)
    for rel in doc._.relations:
        number = by_quantity.get((rel.head.start_char, rel.head.end_char))
        if number is not None:
            _add(parts, (rel.tail.start_char, rel.tail.end_char), number)
    return parts


def _add(parts: dict[tuple[int, int], list[int]], span: tuple[int, int], number: int) -> None:
    numbers = parts.setdefault(span, [])
    if number not in numbers:
        numbers.append(number)


def collect_marks(doc: Doc, commitments: Sequence[Commitment], first: int) -> list[Mark]:
    """The marks of ``doc`` in text order: its entities, plus commitment parts that are no entity.

    Overlapping spans are dropped (entities never overlap; a part that is not an entity
    is only drawn where nothing else is).
    """
    parts = commitment_parts(doc, commitments, first)
    quantities = {(c.quantity.start, c.quantity.end): first + i for i, c in enumerate(commitments)}
    spans = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
    for commitment in commitments:
        spans.setdefault((commitment.quantity.start, commitment.quantity.end), "QUANTITY")
        for dept in commitment.departments:
            spans.setdefault((dept.start, dept.end), "DEPARTMENT")
    marks: list[Mark] = []
    end = 0
    for (start, stop), label in sorted(spans.items()):
        if start < end or stop <= start:
            continue
        marks.append(Mark(start, stop, label, tuple(sorted(parts.get((start, stop), []))),
                          quantities.get((start, stop))))
        end = stop
    return marks


def render_badges(mark: Mark) -> str:
    """The number badges of a mark: a link to the table row on a quantity, at most MAX_BADGES otherwise."""
    if mark.quantity_of is not None:
        key = commitment_key(mark.quantity_of)
        return f'<a class="badge" href="#row-{key}" title="commitment {mark.quantity_of} in the table">{mark.quantity_of}</a>'
    shown = mark.commitments[:MAX_BADGES]
    badges = [f'<sup class="badge">{n}</sup>' for n in shown]
    rest = mark.commitments[MAX_BADGES:]
    if rest:
        listed = ", ".join(str(n) for n in rest)
        badges.append(f'<sup class="badge more" title="also commitments {listed}">+{len(rest)}</sup>')
    return "".join(badges)


def render_mark(text: str, mark: Mark) -> str:
    """One entity in displaCy "ent" markup, with commitment numbers and ``data-`` ids."""
    label = escape(mark.label)
    color = LABEL_COLORS.get(mark.label, DEFAULT_COLOR)
    attrs = [f'class="entity" data-label="{label}" data-start="{mark.start}" data-end="{mark.end}"',
             f'style="background: {color}"']
    if mark.commitments:
        attrs.append(f'data-c="{" ".join(commitment_key(n) for n in mark.commitments)}"')
    if mark.quantity_of is not None:
        key = commitment_key(mark.quantity_of)
        attrs.append(f'id="{key}" data-key="{key}"')
    return (f'<mark {" ".join(attrs)}>{escape(text[mark.start:mark.end])}'
            f'<span class="label">{label}</span>{render_badges(mark)}</mark>')


def render_text(text: str, marks: Sequence[Mark]) -> str:
    """``text`` escaped, with ``marks`` (sorted, disjoint) drawn in; linear in its length."""
    pieces: list[str] = []
    pos = 0
    for mark in marks:
        pieces.append(escape(text[pos:mark.start]))
        pieces.append(render_mark(text, mark))
        pos = mark.end
    pieces.append(escape(text[pos:]))
    return "".join(pieces)


def _number(value) -> str:
    number = json_number(value)
    return "" if number is None else f"{number:,}"


def render_row(source: str, commitment: Commitment, number: int) -> str:
    """One ``<tr>`` of the commitment table, linked to the quantity in the text."""
    key = commitment_key(number)
    c = commitment
    value = _number(c.value) + (f"–{_number(c.value_max)}" if c.value_max is not None else "")
    deadline = c.deadline.isoformat() if c.deadline else ""
    deadline_text = f' <span class="small">{escape(c.deadline_text)}</span>' if c.deadline_text else ""
    cells = [
        f'<td class="num"><a href="#{key}">{number}</a></td>',
        f'<td class="nowrap" title="{escape(source)}">{escape(Path(source).name or source)}</td>',
        f'<td class="num">{"" if c.year is None else c.year}</td>',
        f"<td>{escape(c.status)}</td>",
        f'<td><a href="#{key}">{escape(c.task)}</a></td>',
        f'<td class="num" data-sort="{"" if c.value is None else c.value}">{value}</td>',
        f"<td>{escape(c.unit or '')}</td>",
        f"<td>{escape(c.comparator)}</td>",
        f'<td class="nowrap" data-sort="{deadline}">{deadline}{deadline_text}</td>',
        f"<td>{escape('、'.join(d.text for d in c.departments))}</td>",
        f'<td class="num" data-sort="{c.quantity.start}">{c.quantity.start}–{c.quantity.end}</td>',
    ]
    return f'<tr id="row-{key}" data-key="{key}" data-c="{key}">{"".join(cells)}</tr>'


def render_legend() -> str:
    """The label colours, drawn as displaCy marks."""
    return "".join(f'<mark class="entity" style="background: {color}">{label.lower()}'
                   f'<span class="label">{label}</span></mark>' for label, color in LABEL_COLORS.items())


def _check_items(items: Sequence[tuple[str, Doc]]) -> list[tuple[str, Doc]]:
    checked = []
    for i, item in enumerate(items):
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Doc)):
            raise TypeError(f"item {i}: expected a (source name, processed Doc) pair, got {type(item).__name__}")
        checked.append((str(item[0]), item[1]))
    return checked


def render_report(items: Sequence[tuple[str, Doc]], title: str | None = None) -> str:
    """The whole report for ``(source name, processed Doc)`` pairs, as one HTML string."""
    docs = _check_items(items)
    if title is None:
        title = "minsheng-nlp report" + (f": {docs[0][0]}" if len(docs) == 1 else "")
    rows: list[str] = []
    sections: list[str] = []
    number = 1
    for index, (source, doc) in enumerate(docs, start=1):
        commitments = doc._.commitments
        rows.extend(render_row(source, c, number + i) for i, c in enumerate(commitments))
        marks = collect_marks(doc, commitments, number)
        sections.append(
            f'<section class="document" id="doc{index}"><h2>{escape(source)}</h2>'
            f'<p class="meta">{len(commitments)} commitment(s), {len(doc.ents)} entities, '
            f'{len(doc.text):,} characters</p>'
            f'<div class="text" lang="zh">{render_text(doc.text, marks)}</div></section>')
        number += len(commitments)
    head_cells = "".join(f'<th data-type="{kind}">{name}</th>' for name, kind in TABLE_COLUMNS)
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    return "".join([
        '<!DOCTYPE html>\n<html lang="zh-Hans"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f'<header><h1>{escape(title)}</h1>',
        f'<p class="meta">{len(docs)} document(s), {number - 1} commitment(s)</p>',
        f'<p class="legend">{render_legend()}</p>',
        ('<p class="hint">Each commitment has a number; its quantity, unit, department(s) and deadline '
         'carry it. Hover or click a row or a quantity to highlight its parts; click a column '
         'header to sort.</p></header><main>'),
        f'<div class="table-wrap"><table class="commitments"><thead><tr>{head_cells}</tr></thead>',
        f'<tbody>{"".join(rows)}</tbody></table></div>',
        "".join(sections),
        f"</main><script>{SCRIPT}</script></body></html>\n",
    ])


def write_report(items: Sequence[tuple[str, Doc]], path: Path | None) -> None:
    """Write :func:`render_report` to ``path`` (UTF-8), or to standard output when None."""
    report = render_report(items)
    if path is None:
        sys.stdout.write(report)
        return
    try:
        Path(path).write_text(report, encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot write output ({err.strerror})", source=str(path)) from None
