"""The commitment assembler component (``minsheng_commitments``): guideline §4.

Reads ``doc.ents``, ``doc._.relations`` and ``doc._.year`` and writes
``doc._.commitments``: one :class:`Commitment` per QUANTITY that states a target or a
result, with its value normalized, comparator, status, year, deadline, departments and
task clause. Whichever tagger and linker ran before (rules or trained), this stage is
the same.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Context, Decimal, localcontext
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import set_commitments
from ..normalize import (NumberFormatError, comparator_for, deadline_date, deadline_year,
                         parse_number, parse_quantity, split_unit_magnitude)
from ..relations.types import USER_DATA_KEY
from ..text.docview import DocView, ViewEntity, release_layout
from ..rules.patterns import DEADLINE_RE, LEXICON_DIR, read_lexicon
from ..text.structure import strip_marker
from .record import Commitment, SpanRef
from .status import decide_status, is_commitment

_EXACT = Context(prec=120)  # as in normalize.numbers: far more digits than any written number
_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})年")
_LAYOUT_WS = re.compile(r"\s+")
_SOURCE_LINE = re.compile(r"来源[:：][^，,。；;\s]{2,16}?(?:日报|晚报|晨报|报|网|电视台|客户端|新闻|发布)")
_LEADING_DEADLINE = re.compile(rf"^(?:在|于|到|至|截至|截止)?(?:{DEADLINE_RE.pattern})[，,]?")


def infer_year(view_text: str) -> int | None:
    """The document year: the first year in its opening lines, else the most frequent."""
    head = _YEAR_IN_TEXT.search(view_text[:400])
    if head:
        return int(head.group(1))
    years = Counter(int(m.group(1)) for m in _YEAR_IN_TEXT.finditer(view_text))
    return years.most_common(1)[0][0] if years else None


_CONTEXT = 200  # characters of context read around a quantity (sentences can be unbounded)
_ANAPHORIC = re.compile(r"这一年|这一年度|当年|同年|该年|这年")


def _previous_year(text: str, pos: int) -> int | None:
    """The last explicit year written before ``pos`` (for 这一年, 当年), within 3,000 characters."""
    years = _YEAR_IN_TEXT.findall(text, max(0, pos - 3000), pos)
    if not years:
        bare = re.findall(r"(?:19|20)\d{2}(?=[，,\s])", text[max(0, pos - 3000):pos])
        return int(bare[-1]) if bare else None
    return int(years[-1])


def clean_task(text: str, junk: tuple[str, ...] = ()) -> str:
    """A task clause as stored (notes N15, N32, N33).

    Whitespace, injected web junk, a leading list marker and a leading time expression
    (the year is in ``year`` and ``deadline``) are removed; trailing punctuation too.
    """
    text = _LAYOUT_WS.sub("", text)
    for word in junk:
        text = text.replace(word, "")
    text = _SOURCE_LINE.sub("", text)
    text = strip_marker(text)
    stripped = _LEADING_DEADLINE.sub("", text, count=1)
    if stripped and stripped != text and not stripped.startswith(("的", "是")):
        text = stripped
    return text.strip().rstrip("。！？!?；;，,、：: ")


@dataclass(frozen=True)
class DecisionContext:
    """What the commitment decisions see of one quantity (strings cut from the view).

    ``sentence_before``: its sentence up to the quantity; ``clause_before``: its shortest
    clause up to it; ``group_before``: its clause group (cut at 。；) up to it; ``after``:
    the rest of the clause group after the quantity and its unit; ``context``: the
    paragraph (and 80 characters before it) up to the quantity; ``value``: the value with
    the unit's magnitude applied; ``year``: the linked deadline's year, else ``doc_year``.
    """

    dv: DocView
    ent: ViewEntity
    qtext: str
    value: Decimal
    unit: str | None
    sentence_before: str
    clause_before: str
    group_before: str
    after: str
    year: int | None
    doc_year: int | None
    context: str
    deadline_view: str | None = None
    links: dict = field(default_factory=dict)


def rule_status(ctx: DecisionContext) -> str:
    """The rules' status of the quantity (:func:`status.decide_status`)."""
    return decide_status(ctx.sentence_before, ctx.after, ctx.year, ctx.doc_year,
                         ctx.clause_before, ctx.context)


def rule_is_commitment(ctx: DecisionContext, status: str) -> bool:
    """The rules' commitment-or-not decision (:func:`status.is_commitment`)."""
    small_cn = ctx.qtext[0] in "一二两三四五六七八九十" and ctx.value < 10
    return is_commitment(ctx.qtext, ctx.unit, ctx.group_before, ctx.after, status, small_cn)


def rule_decision(ctx: DecisionContext) -> str | None:
    """The rules' decision: the status, or None when the quantity is not a commitment."""
    status = rule_status(ctx)
    return status if rule_is_commitment(ctx, status) else None


class CommitmentAssembler:
    """Builds ``doc._.commitments`` from entities and relations."""

    def __init__(self, name: str = "minsheng_commitments", infer_year: bool = True) -> None:
        self.name = name
        self.infer_year = infer_year
        self.junk = read_lexicon(LEXICON_DIR / "junk.txt")

    def __call__(self, doc: Doc) -> Doc:
        try:
            set_commitments(doc, self.assemble(doc))
        finally:
            release_layout(doc)  # the last stage: the shared view is not part of the output
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def assemble(self, doc: Doc) -> list[Commitment]:
        dv = DocView.shared(doc)
        doc_year = doc._.year
        if doc_year is None and self.infer_year:
            doc_year = infer_year(dv.text)
        targets: dict[tuple[int, int], dict[str, list[tuple[int, int]]]] = {}
        for hs, he, ts, te, label in doc.user_data.get(USER_DATA_KEY, []):
            targets.setdefault((hs, he), {}).setdefault(label, []).append((ts, te))
        view_of = {(e.span.start_char, e.span.end_char): e for e in dv.entities}
        source = dv.source  # doc.text is rebuilt on every access: read it once
        out = []
        for ent in dv.entities:
            if ent.label != "QUANTITY":
                continue
            key = (ent.span.start_char, ent.span.end_char)
            record = self._record(source, dv, ent, targets.get(key, {}), view_of, doc_year)
            if record is not None:
                out.append(record)
        return out

    def decide(self, ctx: "DecisionContext") -> str | None:
        """The quantity's status (``planned``/``achieved``), or None: not a commitment.

        The hook a trained assembler overrides; by default the rules of ``status.py``.
        """
        return rule_decision(ctx)

    def _record(self, source: str, dv: DocView, ent, links: dict, view_of: dict,
                doc_year: int | None) -> Commitment | None:
        st, text = dv.structure, dv.text
        qtext = text[ent.start:ent.end]
        try:
            value, value_max = parse_quantity(qtext)
        except NumberFormatError:
            return None
        # unit and its magnitude
        unit_text, unit_view_end = None, ent.end
        units = links.get("HAS_UNIT", [])
        if qtext.startswith("百分之"):
            unit_text = "%"
        elif units:
            us, ue = units[0]
            raw = _LAYOUT_WS.sub("", source[us:ue])
            unit_text, mult = split_unit_magnitude(raw)
            unit_text = unit_text or None
            value = _EXACT.multiply(value, mult)  # the default context would round past 28 digits
            value_max = _EXACT.multiply(value_max, mult) if value_max is not None else None
            uv = view_of.get((us, ue))
            if uv is not None and uv.start >= ent.end and uv.start - ent.end <= 2:
                unit_view_end = uv.end
        # context strings from the view, bounded so that cost stays linear in the text
        g_start, g_end = st.clause_group(ent.start)
        g_start, g_end = max(g_start, ent.start - _CONTEXT), min(g_end, ent.end + _CONTEXT)
        s_start = max(st.sentence(ent.start)[0], ent.start - _CONTEXT)
        c_start, c_end = st.clause(ent.start)
        c_start, c_end = max(c_start, ent.start - _CONTEXT), min(c_end, ent.end + _CONTEXT)
        between = text[ent.end:_unit_start(text, ent.end, unit_view_end)] if unit_view_end > ent.end else ""
        before_clause = text[c_start:ent.start]
        after = text[unit_view_end:g_end]
        # deadline and year
        deadlines = links.get("HAS_DEADLINE", [])
        deadline_text = _LAYOUT_WS.sub("", source[deadlines[0][0]:deadlines[0][1]]) if deadlines else None
        deadline_view = text[view_of[deadlines[0]].start:view_of[deadlines[0]].end] if deadlines and deadlines[0] in view_of else deadline_text
        year = deadline_year(deadline_view, doc_year) if deadline_view else None
        if year is None and deadline_view and _ANAPHORIC.fullmatch(deadline_view):
            year = _previous_year(text, view_of[deadlines[0]].start) if deadlines[0] in view_of else None
        if year is None:
            year = doc_year
        para = st.paragraphs[st.paragraph_index(ent.start)]
        context = text[max(0, para.start - 80, ent.start - 3 * _CONTEXT):ent.start]
        status = self.decide(DecisionContext(
            dv=dv, ent=ent, qtext=qtext, value=value, unit=unit_text,
            sentence_before=text[s_start:ent.start], clause_before=before_clause,
            group_before=text[g_start:ent.start], after=after, year=year, doc_year=doc_year,
            context=context, deadline_view=deadline_view, links=links))
        if status is None:
            return None
        comparator = comparator_for(before_clause, between, after)
        due: date | None = None
        if status == "planned":
            as_of = deadlines and deadlines[0] in view_of and text[max(0, view_of[deadlines[0]].start - 2):view_of[deadlines[0]].start] in ("截至", "截止")
            if deadline_view and not as_of:
                due = deadline_date(deadline_view, doc_year if doc_year is not None else year)
            if due is None and year is not None:
                due = date(year, 12, 31)
        departments = [SpanRef(s, e, source[s:e]) for s, e in links.get("HAS_DEPARTMENT", [])]
        task_s, task_e = dv.original(c_start, c_end)
        return Commitment(
            quantity=SpanRef(ent.span.start_char, ent.span.end_char,
                             source[ent.span.start_char:ent.span.end_char]),  # == span.text, without a token walk
            value=_tidy(value),
            value_max=_tidy(value_max) if value_max is not None else None,
            unit=unit_text,
            comparator=comparator,
            status=status,
            year=year,
            deadline=due,
            deadline_text=deadline_text,
            departments=departments,
            task=clean_task(source[task_s:task_e], self.junk),
        )


def _unit_start(text: str, qend: int, unit_end: int) -> int:
    """Where the unit begins after a quantity ending at ``qend`` (past 余/多)."""
    pos = qend
    while pos < unit_end and text[pos] in "余多":
        pos += 1
    return pos


def _tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros of a Decimal (4710000000.0 → 4710000000), exactly at any size.

    The context holds every digit (the default 28 would raise on a 29-digit integer and
    round a long decimal).
    """
    digits = max(28, len(value.as_tuple().digits) + 2, value.adjusted() + 2)
    with localcontext(Context(prec=digits)):
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()


@Language.factory("minsheng_commitments", default_config={"infer_year": True})
def make_commitment_assembler(nlp: Language, name: str, infer_year: bool) -> CommitmentAssembler:
    """Factory of the commitment assembler."""
    return CommitmentAssembler(name, infer_year)


__all__ = ["CommitmentAssembler", "DecisionContext", "rule_decision", "rule_is_commitment", "rule_status", "infer_year", "clean_task", "make_commitment_assembler", "parse_number"]
