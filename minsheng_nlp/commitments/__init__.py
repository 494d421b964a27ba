"""Commitment records and the component that assembles them."""
from .record import Commitment, SpanRef

__all__ = ["Commitment", "SpanRef"]
