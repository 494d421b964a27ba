"""Relations: QUANTITY → UNIT / DEPARTMENT / DEADLINE."""
from .types import RELATION_TYPES, Relation

__all__ = ["RELATION_TYPES", "Relation"]
