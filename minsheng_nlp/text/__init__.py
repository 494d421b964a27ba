"""Text views: normalized copies of the input with an offset map back to it."""
from .layout import View, clean_view

__all__ = ["View", "clean_view"]
