"""Normalization of quantities, units, comparators and deadlines (GUIDELINE §4, §6)."""
from __future__ import annotations

from .comparators import COMPARATOR_SYMBOLS, comparator_for
from .deadlines import deadline_date, deadline_year
from .numbers import (NumberFormatError, int_to_chinese, parse_number, parse_quantity,
                      split_unit_magnitude)

__all__ = [
    "COMPARATOR_SYMBOLS",
    "NumberFormatError",
    "comparator_for",
    "deadline_date",
    "deadline_year",
    "int_to_chinese",
    "parse_number",
    "parse_quantity",
    "split_unit_magnitude",
]
