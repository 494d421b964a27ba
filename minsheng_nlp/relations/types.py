"""Relations between a QUANTITY and its UNIT, DEPARTMENT or DEADLINE."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

RELATION_TYPES = ("HAS_UNIT", "HAS_DEPARTMENT", "HAS_DEADLINE")
TARGET_LABEL = {"HAS_UNIT": "UNIT", "HAS_DEPARTMENT": "DEPARTMENT", "HAS_DEADLINE": "DEADLINE"}
USER_DATA_KEY = "minsheng.relations"


@dataclass(frozen=True)
class Relation:
    """``head`` (a QUANTITY span) has ``tail`` as its unit, department or deadline."""

    head: Span
    tail: Span
    label: str

    def offsets(self) -> tuple[int, int, int, int, str]:
        return (self.head.start_char, self.head.end_char, self.tail.start_char,
                self.tail.end_char, self.label)


def set_relations(doc: Doc, relations: list[tuple[int, int, int, int, str]]) -> None:
    """Store relations as plain character-offset tuples (safe to serialize)."""
    doc.user_data[USER_DATA_KEY] = [list(r) for r in relations]


def get_relations(doc: Doc) -> list[Relation]:
    """The relations of ``doc`` as spans (getter of ``doc._.relations``)."""
    out: list[Relation] = []
    for hs, he, ts, te, label in doc.user_data.get(USER_DATA_KEY, []):
        head = doc.char_span(hs, he, label="QUANTITY", alignment_mode="expand")
        tail = doc.char_span(ts, te, label=TARGET_LABEL.get(label, ""), alignment_mode="expand")
        if head is not None and tail is not None:
            out.append(Relation(head, tail, label))
    return out
