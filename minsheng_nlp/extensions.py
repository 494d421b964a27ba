"""The ``Doc`` extension attributes the pipeline writes (registered once, idempotently)."""
from __future__ import annotations

from spacy.tokens import Doc

from .commitments.record import Commitment
from .relations.types import get_relations

COMMITMENTS_KEY = "minsheng.commitments"


def get_commitments(doc: Doc) -> list[Commitment]:
    """Getter of ``doc._.commitments``: records stored as plain dicts in ``user_data``."""
    return [Commitment.from_dict(d) for d in doc.user_data.get(COMMITMENTS_KEY, [])]


def set_commitments(doc: Doc, commitments: list[Commitment]) -> None:
    doc.user_data[COMMITMENTS_KEY] = [c.to_storable() for c in commitments]


def register_extensions() -> None:
    """Register ``doc._.year``, ``doc._.relations`` and ``doc._.commitments``."""
    if not Doc.has_extension("year"):
        Doc.set_extension("year", default=None)
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", getter=get_relations)
    if not Doc.has_extension("commitments"):
        Doc.set_extension("commitments", getter=get_commitments)


register_extensions()
