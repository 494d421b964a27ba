"""Candidate pairs for the trained relation model: QUANTITY × UNIT / DEPARTMENT / DEADLINE.

A quantity's candidates of one type are the targets of that label

* in its own paragraph, the ``near_before`` paragraphs before it and the ``after``
  paragraphs after it (item notes: 责任单位：…);
* further back, up to ``far_before`` paragraphs and ``far_chars`` characters, only those
  in a *framing* position: a heading, a list lead, or opening its paragraph or sentence
  (list headings and leads govern every item below them, guideline §3, §6);
* and whatever the rule linker chose (the presenter of a report may stand anywhere).

Every bound is a constant (at most ``max_candidates`` near and ``max_far`` framing ones,
the nearest, plus the rule's choice), so
the number of pairs — and the cost of scoring them — is linear in the number of
quantities. Everything works on :class:`~minsheng_nlp.text.docview.DocView`
offsets (the cleaned view).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import spacy

from ..rules.linker import RulesLinker
from ..text.docview import DocView
from .types import RELATION_TYPES, TARGET_LABEL

LABELS = ("QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE")
FRAMING_HEAD_CHARS = 12  # a target this close to its paragraph start opens the paragraph


@dataclass(frozen=True)
class Window:
    """The bounds of the candidate window (paragraphs and characters)."""

    near_before: int = 12
    after: int = 3
    far_before: int = 60
    far_chars: int = 6000
    # units: in its own paragraph only those of its clause group, elsewhere only free ones
    # (a column header or caption unit, not one written right after another number)
    local: bool = False
    # at most this many candidates (the nearest) besides the rule's choice: a bound on the
    # cost even for a document that is one huge paragraph
    max_candidates: int = 40
    max_far: int = 10  # framing candidates beyond the near window (the nearest ones)

    def to_dict(self) -> dict[str, int | bool]:
        return {"near_before": self.near_before, "after": self.after,
                "far_before": self.far_before, "far_chars": self.far_chars, "local": self.local,
                "max_candidates": self.max_candidates, "max_far": self.max_far}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Window":
        data = dict(data or {})
        kwargs: dict[str, Any] = {k: int(v) for k, v in data.items()
                                  if k in cls.__dataclass_fields__ and k != "local"}
        if "local" in data:
            kwargs["local"] = bool(data["local"])
        return cls(**kwargs)


DEFAULT_WINDOWS: dict[str, Window] = {
    "HAS_UNIT": Window(near_before=8, after=0, far_before=0, far_chars=0, local=True),
    "HAS_DEADLINE": Window(near_before=12, after=3),
    "HAS_DEPARTMENT": Window(near_before=12, after=8),
}


def windows_from_dict(data: dict[str, Any] | None) -> dict[str, Window]:
    """Per-type windows from ``{"HAS_UNIT": {...}, ...}``; missing types get the defaults."""
    data = dict(data or {})
    return {rtype: Window.from_dict(data[rtype]) if rtype in data else DEFAULT_WINDOWS[rtype]
            for rtype in RELATION_TYPES}


@dataclass(frozen=True)
class Candidate:
    """A possible relation ``label`` from entity ``q`` (a QUANTITY) to entity ``t``."""

    q: int  # indices into DocIndex.dv.entities
    t: int
    label: str


@dataclass
class DocIndex:
    """Everything the candidate generator and the features need, built once per Doc."""

    dv: DocView
    by_label: dict[str, list[int]]
    para_of: list[int]                      # paragraph index of each entity
    label_paras: dict[str, list[int]]       # per label: paragraph index of its entities, sorted
    label_starts: dict[str, list[int]]      # per label: view start of its entities, sorted
    rule_links: dict[int, set[tuple[int, str]]] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)  # per-document memo of the features

    @property
    def text(self) -> str:
        return self.dv.text

    def rule_chose(self, q: int, t: int, rtype: str) -> bool:
        """Whether the rule linker linked quantity ``q`` to ``t`` by ``rtype``."""
        return (t, rtype) in self.rule_links.get(q, ())


def build_index(dv: DocView, rules: RulesLinker | None = None) -> DocIndex:
    """Index the entities of ``dv`` by label and paragraph and run the rule linker once."""
    st = dv.structure
    by_label: dict[str, list[int]] = {label: [] for label in LABELS}
    for i, ent in enumerate(dv.entities):
        by_label.setdefault(ent.label, []).append(i)
    para_of = [st.paragraph_index(e.start) for e in dv.entities]
    index = DocIndex(
        dv=dv, by_label=by_label, para_of=para_of,
        label_paras={k: [para_of[i] for i in v] for k, v in by_label.items()},
        label_starts={k: [dv.entities[i].start for i in v] for k, v in by_label.items()},
    )
    index.rule_links = rule_links(dv, rules or RulesLinker())
    return index


def rule_links(dv: DocView, rules: RulesLinker) -> dict[int, set[tuple[int, str]]]:
    """The rule linker's relations: quantity index → ``{(target index, type)}``."""
    by_span = {(e.span.start_char, e.span.end_char): i for i, e in enumerate(dv.entities)}
    out: dict[int, set[tuple[int, str]]] = {}
    for hs, he, ts, te, label in rules.link(dv):
        q, t = by_span.get((hs, he)), by_span.get((ts, te))
        if q is not None and t is not None:
            out.setdefault(q, set()).add((t, label))
    return out


@dataclass(frozen=True)
class Scopes:
    """The structural spans holding one entity (view offsets), computed once per entity."""

    clause: tuple[int, int]
    group: tuple[int, int]
    sentence: tuple[int, int]
    cell: tuple[int, int] | None


def scopes(index: DocIndex, i: int) -> Scopes:
    """The (memoized) clause, clause group, sentence and table cell of entity ``i``."""
    memo = index.cache.setdefault("scopes", {})
    found = memo.get(i)
    if found is None:
        st, start = index.dv.structure, index.dv.entities[i].start
        found = memo[i] = Scopes(st.clause(start), st.clause_group(start), st.sentence(start),
                                 st.cell(start))
    return found


def is_framing(index: DocIndex, t: int) -> bool:
    """Whether target ``t`` stands where it frames what follows it.

    In a heading or a list lead, or within the first characters of its paragraph or
    sentence. Memoized.
    """
    return _memoized(index, "framing", t, _is_framing)


def _memoized(index: DocIndex, name: str, t: int, compute: Callable[[DocIndex, int], bool]) -> bool:
    """``compute(index, t)``, computed once per document and entity (cached under ``name``)."""
    memo = index.cache.setdefault(name, {})
    found = memo.get(t)
    if found is None:
        found = memo[t] = compute(index, t)
    return found


def _is_framing(index: DocIndex, t: int) -> bool:
    """:func:`is_framing`, computed."""
    dv = index.dv
    st = dv.structure
    para = st.paragraphs[index.para_of[t]]
    if para.is_heading or para.is_lead:
        return True
    start = dv.entities[t].start
    if start - para.start <= FRAMING_HEAD_CHARS:
        return True
    s_start, _ = scopes(index, t).sentence
    return len(dv.text[s_start:start].strip()) <= 3


def is_free_unit(index: DocIndex, t: int) -> bool:
    """A unit not written right after a number (a column header or caption unit); memoized."""
    return _memoized(index, "free_unit", t, _is_free_unit)


def _is_free_unit(index: DocIndex, t: int) -> bool:
    """:func:`is_free_unit`, computed."""
    dv = index.dv
    start = dv.entities[t].start
    k = bisect_left(index.dv.starts, start) - 1
    while k >= 0 and dv.entities[k].label != "QUANTITY":
        k -= 1
    if k < 0:
        return True
    gap = dv.text[dv.entities[k].end:start]
    return not (len(gap) <= 1 and all(ch in "余多" for ch in gap))


def _local_only(index: DocIndex, q: int, targets: list[int]) -> list[int]:
    """The unit candidates of ``q`` among ``targets``: in its clause group, else free units
    in other paragraphs."""
    g_start, g_end = scopes(index, q).group
    ents, para_of = index.dv.entities, index.para_of
    pq = para_of[q]
    return [t for t in targets
            if g_start <= ents[t].start < g_end or (para_of[t] != pq and is_free_unit(index, t))]


def _in_paragraphs(index: DocIndex, label: str, lo: int, hi: int,
                   around: int | None = None, limit: int | None = None) -> list[int]:
    """Entities of ``label`` whose paragraph index is in ``[lo, hi]``.

    With ``around`` (a view offset) and ``limit``, at most ``limit`` on each side of it.
    """
    paras = index.label_paras.get(label, [])
    ids = index.by_label.get(label, [])
    first, last = bisect_left(paras, lo), bisect_right(paras, hi)
    if around is not None and limit is not None:
        pos = bisect_left(index.label_starts.get(label, []), around)
        first, last = max(first, pos - limit), min(last, pos + limit)
    return ids[first:last]


def _nearest(index: DocIndex, targets: list[int], pos: int, k: int) -> list[int]:
    """The ``k`` targets starting nearest to view offset ``pos``."""
    if len(targets) <= k:
        return targets
    ents = index.dv.entities
    return sorted(targets, key=lambda t: (abs(ents[t].start - pos), t))[:k]


def targets_for(index: DocIndex, q: int, rtype: str, window: Window) -> list[int]:
    """The candidate targets of quantity ``q`` for relation type ``rtype``, in text order."""
    label = TARGET_LABEL[rtype]
    dv = index.dv
    st = dv.structure
    pi = index.para_of[q]
    last = len(st.paragraphs) - 1
    near = _in_paragraphs(index, label, max(0, pi - window.near_before), min(last, pi + window.after),
                          dv.entities[q].start, window.max_candidates)
    if window.local:
        near = _local_only(index, q, near)
    qs = dv.entities[q].start
    chosen = set(_nearest(index, near, qs, window.max_candidates))
    far_hi = max(-1, pi - window.near_before - 1)
    if window.far_before > 0 and far_hi >= 0:
        origin = st.paragraphs[pi].start
        paras, ids = index.label_paras.get(label, []), index.by_label.get(label, [])
        first = max(bisect_left(paras, max(0, pi - window.far_before)),
                    bisect_left(index.label_starts.get(label, []), origin - window.far_chars))
        end = bisect_right(paras, far_hi)
        far = ids[max(first, end - 8 * window.max_far):end]  # the nearest few, looked at from the end
        framing = [t for t in far if is_framing(index, t)]
        chosen.update(_nearest(index, framing, qs, window.max_far))
    chosen.update(t for (t, r) in index.rule_links.get(q, ()) if r == rtype)
    return sorted(chosen)


def candidates(index: DocIndex, windows: dict[str, Window] | None = None,
               types: tuple[str, ...] = RELATION_TYPES) -> Iterator[Candidate]:
    """Every candidate pair of the document, quantity by quantity."""
    windows = windows or DEFAULT_WINDOWS
    for q in index.by_label.get("QUANTITY", []):
        for rtype in types:
            for t in targets_for(index, q, rtype, windows[rtype]):
                yield Candidate(q, t, rtype)


@spacy.registry.misc("minsheng.relation_candidates.v1")
def make_candidates() -> Callable[..., Iterator[Candidate]]:
    """Registered candidate generator (``@misc = "minsheng.relation_candidates.v1"``)."""
    return candidates
